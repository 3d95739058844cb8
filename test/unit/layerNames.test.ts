/**
 * The panel names layers as the lenses do: the host's layer list (`layerInfos`, nested models
 * included) against the real tfjs's `model.layers`, matched by position (`nameLayers`), the
 * same names however often tfjs builds the model again (Train again).
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource } from '../../src/analysis/analyze';
import { layerInfos } from '../../src/host/training/layerInfo';
import { findLayer, layerLabel, nameLayers } from '../../webview/probes/layerNames';

// The file as the user wrote it; `build` below makes the same models with the real tfjs.
const SOURCE = `import * as tf from '@tensorflow/tfjs';
export const encoder = tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [32], activation: 'relu' }), tf.layers.dense({ units: 2 })] });
export const decoder = tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 32 })] });
export const autoencoder = tf.sequential({ layers: [encoder, decoder] });
export const convnet = tf.sequential();
convnet.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1] }));
convnet.add(tf.layers.flatten());
convnet.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
`;

function build(): { autoencoder: tf.Sequential; convnet: tf.Sequential } {
  const encoder = tf.sequential({
    layers: [tf.layers.dense({ units: 16, inputShape: [32], activation: 'relu' }), tf.layers.dense({ units: 2 })],
  });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ units: 16, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 32 })],
  });
  const autoencoder = tf.sequential({ layers: [encoder, decoder] });
  const convnet = tf.sequential();
  convnet.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1] }));
  convnet.add(tf.layers.flatten());
  convnet.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return { autoencoder, convnet };
}

type Named = { name: string; getClassName(): string; layers?: Named[] };
const labelsOf = (layers: Named[]): unknown[] =>
  layers.map((l) => (l.layers ? [layerLabel(l), labelsOf(l.layers)] : layerLabel(l)));
const namesOf = (layers: Named[]): unknown[] => layers.map((l) => (l.layers ? [l.name, namesOf(l.layers)] : l.name));

describe('layer names: the panel shows the analysis’s names, stable across runs', () => {
  const analysis = analyzeSource('/work/model.ts', SOURCE);
  const model = (name: string) => analysis.models.find((m) => m.name === name)!;
  const infos = {
    autoencoder: layerInfos(model('autoencoder'), analysis.models),
    convnet: layerInfos(model('convnet'), analysis.models),
  };

  it('layerInfos: a nested model carries its own layers (as the lenses name them)', () => {
    assert.deepEqual(
      infos.convnet.map((l) => [l.name, l.type]),
      [
        ['conv2d_1', 'Conv2D'],
        ['flatten_1', 'Flatten'],
        ['dense_5', 'Dense'],
      ],
    );
    assert.deepEqual(
      infos.autoencoder.map((l) => l.name),
      ['encoder', 'decoder'],
    );
    assert.deepEqual(
      infos.autoencoder.map((l) => l.layers?.map((i) => i.name)),
      [
        ['dense_1', 'dense_2'],
        ['dense_3', 'dense_4'],
      ],
    );
    assert.equal(infos.convnet[0]!.layers, undefined);
  });

  it('the real tfjs’s layers get the analysis’s names by position, nested ones too; the same on every build', () => {
    const runs = [build(), build()];
    for (const run of runs) {
      assert.equal(nameLayers(run.convnet.layers, infos.convnet), 3);
      assert.equal(nameLayers(run.autoencoder.layers, infos.autoencoder), 6);
    }
    // tfjs's own names differ between the two builds (its counters run on)…
    assert.notDeepEqual(namesOf(runs[0]!.convnet.layers), namesOf(runs[1]!.convnet.layers));
    assert.match(runs[0]!.convnet.layers[0]!.name, /^conv2d_Conv2D\d+$/);
    // …the names shown do not.
    for (const run of runs) {
      assert.deepEqual(labelsOf(run.convnet.layers), ['conv2d_1', 'flatten_1', 'dense_5']);
      assert.deepEqual(labelsOf(run.autoencoder.layers as unknown as Named[]), [
        ['encoder', ['dense_1', 'dense_2']],
        ['decoder', ['dense_3', 'dense_4']],
      ]);
    }
    // Views find a layer by the name shown or its path through nested models.
    const { autoencoder } = runs[1]!;
    assert.equal(findLayer(autoencoder.layers, 'decoder/dense_4'), (autoencoder.layers[1] as tf.Sequential).layers[1]);
    assert.equal(findLayer(autoencoder.layers, 'dense_1'), (autoencoder.layers[0] as tf.Sequential).layers[0]);
    assert.equal(findLayer(autoencoder.layers, 'dense_9'), null);
  });

  it('keeps tfjs’s names where the lists do not match (other length, other class at a position)', () => {
    const { convnet } = build();
    const runtime = namesOf(convnet.layers);
    assert.equal(nameLayers(convnet.layers, infos.convnet.slice(0, 2)), 0);
    assert.deepEqual(labelsOf(convnet.layers), runtime);
    const swapped = [infos.convnet[1]!, infos.convnet[0]!, infos.convnet[2]!];
    assert.equal(nameLayers(convnet.layers, swapped), 1);
    assert.deepEqual(labelsOf(convnet.layers), [runtime[0], runtime[1], 'dense_5']);
    assert.equal(nameLayers(convnet.layers, undefined), 0);
  });
});
