/** Text forms of shapes and counts, as Keras's `model.summary()` prints them. */
import type { OutputShape, Shape } from './types';

function formatOne(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

export function isShapeList(shape: OutputShape): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** `(None, 26, 26, 32)`; several outputs as `[(None, 8), (None, 8)]`; unknown as `?`. */
export function formatShape(shape: OutputShape | null | undefined): string {
  if (shape == null) return '?';
  if (isShapeList(shape)) return `[${shape.map(formatOne).join(', ')}]`;
  return formatOne(shape as Shape);
}

/** `93,322`; unknown as `?`. */
export function formatCount(n: number | null | undefined): string {
  if (n == null) return '?';
  // Same as toLocaleString('en-US') for safe integers, without its per-call cost (CodeLens hot
  // path) or Intl's locale data (the panel's first call loaded it: 25 ms).
  return Number.isSafeInteger(n) && !Object.is(n, -0) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en-US');
}
