/**
 * A GAN's two losses on one chart: the generator's and the discriminator's, one point per
 * measurement (along the run, or at the views' refreshes), with the balance point ln 2 dashed,
 * a y axis with round values and a mark where each epoch begins.
 */
import { el } from '../ui/dom';
import { niceTicks } from '../ui/lineChart';
import { setupCanvas } from './canvas';
import { canvasTheme, type CanvasTheme } from './theme';
import { formatNumber } from './viewWidgets';

export interface LossPoint {
  epoch: number;
  batch: number;
  generator: number;
  discriminator: number;
}

const LN2 = Math.LN2;

/** Draws the two series of `points` on `canvas` (width × height CSS pixels). */
export function drawLossPair(canvas: HTMLCanvasElement, points: readonly LossPoint[], width: number, height: number): void {
  const ctx = setupCanvas(canvas, width, height);
  const theme = canvasTheme(canvas);
  const left = 44;
  const bottom = 20;
  const top = 8;
  const right = 8;
  const w = width - left - right;
  const h = height - top - bottom;
  let lo = LN2;
  let hi = LN2;
  for (const p of points) {
    for (const v of [p.generator, p.discriminator]) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const pad = (hi - lo) * 0.08 || 0.1;
  lo = Math.max(0, lo - pad);
  hi += pad;
  const n = points.length;
  const x = (i: number): number => left + (n > 1 ? (i / (n - 1)) * w : w / 2);
  const y = (v: number): number => top + ((hi - v) / (hi - lo)) * h;
  ctx.font = theme.font;
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, w - 1, h - 1);
  // y ticks at round values (as the training curves have), each with a faint gridline
  const ticks = niceTicks(lo, hi);
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks) {
    const at = Math.round(y(v)) + 0.5;
    ctx.strokeStyle = theme.gridLine;
    ctx.beginPath();
    ctx.moveTo(left, at);
    ctx.lineTo(left + w, at);
    ctx.stroke();
    ctx.fillText(formatNumber(v), left - 4, at);
  }
  canvas.dataset['ticks'] = ticks.map(formatNumber).join(',');
  // epoch marks, labelled where the label fits (not over the previous one, not past the edge)
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  let labelEnd = -Infinity;
  points.forEach((p, i) => {
    if (i > 0 && p.epoch === points[i - 1]!.epoch) return;
    ctx.strokeStyle = theme.gridLine;
    ctx.beginPath();
    ctx.moveTo(Math.round(x(i)) + 0.5, top);
    ctx.lineTo(Math.round(x(i)) + 0.5, top + h);
    ctx.stroke();
    const label = `epoch ${p.epoch}`;
    const end = x(i) + 2 + ctx.measureText(label).width;
    if (x(i) < labelEnd + 8 || end > width) return;
    ctx.fillStyle = theme.muted;
    ctx.fillText(label, x(i) + 2, top + h + 4);
    labelEnd = end;
  });
  // ln 2: both losses at the balance point
  ctx.strokeStyle = theme.muted;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(left, y(LN2));
  ctx.lineTo(left + w, y(LN2));
  ctx.stroke();
  ctx.setLineDash([]);
  const series: Array<[keyof LossPoint, string]> = [
    ['generator', theme.accent],
    ['discriminator', theme.accent2],
  ];
  for (const [key, color] of series) {
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1.75;
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(x(i), y(p[key])) : ctx.lineTo(x(i), y(p[key]))));
    ctx.stroke();
    if (n === 1) ctx.fillRect(x(0) - 2, y(points[0]![key]) - 2, 4, 4);
  }
  canvas.dataset['points'] = String(n);
  // The epoch of each point (tests read where the measurements were taken).
  canvas.dataset['epochs'] = points.map((p) => p.epoch).join(',');
  const last = points[n - 1];
  canvas.dataset['last'] = last ? `${last.generator},${last.discriminator}` : '';
}

/** The chart's legend (in the colours of `theme`): a swatch per series and the dashed ln 2 line. */
export function lossPairLegend(theme: CanvasTheme): HTMLElement {
  const swatch = (color: string): HTMLElement => el('span', { class: 'ml-swatch', style: `background:${color}` });
  return el(
    'div',
    { class: 'ml-hint', 'data-role': 'loss-legend' },
    swatch(theme.accent),
    ' generator loss  ',
    swatch(theme.accent2),
    ' discriminator loss  ',
    el('span', { class: 'ml-swatch ml-swatch-dashed', style: `border-color:${theme.muted}` }),
    ' ln 2 ≈ 0.69: both losses at the balance point, where the discriminator says ½ for every image',
  );
}
