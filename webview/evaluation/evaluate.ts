/**
 * Evaluation of the trained model on the held-out samples (the run's validation split, or all
 * the samples it used when none were held out): the model's predictions, read back in chunks
 * (one task each), and what kind of result they make: a classifier's confusion matrix, or a
 * regressor's predictions against its targets. Runs on the page's copy of the model.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import { makeBatch, sampleCount } from '../training/dataset';
import { splitSamples, usedSamples } from '../training/heldOut';
import { nextTask } from '../training/scheduling';
import { modelInputs } from '../training/trainingLoss';
import { classesOf, confusionMatrix } from './confusion';
import type { ConfusionMatrix } from './confusion';

/** Samples per chunk of predictions. */
const CHUNK = 256;
/** Rows checked to tell one-hot (or 0/1) targets from values. */
const CHECKED_ROWS = 200;

export type EvaluationKind = 'classifier' | 'regressor';

export interface EvaluationSamples {
  /** Dataset indices of the evaluated samples, ascending. */
  indices: Int32Array;
  /** Whether they were held out from training (else: the samples trained on). */
  heldOut: boolean;
}

export interface ClassifierEvaluation {
  kind: 'classifier';
  samples: EvaluationSamples;
  matrix: ConfusionMatrix;
}

export interface RegressorEvaluation {
  kind: 'regressor';
  samples: EvaluationSamples;
  /** Values per sample. */
  width: number;
  /** n × width each, in the order of `samples.indices`. */
  predicted: Float32Array;
  target: Float32Array;
}

export type Evaluation = ClassifierEvaluation | RegressorEvaluation;

/** The samples a run with `config` held out, or all it used when it held out none. */
export function evaluationSamples(dataset: DatasetArrays, config: TrainConfig): EvaluationSamples {
  const split = splitSamples(usedSamples(sampleCount(dataset), config.samples), config.validationSplit);
  return split.validation.length > 0 ? { indices: split.validation, heldOut: true } : { indices: split.train, heldOut: false };
}

/** What evaluation means for this model and data; null where it has no targets to compare with (autoencoders) or several outputs. */
export function evaluationKind(model: tf.LayersModel, dataset: DatasetArrays): EvaluationKind | null {
  if (dataset.ys === undefined || dataset.ysShape === undefined || model.outputs.length !== 1) return null;
  const width = dataset.ysShape.slice(1).reduce((a, b) => a * b, 1);
  const rows = Math.min(sampleCount(dataset), CHECKED_ROWS);
  const ys = dataset.ys;
  const binary = (v: number): boolean => v === 0 || v === 1;
  if (width === 1) {
    const activation = outputActivation(model);
    for (let i = 0; i < rows; i++) if (!binary(ys[i]!)) return 'regressor';
    return activation === 'sigmoid' ? 'classifier' : 'regressor';
  }
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let c = 0; c < width; c++) {
      const v = ys[i * width + c]!;
      if (!binary(v)) return 'regressor';
      sum += v;
    }
    if (sum !== 1) return 'regressor';
  }
  return 'classifier';
}

function outputActivation(model: tf.LayersModel): string | null {
  const last = model.layers.at(-1);
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  return typeof activation === 'string' ? activation : null;
}

/** The model's outputs for the samples `indices`, n × width, chunk by chunk; null once `cancelled()`. */
export async function predictSamples(
  model: tf.LayersModel,
  dataset: DatasetArrays,
  indices: Int32Array,
  cancelled: () => boolean,
): Promise<{ values: Float32Array; width: number } | null> {
  let values = new Float32Array(0);
  let width = 0;
  for (let start = 0; start < indices.length; start += CHUNK) {
    if (start > 0) await nextTask();
    if (cancelled()) return null;
    const part = indices.subarray(start, start + CHUNK);
    const output = tf.tidy(() => {
      const batch = makeBatch({ ...dataset, inputNoise: 0 }, part);
      const predicted = model.apply(modelInputs(model, batch.xs), { training: false }) as tf.Tensor;
      return tf.reshape(predicted, [part.length, -1]);
    });
    const data = (await output.data()) as Float32Array;
    width = output.shape[1] ?? 1;
    output.dispose();
    if (values.length === 0) values = new Float32Array(indices.length * width);
    values.set(data, start * width);
  }
  return { values, width };
}

/** Evaluates `model` on the samples of `config`'s split; null when cancelled or nothing applies. */
export async function evaluateModel(
  model: tf.LayersModel,
  dataset: DatasetArrays,
  config: TrainConfig,
  cancelled: () => boolean,
): Promise<Evaluation | null> {
  const kind = evaluationKind(model, dataset);
  if (kind === null) return null;
  const samples = evaluationSamples(dataset, config);
  const predicted = await predictSamples(model, dataset, samples.indices, cancelled);
  if (predicted === null) return null;
  const target = gatherRows(dataset.ys!, predicted.width, samples.indices);
  if (kind === 'regressor') return { kind, samples, width: predicted.width, predicted: predicted.values, target };
  const n = samples.indices.length;
  const truth = classesOf(target, n, predicted.width);
  const classes = Math.max(2, predicted.width);
  return {
    kind,
    samples,
    matrix: confusionMatrix(truth, classesOf(predicted.values, n, predicted.width), classes, samples.indices),
  };
}

function gatherRows(values: Float32Array, width: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * width);
  indices.forEach((index, i) => out.set(values.subarray(index * width, (index + 1) * width), i * width));
  return out;
}
