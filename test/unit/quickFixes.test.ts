/**
 * Quick fixes: each change is applied to the text and the result analysed again: the error is
 * gone and no new one appears.
 */
import * as assert from 'node:assert/strict';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult, Diagnostic } from '../../src/analysis/types';
import { applyChange, flattenChange, optionChange, projectionChange } from '../../src/host/quickFixEdits';

const TF = "import * as tf from '@tensorflow/tfjs';\n";

function errors(r: AnalysisResult): Diagnostic[] {
  return r.diagnostics.filter((d) => d.severity === 'error');
}

/** Applies the fix of the file's only error (with `inputShape` for that fix) and returns the fixed text. */
function fixOnlyError(text: string, inputShape?: string): string {
  const before = errors(analyzeSource('m.ts', text));
  assert.equal(before.length, 1, before.map((d) => d.message).join('\n'));
  const fix = before[0]!.fix;
  assert.ok(fix, `no fix for: ${before[0]!.message}`);
  const change = optionChange('m.ts', text, fix, inputShape);
  assert.ok(change);
  const fixed = applyChange(text, change);
  assert.deepEqual(
    errors(analyzeSource('m.ts', fixed)).map((d) => d.message),
    [],
  );
  return fixed;
}

describe('quick fixes', () => {
  it('gives the first layer of a Sequential an inputShape (the one the user types)', () => {
    const fixed = fixOnlyError(
      `${TF}const m = tf.sequential();\nm.add(tf.layers.dense({ units: 4, activation: 'relu' }));\n`,
      '[8]',
    );
    assert.match(fixed, /tf\.layers\.dense\(\{ units: 4, activation: 'relu', inputShape: \[8\] \}\)/);
    const noOptions = fixOnlyError(
      `${TF}const m = tf.sequential();\nm.add(tf.layers.flatten());\nm.add(tf.layers.dense({ units: 2 }));\n`,
      '[28, 28]',
    );
    assert.match(noOptions, /tf\.layers\.flatten\(\{ inputShape: \[28, 28\] \}\)/);
  });

  it('makes the recurrent layer that feeds another return its sequences', () => {
    const fixed = fixOnlyError(`${TF}const m = tf.sequential();
m.add(tf.layers.lstm({ units: 8, inputShape: [10, 3], returnSequences: false }));
m.add(tf.layers.gru({ units: 4 }));
`);
    assert.match(fixed, /returnSequences: true \}\)\);\nm\.add\(tf\.layers\.gru/);
  });

  it("pads a convolution 'same' when its output shrinks to nothing", () => {
    const fixed = fixOnlyError(`${TF}const m = tf.sequential();
m.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }));
m.add(tf.layers.conv2d({ filters: 2, kernelSize: 3 }));
`);
    assert.match(fixed, /kernelSize: 3, padding: 'same' \}\)\);\n$/);
  });

  it('adds a flatten before a Dense that gets an image, with the same receiver and tf spelling', () => {
    const text = `import { layers, sequential } from '@tensorflow/tfjs';
const net = sequential();
net.add(layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3 }));
  net.add(layers.dense({ units: 10 }));
`;
    const dense = analyzeSource('m.ts', text).models[0]!.layers[1]!;
    assert.deepEqual(dense.outputShape, [null, 6, 6, 10]);
    const change = flattenChange('m.ts', text, dense.line, dense.column);
    assert.ok(change);
    const fixed = applyChange(text, change);
    assert.match(fixed, /\n {2}net\.add\(layers\.flatten\(\)\);\n {2}net\.add\(layers\.dense/);
    const after = analyzeSource('m.ts', fixed);
    assert.deepEqual(
      after.models[0]!.layers.map((l) => l.outputShape),
      [
        [null, 6, 6, 4],
        [null, 144],
        [null, 10],
      ],
    );
    assert.deepEqual(errors(after), []);
  });

  it('projects the narrower input of a residual add with a 1×1 convolution, for every call of the block', () => {
    const text = `${TF}function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
const image = tf.input({ shape: [16, 16, 3] });
let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(image) as tf.SymbolicTensor;
x = block(x, 8);
x = block(x, 16);
export const net = tf.model({ inputs: image, outputs: x });
`;
    const fix = errors(analyzeSource('m.ts', text))[0]!.fix!;
    assert.equal(fix.kind, 'projectShortcut');
    const change = projectionChange('m.ts', text, fix);
    assert.ok(change);
    const fixed = applyChange(text, change);
    assert.match(
      fixed,
      /tf\.layers\.add\(\)\.apply\(\[tf\.layers\.conv2d\(\{ filters: y\.shape\[y\.shape\.length - 1\] as number, kernelSize: 1 \}\)\.apply\(x\) as tf\.SymbolicTensor, y\]\)/,
    );
    const after = analyzeSource('m.ts', fixed);
    assert.deepEqual(errors(after), []);
    assert.deepEqual(after.models[0]!.outputShapes, [[null, 16, 16, 16]]);
  });

  it('offers nothing where the options are not an object literal it can edit', () => {
    const text = `${TF}const opts = { units: 4 };\nconst m = tf.sequential();\nm.add(tf.layers.dense(opts));\n`;
    const fix = errors(analyzeSource('m.ts', text))[0]!.fix!;
    assert.equal(optionChange('m.ts', text, fix, '[3]'), undefined);
  });
});
