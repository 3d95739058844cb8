/**
 * Colour maps for canvases, as 256-entry RGB lookup tables: a diverging map for signed values
 * (weights, gates around zero), a sequential one for magnitudes (feature maps), and a
 * categorical palette for class labels. Chosen to read on both dark and light themes.
 */

export type Lut = Uint8ClampedArray; // 256 × RGB

function buildLut(stops: [number, number, number, number][]): Lut {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1]![0]) k++;
    const [t0, r0, g0, b0] = stops[k]!;
    const [t1, r1, g1, b1] = stops[k + 1]!;
    const u = t1 === t0 ? 0 : Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
    lut[i * 3] = r0 + (r1 - r0) * u;
    lut[i * 3 + 1] = g0 + (g1 - g0) * u;
    lut[i * 3 + 2] = b0 + (b1 - b0) * u;
  }
  return lut;
}

/** Blue (negative) – light grey (zero) – red (positive); ColorBrewer RdBu, reversed. */
export const DIVERGING: Lut = buildLut([
  [0, 33, 102, 172],
  [0.2, 67, 147, 195],
  [0.4, 146, 197, 222],
  [0.5, 237, 237, 237],
  [0.6, 244, 165, 130],
  [0.8, 214, 96, 77],
  [1, 178, 24, 43],
]);

/** Viridis (dark purple → teal → yellow): monotone in lightness, legible on dark panels. */
export const SEQUENTIAL: Lut = buildLut([
  [0, 68, 1, 84],
  [0.13, 72, 36, 117],
  [0.25, 65, 68, 135],
  [0.38, 53, 95, 141],
  [0.5, 42, 120, 142],
  [0.63, 33, 145, 140],
  [0.75, 53, 183, 121],
  [0.88, 143, 215, 68],
  [1, 253, 231, 37],
]);

/** Tableau 10: one colour per class label. */
export const CATEGORICAL: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

export function categoryColor(label: number): string {
  return CATEGORICAL[((label % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length]!;
}

/** Writes the colour for t ∈ [0, 1] into `out` at `offset` (RGBA, alpha 255; NaN: transparent). */
export function writeColor(lut: Lut, t: number, out: Uint8ClampedArray, offset: number): void {
  if (!Number.isFinite(t)) {
    out[offset + 3] = 0; // missing value: transparent
    return;
  }
  const i = Math.max(0, Math.min(255, Math.round(t * 255)));
  out[offset] = lut[i * 3]!;
  out[offset + 1] = lut[i * 3 + 1]!;
  out[offset + 2] = lut[i * 3 + 2]!;
  out[offset + 3] = 255;
}

/** A CSS linear-gradient of a LUT, for legends. */
export function cssGradient(lut: Lut, direction = 'to right'): string {
  const stops: string[] = [];
  for (let k = 0; k <= 8; k++) {
    const i = Math.round((k / 8) * 255);
    stops.push(`rgb(${lut[i * 3]}, ${lut[i * 3 + 1]}, ${lut[i * 3 + 2]}) ${(k / 8) * 100}%`);
  }
  return `linear-gradient(${direction}, ${stops.join(', ')})`;
}
