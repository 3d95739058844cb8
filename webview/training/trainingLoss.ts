/**
 * The standard training step's loss as tfjs-layers computes it, and how a dataset's rows feed a
 * model with several inputs or outputs (their values side by side in a row, split in order).
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './dataset';

/**
 * tfjs-layers' total loss of `model` on `batch` (LayersModel.makeTrainFunction), metrics kept
 * into `kept`; `training` false runs the layers in inference mode (dropout off), for validation.
 */
export function totalLoss(model: tf.LayersModel, batch: BatchTensors, kept: tf.Tensor[], training = true): tf.Scalar {
  const predicted = model.apply(modelInputs(model, batch.xs), { training }) as tf.Tensor | tf.Tensor[];
  const outputs = Array.isArray(predicted) ? predicted : [predicted];
  const perOutput: tf.Scalar[] = [];
  let total: tf.Tensor | null = null;
  // A Sequential compiles the functional model it wraps: the loss functions live there.
  // (`Sequential.model` is private in the typings, public at run time.)
  const inner = model instanceof tf.Sequential ? (model as unknown as { model: tf.LayersModel }).model : model;
  const lossFunctions = inner.lossFunctions;
  const targets = modelTargets(model, batch.ys);
  for (let i = 0; i < lossFunctions.length; i++) {
    const loss = lossFunctions[i]!(targets[i]!, outputs[i]!);
    perOutput.push(tf.mean(loss));
    total = total === null ? loss : tf.add(total, loss);
  }
  model.metricsTensors.forEach(([metricFn, outputIndex], i) => {
    const value =
      outputs.length > 1 && i < outputs.length ? perOutput[i]! : tf.mean(metricFn(targets[outputIndex]!, outputs[outputIndex]!));
    kept.push(tf.keep(value));
  });
  let result = tf.mean(total ?? tf.scalar(0)) as tf.Scalar;
  for (const penalty of model.calculateLosses()) result = tf.add(result, penalty);
  return result;
}

/**
 * The model's inputs from the dataset's xs: xs itself for one input; for several, its columns in
 * order (xs [n, Σ sizes]: the first size values of a row feed the first input, and so on: the
 * skip-gram pairs' target and context), each reshaped to its input's shape.
 */
export function modelInputs(model: tf.LayersModel, xs: tf.Tensor): tf.Tensor | tf.Tensor[] {
  return model.inputs.length <= 1 ? xs : splitColumns(xs, model.inputs, 'inputs', "the dataset's inputs");
}

/** The targets of each output from the dataset's ys: ys itself for one output, else its columns in order. */
export function modelTargets(model: tf.LayersModel, ys: tf.Tensor): tf.Tensor[] {
  return model.outputs.length <= 1 ? [ys] : splitColumns(ys, model.outputs, 'outputs', "the dataset's targets");
}

/** Rows of `values` cut into one tensor per symbolic tensor of `parts`, by their sizes, in order. */
function splitColumns(values: tf.Tensor, parts: readonly tf.SymbolicTensor[], what: string, whose: string): tf.Tensor[] {
  const n = values.shape[0] ?? 0;
  const shapes = parts.map((part) => part.shape.slice(1).map((d) => d ?? 1));
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const flat = tf.reshape(values, [n, -1]);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (flat.shape[1] !== total) {
    throw new Error(
      `The model has ${parts.length} ${what} (${sizes.join(' + ')} values per sample), but ${whose} have ${flat.shape[1]} values per sample.`,
    );
  }
  return tf.split(flat, sizes, 1).map((part, i) => tf.reshape(part, [n, ...shapes[i]!]));
}

/** Whether any layer, nested models included, is a BatchNormalization. */
export function hasBatchNormalization(model: tf.LayersModel): boolean {
  return model.layers.some((layer) =>
    layer instanceof tf.LayersModel ? hasBatchNormalization(layer) : layer.getClassName() === 'BatchNormalization',
  );
}
