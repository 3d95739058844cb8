/**
 * Which datasets fit which model: from the analysed input/output shapes, the layer types and
 * the output activation, an ordered list of data choices with a sensible default first
 * (MNIST for digit convnets and 784-wide autoencoders, noisy sines for sequence models, a
 * point cloud for small linear autoencoders, the built-in corpus for embeddings), then
 * random data shaped like the model and the user's own files. Pure: no `vscode`, no I/O.
 */
import type { ModelResult, Shape } from '../analysis/types';
import { forecastTarget } from './generated';
import type { RandomTarget } from './generated';
import { product } from './payload';
import type { TextTarget } from './textDatasets';

/** What the picker needs to know about a model. */
export interface ModelShapeInfo {
  name: string;
  /** Per input, the shape including the batch dimension (`[null, 28, 28, 1]`). */
  inputShapes: Shape[] | null;
  outputShapes: Shape[] | null;
  /** Layer class names in order, nested models expanded (`InputLayer` left out). */
  layerTypes: string[];
  /** Activation of the output layer (`softmax`, `sigmoid`, `linear`...), null when unknown. */
  outputActivation: string | null;
  /** `inputDim` of the first Embedding layer, when the model has one. */
  vocabularySize: number | null;
  /** Per-sample input shapes of the Embedding layers (which of several inputs take word ids). */
  embeddingInputs?: number[][];
}

/** How the host turns a choice into a DatasetPayload. */
export type DataSpec =
  | { source: 'mnist'; layout: 'image' | 'vector'; inputShape: number[]; target: 'onehot' | 'autoencoder' }
  /** Noise in, digits out: a GAN's generator (its trainStep shows the digits to the discriminator) or a decoder. */
  | { source: 'mnist-generator'; noiseShape: number[]; outputShape: number[] }
  | { source: 'sines-forecast'; timesteps: number; features: number; ysShape: number[] }
  | { source: 'sines-classes'; timesteps: number; features: number; classes: number }
  | { source: 'point-cloud'; dims: number }
  | TextSpec
  /** `tokenColumns`: the column ranges [start, end) of a row that hold word ids (all when absent). */
  | { source: 'random'; xsShape: number[]; target: RandomTarget; vocabularySize?: number; tokenColumns?: Array<[number, number]> }
  | { source: 'csv' | 'idx' | 'images'; files: FileTarget }
  /** The user's text file, turned into the same kind of data as `as` makes from the built-in corpus. */
  | { source: 'text-file'; as: TextSpec };

/** Data made from a corpus of token ids (the built-in one or a text file). */
export type TextSpec =
  | { source: 'text-sequences'; length: number; target: TextTarget; vocabularySize: number }
  | { source: 'skip-gram'; vocabularySize: number }
  | { source: 'cbow'; window: number; classes: number; vocabularySize: number };

/** The model side of a workspace file: shapes to map the file onto. */
export interface FileTarget {
  inputShape: number[];
  /** null for an autoencoder: targets are the inputs. */
  outputShape: number[] | null;
  softmaxClasses?: number;
}

export interface DataChoice {
  /** Stable id: `mnist-images`, `sines-forecast`, `csv`... */
  id: string;
  label: string;
  detail: string;
  spec: DataSpec;
  /** Gaussian noise on the inputs (denoising autoencoders). */
  inputNoise?: number;
}

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
const NESTED = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);
/** Variable-length dimensions (`null` after the batch) are given this many steps. */
const DEFAULT_STEPS = 20;

/** The picker's view of an analysed model; nested models are expanded through `all`. */
export function modelShapeInfo(model: ModelResult, all: readonly ModelResult[], outputActivation: string | null): ModelShapeInfo {
  const layerTypes: string[] = [];
  let vocabularySize: number | null = null;
  const embeddingInputs: number[][] = [];
  const visit = (m: ModelResult, depth: number): void => {
    for (const layer of m.layers) {
      const nested = NESTED.has(layer.type) ? all.find((o) => o !== m && o.line === layer.line) : undefined;
      if (nested && depth < 4) {
        visit(nested, depth + 1);
        continue;
      }
      if (layer.type === 'InputLayer') continue;
      layerTypes.push(layer.type);
      const input = layer.inputShape;
      if (
        layer.type === 'Embedding' &&
        Array.isArray(input) &&
        !Array.isArray(input[0]) &&
        input.slice(1).every((d) => typeof d === 'number')
      ) {
        embeddingInputs.push(input.slice(1) as number[]);
      }
      if (layer.type === 'Embedding' && vocabularySize === null && layer.params != null) {
        const out = layer.outputShape;
        const dim = Array.isArray(out) && !Array.isArray(out[0]) ? (out[out.length - 1] as number | null) : null;
        if (dim) vocabularySize = Math.round(layer.params / dim);
      }
    }
  };
  visit(model, 0);
  return {
    name: model.name,
    inputShapes: model.inputShapes,
    outputShapes: model.outputShapes,
    layerTypes,
    outputActivation,
    vocabularySize,
    embeddingInputs,
  };
}

/** A per-sample shape with unknown (null) steps filled in; null when it cannot be. */
function concrete(shape: Shape | undefined): number[] | null {
  if (!shape || shape.length < 2) return null;
  const dims = shape.slice(1);
  if (dims.length === 2 && dims[0] === null && dims[1] !== null) return [DEFAULT_STEPS, dims[1] as number];
  return dims.every((d): d is number => typeof d === 'number' && d > 0) ? dims : null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isAutoencoder(input: readonly number[], output: readonly number[]): boolean {
  return sameShape(input, output);
}

/** A gaussianNoise/dropout first layer, or "denois" in the model's name. */
export function isDenoising(info: ModelShapeInfo): boolean {
  const first = info.layerTypes.find((t) => t !== 'Flatten' && t !== 'Reshape');
  return /denois/i.test(info.name) || (first !== undefined && NOISE_LAYERS.has(first));
}

function classesOf(info: ModelShapeInfo, output: readonly number[]): number | null {
  return info.outputActivation === 'softmax' && output.length === 1 ? (output[0] ?? null) : null;
}

function isBinary(info: ModelShapeInfo, output: readonly number[]): boolean {
  return info.outputActivation === 'sigmoid' && product(output) === 1;
}

function shapeText(shape: readonly number[]): string {
  return shape.join('×');
}

const MNIST_SHAPES: readonly (readonly number[])[] = [[28, 28, 1], [28, 28], [784]];

/** The data choices for a model, default first. Empty when nothing fits (unknown shapes). */
export function pickData(info: ModelShapeInfo): DataChoice[] {
  const inputs = info.inputShapes ?? [];
  const outputs = info.outputShapes ?? [];
  const firstType = info.layerTypes[0];
  const embedding = firstType === 'Embedding' || info.layerTypes.includes('Embedding');
  const vocabularySize = info.vocabularySize ?? 1000;

  // word2vec skip-gram: two one-word inputs (target, context) → one sigmoid.
  if (inputs.length === 2 && outputs.length === 1 && embedding) {
    const [a, b] = inputs.map(concrete);
    const out = concrete(outputs[0]);
    if (a && b && out && product(a) === 1 && product(b) === 1 && product(out) === 1) {
      const choice = skipGramChoice(vocabularySize, 'xs are [n, 2]: column 0 feeds the first input, column 1 the second');
      return [choice, textFileChoice(choice.spec as TextSpec)];
    }
  }
  if (inputs.length > 1 || outputs.length > 1)
    return severalTensors(info, inputs, outputs, embedding ? vocabularySize : undefined);
  if (inputs.length !== 1 || outputs.length !== 1) return [];
  const input = concrete(inputs[0]);
  const output = concrete(outputs[0]);
  if (!input || !output) return [];

  const choices: DataChoice[] = [];
  const autoencoder = isAutoencoder(input, output);
  const classes = classesOf(info, output);
  const binary = isBinary(info, output);
  const noise = autoencoder && isDenoising(info) ? DENOISING_NOISE : undefined;
  const withNoise = (choice: DataChoice): DataChoice => (noise === undefined ? choice : { ...choice, inputNoise: noise });

  // MNIST: 28×28(×1) images or 784-vectors, as a 10-class classifier or an autoencoder.
  if (MNIST_SHAPES.some((s) => sameShape(s, input)) && (autoencoder || sameShape(output, [10]))) {
    const layout = input.length === 1 ? 'vector' : 'image';
    const what = layout === 'image' ? `${shapeText(input)} images` : '784-value vectors';
    choices.push(
      withNoise({
        id: layout === 'image' ? 'mnist-images' : 'mnist-vectors',
        label: `MNIST digits (${what}${autoencoder ? ', reconstruct the input' : ', labels 0–9'})`,
        detail: autoencoder
          ? `Real handwritten digits; the targets are the inputs${noise ? ', which get Gaussian noise (denoising)' : ''}.`
          : 'Real handwritten digits with one-hot labels.',
        spec: { source: 'mnist', layout, inputShape: input, target: autoencoder ? 'autoencoder' : 'onehot' },
      }),
    );
  }

  // A generator or decoder: a latent vector in, an MNIST-shaped image out.
  if (
    !autoencoder &&
    input.length === 1 &&
    !embedding &&
    MNIST_SHAPES.some((s) => sameShape(s, output)) &&
    !MNIST_SHAPES.some((s) => sameShape(s, input))
  ) {
    choices.push({
      id: 'mnist-generator',
      label: `MNIST digits as targets, Gaussian noise as inputs (${shapeText(input)} → ${shapeText(output)})`,
      detail: "For a GAN's generator (its trainStep shows the real digits to the discriminator) or a decoder.",
      spec: { source: 'mnist-generator', noiseShape: input, outputShape: output },
    });
  }

  if (embedding && input.length === 1) {
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
  } else if (input.length === 2 && (info.layerTypes.some((t) => SEQUENCE_LAYERS.has(t)) || !autoencoder)) {
    const [timesteps = DEFAULT_STEPS, features = 1] = input;
    if (classes !== null || binary) {
      const k = classes ?? 1;
      choices.push({
        id: 'sines-classes',
        label: `Noisy sines by frequency (${timesteps}×${features} sequences, ${binary ? 'slow/fast' : `${k} classes`})`,
        detail: 'Each sequence is a sine of one frequency band plus noise; the label is the band.',
        spec: { source: 'sines-classes', timesteps, features, classes: k },
      });
    } else if (typeof forecastTarget(output, features) !== 'string') {
      const target = forecastTarget(output, features);
      const steps = typeof target === 'string' ? 1 : target.steps;
      choices.push(
        withNoise({
          id: 'sines-forecast',
          label: `Noisy sines: forecast the next ${steps === 1 ? 'step' : `${steps} steps`} (${timesteps}×${features} windows)`,
          detail: 'Windows of noisy sine waves; the targets are the clean continuation.',
          spec: { source: 'sines-forecast', timesteps, features, ysShape: output },
        }),
      );
    }
  }

  // Small vector autoencoders (the linear-autoencoder-vs-PCA demo): points near a plane.
  if (autoencoder && input.length === 1 && (input[0] ?? 0) <= 64) {
    const dims = input[0] ?? 3;
    choices.push(
      withNoise({
        id: 'point-cloud',
        label: `Point cloud near a plane (${dims}-D points)`,
        detail: 'The linear autoencoder ≈ PCA demo: the codings should span the plane.',
        spec: { source: 'point-cloud', dims },
      }),
    );
  }

  const randomTarget: RandomTarget = autoencoder ? { kind: 'none' } : targetFor(info, output);
  choices.push(
    withNoise({
      id: 'random',
      label: `Random data shaped like the model (${shapeText(input)} → ${autoencoder ? 'itself' : shapeText(output)})`,
      detail: 'A smoke test: checks the model trains end to end; there is nothing to learn.',
      spec: {
        source: 'random',
        xsShape: input,
        target: randomTarget,
        ...(embedding ? { vocabularySize } : {}),
      },
    }),
  );

  const files: FileTarget = { inputShape: input, outputShape: autoencoder ? null : output };
  if (classes !== null) files.softmaxClasses = classes;
  choices.push(
    withNoise({
      id: 'csv',
      label: 'CSV file from the workspace…',
      detail: 'Numeric columns; the last column (or one you pick) is the label.',
      spec: { source: 'csv', files },
    }),
    withNoise({
      id: 'idx',
      label: 'IDX files from the workspace (MNIST format)…',
      detail: 'An images file and, for a classifier, its labels file (.gz is fine).',
      spec: { source: 'idx', files },
    }),
  );
  const imageLike = input.length === 3 ? [1, 3, 4].includes(input[2] ?? 0) : input.length === 2 && !embedding;
  if (imageLike) {
    choices.push(
      withNoise({
        id: 'images',
        label: 'Folder of PNG images from the workspace…',
        detail: 'One sub-folder per class (its name is the label), or a flat folder for an autoencoder.',
        spec: { source: 'images', files },
      }),
    );
  }
  const textDefault = choices.find(
    (c) => c.spec.source === 'cbow' || c.spec.source === 'skip-gram' || c.spec.source === 'text-sequences',
  );
  if (textDefault) choices.push(textFileChoice(textDefault.spec as TextSpec));
  return choices;
}

/** What a supervised model's single output is trained against, by its activation. */
function targetFor(info: ModelShapeInfo, output: number[]): RandomTarget {
  const classes = classesOf(info, output);
  if (classes !== null) return { kind: 'onehot', classes };
  return isBinary(info, output) ? { kind: 'binary' } : { kind: 'real', shape: output };
}

/**
 * Several inputs or outputs (two towers, wide & deep, a siamese pair, a multi-head model): a row
 * of xs holds every input's values in order, and a row of ys every output's, which the panel
 * splits by their sizes. Random data, or a CSV whose columns are the inputs' values side by
 * side, then the label (one output) or the outputs' values.
 */
function severalTensors(
  info: ModelShapeInfo,
  inputs: Shape[],
  outputs: Shape[],
  vocabularySize: number | undefined,
): DataChoice[] {
  const inShapes = inputs.map(concrete);
  const outShapes = outputs.map(concrete);
  if (inShapes.length === 0 || outShapes.length === 0 || [...inShapes, ...outShapes].some((s) => s === null)) return [];
  const inSizes = (inShapes as number[][]).map(product);
  const outSizes = (outShapes as number[][]).map(product);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const single = outShapes.length === 1 ? outShapes[0]! : null;
  const target: RandomTarget = single !== null ? targetFor(info, single) : { kind: 'real', shape: [sum(outSizes)] };
  const layout = (what: string, sizes: number[]): string =>
    sizes.length > 1
      ? `, each row of ${what} holds ${sizes.join(' + ')} values: the first ${sizes[0]} for the first, and so on`
      : '';
  const split = `${layout('inputs', inSizes)}${layout('targets', outSizes)}`;
  const outText = single !== null ? shapeText(single) : `${outSizes.length} outputs, ${outSizes.join(' + ')} values`;
  const inText = inSizes.length > 1 ? `${inSizes.length} inputs, ${inSizes.join(' + ')} values` : shapeText(inShapes[0]!);
  const files: FileTarget = { inputShape: [sum(inSizes)], outputShape: single ?? [sum(outSizes)] };
  if (target.kind === 'onehot') files.softmaxClasses = target.classes;
  // Word ids only for the inputs shaped like an Embedding's input (the others get numbers);
  // all of them when that does not tell them apart.
  const ids = (inShapes as number[][]).map((s) => (info.embeddingInputs ?? []).some((e) => sameShape(e, s)));
  const tokenColumns: Array<[number, number]> = [];
  if (vocabularySize !== undefined && ids.some((x) => x) && !ids.every((x) => x)) {
    let start = 0;
    inSizes.forEach((size, i) => {
      if (ids[i]) tokenColumns.push([start, start + size]);
      start += size;
    });
  }
  return [
    {
      id: 'random',
      label: `Random data shaped like the model (${inText} → ${outText})`,
      detail: `A smoke test that the model trains end to end (nothing to learn)${split}.`,
      spec: {
        source: 'random',
        xsShape: [sum(inSizes)],
        target,
        ...(vocabularySize !== undefined ? { vocabularySize } : {}),
        ...(tokenColumns.length > 0 ? { tokenColumns } : {}),
      },
    },
    {
      id: 'csv',
      label: 'CSV file from the workspace…',
      detail: `${sum(inSizes)} numeric feature columns, then ${single !== null ? 'the label column' : `${sum(outSizes)} target columns`}${split}.`,
      spec: { source: 'csv', files },
    },
  ];
}

function textFileChoice(as: TextSpec): DataChoice {
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

function skipGramChoice(vocabularySize: number, detail: string): DataChoice {
  return {
    id: 'skip-gram',
    label: 'Skip-gram pairs from the built-in corpus (target, context → 1/0)',
    detail: `word2vec skip-gram with negative sampling; ${detail}.`,
    spec: { source: 'skip-gram', vocabularySize },
  };
}
