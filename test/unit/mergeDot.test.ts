/**
 * tfjs's Dot layer for every way of giving `axes` (a single axis, a pair, negative entries,
 * the batch axis 0, entries past the rank), against tfjs building the layer and running the
 * model: an error wherever tfjs refuses to build it; where the analysis gives a shape, it is
 * tfjs's; where tfjs builds and runs the model, no error, but for axes past the input's rank
 * (tfjs's own shapes there differ from what the model computes) — the one stricter case.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource } from '../../src/analysis/analyze';

const SHAPES: [number[], number[]][] = [
  [
    [1, 16],
    [1, 16],
  ],
  [
    [4, 3],
    [4, 5],
  ],
  [[3], [3]],
  [
    [2, 3],
    [3, 2],
  ],
  [
    [4, 5],
    [3, 6],
  ],
];
const AXES: unknown[] = [
  0,
  1,
  2,
  -1,
  -2,
  -3,
  -4,
  [0, 0],
  [1, 1],
  [2, 2],
  [1, 2],
  [2, 1],
  [-1, -1],
  [-1, 2],
  [0, 1],
  [3, 3],
  [5, 5],
  [-3, -3],
];

/** tfjs: the layer's output shape and whether a batch of 2 runs, or that it refuses to build it. */
function tfjsDot(p: number[], q: number[], axes: unknown): { shape: string; runs: boolean } | 'throws' {
  let d: tf.SymbolicTensor;
  const a = tf.input({ shape: p });
  const b = tf.input({ shape: q });
  try {
    d = tf.layers.dot({ axes: axes as number }).apply([a, b]) as tf.SymbolicTensor;
  } catch {
    return 'throws';
  }
  const model = tf.model({ inputs: [a, b], outputs: d });
  let runs = true;
  try {
    tf.dispose(model.predict([tf.ones([2, ...p]), tf.ones([2, ...q])]) as tf.Tensor);
  } catch {
    runs = false;
  }
  model.dispose();
  return { shape: JSON.stringify(d.shape), runs };
}

function analysisDot(p: number[], q: number[], axes: unknown): { shape: string | 'error'; warnings: string[] } {
  const source = `import * as tf from '@tensorflow/tfjs';
const a = tf.input({ shape: ${JSON.stringify(p)} });
const b = tf.input({ shape: ${JSON.stringify(q)} });
const d = tf.layers.dot({ axes: ${JSON.stringify(axes)} }).apply([a, b]);
export const m = tf.model({ inputs: [a, b], outputs: d as tf.SymbolicTensor });
`;
  const r = analyzeSource('/work/dot.ts', source);
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
  if (r.diagnostics.some((d) => d.severity === 'error')) return { shape: 'error', warnings };
  return { shape: JSON.stringify(r.models[0]?.layers.find((l) => l.type === 'Dot')?.outputShape ?? null), warnings };
}

/** An axis outside the input: past its rank, or a pair's entry before the batch once read from the end. */
function pastRank(p: number[], q: number[], axes: unknown): boolean {
  if (!Array.isArray(axes)) return (axes as number) >= Math.min(p.length, q.length) + 1;
  const [x, y] = axes as number[];
  const r1 = p.length + 1;
  const r2 = q.length + 1;
  const out = (a: number, r: number): boolean => (a < 0 ? a + r : a) >= r || (a < 0 ? a + r : a) < 0;
  return out(x!, r1) || out(y!, r2);
}

describe('dot: axes as tfjs reads them', () => {
  it('90 pairs of shapes and axes: errors where tfjs refuses, tfjs’s shapes where it builds', () => {
    const problems: string[] = [];
    for (const [p, q] of SHAPES) {
      for (const axes of AXES) {
        const theirs = tfjsDot(p, q, axes);
        const ours = analysisDot(p, q, axes).shape;
        const at = JSON.stringify([p, q, axes]);
        if (theirs === 'throws') {
          if (ours !== 'error') problems.push(`${at}: tfjs refuses to build it, the analysis gives ${ours}`);
        } else if (ours !== 'error' && ours !== theirs.shape) {
          problems.push(`${at}: tfjs ${theirs.shape}, the analysis ${ours}`);
        } else if (ours === 'error' && theirs.runs && !pastRank(p, q, axes)) {
          problems.push(`${at}: tfjs builds and runs it (${theirs.shape}), the analysis reports an error`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the batch axis 0: built as tfjs builds it (a program trains with it), with a warning', () => {
    assert.deepEqual(tfjsDot([1, 16], [1, 16], 0), { shape: '[1,16,16]', runs: true });
    const { shape, warnings } = analysisDot([1, 16], [1, 16], 0);
    assert.equal(shape, '[1,16,16]');
    assert.match(warnings.join('\n'), /^dot: axis 0 is the batch: tfjs builds this layer/);
    assert.deepEqual(analysisDot([1, 16], [1, 16], -1).warnings, []);
  });
});
