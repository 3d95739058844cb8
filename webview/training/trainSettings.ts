/**
 * From the panel's TrainConfig to tfjs: optimizer instances, and loss and metric identifiers
 * that `model.compile` accepts (Keras' snake_case names and tfjs' aliases mapped to the
 * camelCase names tfjs-layers knows), plus the choices the settings form offers.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../src/shared/messages';

export const LOSS_CHOICES = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'meanSquaredLogarithmicError',
  'hinge',
  'squaredHinge',
  'categoricalHinge',
  'logcosh',
  'kullbackLeiblerDivergence',
  'poisson',
  'cosineProximity',
] as const;

export const OPTIMIZER_CHOICES = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'momentum'] as const;

/** Metric identifiers offered in the form (tfjs picks the accuracy variant from the loss). */
export const METRIC_CHOICES = ['accuracy', 'crossentropy', 'mse', 'mae', 'mape', 'precision', 'cosine'] as const;

const LOSS_ALIASES: Record<string, string> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  kl_divergence: 'kullbackLeiblerDivergence',
  cosine: 'cosineProximity',
  cosine_similarity: 'cosineProximity',
};

const METRIC_ALIASES: Record<string, string> = {
  acc: 'accuracy',
  meanSquaredError: 'mse',
  meanAbsoluteError: 'mae',
  meanAbsolutePercentageError: 'mape',
  cosineProximity: 'cosine',
  cosine_similarity: 'cosine',
  // tfjs has no separate sparse accuracy metric: `accuracy` becomes it for a sparse loss.
  sparseCategoricalAccuracy: 'accuracy',
  categorical_accuracy: 'categoricalAccuracy',
  binary_accuracy: 'binaryAccuracy',
};

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** `categorical_crossentropy` → `categoricalCrossentropy`, `mse` → `meanSquaredError`. */
export function normalizeLoss(name: string): string {
  const trimmed = name.trim();
  return LOSS_ALIASES[trimmed] ?? LOSS_ALIASES[trimmed.toLowerCase()] ?? camel(trimmed);
}

/** `acc` → `accuracy`, `mean_squared_error` → `mse`: names `model.compile` accepts. */
export function normalizeMetric(name: string): string {
  const trimmed = name.trim();
  return METRIC_ALIASES[trimmed] ?? METRIC_ALIASES[camel(trimmed)] ?? camel(trimmed);
}

export function isKnownLoss(name: string): boolean {
  return (LOSS_CHOICES as readonly string[]).includes(normalizeLoss(name));
}

/** A fresh optimizer for the config (the panel owns and disposes it). */
export function createOptimizer(name: string, learningRate: number): tf.Optimizer {
  const lr = Number.isFinite(learningRate) && learningRate >= 0 ? learningRate : 0.001;
  switch (name.trim().toLowerCase()) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'adadelta':
      return tf.train.adadelta(lr);
    case 'adamax':
      return tf.train.adamax(lr);
    case 'momentum':
      return tf.train.momentum(lr, 0.9);
    default:
      throw new Error(`Unknown optimizer "${name}": choose one of ${OPTIMIZER_CHOICES.join(', ')}`);
  }
}

/** Problems with a config, as sentences for the form (empty when it is usable). */
export function configProblems(config: TrainConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(config.epochs) || config.epochs < 1) problems.push('Epochs must be a whole number ≥ 1.');
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) problems.push('Batch size must be a whole number ≥ 1.');
  if (!(config.learningRate >= 0) || !Number.isFinite(config.learningRate)) problems.push('Learning rate must be a number ≥ 0.');
  if (!(OPTIMIZER_CHOICES as readonly string[]).includes(config.optimizer.trim().toLowerCase())) {
    problems.push(`Unknown optimizer "${config.optimizer}".`);
  }
  if (!isKnownLoss(config.loss)) problems.push(`Unknown loss "${config.loss}".`);
  if (config.samples !== undefined && (!Number.isInteger(config.samples) || config.samples < 2)) {
    problems.push('Samples must be a whole number ≥ 2 (or empty for all).');
  }
  const split = config.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) problems.push('Validation split must be a number from 0 to below 1 (0.1: 10 % held out).');
  const patience = config.earlyStoppingPatience ?? 0;
  if (!Number.isInteger(patience) || patience < 0) problems.push('Early stopping patience must be a whole number ≥ 0 (0: off).');
  return problems;
}

/** A metric's label in the UI: tfjs calls `accuracy` `acc` and `crossentropy` `ce`. */
export function metricLabel(tfjsName: string): string {
  if (tfjsName === 'acc' || tfjsName.endsWith('_acc')) return tfjsName.replace(/acc$/, 'accuracy');
  if (tfjsName === 'ce' || tfjsName.endsWith('_ce')) return tfjsName.replace(/ce$/, 'crossentropy');
  return tfjsName;
}
