/** Inlay hints (`modelLens.display`): where each hint goes and what it says, from a real analysis. */
import * as assert from 'node:assert/strict';
import { analyzeSource } from '../../src/analysis/analyze';
import { computeInlayHints, showsCodeLenses, showsInlayHints } from '../../src/host/inlayHintsModel';

const SOURCE = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3 }));
for (let i = 0; i < 2; i++) model.add(tf.layers.dense({ units: 8 }));
const input = tf.input({ shape: [4] });
const hidden = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
export const f = tf.model({ inputs: input, outputs: hidden });
`;

/** The text a hint at (line, column) follows. */
function before(line: number, column: number): string {
  return SOURCE.split('\n')[line - 1]!.slice(0, column - 1);
}

describe('inlay hints', () => {
  const hints = computeInlayHints(analyzeSource('hints.ts', SOURCE));

  it("sit at the end of the call that adds or applies each layer, and of each model's creation", () => {
    const at = hints.map((h) => [before(h.line, h.column).trimStart(), h.label]);
    assert.deepEqual(at, [
      ['const model = tf.sequential()', 'Sequential · 656 params (656 trainable)'],
      ['model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3 }))', '(None, 26, 26, 32) · 320 params'],
      [
        'for (let i = 0; i < 2; i++) model.add(tf.layers.dense({ units: 8 }))',
        '(None, 26, 26, 8) · 264 params | (None, 26, 26, 8) · 72 params',
      ],
      ['const hidden = tf.layers.dense({ units: 3 }).apply(input)', '(None, 3) · 15 params'],
      ['export const f = tf.model({ inputs: input, outputs: hidden })', 'Functional · 15 params (15 trainable)'],
    ]);
  });

  it('join the layers one call adds several times (a loop)', () => {
    const loop = hints.filter((h) => h.line === 4);
    assert.equal(loop.length, 1);
    assert.match(loop[0]!.label, /^\(None, 26, 26, 8\) · 264 params \| \(None, 26, 26, 8\) · 72 params$/);
    assert.match(loop[0]!.tooltip, /dense_1/);
  });

  it('follow the display setting', () => {
    assert.deepEqual([showsCodeLenses('codeLens'), showsInlayHints('codeLens')], [true, false]);
    assert.deepEqual([showsCodeLenses('inlayHints'), showsInlayHints('inlayHints')], [false, true]);
    assert.deepEqual([showsCodeLenses('both'), showsInlayHints('both')], [true, true]);
  });
});
