import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { withoutOrthogonalInit } from '../../webview/training/withoutOrthogonalInit';

function lstm(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.lstm({ inputShape: [5, 3], units: 8 })] });
}

/** Largest |QᵀQ − I| of a square orthogonal initialisation. */
function orthogonality(): number {
  return tf.tidy(() => {
    const q = tf.initializers.orthogonal({}).apply([6, 6]);
    return tf.max(tf.abs(tf.sub(tf.matMul(q, q, true, false), tf.eye(6)))).dataSync()[0]!;
  });
}

describe('the page builds its copy of a model without Orthogonal initialisation (withoutOrthogonalInit)', () => {
  it('gives zeros inside (recurrent kernels), and the orthogonal matrices again after', async () => {
    const inside = await withoutOrthogonalInit(tf, async () => lstm());
    const recurrent = inside.layers[0]!.getWeights()[1]!;
    assert.deepEqual(recurrent.shape, [8, 32]);
    assert.equal(tf.max(tf.abs(recurrent)).dataSync()[0], 0);
    // Other initialisers are untouched: the input kernel is still Glorot-uniform.
    assert.ok(tf.max(tf.abs(inside.layers[0]!.getWeights()[0]!)).dataSync()[0]! > 0);
    inside.dispose();

    const after = lstm();
    assert.ok(tf.max(tf.abs(after.layers[0]!.getWeights()[1]!)).dataSync()[0]! > 0);
    after.dispose();
    assert.ok(orthogonality() < 1e-5);
  });

  it('restores Orthogonal when the build fails', async () => {
    await assert.rejects(
      withoutOrthogonalInit(tf, async () => {
        throw new Error('the module threw');
      }),
      /the module threw/,
    );
    assert.ok(orthogonality() < 1e-5);
  });
});
