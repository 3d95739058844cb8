/**
 * A regressor's or forecaster's predictions against their targets: a scatter of predicted vs
 * true (one point per sample, or per value for several values a sample) with the line y = x,
 * themed from the VS Code colours (and repainted when the theme changes).
 */
import { el } from '../ui/dom';
import { setupCanvas } from '../views/canvas';
import { readable } from '../ui/contrast';
import { canvasTheme } from '../views/theme';
import { formatNumber } from '../views/viewWidgets';
import { niceTicks } from '../ui/lineChart';
import { paintThemed } from '../ui/themeWatch';

const MARGIN = { left: 48, right: 12, top: 10, bottom: 34 };
const SIZE = { width: 360, height: 300 };

export interface PredictionData {
  predicted: Float32Array;
  target: Float32Array;
  /** Values per sample. */
  width: number;
}

/** The scatter's element; its canvas carries the number of points drawn in `data-points`. */
export function renderPredictionPlot(data: PredictionData): HTMLElement {
  const canvas = el('canvas', { class: 'lp-prediction-plot', 'data-testid': 'prediction-plot', role: 'img' });
  const what = data.width === 1 ? 'one point per sample' : `one point per value (${data.width} a sample)`;
  canvas.setAttribute('aria-label', `Predicted against true values, ${what}`);
  const wrap = el(
    'div',
    { class: 'lp-prediction' },
    canvas,
    el('div', { class: 'lp-prediction-note', text: `Predicted vs true, ${what}; the line is y = x.` }),
  );
  // Drawn again from `data` when the theme changes (its colours are the theme's).
  requestAnimationFrame(() => paintThemed(canvas, () => drawScatter(canvas, data)));
  return wrap;
}

function drawScatter(canvas: HTMLCanvasElement, data: PredictionData): void {
  const { width, height } = SIZE;
  const ctx = setupCanvas(canvas, width, height);
  const theme = canvasTheme(canvas);
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of [data.predicted, data.target]) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const px = (v: number): number => plot.left + ((v - lo) / (hi - lo)) * (plot.right - plot.left);
  const py = (v: number): number => plot.bottom - ((v - lo) / (hi - lo)) * (plot.bottom - plot.top);
  ctx.font = theme.font;
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(lo, hi, 4)) {
    ctx.beginPath();
    ctx.moveTo(plot.left, Math.round(py(t)) + 0.5);
    ctx.lineTo(plot.right, Math.round(py(t)) + 0.5);
    ctx.stroke();
    ctx.fillText(formatNumber(t), plot.left - 6, py(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(lo, hi, 4)) ctx.fillText(formatNumber(t), px(t), plot.bottom + 4);
  ctx.fillText('true', (plot.left + plot.right) / 2, plot.bottom + 18);
  ctx.save();
  ctx.translate(10, (plot.top + plot.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('predicted', 0, -6);
  ctx.restore();
  // y = x
  ctx.strokeStyle = theme.accent2;
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  ctx.moveTo(px(lo), py(lo));
  ctx.lineTo(px(hi), py(hi));
  ctx.stroke();
  ctx.setLineDash([]);
  // Half-see-through points show where they pile up; their colour still reaches 3:1 as drawn.
  ctx.fillStyle = readable(readable(theme.accent, theme.card, 3, 0.7), theme.background, 3, 0.7);
  ctx.globalAlpha = 0.7;
  let drawn = 0;
  for (let i = 0; i < data.target.length; i++) {
    const x = data.target[i]!;
    const y = data.predicted[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    ctx.fillRect(px(x) - 1.5, py(y) - 1.5, 3, 3);
    drawn++;
  }
  ctx.globalAlpha = 1;
  canvas.dataset['points'] = String(drawn);
}
