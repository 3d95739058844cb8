import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import { outputActivation, parseSource } from '../../src/host/training/sourceModels';
import { lossFromOutput, normalizeOptimizer, trainDefaults } from '../../src/host/training/trainDefaults';
import type { TrainDefaultsInput } from '../../src/host/training/trainDefaults';

const base: TrainDefaultsInput = { hints: {}, outputActivation: null, inputShape: [4], outputShape: [1] };

function fromFixture(fixture: string, modelName: string): TrainDefaultsInput {
  const file = path.resolve(__dirname, '..', 'fixtures', 'models', fixture);
  const text = readFileSync(file, 'utf8');
  const result = analyzeSource(file, text);
  const model = result.models.find((m) => m.name === modelName);
  assert.ok(model);
  return {
    hints: model.training,
    outputActivation: outputActivation(parseSource(file, text), model, result.models),
    inputShape: model.inputShapes?.[0]?.slice(1) ?? null,
    outputShape: model.outputShapes?.[0]?.slice(1) ?? null,
  };
}

describe('trainDefaults', () => {
  it('loss from the output layer: softmax, sigmoid (classifier or like the input), linear', () => {
    assert.equal(lossFromOutput({ ...base, outputActivation: 'softmax', outputShape: [10] }).loss, 'categoricalCrossentropy');
    const sigmoidAe = lossFromOutput({ ...base, outputActivation: 'sigmoid', inputShape: [784], outputShape: [784] });
    assert.deepEqual(sigmoidAe, {
      loss: 'binaryCrossentropy',
      reason: 'output layer: sigmoid, shaped like the input',
      classifier: false,
    });
    assert.equal(lossFromOutput({ ...base, outputActivation: 'sigmoid' }).classifier, true);
    assert.equal(lossFromOutput({ ...base, outputActivation: 'linear' }).loss, 'meanSquaredError');
    assert.equal(lossFromOutput({ ...base, outputActivation: 'tanh' }).loss, 'meanSquaredError');
    assert.equal(lossFromOutput(base).reason, 'output layer: activation unknown');
  });

  it('MNIST convnet without compile: categoricalCrossentropy, adam 0.001, accuracy; epochs and split from its fit', () => {
    const config = trainDefaults(fromFixture(path.join(__dirname, '..', '..', 'examples', 'mnistConvnet.ts'), 'model'));
    assert.deepEqual(config, {
      epochs: 4,
      batchSize: 32,
      loss: 'categoricalCrossentropy',
      optimizer: 'adam',
      learningRate: 0.001,
      metrics: ['accuracy'],
      validationSplit: 0.1,
      sources: {
        loss: 'output layer: softmax',
        optimizer: 'default',
        learningRate: 'default for adam',
        metrics: 'default for a classifier',
        epochs: 'model.fit, line 24',
        batchSize: 'model.fit, line 24',
        validationSplit: 'model.fit, line 24 (a seeded random share held out)',
      },
    });
  });

  it('compile hints win, with their line (dense autoencoder: adam + binaryCrossentropy, no accuracy)', () => {
    const config = trainDefaults(fromFixture('denseAutoencoder.ts', 'autoencoder'));
    assert.equal(config.loss, 'binaryCrossentropy');
    assert.equal(config.sources.loss, 'model.compile, line 27');
    assert.equal(config.optimizer, 'adam');
    assert.equal(config.sources.optimizer, 'model.compile, line 27');
    assert.deepEqual(config.metrics, [], 'an autoencoder gets no accuracy');
  });

  it('tf.train.sgd(0.1) in compile: sgd at 0.1 (linear autoencoder)', () => {
    const config = trainDefaults(fromFixture('linearAutoencoder.ts', 'autoencoder'));
    assert.equal(config.optimizer, 'sgd');
    assert.equal(config.learningRate, 0.1);
    assert.equal(config.sources.learningRate, 'model.compile, line 16');
    assert.equal(config.loss, 'meanSquaredError');
  });

  it('LSTM forecaster (linear dense head): meanSquaredError, no metrics', () => {
    const config = trainDefaults(fromFixture('lstmForecast.ts', 'model'));
    assert.equal(config.loss, 'meanSquaredError');
    assert.equal(config.sources.loss, 'output layer: linear');
    assert.deepEqual(config.metrics, []);
  });

  it('the validation split: from fit, else 10 % (an invalid one falls back)', () => {
    assert.equal(trainDefaults({ ...base, hints: { validationSplit: 0.25, fitLine: 9 } }).validationSplit, 0.25);
    assert.equal(trainDefaults({ ...base, hints: { validationSplit: 0, fitLine: 9 } }).validationSplit, 0);
    assert.equal(trainDefaults({ ...base, hints: {} }).validationSplit, 0.1);
    assert.equal(trainDefaults({ ...base, hints: { validationSplit: 1.5 } }).validationSplit, 0.1);
  });

  it('validationData in fit: still validates on the default share, and says why (tfjs ignores validationSplit then)', () => {
    const data = trainDefaults({ ...base, hints: { validationData: true, fitLine: 12 } });
    assert.equal(data.validationSplit, 0.1);
    assert.equal(
      data.sources.validationSplit,
      "model.fit, line 12 passes validationData, which is built at run time: holding out a seeded random 10 % of the panel's data instead",
    );
    const both = trainDefaults({ ...base, hints: { validationData: true, validationSplit: 0.3, fitLine: 12 } });
    assert.equal(both.validationSplit, 0.1, 'tfjs uses validationData and ignores validationSplit');
    assert.match(both.sources.validationSplit ?? '', /tfjs then ignores its validationSplit: 0\.3: holding out/);
    assert.equal(
      trainDefaults({ ...base, hints: {} }).sources.validationSplit,
      'default: a seeded random 10 % held out, the same each run',
    );
  });

  it('the analysis reads validationData from fit as tfjs treats it (given and not empty)', () => {
    const hintsOf = (fitOptions: string): TrainDefaultsInput['hints'] => {
      const text = [
        "import * as tf from '@tensorflow/tfjs';",
        'const model = tf.sequential();',
        'model.add(tf.layers.dense({ units: 1, inputShape: [4] }));',
        "model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });",
        'export async function train(xs: tf.Tensor, ys: tf.Tensor, xv: tf.Tensor, yv: tf.Tensor) {',
        `  return model.fit(xs, ys, ${fitOptions});`,
        '}',
      ].join('\n');
      const model = analyzeSource('/tmp/fitHints.ts', text).models.find((m) => m.name === 'model');
      assert.ok(model);
      return model.training;
    };
    assert.deepEqual(hintsOf('{ epochs: 3, validationData: [xv, yv] }'), {
      compileLine: 4,
      optimizer: 'sgd',
      loss: 'meanSquaredError',
      fitLine: 6,
      epochs: 3,
      validationData: true,
    });
    const both = hintsOf('{ validationSplit: 0.2, validationData: [xv, yv] }');
    assert.equal(both.validationData, true);
    assert.equal(both.validationSplit, 0.2);
    assert.equal(hintsOf('{ validationSplit: 0.2, validationData: [] }').validationData, undefined, 'empty: tfjs splits');
    assert.equal(hintsOf('{ validationData: undefined }').validationData, undefined);
    assert.equal(hintsOf('{ validationData: null }').validationData, undefined);
    assert.equal(hintsOf('{ epochs: 2 }').validationData, undefined);
  });

  it('fit hints: epochs and batch size with the fit line; invalid values fall back', () => {
    const config = trainDefaults({
      ...base,
      hints: { epochs: 5, batchSize: 128, fitLine: 40, metrics: ['mse'], compileLine: 30 },
    });
    assert.equal(config.epochs, 5);
    assert.equal(config.batchSize, 128);
    assert.equal(config.sources.epochs, 'model.fit, line 40');
    assert.deepEqual(config.metrics, ['mse']);
    assert.equal(config.sources.metrics, 'model.compile, line 30');
    const bad = trainDefaults({ ...base, hints: { epochs: 0, batchSize: 2.5, learningRate: -1 } });
    assert.equal(bad.epochs, 10);
    assert.equal(bad.batchSize, 32);
    assert.equal(bad.learningRate, 0.001);
  });

  it('custom losses and sparse labels are explained', () => {
    const custom = trainDefaults({
      ...base,
      outputActivation: 'softmax',
      outputShape: [3],
      hints: { customLoss: true, compileLine: 9 },
    });
    assert.equal(custom.loss, 'categoricalCrossentropy');
    assert.equal(custom.sources.loss, 'output layer: softmax (the custom loss in model.compile, line 9 cannot run in the panel)');
    const sparse = trainDefaults({ ...base, hints: { loss: 'sparseCategoricalCrossentropy', compileLine: 3 } });
    assert.equal(sparse.loss, 'categoricalCrossentropy');
    assert.match(sparse.sources.loss ?? '', /one-hot/);
  });

  it('optimizer names and their tfjs default learning rates', () => {
    assert.equal(normalizeOptimizer('tf.train.rmsprop'), 'rmsprop');
    assert.equal(normalizeOptimizer('AdamOptimizer'), 'adam');
    assert.equal(trainDefaults({ ...base, hints: { optimizer: 'sgd' } }).learningRate, 0.01);
    assert.equal(trainDefaults({ ...base, hints: { optimizer: 'rmsprop' } }).learningRate, 0.001);
    assert.equal(trainDefaults({ ...base, hints: { optimizer: 'adagrad' } }).learningRate, 0.01);
  });
});
