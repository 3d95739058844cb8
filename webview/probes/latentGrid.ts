/**
 * The latent traversal grid's numbers (pure, unit-tested): which two code dimensions to span
 * (the two that vary most across the samples), the range to span on each (a central quantile
 * range of the samples' codes, so the grid stays where the data are), and the grid's codes:
 * every other dimension held at the samples' mean.
 */

export interface LatentGrid {
  /** rows × cols codes, row-major, `dim` values each (row 0 at the top: the highest y value). */
  codes: Float32Array;
  rows: number;
  cols: number;
  /** The values spanned across (x, left to right) and down (y, top to bottom). */
  xs: number[];
  ys: number[];
}

/** Per-dimension mean and variance of `n` codes of `dim` values. */
export function codeStats(values: Float32Array, n: number, dim: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(dim);
  const variance = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += values[i * dim + d]! / n;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      const e = values[i * dim + d]! - mean[d]!;
      variance[d]! += (e * e) / n;
    }
  }
  return { mean, variance };
}

/** The two dimensions with the largest variance (first on ties), as [x, y]. */
export function widestDims(variance: ArrayLike<number>): [number, number] {
  const order = Array.from({ length: variance.length }, (_, d) => d).sort((a, b) => variance[b]! - variance[a]! || a - b);
  return [order[0] ?? 0, order[1] ?? order[0] ?? 0];
}

/** The `lo`…`hi` quantile range of dimension `d` (never empty: widened around a constant). */
export function quantileRange(values: Float32Array, n: number, dim: number, d: number, lo = 0.05, hi = 0.95): [number, number] {
  const column = Float64Array.from({ length: n }, (_, i) => values[i * dim + d]!).sort();
  if (column.length === 0) return [-1, 1];
  const at = (q: number): number => column[Math.min(column.length - 1, Math.max(0, Math.round(q * (column.length - 1))))]!;
  const a = at(lo);
  const b = at(hi);
  if (b - a > 1e-6) return [a, b];
  const pad = Math.max(Math.abs(a) * 0.5, 0.5);
  return [a - pad, a + pad];
}

/** `count` evenly spaced values from `from` to `to`, both included. */
export function linspace(from: number, to: number, count: number): number[] {
  if (count <= 1) return [(from + to) / 2];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

/**
 * The grid's codes: `base` everywhere, dimension `dx` stepping across `xRange` (left to right)
 * and `dy` stepping down `yRange` from its top (top row: the largest value, as on a plot).
 */
export function latentGrid(
  base: ArrayLike<number>,
  dx: number,
  dy: number,
  xRange: [number, number],
  yRange: [number, number],
  rows: number,
  cols: number,
): LatentGrid {
  const dim = base.length;
  const xs = linspace(xRange[0], xRange[1], cols);
  const ys = linspace(yRange[1], yRange[0], rows);
  const codes = new Float32Array(rows * cols * dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const at = (r * cols + c) * dim;
      for (let d = 0; d < dim; d++) codes[at + d] = base[d]!;
      codes[at + dx] = xs[c]!;
      if (dy !== dx) codes[at + dy] = ys[r]!;
    }
  }
  return { codes, rows, cols, xs, ys };
}
