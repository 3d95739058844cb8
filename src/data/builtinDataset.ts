/**
 * The datasets Model Lens makes itself (no file to pick): MNIST in the layout a model wants,
 * MNIST digits as a generator's targets, noisy sines, the point cloud, the built-in corpus,
 * random data. Pure (no `vscode`): the host's datasetLoader and the tests use the same choices.
 */
import type { DataChoice, TextSpec } from './dataSpecs';
import { generateForecast, generatePointCloud, generateRandom, generateSineClasses } from './syntheticDatasets';
import { product } from './payload';
import { builtinCorpus, generateCbow, generateSkipGrams, generateTokenSequences } from './textDatasets';
import { loadMnist } from './mnist';
import { gaussian, seededRandom } from '../shared/random';
import type { TokenCorpus } from './text';
import type { DatasetPayload } from '../shared/messages';

/** Sample counts: all of MNIST; the synthetic sets enough to learn something in a few epochs. */
export const SAMPLES = { mnist: 10_000, sequences: 1024, points: 1000, random: 512, text: 1024 } as const;

/** Token data from a corpus (the built-in one or the user's text file). */
export function fromCorpus(corpus: TokenCorpus, spec: TextSpec): DatasetPayload {
  switch (spec.source) {
    case 'text-sequences':
      return generateTokenSequences(corpus, { count: SAMPLES.text, length: spec.length, target: spec.target });
    case 'skip-gram':
      return generateSkipGrams(corpus);
    case 'cbow':
      return generateCbow(corpus, { window: spec.window, classes: spec.classes });
  }
}

/**
 * A generator's data (a GAN's, or a decoder's): xs standard normal noise of the model's input
 * shape, ys real MNIST digits in its output shape, labels the digits.
 */
export function mnistGeneratorData(options: {
  count: number;
  noiseShape: number[];
  outputShape: number[];
  seed?: number;
}): DatasetPayload {
  const digits = loadMnist({ count: options.count, layout: 'vector', targets: 'none' });
  const n = digits.xsShape[0] ?? 0;
  const xs = new Float32Array(n * product(options.noiseShape));
  const normal = gaussian(seededRandom(options.seed ?? 9));
  for (let i = 0; i < xs.length; i++) xs[i] = normal();
  return {
    id: 'mnist-generator',
    description: `Gaussian noise ${options.noiseShape.join('×')} → MNIST digits ${options.outputShape.join('×')}, ${n.toLocaleString('en-US')} samples`,
    xs: xs.buffer,
    xsShape: [n, ...options.noiseShape],
    ys: digits.xs,
    ysShape: [n, ...options.outputShape],
    ...(digits.labels ? { labels: digits.labels } : {}),
    sampleKind: 'vector',
  };
}

/**
 * The dataset of a built-in choice; null for the user's files (the host asks for those).
 * `mnistCount` overrides how many digits are taken (default SAMPLES.mnist).
 */
export function builtinDataset(choice: DataChoice, mnistCount: number = SAMPLES.mnist): DatasetPayload | null {
  const spec = choice.spec;
  let dataset: DatasetPayload;
  switch (spec.source) {
    case 'mnist':
      dataset = loadMnist({
        count: mnistCount,
        layout: spec.layout,
        targets: spec.target === 'onehot' ? 'oneHot' : 'none',
        ...(choice.inputNoise !== undefined ? { inputNoise: choice.inputNoise } : {}),
      });
      // [28, 28] inputs: the same pixels without the channel axis.
      dataset.xsShape = [dataset.xsShape[0] ?? 0, ...spec.inputShape];
      break;
    case 'mnist-generator':
      dataset = mnistGeneratorData({ count: mnistCount, noiseShape: spec.noiseShape, outputShape: spec.outputShape });
      break;
    case 'sines-forecast':
      dataset = generateForecast({
        count: SAMPLES.sequences,
        timesteps: spec.timesteps,
        features: spec.features,
        ysShape: spec.ysShape,
      });
      break;
    case 'sines-classes':
      dataset = generateSineClasses({
        count: SAMPLES.sequences,
        timesteps: spec.timesteps,
        features: spec.features,
        classes: spec.classes,
      });
      break;
    case 'point-cloud':
      dataset = generatePointCloud({ count: SAMPLES.points, dims: spec.dims });
      break;
    case 'text-sequences':
      dataset = fromCorpus(builtinCorpus(spec.vocabularySize, spec.target), spec);
      break;
    case 'skip-gram':
    case 'cbow':
      dataset = fromCorpus(builtinCorpus(spec.vocabularySize), spec);
      break;
    case 'random':
      dataset = generateRandom({
        count: SAMPLES.random,
        xsShape: spec.xsShape,
        target: spec.target,
        ...(spec.vocabularySize !== undefined ? { vocabularySize: spec.vocabularySize } : {}),
        ...(spec.tokenColumns !== undefined ? { tokenColumns: spec.tokenColumns } : {}),
      });
      break;
    default:
      return null;
  }
  if (choice.inputNoise !== undefined && dataset.inputNoise === undefined) dataset.inputNoise = choice.inputNoise;
  return dataset;
}
