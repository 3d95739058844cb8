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

/** A loss: four significant digits, exponent form for tiny or huge values: 0.2315, 12.35, 3.142e-5. */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

/** Accuracy-like metrics in [0, 1] as percentages (`91.2%`), others like losses. */
export function formatMetric(name: string, value: number): string {
  if (/acc|precision|recall/i.test(name) && value >= 0 && value <= 1) return `${(value * 100).toFixed(1)}%`;
  return formatLoss(value);
}

/**
 * `loss 0.1234 · accuracy 91.2%` (VS Code's progress notification and the output log), in the
 * panel's formats; anything that is not a finite number is left out (the values come from the
 * webview).
 */
export function formatMetrics(loss: unknown, metrics: unknown): string {
  const parts = typeof loss === 'number' && Number.isFinite(loss) ? [`loss ${formatLoss(loss)}`] : [];
  if (typeof metrics === 'object' && metrics !== null) {
    for (const [name, value] of Object.entries(metrics)) {
      if (typeof value === 'number' && Number.isFinite(value)) parts.push(`${name.slice(0, 40)} ${formatMetric(name, value)}`);
    }
  }
  return parts.join(' · ');
}

/** `h = 9`, `sizes = [64,32]`: a value the user states for a parameter (`FUNCTION.PARAM`), as shown. */
export function describeAssumption(key: string, value: unknown): string {
  return `${key.slice(key.lastIndexOf('.') + 1)} = ${JSON.stringify(value)}`;
}
