/**
 * Text forms of shapes and counts, as Keras's `model.summary()` prints them. Shared by the
 * lenses, the CLI and the training panel; imports nothing.
 */

/** One shape: a number per dimension, `null` for one not known until run time (`None`). */
export type Dims = readonly (number | null)[];

function formatOne(shape: Dims): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Whether a layer's output is several shapes (`[[null, 8], [null, 8]]`) rather than one. */
export function isShapeList<S extends Dims>(shape: S | readonly S[]): shape is S[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** `(None, 26, 26, 32)`; several outputs as `[(None, 8), (None, 8)]`; unknown as `?`. */
export function formatShape(shape: Dims | readonly Dims[] | null | undefined): string {
  if (shape == null) return '?';
  if (isShapeList(shape)) return `[${shape.map(formatOne).join(', ')}]`;
  return formatOne(shape as Dims);
}

/** `93,322`; unknown as `?`. */
export function formatCount(n: number | null | undefined): string {
  if (n == null) return '?';
  // Same as toLocaleString('en-US') for safe integers, without its per-call cost (CodeLens hot
  // path) or Intl's locale data (loaded on the first call).
  return Number.isSafeInteger(n) && !Object.is(n, -0)
    ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : n.toLocaleString('en-US');
}

/** `h = 9`, `sizes = [64,32]`: a value the user states for a parameter (`FUNCTION.PARAM`), as shown. */
export function describeAssumption(key: string, value: unknown): string {
  return `${key.slice(key.lastIndexOf('.') + 1)} = ${JSON.stringify(value)}`;
}
