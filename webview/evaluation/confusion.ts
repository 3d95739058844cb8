/**
 * Classification results on held-out samples: the predicted class of each (arg max of the
 * model's output, or a threshold of 0.5 for one sigmoid unit), the true class (the dataset's
 * one-hot or 0/1 targets), and the confusion matrix they make. Pure.
 */

export interface ConfusionMatrix {
  classes: number;
  /** counts[t * classes + p]: samples of true class t predicted as p. */
  counts: Int32Array;
  /** The samples of each cell (their dataset indices), in the same order. */
  cells: number[][];
  total: number;
  correct: number;
}

/** The class of each row of `values` (n × width): arg max, or value ≥ 0.5 for a width of 1. */
export function classesOf(values: ArrayLike<number>, n: number, width: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (width === 1) {
      out[i] = values[i]! >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < width; c++) if (values[i * width + c]! > values[i * width + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** The confusion matrix of `truth` vs `predicted` (classes 0…classes−1) for the samples `indices`. */
export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
  indices: ArrayLike<number>,
): ConfusionMatrix {
  const counts = new Int32Array(classes * classes);
  const cells: number[][] = Array.from({ length: classes * classes }, () => []);
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) continue;
    counts[t * classes + p]!++;
    cells[t * classes + p]!.push(indices[i]!);
    if (t === p) correct++;
  }
  return { classes, counts, cells, total: truth.length, correct };
}

/** Per true class: the share of its samples predicted right (NaN for a class with none). */
export function classAccuracy(matrix: ConfusionMatrix): number[] {
  const { classes, counts } = matrix;
  return Array.from({ length: classes }, (_, t) => {
    let row = 0;
    for (let p = 0; p < classes; p++) row += counts[t * classes + p]!;
    return row === 0 ? Number.NaN : counts[t * classes + t]! / row;
  });
}
