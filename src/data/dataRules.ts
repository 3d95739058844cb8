/**
 * The data that fits a model with one input and one output, as an ordered table of rules: each
 * rule offers its choices when the model's shapes, layers and output activation fit them, and
 * the order of the table is the order of the list the user picks from (the first choice is the
 * default). Also the shape tests and choices that models with several inputs or outputs share
 * (dataPicker.ts). Pure: no `vscode`, no I/O.
 */
import type { Shape } from '../analysis/types';
import type { DataChoice, FileTarget, TextSpec } from './dataSpecs';
import type { ModelShapeInfo } from './modelShapeInfo';
import { product } from './payload';
import { forecastTarget } from './syntheticDatasets';
import type { RandomTarget } from './syntheticDatasets';
import type { TextTarget } from './textDatasets';

/** Noise added to the inputs of a denoising autoencoder (data in 0–1). */
export const DENOISING_NOISE = 0.2;
const SEQUENCE_LAYERS = new Set([
  'LSTM',
  'GRU',
  'SimpleRNN',
  'RNN',
  'Bidirectional',
  'Conv1D',
  'ConvLSTM2D',
  'TimeDistributed',
  'MaxPooling1D',
  'AveragePooling1D',
]);
const NOISE_LAYERS = new Set(['GaussianNoise', 'GaussianDropout', 'Dropout', 'AlphaDropout', 'SpatialDropout1D']);
/** Variable-length dimensions (`null` after the batch) are given this many steps. */
export const DEFAULT_STEPS = 20;
const MNIST_SHAPES: readonly (readonly number[])[] = [[28, 28, 1], [28, 28], [784]];

/** A per-sample shape with unknown (null) steps filled in; null when it cannot be. */
export function concrete(shape: Shape | undefined): number[] | null {
  if (!shape || shape.length < 2) return null;
  const dims = shape.slice(1);
  if (dims.length === 2 && dims[0] === null && dims[1] !== null) return [DEFAULT_STEPS, dims[1] as number];
  return dims.every((d): d is number => typeof d === 'number' && d > 0) ? dims : null;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isAutoencoder(input: readonly number[], output: readonly number[]): boolean {
  return sameShape(input, output);
}

/** A gaussianNoise/dropout first layer, or "denois" in the model's name. */
export function isDenoising(info: ModelShapeInfo): boolean {
  return /denois/i.test(info.name) || corruptsItsInput(info);
}

/** A gaussianNoise/dropout layer first (after flatten/reshape): the model adds its own noise in training. */
export function corruptsItsInput(info: ModelShapeInfo): boolean {
  const first = info.layerTypes.find((t) => t !== 'Flatten' && t !== 'Reshape');
  return first !== undefined && NOISE_LAYERS.has(first);
}

function classesOf(info: ModelShapeInfo, output: readonly number[]): number | null {
  return info.outputActivation === 'softmax' && output.length === 1 ? (output[0] ?? null) : null;
}

function isBinary(info: ModelShapeInfo, output: readonly number[]): boolean {
  return info.outputActivation === 'sigmoid' && product(output) === 1;
}

export function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

/** What a supervised model's single output is trained against, by its activation. */
export function targetFor(info: ModelShapeInfo, output: number[]): RandomTarget {
  const classes = classesOf(info, output);
  if (classes !== null) return { kind: 'onehot', classes };
  return isBinary(info, output) ? { kind: 'binary' } : { kind: 'real', shape: output };
}

export function textFileChoice(as: TextSpec): DataChoice {
  const what = as.source === 'cbow' ? 'CBOW windows' : as.source === 'skip-gram' ? 'skip-gram pairs' : 'rows of word ids';
  const labels =
    as.source === 'text-sequences' && as.target.kind !== 'none'
      ? ' For a classifier, write one example per line as `label<TAB>text`.'
      : '';
  return {
    id: 'text-file',
    label: 'Text file from the workspace…',
    detail: `Tokenised into ${what}, like the built-in corpus.${labels}`,
    spec: { source: 'text-file', as },
  };
}

export function skipGramChoice(vocabularySize: number, detail: string): DataChoice {
  return {
    id: 'skip-gram',
    label: 'Skip-gram pairs from the built-in corpus (target, context → 1/0)',
    detail: `word2vec skip-gram with negative sampling; ${detail}.`,
    spec: { source: 'skip-gram', vocabularySize },
  };
}

/** A model with one input and one output, as the rules see it (per-sample shapes). */
export interface OneToOneModel {
  info: ModelShapeInfo;
  input: number[];
  output: number[];
  /** The model has an Embedding layer: its input is word ids. */
  embedding: boolean;
  vocabularySize: number;
  /** Input and output have the same shape. */
  autoencoder: boolean;
  /** Softmax classes of the output, else null. */
  classes: number | null;
  /** One sigmoid unit. */
  binary: boolean;
  /** The noise on the inputs of a denoising autoencoder, else undefined. */
  noise: number | undefined;
  /** The choice with that noise on its inputs. */
  withNoise(choice: DataChoice): DataChoice;
}

export function oneToOneModel(
  info: ModelShapeInfo,
  input: number[],
  output: number[],
  embedding: boolean,
  vocabularySize: number,
): OneToOneModel {
  const autoencoder = isAutoencoder(input, output);
  // A model that corrupts its own input (a noise or dropout first layer) gets clean data: noise
  // added here too would corrupt it twice. One only named for denoising gets noisy inputs.
  const noise = autoencoder && isDenoising(info) && !corruptsItsInput(info) ? DENOISING_NOISE : undefined;
  return {
    info,
    input,
    output,
    embedding,
    vocabularySize,
    autoencoder,
    classes: classesOf(info, output),
    binary: isBinary(info, output),
    noise,
    withNoise: (choice) => (noise === undefined ? choice : { ...choice, inputNoise: noise }),
  };
}

/** One kind of data: the choices it offers a model (none when it does not fit), given those listed before it. */
type DataRule = (m: OneToOneModel, listed: readonly DataChoice[]) => DataChoice[];

/** MNIST: 28×28(×1) images or 784-vectors, as a 10-class classifier or an autoencoder. */
const mnist: DataRule = ({ input, output, autoencoder, noise, withNoise }) => {
  if (!MNIST_SHAPES.some((s) => sameShape(s, input)) || !(autoencoder || sameShape(output, [10]))) return [];
  const layout = input.length === 1 ? 'vector' : 'image';
  const what = layout === 'image' ? `${shapeText(input)} images` : '784-value vectors';
  return [
    withNoise({
      id: layout === 'image' ? 'mnist-images' : 'mnist-vectors',
      label: `MNIST digits (${what}${autoencoder ? ', reconstruct the input' : ', labels 0–9'})`,
      detail: autoencoder
        ? `Real handwritten digits; the targets are the inputs${noise ? ', which get Gaussian noise (denoising)' : ''}.`
        : 'Real handwritten digits with one-hot labels.',
      spec: { source: 'mnist', layout, inputShape: input, target: autoencoder ? 'autoencoder' : 'onehot' },
    }),
  ];
};

/** A generator or decoder: a latent vector in, an MNIST-shaped image out. */
const mnistGenerator: DataRule = ({ input, output, autoencoder, embedding }) => {
  if (
    autoencoder ||
    input.length !== 1 ||
    embedding ||
    !MNIST_SHAPES.some((s) => sameShape(s, output)) ||
    MNIST_SHAPES.some((s) => sameShape(s, input))
  )
    return [];
  return [
    {
      id: 'mnist-generator',
      label: `MNIST digits as targets, Gaussian noise as inputs (${shapeText(input)} → ${shapeText(output)})`,
      detail: "For a GAN's generator (its trainStep shows the real digits to the discriminator) or a decoder.",
      spec: { source: 'mnist-generator', noiseShape: input, outputShape: output },
    },
  ];
};

/** Word ids in: CBOW windows, skip-gram pairs and rows of the built-in corpus. */
const builtinText: DataRule = ({ input, output, embedding, vocabularySize, classes, binary }) => {
  if (!embedding || input.length !== 1) return [];
  const choices: DataChoice[] = [];
  const length = input[0] ?? DEFAULT_STEPS;
  const outUnits = product(output);
  if (classes !== null && classes >= vocabularySize && length % 2 === 0 && length <= 20) {
    choices.push({
      id: 'cbow',
      label: `CBOW context windows (${length} words → centre word)`,
      detail: `word2vec CBOW from the built-in corpus: ${length / 2} words either side predict the word in the middle.`,
      spec: { source: 'cbow', window: length / 2, classes, vocabularySize },
    });
  }
  if (length === 2 && outUnits === 1) choices.push(skipGramChoice(vocabularySize, 'the pair is the 2-word input'));
  const target: TextTarget =
    binary || (outUnits === 1 && classes === null)
      ? { kind: 'binary' }
      : classes !== null
        ? { kind: 'onehot', classes }
        : { kind: 'none' };
  choices.push({
    id: 'text-sequences',
    label: `Built-in text corpus (${length} token ids per row${target.kind === 'binary' ? ', sentiment labels' : target.kind === 'onehot' ? `, ${target.classes} classes` : ''})`,
    detail: 'Short sentences about weather, food and travel, tokenised to integer ids.',
    spec: { source: 'text-sequences', length, target, vocabularySize },
  });
  return choices;
};

/** Sequences in (timesteps × features): noisy sines, classified by frequency or forecast. */
const sines: DataRule = ({ info, input, output, autoencoder, classes, binary, withNoise }) => {
  if (input.length !== 2 || !(info.layerTypes.some((t) => SEQUENCE_LAYERS.has(t)) || !autoencoder)) return [];
  const [timesteps = DEFAULT_STEPS, features = 1] = input;
  if (classes !== null || binary) {
    const k = classes ?? 1;
    return [
      {
        id: 'sines-classes',
        label: `Noisy sines by frequency (${timesteps}×${features} sequences, ${binary ? 'slow/fast' : `${k} classes`})`,
        detail: 'Each sequence is a sine of one frequency band plus noise; the label is the band.',
        spec: { source: 'sines-classes', timesteps, features, classes: k },
      },
    ];
  }
  const target = forecastTarget(output, features);
  if (typeof target === 'string') return [];
  const steps = target.steps;
  return [
    withNoise({
      id: 'sines-forecast',
      label: `Noisy sines: forecast the next ${steps === 1 ? 'step' : `${steps} steps`} (${timesteps}×${features} windows)`,
      detail: 'Windows of noisy sine waves; the targets are the clean continuation.',
      spec: { source: 'sines-forecast', timesteps, features, ysShape: output },
    }),
  ];
};

/** Small vector autoencoders (the linear-autoencoder-vs-PCA demo): points near a plane. */
const pointCloud: DataRule = ({ input, autoencoder, withNoise }) => {
  if (!autoencoder || input.length !== 1 || (input[0] ?? 0) > 64) return [];
  const dims = input[0] ?? 3;
  return [
    withNoise({
      id: 'point-cloud',
      label: `Point cloud near a plane (${dims}-D points)`,
      detail: 'The linear autoencoder ≈ PCA demo: the codings should span the plane.',
      spec: { source: 'point-cloud', dims },
    }),
  ];
};

/** Random data shaped like the model: always offered. */
const random: DataRule = ({ info, input, output, autoencoder, embedding, vocabularySize, withNoise }) => {
  const target: RandomTarget = autoencoder ? { kind: 'none' } : targetFor(info, output);
  return [
    withNoise({
      id: 'random',
      label: `Random data shaped like the model (${shapeText(input)} → ${autoencoder ? 'itself' : shapeText(output)})`,
      detail: 'A smoke test: checks the model trains end to end; there is nothing to learn.',
      spec: { source: 'random', xsShape: input, target, ...(embedding ? { vocabularySize } : {}) },
    }),
  ];
};

function fileTarget({ input, output, autoencoder, classes }: OneToOneModel): FileTarget {
  const files: FileTarget = { inputShape: input, outputShape: autoencoder ? null : output };
  if (classes !== null) files.softmaxClasses = classes;
  return files;
}

/** The user's CSV and IDX files: always offered. */
const numericFiles: DataRule = (m) => {
  const files = fileTarget(m);
  return [
    m.withNoise({
      id: 'csv',
      label: 'CSV file from the workspace…',
      detail: 'Numeric columns; the last column (or one you pick) is the label.',
      spec: { source: 'csv', files },
    }),
    m.withNoise({
      id: 'idx',
      label: 'IDX files from the workspace (MNIST format)…',
      detail: 'An images file and, for a classifier, its labels file (.gz is fine).',
      spec: { source: 'idx', files },
    }),
  ];
};

/** A folder of PNG images, for image-shaped inputs. */
const imageFolder: DataRule = (m) => {
  const { input, embedding } = m;
  const imageLike = input.length === 3 ? [1, 3, 4].includes(input[2] ?? 0) : input.length === 2 && !embedding;
  if (!imageLike) return [];
  return [
    m.withNoise({
      id: 'images',
      label: 'Folder of PNG images from the workspace…',
      detail: 'One sub-folder per class (its name is the label), or a flat folder for an autoencoder.',
      spec: { source: 'images', files: fileTarget(m) },
    }),
  ];
};

/** The user's text file, made into the same data as the first text choice listed. */
const textFile: DataRule = (_m, listed) => {
  const text = listed.find(
    (c) => c.spec.source === 'cbow' || c.spec.source === 'skip-gram' || c.spec.source === 'text-sequences',
  );
  return text ? [textFileChoice(text.spec as TextSpec)] : [];
};

/** The rules in the order their choices are listed: the default comes first. */
export const ONE_TO_ONE_RULES: readonly DataRule[] = [
  mnist,
  mnistGenerator,
  builtinText,
  sines,
  pointCloud,
  random,
  numericFiles,
  imageFolder,
  textFile,
];
