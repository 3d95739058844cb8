/** Weights and parameter counts: a weight's shape and formula term, sums into a ParamCount. */
import type { ParamCount } from './layerSpec';
import { product } from './shapeMath';

/** One weight: its shape and how to print it in the formula. */
export interface Weight {
  shape: readonly number[];
  trainable: boolean;
  /** Defaults to the shape joined with ×. */
  term?: string;
}

export function weightTerm(shape: readonly number[]): string {
  return shape.join('×');
}

export function weight(shape: readonly number[], trainable = true, termText?: string): Weight {
  return { shape, trainable, term: termText };
}

/** Sums weights into a ParamCount; `formula` overrides the default `a×b + c` rendering. */
export function paramsOf(weights: readonly Weight[], formula?: string): ParamCount {
  let trainable = 0;
  let nonTrainable = 0;
  for (const w of weights) {
    const n = product(w.shape);
    if (w.trainable) trainable += n;
    else nonTrainable += n;
  }
  const text = formula ?? weights.map((w) => w.term ?? weightTerm(w.shape)).join(' + ');
  return { trainable, nonTrainable, formula: text };
}

export function noParams(): ParamCount {
  return { trainable: 0, nonTrainable: 0, formula: '' };
}

/** Wraps a formula in parentheses when it is a sum, for use as a factor. */
export function asFactor(formula: string): string {
  return formula.includes('+') ? `(${formula})` : formula;
}
