/**
 * The training configuration the panel starts with: loss, optimizer, learning rate, metrics,
 * epochs, batch size and validation split from the file's own `model.compile(...)` / `model.fit(...)` when the
 * analysis found them, else from the output layer (softmax → categoricalCrossentropy, sigmoid →
 * binaryCrossentropy, anything else → meanSquaredError). Every value says where it came from.
 * Pure: no `vscode`.
 */
import type { TrainingHints } from '../../analysis/types';
import type { TrainConfig } from '../../shared/messages';

export const DEFAULT_EPOCHS = 10;
export const DEFAULT_BATCH_SIZE = 32;
export const DEFAULT_OPTIMIZER = 'adam';
/** The share of the samples held out for validation when `fit` does not say. */
export const DEFAULT_VALIDATION_SPLIT = 0.1;

/** tfjs-layers' learning rates for optimizers given by name in `compile` (optimizers.ts). */
const DEFAULT_LEARNING_RATES: Record<string, number> = {
  adam: 0.001,
  adamax: 0.002,
  rmsprop: 0.001,
  adagrad: 0.01,
  adadelta: 1,
  sgd: 0.01,
  momentum: 0.01,
};

export interface TrainDefaultsInput {
  hints: TrainingHints;
  /** The output layer's activation (`softmax`, `sigmoid`, `linear`...), null when unknown. */
  outputActivation: string | null;
  /** Per-sample shapes (no batch dimension); null when unknown. */
  inputShape: readonly (number | null)[] | null;
  outputShape: readonly (number | null)[] | null;
}

function sameShape(a: readonly (number | null)[] | null, b: readonly (number | null)[] | null): boolean {
  return a !== null && b !== null && a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `adam`, `tf.train.adam`, `AdamOptimizer`, `RMSProp` → `adam` / `rmsprop`. */
export function normalizeOptimizer(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/Optimizer$/i, '').toLowerCase();
}

/** The loss implied by the output layer, and why. */
export function lossFromOutput(input: Omit<TrainDefaultsInput, 'hints'>): { loss: string; reason: string; classifier: boolean } {
  const activation = input.outputActivation?.toLowerCase() ?? null;
  const autoencoder = sameShape(input.inputShape, input.outputShape);
  if (activation === 'softmax') {
    return { loss: 'categoricalCrossentropy', reason: 'output layer: softmax', classifier: true };
  }
  if (activation === 'sigmoid') {
    return autoencoder
      ? { loss: 'binaryCrossentropy', reason: 'output layer: sigmoid, shaped like the input', classifier: false }
      : { loss: 'binaryCrossentropy', reason: 'output layer: sigmoid', classifier: true };
  }
  const what = activation === null ? 'activation unknown' : activation;
  return { loss: 'meanSquaredError', reason: `output layer: ${what}`, classifier: false };
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10} %`;

/**
 * The validation share and where it came from. tfjs (training.ts, fitLoop) validates on
 * `validationData` when `fit` passes it and then ignores `validationSplit`; the panel cannot read
 * those tensors (the file is never run), so it holds out its default share instead and says so.
 */
export function validationDefault(hints: TrainingHints, fit: string): { validationSplit: number; source: string } {
  const held = percent(DEFAULT_VALIDATION_SPLIT);
  if (hints.validationData) {
    const ignored =
      hints.validationSplit !== undefined ? `; tfjs then ignores its validationSplit: ${hints.validationSplit}` : '';
    return {
      validationSplit: DEFAULT_VALIDATION_SPLIT,
      source: `${fit} passes validationData, which is built at run time${ignored}: holding out a seeded random ${held} of the panel's data instead`,
    };
  }
  const fromFit = hints.validationSplit !== undefined && hints.validationSplit >= 0 && hints.validationSplit < 1;
  if (fromFit) return { validationSplit: hints.validationSplit!, source: `${fit} (a seeded random share held out)` };
  return { validationSplit: DEFAULT_VALIDATION_SPLIT, source: `default: a seeded random ${held} held out, the same each run` };
}

/** TrainConfig from the analysis hints, falling back on the output layer and the defaults. */
export function trainDefaults(input: TrainDefaultsInput): TrainConfig {
  const { hints } = input;
  const compile = hints.compileLine !== undefined ? `model.compile, line ${hints.compileLine}` : 'model.compile';
  const fit = hints.fitLine !== undefined ? `model.fit, line ${hints.fitLine}` : 'model.fit';
  const sources: TrainConfig['sources'] = {};
  const fromOutput = lossFromOutput(input);

  let loss: string;
  if (hints.loss === 'sparseCategoricalCrossentropy') {
    // The panel's datasets carry one-hot labels.
    loss = 'categoricalCrossentropy';
    sources.loss = `${compile} (sparseCategoricalCrossentropy; the panel's labels are one-hot)`;
  } else if (hints.loss) {
    loss = hints.loss;
    sources.loss = compile;
  } else if (hints.customLoss) {
    loss = fromOutput.loss;
    sources.loss = `${fromOutput.reason} (the custom loss in ${compile} cannot run in the panel)`;
  } else {
    loss = fromOutput.loss;
    sources.loss = fromOutput.reason;
  }

  const optimizer = hints.optimizer ? normalizeOptimizer(hints.optimizer) : DEFAULT_OPTIMIZER;
  sources.optimizer = hints.optimizer ? compile : 'default';

  let learningRate: number;
  if (hints.learningRate !== undefined && Number.isFinite(hints.learningRate) && hints.learningRate > 0) {
    learningRate = hints.learningRate;
    sources.learningRate = compile;
  } else {
    learningRate = DEFAULT_LEARNING_RATES[optimizer] ?? DEFAULT_LEARNING_RATES[DEFAULT_OPTIMIZER] ?? 0.001;
    sources.learningRate = `default for ${optimizer}`;
  }

  let metrics: string[];
  if (hints.metrics !== undefined) {
    metrics = [...hints.metrics];
    sources.metrics = compile;
  } else {
    const classifierLoss =
      /crossentropy/i.test(loss) && (fromOutput.classifier || !sameShape(input.inputShape, input.outputShape));
    metrics = classifierLoss ? ['accuracy'] : [];
    sources.metrics = classifierLoss ? 'default for a classifier' : 'default';
  }

  const positiveInt = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n > 0;
  const epochs = positiveInt(hints.epochs) ? hints.epochs : DEFAULT_EPOCHS;
  sources.epochs = positiveInt(hints.epochs) ? fit : 'default';
  const batchSize = positiveInt(hints.batchSize) ? hints.batchSize : DEFAULT_BATCH_SIZE;
  sources.batchSize = positiveInt(hints.batchSize) ? fit : 'default';

  const { validationSplit, source } = validationDefault(hints, fit);
  sources.validationSplit = source;

  return { epochs, batchSize, loss, optimizer, learningRate, metrics, validationSplit, sources };
}
