/**
 * Train on a builder the file never calls: the panel calls it with the arguments the lenses
 * show it for (`ModelTarget.builderCall`) and trains the model it creates at the target line.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { disposeModels, loadModel } from '../../webview/training/modelLoader';
import type { ModelTarget } from '../../src/shared/messages';

type Track = <T>(line: number, model: T) => T;

/** The bundle of `export function createModel(hidden, inputs)` whose `tf.sequential()` is on line 3. */
function bundle(): Record<string, unknown> {
  const track = (): Track => (globalThis as unknown as { __modelLensTrack: Track }).__modelLensTrack;
  return {
    createModel: (hidden: number, inputs: number) => {
      const model = track()(3, tf.sequential());
      model.add(tf.layers.dense({ units: hidden, inputShape: [inputs] }));
      return model;
    },
  };
}

describe('Train on a builder with the arguments the lenses show', () => {
  const target: ModelTarget = {
    name: 'model',
    line: 3,
    kind: 'sequential',
    layers: [],
    file: 'model.ts',
    builderCall: { function: 'createModel', args: [9, 4] },
  };

  it('calls the builder with them and trains what it builds', async () => {
    const loaded = await loadModel('model.js', target, async () => bundle());
    try {
      assert.deepEqual(loaded.model.outputs[0]!.shape, [null, 9]);
      assert.equal(loaded.model.countParams(), 4 * 9 + 9);
      assert.equal(loaded.origin, 'built by createModel(9, 4)');
    } finally {
      disposeModels(loaded.models);
    }
  });

  it('says which call failed, without a stack trace', async () => {
    const failing = { ...target, builderCall: { function: 'createModel', args: [-1, 4] } };
    await assert.rejects(
      loadModel('model.js', failing, async () => bundle()),
      /createModel\(-1, 4\) failed: /,
    );
  });
});
