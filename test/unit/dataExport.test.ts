import * as assert from 'node:assert/strict';
import { computeLenses, FOCUS_LAYER_COMMAND_ID } from '../../src/host/lensModel';
import { analyzeSource } from '../../src/analysis/analyze';
import { RESTORED_MESSAGE, restoredPanelHtml } from '../../src/host/training/restoredHtml';
import { defaultExportFolder, exportParent, prepareModelFiles } from '../../src/host/training/savedModelFiles';

const topology = { class_name: 'Sequential', config: { name: 'seq', layers: [] } };
const weights = [
  { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
  { name: 'dense/bias', shape: [2], dtype: 'float32' },
];

describe('trained model export (data out)', () => {
  it('rewrites a model.json manifest to one weights.bin group', () => {
    const modelJson = JSON.stringify({
      modelTopology: topology,
      format: 'layers-model',
      generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
      convertedBy: null,
      weightsManifest: [
        { paths: ['group1-shard1of1.bin'], weights: [weights[0]] },
        { paths: ['group2-shard1of1.bin'], weights: [weights[1]] },
      ],
    });
    const files = prepareModelFiles(modelJson, new ArrayBuffer(32));
    const parsed = JSON.parse(files.modelJson);
    assert.deepEqual(parsed.weightsManifest, [{ paths: ['weights.bin'], weights }]);
    assert.equal(parsed.generatedBy, 'TensorFlow.js tfjs-layers v4.22.0');
    assert.deepEqual(parsed.modelTopology, topology);
    assert.equal(files.weights.byteLength, 32);
  });

  it('accepts save artifacts (weightSpecs) from model.save(withSaveHandler)', () => {
    const files = prepareModelFiles(JSON.stringify({ modelTopology: topology, weightSpecs: weights }), new ArrayBuffer(32));
    const parsed = JSON.parse(files.modelJson);
    assert.equal(parsed.format, 'layers-model');
    assert.deepEqual(parsed.weightsManifest[0].paths, ['weights.bin']);
    assert.equal(parsed.weightSpecs, undefined);
  });

  it('refuses a model whose weights do not match the manifest', () => {
    assert.throws(
      () => prepareModelFiles(JSON.stringify({ modelTopology: topology, weightSpecs: weights }), new ArrayBuffer(30)),
      {
        message: "The model's weights should take 32 bytes, but the panel sent 30.",
      },
    );
    assert.throws(() => prepareModelFiles('{', new ArrayBuffer(0)), /not valid JSON/);
    assert.throws(() => prepareModelFiles('{}', new ArrayBuffer(0)), /without a modelTopology/);
  });

  it('round trip with the real tfjs: saved artifacts → model.json + weights.bin → the same model', async () => {
    const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 2 })],
    });
    let artifacts: import('@tensorflow/tfjs').io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    assert.ok(artifacts?.weightData instanceof ArrayBuffer);
    const { weightData, ...json } = artifacts;
    const files = prepareModelFiles(JSON.stringify(json), weightData);
    const written = JSON.parse(files.modelJson) as {
      modelTopology: object;
      weightsManifest: { paths: string[]; weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[];
    };
    assert.deepEqual(
      written.weightsManifest.map((g) => g.paths),
      [['weights.bin']],
    );
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: written.modelTopology,
        weightSpecs: written.weightsManifest[0]?.weights ?? [],
        weightData: files.weights.buffer.slice(0) as ArrayBuffer,
      }),
    );
    const x = tf.tensor2d([[1, 2, 3]]);
    assert.deepEqual(
      Array.from((loaded.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync()),
      Array.from((model.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync()),
    );
  });

  it('default folder: trained/<model name>, safe characters only', () => {
    assert.equal(defaultExportFolder('model'), 'trained/model');
    assert.equal(defaultExportFolder('my model/v2'), 'trained/my_model_v2');
    // The next save defaults to the folder above the last one's.
    assert.equal(defaultExportFolder('model', exportParent('models/mnist')), 'models/model');
    assert.equal(defaultExportFolder('model', exportParent('mnist')), './model');
  });

  it('a restored panel says training stopped and offers to train again, without scripts', () => {
    const html = restoredPanelHtml({
      nonce: '0123456789abcdef0123',
      modelName: 'model',
      file: 'mnistConvnet.ts',
      trainCommandUri: 'command:modelLens.trainModel?%5B%22file%3A%2F%2F%2Fa.ts%22%2C%22model%22%2C5%5D',
    });
    assert.ok(html.includes(RESTORED_MESSAGE));
    assert.match(html, /content="default-src 'none'; style-src 'nonce-0123456789abcdef0123';"/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /href="command:modelLens\.trainModel\?%5B/);
    assert.match(restoredPanelHtml({ nonce: '0123456789abcdef0123' }), /▶ Train<\/strong> lens/);
  });

  it('layer lenses focus the layer in the training panel when asked to', () => {
    const source =
      "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: 2, inputShape: [3] }));\n";
    const result = analyzeSource('m.ts', source);
    const plain = computeLenses(result, 'file:///m.ts');
    assert.equal(plain[3]?.command, undefined, 'informational by default');
    const focusing = computeLenses(result, 'file:///m.ts', { focusLayers: true });
    assert.deepEqual(focusing[3]?.command, {
      id: FOCUS_LAYER_COMMAND_ID,
      args: ['file:///m.ts', result.models[0]?.layers[0]?.name, 3],
    });
    assert.equal(FOCUS_LAYER_COMMAND_ID, 'modelLens.focusLayer');
  });
});
