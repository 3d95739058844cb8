/**
 * Small themed charts drawn on canvases: bars (dense outputs), heatmaps (sequences, gates, wide
 * vectors), histograms and line plots. All sizes in CSS pixels; canvases are HiDPI.
 */
import { drawScaledTile, extent, setupCanvas, valueTile } from './canvas';
import { type Lut } from './colormaps';
import { formatNumber } from './viewWidgets';
import { canvasTheme, type CanvasTheme } from './theme';

/** Vertical bars around a zero line; labels under bars when there are few; argmax outlined. */
export function drawBars(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  width: number,
  height = 96,
  markMax = false,
): void {
  const ctx = setupCanvas(canvas, width, height);
  const theme = canvasTheme(canvas);
  const n = values.length;
  const [lo0, hi0] = extent(values);
  const lo = Math.min(0, lo0);
  const hi = Math.max(0, hi0, lo === 0 && hi0 === 0 ? 1 : 0);
  const labelRoom = n <= 32 ? 14 : 0;
  const top = 12;
  const plotH = height - labelRoom - top;
  const y = (v: number): number => top + ((hi - v) / (hi - lo || 1)) * plotH;
  const slot = width / n;
  const barW = Math.max(1, Math.min(32, slot * (n <= 32 ? 0.7 : 0.9)));
  let arg = 0;
  for (let i = 1; i < n; i++) if (values[i]! > values[arg]!) arg = i;
  ctx.font = theme.font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const x = i * slot + (slot - barW) / 2;
    ctx.fillStyle = v >= 0 ? theme.accent : theme.accent2;
    const y0 = y(0);
    const y1 = y(v);
    ctx.fillRect(x, Math.min(y0, y1), barW, Math.max(1, Math.abs(y1 - y0)));
    if (labelRoom > 0) {
      ctx.fillStyle = markMax && i === arg ? theme.foreground : theme.muted;
      ctx.fillText(String(i), i * slot + slot / 2, height - labelRoom + 2);
    }
  }
  if (markMax && n > 1) {
    ctx.strokeStyle = theme.foreground;
    ctx.lineWidth = 1;
    const x = arg * slot + (slot - barW) / 2 - 1.5;
    ctx.strokeRect(x, Math.min(y(0), y(values[arg]!)) - 1.5, barW + 3, Math.abs(y(values[arg]!) - y(0)) + 3);
  }
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  ctx.moveTo(0, Math.round(y(0)) + 0.5);
  ctx.lineTo(width, Math.round(y(0)) + 0.5);
  ctx.stroke();
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'left';
  ctx.fillText(`max ${formatNumber(hi0)}`, 2, 0);
}

export interface HeatmapOptions {
  cellW: number;
  cellH: number;
  /** Values at or below lo map to the LUT's start, at or above hi to its end. */
  lo: number;
  hi: number;
  lut: Lut;
}

/** rows × cols values (row-major) as a pixelated heatmap. Returns the CSS size drawn. */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  o: HeatmapOptions,
): { width: number; height: number } {
  const tile = valueTile(values, 0, cols, rows, o.lut, o.lo, o.hi);
  const width = Math.max(1, cols * o.cellW);
  const height = Math.max(1, rows * o.cellH);
  drawScaledTile(canvas, tile, width, height);
  return { width, height };
}

/** A histogram: `counts` over [lo, hi], with the range and a zero marker. */
export function drawHistogram(
  canvas: HTMLCanvasElement,
  counts: ArrayLike<number>,
  lo: number,
  hi: number,
  width: number,
  height = 72,
  color?: string,
  // A caller drawing many reads the theme once: each read is a getComputedStyle, which
  // recalculates styles after every DOM change in between.
  theme: CanvasTheme = canvasTheme(canvas),
): void {
  const ctx = setupCanvas(canvas, width, height);
  const n = counts.length;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, counts[i]!);
  const axis = 14;
  const plotH = height - axis - 2;
  const binW = width / n;
  ctx.fillStyle = color ?? theme.accent;
  for (let i = 0; i < n; i++) {
    // sqrt scale: keeps small bins visible next to a spike at zero
    const h = max > 0 ? Math.sqrt(counts[i]! / max) * plotH : 0;
    ctx.fillRect(i * binW, 2 + plotH - h, Math.max(1, binW - 0.5), h);
  }
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  ctx.moveTo(0, plotH + 2.5);
  ctx.lineTo(width, plotH + 2.5);
  ctx.stroke();
  if (lo < 0 && hi > 0) {
    const x = Math.round(((0 - lo) / (hi - lo)) * width) + 0.5;
    ctx.strokeStyle = theme.muted;
    ctx.setLineDash([2, 2]);
    ctx.beginPath();
    ctx.moveTo(x, 2);
    ctx.lineTo(x, plotH + 2);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.font = theme.font;
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(formatNumber(lo), 0, height);
  ctx.textAlign = 'right';
  ctx.fillText(formatNumber(hi), width, height);
}

export interface LineSeries {
  values: ArrayLike<number>;
  color: string;
  dashed?: boolean;
}

/** Overlaid line plots on a shared y range. */
export function drawLines(canvas: HTMLCanvasElement, series: LineSeries[], width: number, height: number): void {
  const ctx = setupCanvas(canvas, width, height);
  const theme = canvasTheme(canvas);
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const s of series) {
    const [a, b] = extent(s.values);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
    n = Math.max(n, s.values.length);
  }
  if (!(hi > lo)) {
    hi = lo + 1;
  }
  const pad = 3;
  const x = (i: number): number => pad + (n > 1 ? (i / (n - 1)) * (width - 2 * pad) : width / 2);
  const y = (v: number): number => pad + ((hi - v) / (hi - lo)) * (height - 2 * pad);
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.25;
    ctx.setLineDash(s.dashed ? [3, 2] : []);
    ctx.beginPath();
    for (let i = 0; i < s.values.length; i++) {
      const px = x(i);
      const py = y(s.values[i]!);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
