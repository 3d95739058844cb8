/**
 * The matrix products inside a fused recurrence: every step multiplies the batch's hidden states
 * (or gate gradients) by a fixed weight matrix. A `Product` holds that matrix; `multiply` computes
 * out[rows, n] (+)= a[rows, k] · w[k, n]. Here in plain JS (any backend); wasmProducts.ts runs
 * them on the WASM backend's own matrix multiply, far faster for these sizes.
 */

export interface Product {
  /** out[rows, n] = a[rows, k] · w (or out += … when `accumulate`). */
  multiply(a: Float64Array, rows: number, out: Float64Array, accumulate: boolean): void;
  /** Frees what the product holds outside the JS heap. */
  dispose(): void;
}

/** Makes a product for the row-major matrix w [k, n]. */
export type ProductFactory = (w: Float64Array, k: number, n: number) => Product;

/** Plain JS: four rows of w per pass over an output row, so each output value is loaded and stored a quarter as often. */
export const jsProducts: ProductFactory = (w, k, n) => ({
  multiply(a, rows, out, accumulate) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      const ar = r * k;
      if (!accumulate) out.fill(0, o, o + n);
      let j = 0;
      for (; j + 3 < k; j += 4) {
        const a0 = a[ar + j]!;
        const a1 = a[ar + j + 1]!;
        const a2 = a[ar + j + 2]!;
        const a3 = a[ar + j + 3]!;
        const w0 = j * n;
        const w1 = w0 + n;
        const w2 = w1 + n;
        const w3 = w2 + n;
        for (let c = 0; c < n; c++) out[o + c] += a0 * w[w0 + c]! + a1 * w[w1 + c]! + a2 * w[w2 + c]! + a3 * w[w3 + c]!;
      }
      for (; j < k; j++) {
        const aj = a[ar + j]!;
        const wj = j * n;
        for (let c = 0; c < n; c++) out[o + c] += aj * w[wj + c]!;
      }
    }
  },
  dispose() {},
});

/** Columns [from, to) of the row-major matrix m [rows, cols]. */
export function columns(m: ArrayLike<number>, rows: number, cols: number, from: number, to: number): Float64Array {
  const width = to - from;
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[r * width + c] = m[r * cols + from + c]!;
  return out;
}

/** The transpose [cols, rows] of the row-major matrix m [rows, cols]. */
export function transpose(m: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}
