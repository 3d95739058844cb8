/**
 * Colours a canvas can be read in: WCAG 2 contrast between theme colours, and the nearest colour
 * that reaches a ratio on a background. The theme's chart colours are picked for the editor; on
 * a chart's own background (a light theme's orange on near-white, a line drawn half
 * transparent) some fall short of the 3:1 graphics need, so charts draw the adjusted colour.
 */

export type Rgb = [number, number, number];

/** A 2-D canvas context as far as reading colours back goes (typed here: unit tests have no DOM library). */
interface ColorNormaliser {
  fillStyle: unknown;
}
interface CanvasDocument {
  createElement(tag: 'canvas'): { getContext(kind: '2d'): ColorNormaliser | null };
}

let normaliser: ColorNormaliser | null | undefined;

/** A CSS colour (hex, rgb(), or anything a canvas accepts) as RGB 0–255 and alpha 0–1; null if unreadable. */
export function parseCssColor(css: string): { rgb: Rgb; alpha: number } | null {
  const s = css.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (hex) {
    let h = hex[1]!;
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16);
    return { rgb: [n(0), n(2), n(4)], alpha: h.length === 8 ? n(6) / 255 : 1 };
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(s);
  if (rgb) {
    const alpha = rgb[4] === undefined ? 1 : Number(rgb[4]) / (rgb[5] === '%' ? 100 : 1);
    return { rgb: [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])], alpha };
  }
  // Named and other colours: a canvas writes them back as hex or rgba().
  if (normaliser === undefined) {
    const doc = (globalThis as { document?: CanvasDocument }).document;
    normaliser = doc === undefined ? null : doc.createElement('canvas').getContext('2d');
  }
  if (!normaliser) return null;
  normaliser.fillStyle = '#010203';
  normaliser.fillStyle = s;
  const out = String(normaliser.fillStyle);
  return out === '#010203' || out === s ? null : parseCssColor(out);
}

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number): number => {
    const x = Math.min(255, Math.max(0, v)) / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const toHex = (c: Rgb): string =>
  `#${c
    .map((v) =>
      Math.round(Math.min(255, Math.max(0, v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** `color` composed over an opaque `background` (its alpha applied). */
function flatten(color: string, background: Rgb): Rgb | null {
  const c = parseCssColor(color);
  return c === null ? null : mix(background, c.rgb, c.alpha);
}

/**
 * `color` on `background`, darkened (on a light background) or lightened (on a dark one) just
 * enough to reach `ratio` when drawn with `alpha`; unchanged, as given, when it already does or
 * cannot be read.
 */
export function readable(color: string, background: string, ratio: number, alpha = 1): string {
  const bg = flatten(background, [255, 255, 255]);
  const fg = bg && flatten(color, bg);
  if (!bg || !fg) return color;
  const drawn = (c: Rgb): Rgb => mix(bg, c, alpha);
  if (contrast(drawn(fg), bg) >= ratio) return color;
  // Aim a little above the ratio: the result is rounded to whole channel values.
  const goal = ratio + 0.05;
  const target: Rgb = luminance(bg) > 0.18 ? [0, 0, 0] : [255, 255, 255];
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 20; i++) {
    const t = (lo + hi) / 2;
    if (contrast(drawn(mix(fg, target, t)), bg) >= goal) hi = t;
    else lo = t;
  }
  return toHex(mix(fg, target, hi));
}

/**
 * A lighter-weight version of `color` for secondary marks (per-batch values behind the epoch
 * means): as close to `background` as still reaches `ratio`, opaque.
 */
export function subdued(color: string, background: string, ratio: number): string {
  const bg = flatten(background, [255, 255, 255]);
  const strong = bg && flatten(readable(color, background, ratio), bg);
  if (!bg || !strong) return color;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 20; i++) {
    const t = (lo + hi) / 2;
    if (contrast(mix(bg, strong, t), bg) >= ratio + 0.05) hi = t;
    else lo = t;
  }
  // Never fainter than half-way: the line stays the series' colour.
  return toHex(mix(bg, strong, Math.max(hi, 0.5)));
}
