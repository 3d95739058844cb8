/**
 * Which samples a run trains on and which it holds out for validation: the first `samples` of
 * the dataset (all by default), of which a seeded random share is held out, the same for every
 * run of a panel (the built-in datasets are ordered by class, so the last part, which tfjs's
 * `validationSplit` takes, would miss classes). The panel's evaluation uses the same split.
 * Pure, and the early stopping decision with it.
 */
import { shuffledIndices } from './dataset';

/** The seed of the held-out choice (fixed: Train again holds out the same samples). */
const HELD_OUT_SEED = 7919;

export interface SampleSplit {
  /** Sample indices trained on, ascending. */
  train: Int32Array;
  /** Sample indices held out, ascending. */
  validation: Int32Array;
}

/** How many samples a run uses: `requested` when it is a whole number from 1 to `available`, else all. */
export function usedSamples(available: number, requested: number | undefined): number {
  return requested !== undefined && Number.isInteger(requested) && requested >= 1 ? Math.min(requested, available) : available;
}

/**
 * How many of `n` samples are held out for `fraction`: as tfjs's `validationSplit`
 * (`n − floor(n · (1 − fraction))`), none for a fraction outside (0, 1), and always at least
 * one sample left to train on.
 */
export function validationCount(n: number, fraction: number | undefined): number {
  if (fraction === undefined || !(fraction > 0 && fraction < 1) || n < 2) return 0;
  return Math.min(n - 1, n - Math.floor(n * (1 - fraction)));
}

/** The split of the first `n` samples with `fraction` held out. */
export function splitSamples(n: number, fraction: number | undefined): SampleSplit {
  const held = validationCount(n, fraction);
  if (held === 0) return { train: Int32Array.from({ length: n }, (_, i) => i), validation: new Int32Array(0) };
  const order = shuffledIndices(n, HELD_OUT_SEED);
  const validation = order.slice(0, held).sort();
  const train = order.slice(held).sort();
  return { train, validation };
}

/**
 * Whether to stop after the epoch whose validation loss is the last of `losses`: the best loss
 * is at least `patience` epochs old (as Keras' EarlyStopping with min_delta 0). Never for a
 * patience below 1.
 */
export function shouldStopEarly(losses: readonly number[], patience: number | undefined): boolean {
  if (patience === undefined || !(patience >= 1) || losses.length === 0) return false;
  let best = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! < losses[best]!) best = i;
  return losses.length - 1 - best >= patience;
}
