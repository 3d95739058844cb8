/**
 * Saved models (`model.json`) read from their topology: checked against real tfjs, which
 * writes the JSON (`model.toJSON`) and whose own model gives the shapes and counts expected.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyzeSavedModel } from '../../src/analysis/savedModel';
import type { SavedModelAnalysis } from '../../src/analysis/savedModel';
import { analyzeSource } from '../../src/analysis/analyze';
import { ensureBackend } from '../support/oracle';

/** The model.json tfjs writes for `model` (topology; no weights). */
function modelJson(model: tf.LayersModel): string {
  const topology = model.toJSON(null, false) as object;
  return JSON.stringify(
    {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      modelTopology: topology,
      weightsManifest: [],
    },
    null,
    2,
  );
}

function read(model: tf.LayersModel): SavedModelAnalysis {
  const r = analyzeSavedModel('model.json', modelJson(model));
  assert.ok(!('error' in r), 'error' in r ? r.error : '');
  return r;
}

/** Per layer: name, class, output shape and parameter count, from tfjs. */
function expected(model: tf.LayersModel) {
  return model.layers.map((l) => ({ name: l.name, type: l.getClassName(), outputShape: l.outputShape, params: l.countParams() }));
}

function actual(r: SavedModelAnalysis) {
  return r.model.layers.map((l) => ({ name: l.name, type: l.type, outputShape: l.outputShape, params: l.params }));
}

describe('saved models (model.json) from their topology', () => {
  before(() => ensureBackend());

  it('a Sequential convnet: every layer’s shape and count as tfjs has them, the same totals', () => {
    const m = tf.sequential({ name: 'convnet' });
    m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(
      tf.layers.conv2d({
        filters: 64,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: 'heNormal',
        kernelRegularizer: tf.regularizers.l2(),
      }),
    );
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.flatten());
    m.add(tf.layers.dropout({ rate: 0.5 }));
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    const r = read(m);
    assert.deepEqual(actual(r), expected(m));
    assert.equal(r.model.totalParams, m.countParams());
    assert.equal(r.model.kind, 'sequential');
    assert.equal(r.result.diagnostics.filter((d) => d.severity === 'error').length, 0);
    assert.ok(r.model.totalMacs! > 0);
  });

  it('a functional residual block, a shared layer applied twice, an LSTM returning its state', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'image' });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
    const shared = tf.layers.dense({ units: 4, name: 'shared' });
    const s1 = shared.apply(pooled) as tf.SymbolicTensor;
    const s2 = shared.apply(s1) as tf.SymbolicTensor;
    const seq = tf.input({ shape: [5, 3], name: 'sequence' });
    const [out, h, c] = tf.layers.lstm({ units: 6, returnState: true }).apply(seq) as tf.SymbolicTensor[];
    const merged = tf.layers.concatenate().apply([s2, out!, h!, c!]) as tf.SymbolicTensor;
    const m = tf.model({ inputs: [x, seq], outputs: tf.layers.dense({ units: 2 }).apply(merged) as tf.SymbolicTensor });
    const r = read(m);
    assert.deepEqual(actual(r), expected(m));
    assert.equal(r.model.totalParams, m.countParams());
    assert.equal(r.model.kind, 'functional');
  });

  it('an autoencoder of two nested models, and recurrent wrappers', () => {
    const encoder = tf.sequential({
      name: 'encoder',
      layers: [tf.layers.dense({ inputShape: [20], units: 8 }), tf.layers.dense({ units: 2 })],
    });
    const decoder = tf.sequential({
      name: 'decoder',
      layers: [tf.layers.dense({ inputShape: [2], units: 8 }), tf.layers.dense({ units: 20 })],
    });
    const auto = tf.sequential({ layers: [encoder, decoder] });
    const r = read(auto);
    assert.deepEqual(actual(r), expected(auto));
    assert.equal(r.model.totalParams, auto.countParams());
    const rnn = tf.sequential();
    rnn.add(tf.layers.embedding({ inputDim: 100, outputDim: 8, inputLength: 12 }));
    rnn.add(
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4, returnSequences: true }) as tf.RNN, mergeMode: 'concat' }),
    );
    rnn.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }));
    rnn.add(tf.layers.gru({ units: 5, goBackwards: true }));
    const rr = read(rnn);
    assert.deepEqual(actual(rr), expected(rnn));
  });

  it('a model saved from an example: the same layers and totals as the analysis of its source', () => {
    const file = path.resolve(__dirname, '..', '..', 'examples', 'residualBlock.ts');
    const source = analyzeSource(file, fs.readFileSync(file, 'utf8')).models[0]!;
    // The example's model, built by tfjs from the example's own code, saved as the panel saves it.
    const { buildResidualNet } = require(file) as { buildResidualNet(): tf.LayersModel };
    const model = buildResidualNet();
    assert.equal(model.countParams(), source.totalParams);
    const r = read(model);
    assert.equal(r.model.totalParams, source.totalParams);
    assert.equal(r.model.trainableParams, source.trainableParams);
    assert.equal(r.model.totalMacs, source.totalMacs);
    assert.deepEqual(
      r.model.layers.map((l) => [l.type, l.outputShape, l.params, l.macs]),
      source.layers.map((l) => [l.type, l.outputShape, l.params, l.macs]),
    );
  });

  it('maps each layer to the line of the JSON that names it', () => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'first' }), tf.layers.dense({ units: 1, name: 'last' })],
    });
    const text = modelJson(m);
    const r = analyzeSavedModel('model.json', text) as SavedModelAnalysis;
    const lines = text.split('\n');
    for (const layer of r.model.layers) {
      const line = r.jsonLine(layer.line);
      assert.match(lines[line - 1]!, new RegExp(`"name": "${layer.name}"`));
    }
  });

  it('says what is wrong with a graph model, malformed JSON, or JSON that is not a model', () => {
    const graph = analyzeSavedModel('model.json', JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
    assert.match((graph as { error: string }).error, /graph model .* operations, not layers/);
    assert.match((analyzeSavedModel('model.json', '{ "modelTopology": ') as { error: string }).error, /not valid JSON/);
    assert.match(
      (analyzeSavedModel('model.json', '{"name": "my-package"}') as { error: string }).error,
      /not a TensorFlow\.js layers model/,
    );
    const custom = JSON.stringify({
      modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'MyLayer', config: {} }] } },
    });
    assert.match((analyzeSavedModel('model.json', custom) as { error: string }).error, /`MyLayer` is not one Model Lens models/);
  });

  it('reads real model.json files as tfjs loads them: every layer’s shape and count (graph models get a message)', async function () {
    const dir = path.resolve(__dirname, '..', 'fixtures', 'savedModels');
    const files = fs
      .readdirSync(dir)
      .filter((d) => fs.existsSync(path.join(dir, d, 'model.json')))
      .map((d) => path.join(d, 'model.json'));
    assert.ok(files.length >= 6, `${files.length} files`);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const r = analyzeSavedModel(file, text);
      if (/"format"\s*:\s*"graph-model"/.test(text)) {
        assert.ok('error' in r, `${file} is a graph model`);
        continue;
      }
      // tfjs builds the model from the same topology (no weights): the oracle.
      const loaded = tf.models.modelFromJSON({ modelTopology: JSON.parse(text).modelTopology });
      if ('error' in r) {
        // Refused only where tfjs refuses too (a Keras 3 file).
        await assert.rejects(loaded, /InputLayer should be passed/, `${file}: ${r.error}`);
        assert.match(r.error, /Keras 3/);
        continue;
      }
      const model = await loaded;
      assert.deepEqual(actual(r), expected(model), file);
      assert.equal(r.model.totalParams, model.countParams(), file);
      model.dispose();
    }
  });
});
