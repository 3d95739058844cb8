/**
 * Per-layer cost (torchinfo's Mult-Adds convention, see src/analysis/layers/macs.ts), checked
 * against values computed by hand for every layer family, on models the analysis reads.
 */
import * as assert from 'node:assert/strict';
import { analyzeSource } from '../../src/analysis/analyze';
import type { ModelResult } from '../../src/analysis/types';

const TF = "import * as tf from '@tensorflow/tfjs';\n";

function model(body: string): ModelResult {
  const r = analyzeSource('m.ts', `${TF}const m = tf.sequential();\n${body}`);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return r.models[0]!;
}

const macs = (m: ModelResult): (number | null | undefined)[] => m.layers.map((l) => l.macs);

describe('mult-adds per sample', () => {
  it('dense: inputs × units at each position it is applied; biases and activations free', () => {
    const m = model(`m.add(tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }));
m.add(tf.layers.dense({ units: 3 }));
m.add(tf.layers.repeatVector({ n: 5 }));
m.add(tf.layers.dense({ units: 2 }));`);
    assert.deepEqual(macs(m), [4 * 8, 8 * 3, 0, 5 * 3 * 2]);
    assert.equal(m.totalMacs, 32 + 24 + 30);
  });

  it('convolutions: outH·outW·Cout·kh·kw·Cin (1-D, 2-D, 3-D, transposed, depthwise, separable)', () => {
    assert.deepEqual(macs(model(`m.add(tf.layers.conv1d({ filters: 4, kernelSize: 3, inputShape: [10, 2] }));`)), [
      8 * 4 * 3 * 2,
    ]);
    assert.deepEqual(
      macs(
        model(`m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, inputShape: [28, 28, 1] }));
m.add(tf.layers.conv2d({ filters: 8, kernelSize: [1, 2], strides: 2, padding: 'same' }));`),
      ),
      [26 * 26 * 32 * 9, 13 * 13 * 8 * 2 * 32],
    );
    assert.deepEqual(macs(model(`m.add(tf.layers.conv3d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 4, 3] }));`)), [
      27 * 2 * 8 * 3,
    ]);
    assert.deepEqual(
      macs(model(`m.add(tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, inputShape: [5, 5, 6] }));`)),
      [5 * 5 * 6 * 4 * 9],
    );
    assert.deepEqual(
      macs(model(`m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [8, 8, 3] }));`)),
      [6 * 6 * 3 * 2 * 9],
    );
    assert.deepEqual(macs(model(`m.add(tf.layers.separableConv2d({ filters: 5, kernelSize: 3, inputShape: [8, 8, 3] }));`)), [
      6 * 6 * 3 * 9 + 6 * 6 * 3 * 5,
    ]);
    // channelsFirst reads the channels from axis 1.
    assert.deepEqual(
      macs(model(`m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [2, 6, 6] }));`)),
      [4 * 4 * 4 * 9 * 2],
    );
  });

  it('recurrent layers: their matrix products per step × steps (SimpleRNN 1, GRU 3, LSTM 4), twice when bidirectional', () => {
    const step = (gates: number, f: number, u: number): number => gates * (f * u + u * u);
    assert.deepEqual(
      macs(
        model(`m.add(tf.layers.simpleRNN({ units: 5, returnSequences: true, inputShape: [7, 3] }));
m.add(tf.layers.gru({ units: 4, returnSequences: true }));
m.add(tf.layers.lstm({ units: 2 }));`),
      ),
      [7 * step(1, 3, 5), 7 * step(3, 5, 4), 7 * step(4, 4, 2)],
    );
    assert.deepEqual(
      macs(model(`m.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3 }) as tf.RNN, inputShape: [6, 2] }));`)),
      [2 * 6 * step(4, 2, 3)],
    );
    assert.deepEqual(
      macs(model(`m.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), inputShape: [5, 4] }));`)),
      [5 * 4 * 3],
    );
  });

  it('pooling, normalisation, embeddings, merges, reshapes and dropout are free', () => {
    const m = model(`m.add(tf.layers.embedding({ inputDim: 100, outputDim: 8, inputLength: 5 }));
m.add(tf.layers.batchNormalization());
m.add(tf.layers.dropout({ rate: 0.5 }));
m.add(tf.layers.reshape({ targetShape: [5, 8, 1] }));
m.add(tf.layers.maxPooling2d({ poolSize: [1, 2] }));
m.add(tf.layers.flatten());`);
    assert.deepEqual(macs(m), [0, 0, 0, 0, 0, 0]);
    assert.equal(m.totalMacs, 0);
  });

  it('torchinfo README’s ConvNet, written in tfjs: 21,840 params and 0.48 M mult-adds as torchinfo prints them', () => {
    // torchinfo's README summarises Conv2d(1,10,5) → Conv2d(10,20,5) → Dropout2d → Linear(320,50) →
    // Linear(50,10) on 1×28×28 (max-pooling 2 after each convolution, as the 8×8 and 320 imply):
    // "Total params: 21,840", "Total mult-adds (M): 0.48".
    const m = model(`m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 10, kernelSize: 5 }));
m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
m.add(tf.layers.conv2d({ filters: 20, kernelSize: 5 }));
m.add(tf.layers.dropout({ rate: 0.5 }));
m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
m.add(tf.layers.flatten());
m.add(tf.layers.dense({ units: 50 }));
m.add(tf.layers.dense({ units: 10 }));`);
    assert.deepEqual(
      m.layers.map((l) => l.params),
      [260, 0, 5020, 0, 0, 0, 16050, 510],
    );
    assert.equal(m.totalParams, 21840);
    assert.equal(m.totalMacs, 24 * 24 * 10 * 5 * 5 + 8 * 8 * 20 * 5 * 5 * 10 + 320 * 50 + 50 * 10);
    assert.equal((m.totalMacs! / 1e6).toFixed(2), '0.48');
  });

  it('a functional model: its InputLayers cost nothing, so the total is known', () => {
    const r = analyzeSource(
      'm.ts',
      `${TF}const x = tf.input({ shape: [8] });
const y = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
const m = tf.model({ inputs: x, outputs: y });`,
    );
    const m = r.models[0]!;
    assert.deepEqual(macs(m), [0, 32]);
    assert.equal(m.totalMacs, 32);
  });

  it('unknown where the cost is not modelled or a size is not known, and so is the total', () => {
    const r = analyzeSource(
      'm.ts',
      `${TF}export function build(t: number) {
  const m = tf.sequential();
  m.add(tf.layers.lstm({ units: 2, inputShape: [null, 3] }));
  return m;
}`,
    );
    assert.equal(r.models[0]!.layers[0]!.macs, null);
    assert.equal(r.models[0]!.totalMacs, null);
  });

  it('output bytes per sample and parameter bytes, as float32', () => {
    const m = model(`m.add(tf.layers.dense({ units: 8, inputShape: [4] }));`);
    assert.equal(m.layers[0]!.outputBytes, 8 * 4);
    assert.equal(m.paramBytes, 40 * 4);
  });
});
