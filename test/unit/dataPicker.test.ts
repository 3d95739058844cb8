import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import { pickData } from '../../src/data/dataPicker';
import { DENOISING_NOISE, isDenoising } from '../../src/data/dataRules';
import type { DataChoice } from '../../src/data/dataSpecs';
import { modelShapeInfo } from '../../src/data/modelShapeInfo';
import type { ModelShapeInfo } from '../../src/data/modelShapeInfo';
import { modelAtCursor } from '../../src/host/training/modelPicker';
import { modelLineRanges, outputActivation, parseSource } from '../../src/host/training/sourceModels';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'models');
/** The MNIST convnet, kept once as an example. */
const CONVNET = path.join(__dirname, '..', '..', 'examples', 'mnistConvnet.ts');

function infoFromSource(fileName: string, text: string, modelName: string): ModelShapeInfo {
  const result = analyzeSource(fileName, text);
  const model = result.models.find((m) => m.name === modelName);
  assert.ok(model, `model ${modelName} in ${fileName} (found ${result.models.map((m) => m.name).join(', ')})`);
  const activation = outputActivation(parseSource(fileName, text), model, result.models);
  return modelShapeInfo(model, result.models, activation);
}

function info(fixture: string, modelName: string): ModelShapeInfo {
  const file = path.resolve(FIXTURES, fixture);
  return infoFromSource(file, readFileSync(file, 'utf8'), modelName);
}

const ids = (choices: DataChoice[]): string[] => choices.map((c) => c.id);

describe('dataPicker', () => {
  it('MNIST convnet (28×28×1 → softmax 10): MNIST images with one-hot labels first', () => {
    const model = info(CONVNET, 'model');
    assert.equal(model.outputActivation, 'softmax');
    const choices = pickData(model);
    assert.equal(choices[0]?.id, 'mnist-images');
    assert.deepEqual(choices[0]?.spec, { source: 'mnist', layout: 'image', inputShape: [28, 28, 1], target: 'onehot' });
    assert.equal(choices[0]?.inputNoise, undefined);
    assert.ok(ids(choices).includes('random'));
    assert.ok(ids(choices).includes('images'), 'a folder of images fits a convnet');
    assert.ok(!ids(choices).includes('point-cloud'));
  });

  it('dense 784 autoencoder (nested encoder + decoder): MNIST vectors, no labels', () => {
    const model = info('denseAutoencoder.ts', 'autoencoder');
    assert.deepEqual(model.layerTypes, ['Dense', 'Dense', 'Dense', 'Dense'], 'nested models expanded');
    assert.equal(model.outputActivation, 'sigmoid', 'the decoder’s last layer');
    const first = pickData(model)[0];
    assert.equal(first?.id, 'mnist-vectors');
    assert.deepEqual(first?.spec, { source: 'mnist', layout: 'vector', inputShape: [784], target: 'autoencoder' });
    assert.equal(first?.inputNoise, undefined);
  });

  it('denoising autoencoders: clean data for one that corrupts its input itself, noisy inputs for one only named so', () => {
    const gaussian = info('denoisingAutoencoder.ts', 'gaussianDenoiser');
    assert.equal(isDenoising(gaussian), true);
    const g = pickData(gaussian)[0];
    assert.equal(g?.id, 'mnist-vectors');
    assert.equal(g?.inputNoise, undefined, 'its gaussianNoise layer adds the noise: none twice');
    const dropout = info('denoisingAutoencoder.ts', 'dropoutDenoiser');
    assert.equal(dropout.outputActivation, 'sigmoid', 'looks through the reshape');
    assert.equal(isDenoising(dropout), true, 'dropout after flatten');
    const d = pickData(dropout)[0];
    assert.deepEqual(d?.spec, { source: 'mnist', layout: 'image', inputShape: [28, 28], target: 'autoencoder' });
    assert.equal(d?.inputNoise, undefined);
    const named = pickData({ ...info('denseAutoencoder.ts', 'autoencoder'), name: 'myDenoisingAE' })[0];
    assert.equal(named?.inputNoise, DENOISING_NOISE);
  });

  it('LSTM [null, 10, 1] → dense 1: noisy sines forecasting first', () => {
    const source = `import * as tf from '@tensorflow/tfjs';
const lstm = tf.sequential();
lstm.add(tf.layers.lstm({ units: 16, inputShape: [10, 1] }));
lstm.add(tf.layers.dense({ units: 1 }));
`;
    const model = infoFromSource('lstm.ts', source, 'lstm');
    assert.equal(model.outputActivation, 'linear');
    const first = pickData(model)[0];
    assert.equal(first?.id, 'sines-forecast');
    assert.deepEqual(first?.spec, { source: 'sines-forecast', timesteps: 10, features: 1, ysShape: [1] });
  });

  it('stacked LSTM forecaster [30, 4] → 7 and Conv1D [10, 1] → [3, 1]: sines forecasting', () => {
    const lstm = pickData(info('lstmForecast.ts', 'model'))[0];
    assert.deepEqual(lstm?.spec, { source: 'sines-forecast', timesteps: 30, features: 4, ysShape: [7] });
    const conv = pickData(info('conv1dDownsample.ts', 'downsample'))[0];
    assert.deepEqual(conv?.spec, { source: 'sines-forecast', timesteps: 10, features: 1, ysShape: [3, 1] });
  });

  it('GRU classifier over [120, 32] sequences (softmax 3): sines by frequency band', () => {
    const first = pickData(info('gruSentiment.ts', 'deepGru'))[0];
    assert.deepEqual(first?.spec, { source: 'sines-classes', timesteps: 120, features: 32, classes: 3 });
  });

  it('linear autoencoder 3 → 2 → 3: the point cloud first', () => {
    const model = info('linearAutoencoder.ts', 'autoencoder');
    const choices = pickData(model);
    assert.equal(choices[0]?.id, 'point-cloud');
    assert.deepEqual(choices[0]?.spec, { source: 'point-cloud', dims: 3 });
    assert.ok(!ids(choices).some((id) => id.startsWith('mnist')));
  });

  it('embedding → GRU → sigmoid: the built-in corpus with sentiment labels', () => {
    const model = info('gruSentiment.ts', 'sentimentModel');
    assert.equal(model.vocabularySize, 10000);
    const choices = pickData(model);
    assert.equal(choices[0]?.id, 'text-sequences');
    assert.deepEqual(choices[0]?.spec, {
      source: 'text-sequences',
      length: 120,
      target: { kind: 'binary' },
      vocabularySize: 10000,
    });
    assert.ok(ids(choices).includes('text-file'));
    assert.ok(!ids(choices).includes('images'));
  });

  it('word2vec CBOW (4 context ids → softmax over the 2000-word vocabulary): CBOW windows', () => {
    const first = pickData(info('word2vecCbow.ts', 'cbow'))[0];
    assert.deepEqual(first?.spec, { source: 'cbow', window: 2, classes: 2000, vocabularySize: 2000 });
    const classifier = pickData(info('word2vecCbow.ts', 'classifier'))[0];
    assert.deepEqual(classifier?.spec, {
      source: 'text-sequences',
      length: 50,
      target: { kind: 'onehot', classes: 5 },
      vocabularySize: 2000,
    });
  });

  it('word2vec skip-gram (two one-word inputs → sigmoid): skip-gram pairs, or a text file', () => {
    const choices = pickData(info('word2vecSkipGram.ts', 'skipGram'));
    assert.deepEqual(ids(choices), ['skip-gram', 'text-file']);
    assert.deepEqual(choices[0]?.spec, { source: 'skip-gram', vocabularySize: 4096 });
  });

  it('a GAN generator (noise 100 → 28×28×1 image): MNIST digits as targets of Gaussian noise first', () => {
    const generator = pickData(info('gan.ts', 'generator'));
    assert.deepEqual(ids(generator), ['mnist-generator', 'random', 'csv', 'idx']);
    assert.deepEqual(generator[0]?.spec, { source: 'mnist-generator', noiseShape: [100], outputShape: [28, 28, 1] });
    assert.deepEqual(generator[1]?.spec, { source: 'random', xsShape: [100], target: { kind: 'real', shape: [28, 28, 1] } });
    // A decoder 32 → 784 too; an encoder 784 → 32 (an MNIST-shaped input) does not.
    const decoder = {
      name: 'decoder',
      inputShapes: [[null, 32]],
      outputShapes: [[null, 784]],
      layerTypes: ['Dense'],
      outputActivation: 'sigmoid',
      vocabularySize: null,
    };
    assert.equal(pickData(decoder)[0]?.id, 'mnist-generator');
    assert.ok(!ids(pickData({ ...decoder, inputShapes: [[null, 784]], outputShapes: [[null, 32]] })).includes('mnist-generator'));
  });

  it('anything else with known shapes gets random data and workspace files', () => {
    const discriminator = pickData(info('gan.ts', 'discriminator'));
    assert.deepEqual(discriminator[0]?.spec, { source: 'random', xsShape: [28, 28, 1], target: { kind: 'binary' } });
  });

  it('several inputs, one output: random rows holding every input side by side, or a CSV', () => {
    const file = path.join(__dirname, '..', '..', 'examples', 'multiInput.ts');
    const choices = pickData(infoFromSource(file, readFileSync(file, 'utf8'), 'model'));
    assert.deepEqual(ids(choices), ['random', 'csv']);
    // Word ids only in the 20 columns of the input that feeds the Embedding; the 4 numbers stay numbers.
    assert.deepEqual(choices[0]?.spec, {
      source: 'random',
      xsShape: [24],
      target: { kind: 'binary' },
      vocabularySize: 1000,
      tokenColumns: [[0, 20]],
    });
    assert.match(choices[0]!.label, /2 inputs, 20 \+ 4 values → 1/);
    assert.deepEqual(choices[1]?.spec, { source: 'csv', files: { inputShape: [24], outputShape: [1] } });
    const classifier = infoFromSource(
      'two.ts',
      `import * as tf from '@tensorflow/tfjs';
const a = tf.input({ shape: [3] });
const b = tf.input({ shape: [2, 2] });
const joined = tf.layers.concatenate().apply([a, tf.layers.flatten().apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
export const two = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 5, activation: 'softmax' }).apply(joined) as tf.SymbolicTensor });`,
      'two',
    );
    const [random, csv] = pickData(classifier);
    assert.deepEqual(random?.spec, { source: 'random', xsShape: [7], target: { kind: 'onehot', classes: 5 } });
    assert.deepEqual(csv?.spec, { source: 'csv', files: { inputShape: [7], outputShape: [5], softmaxClasses: 5 } });
  });

  it('several outputs: targets side by side (the VAE encoder: z_mean, z_log_var)', () => {
    const [random, csv] = pickData(info('variationalAutoencoder.ts', 'encoder'));
    assert.deepEqual(random?.spec, { source: 'random', xsShape: [784], target: { kind: 'real', shape: [4] } });
    assert.match(random!.label, /784 → 2 outputs, 2 \+ 2 values/);
    assert.deepEqual(csv?.spec, { source: 'csv', files: { inputShape: [784], outputShape: [4] } });
  });

  it('models with unknown shapes: nothing fits', () => {
    assert.deepEqual(
      pickData({
        name: 'm',
        inputShapes: null,
        outputShapes: null,
        layerTypes: [],
        outputActivation: null,
        vocabularySize: null,
      }),
      [],
    );
  });
});

describe('which model the Train command means', () => {
  function ranges(fixture: string) {
    const file = path.resolve(FIXTURES, fixture);
    const text = readFileSync(file, 'utf8');
    const result = analyzeSource(file, text);
    return { models: result.models, ranges: modelLineRanges(parseSource(file, text), result.models) };
  }

  it('a model spans its layers; a builder function spans the whole function', () => {
    const convnet = ranges(CONVNET);
    assert.deepEqual(convnet.ranges, [{ start: 5, end: 13 }]);
    const lstm = ranges('lstmForecast.ts');
    assert.deepEqual(lstm.ranges, [
      { start: 9, end: 22 },
      { start: 25, end: 33 },
    ]);
  });

  it('the innermost range containing the cursor wins; nested models use their own lines', () => {
    const ae = ranges('denseAutoencoder.ts');
    const at = (line: number) => {
      const choice = modelAtCursor(ae.models, ae.ranges, line);
      return choice.kind === 'model' ? choice.model.name : choice.kind;
    };
    assert.equal(at(12), 'encoder');
    assert.equal(at(21), 'decoder');
    assert.equal(at(26), 'autoencoder');
  });

  it('outside every model: the only model, else a pick with the nearest model above first', () => {
    const convnet = ranges(CONVNET);
    const only = modelAtCursor(convnet.models, convnet.ranges, 17);
    assert.equal(only.kind === 'model' && only.model.name, 'model');
    const ae = ranges('denseAutoencoder.ts');
    const ask = modelAtCursor(ae.models, ae.ranges, 17);
    assert.equal(ask.kind, 'ask');
    assert.deepEqual(ask.kind === 'ask' && ask.candidates.map((m) => m.name), ['encoder', 'decoder', 'autoencoder']);
    assert.deepEqual(modelAtCursor([], [], 3), { kind: 'none' });
  });
});
