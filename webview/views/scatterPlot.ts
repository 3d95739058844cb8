/**
 * A 2-D scatter of latent codes coloured by class label, with a legend, a hover tooltip and
 * click-to-pick (the clicked sample becomes the probed sample). Exactly one point per sample.
 */
import { setupCanvas } from './canvas';
import { categoryColor } from './colormaps';
import { el } from '../ui/dom';
import { formatNumber } from './viewWidgets';
import { canvasTheme } from './theme';
import { onThemeRepaint } from '../ui/themeWatch';

export interface ScatterData {
  /** n × 2, interleaved x, y. */
  points: Float32Array;
  n: number;
  /** Dataset index of each point. */
  indices: readonly number[];
  labels: Int32Array | null;
  xLabel: string;
  yLabel: string;
  /** Same scale on both axes (PCA: variances stay comparable). */
  equalAspect: boolean;
}

const MARGIN = { left: 40, right: 10, top: 10, bottom: 30 };

export class ScatterPlot {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;
  private data: ScatterData | null = null;
  private screen: Float32Array = new Float32Array(0);
  private width = 400;
  private height = 320;

  constructor(private readonly onPick: (index: number) => void) {
    this.canvas = el('canvas', { class: 'ml-scatter', 'data-role': 'latent-scatter' });
    this.legend = el('div', { class: 'ml-legend-list' });
    this.element = el('div', { class: 'ml-scatter-wrap' }, this.canvas, this.legend);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('click', (e) => {
      const i = this.nearest(e);
      if (i >= 0 && this.data) this.onPick(this.data.indices[i]!);
    });
  }

  setData(data: ScatterData, width: number, height: number): void {
    this.data = data;
    this.width = width;
    this.height = height;
    this.draw();
    this.drawLegend();
  }

  private draw(): void {
    const d = this.data;
    if (!d) return;
    const ctx = setupCanvas(this.canvas, this.width, this.height);
    const theme = canvasTheme(this.canvas);
    // The frame, the labels and an unlabelled cloud are in theme colours: drawn again for a new theme.
    onThemeRepaint(this.canvas, () => this.draw());
    const plotW = this.width - MARGIN.left - MARGIN.right;
    const plotH = this.height - MARGIN.top - MARGIN.bottom;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < d.n; i++) {
      const x = d.points[2 * i]!;
      const y = d.points[2 * i + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    if (!(x1 >= x0)) [x0, x1, y0, y1] = [-1, 1, -1, 1];
    if (x1 - x0 < 1e-9) [x0, x1] = [x0 - 1, x1 + 1];
    if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 1, y1 + 1];
    let sx = plotW / (x1 - x0);
    let sy = plotH / (y1 - y0);
    if (d.equalAspect) sx = sy = Math.min(sx, sy);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const px = (x: number): number => MARGIN.left + plotW / 2 + (x - cx) * sx * 0.94;
    const py = (y: number): number => MARGIN.top + plotH / 2 - (y - cy) * sy * 0.94;
    // Frame and zero axes.
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW, plotH);
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    const zx = px(0);
    const zy = py(0);
    if (zx > MARGIN.left && zx < MARGIN.left + plotW) {
      ctx.moveTo(Math.round(zx) + 0.5, MARGIN.top);
      ctx.lineTo(Math.round(zx) + 0.5, MARGIN.top + plotH);
    }
    if (zy > MARGIN.top && zy < MARGIN.top + plotH) {
      ctx.moveTo(MARGIN.left, Math.round(zy) + 0.5);
      ctx.lineTo(MARGIN.left + plotW, Math.round(zy) + 0.5);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    // Points.
    this.screen = new Float32Array(d.n * 2);
    // Category colours overlap half-see-through; the one theme colour is drawn solid (3:1 on the card).
    ctx.globalAlpha = d.labels ? 0.8 : 1;
    for (let i = 0; i < d.n; i++) {
      const x = px(d.points[2 * i]!);
      const y = py(d.points[2 * i + 1]!);
      this.screen[2 * i] = x;
      this.screen[2 * i + 1] = y;
      ctx.fillStyle = d.labels ? categoryColor(d.labels[d.indices[i]!] ?? 0) : theme.accent;
      ctx.beginPath();
      ctx.arc(x, y, 2.2, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // Axis labels and ranges.
    ctx.font = theme.font;
    ctx.fillStyle = theme.muted;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'center';
    ctx.fillText(d.xLabel, MARGIN.left + plotW / 2, MARGIN.top + plotH + 14);
    ctx.textAlign = 'left';
    ctx.fillText(formatNumber(cx - plotW / 2 / sx / 0.94), MARGIN.left, MARGIN.top + plotH + 3);
    ctx.textAlign = 'right';
    ctx.fillText(formatNumber(cx + plotW / 2 / sx / 0.94), MARGIN.left + plotW, MARGIN.top + plotH + 3);
    ctx.save();
    ctx.translate(12, MARGIN.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(d.yLabel, 0, -4);
    ctx.restore();
    this.canvas.dataset['points'] = String(d.n);
  }

  private drawLegend(): void {
    const d = this.data;
    this.legend.replaceChildren();
    if (!d || !d.labels) return;
    const counts = new Map<number, number>();
    for (const idx of d.indices) {
      const l = d.labels[idx] ?? 0;
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    for (const [label, count] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
      const dot = el('span', { class: 'ml-dot' });
      dot.style.background = categoryColor(label);
      this.legend.append(
        el('span', { class: 'ml-legend-item', title: `${count} samples` }, dot, el('span', { text: String(label) })),
      );
    }
  }

  private nearest(e: MouseEvent): number {
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    let best = -1;
    let bestD = 36; // 6 px
    for (let i = 0; i < (this.data?.n ?? 0); i++) {
      const dx = this.screen[2 * i]! - x;
      const dy = this.screen[2 * i + 1]! - y;
      const dd = dx * dx + dy * dy;
      if (dd < bestD) {
        bestD = dd;
        best = i;
      }
    }
    return best;
  }

  private hover(e: MouseEvent): void {
    const i = this.nearest(e);
    const d = this.data;
    if (i < 0 || !d) {
      this.canvas.title = '';
      this.canvas.style.cursor = 'default';
      return;
    }
    const idx = d.indices[i]!;
    const label = d.labels?.[idx];
    this.canvas.title = `sample #${idx}${label !== undefined ? ` · label ${label}` : ''} (click to probe it)`;
    this.canvas.style.cursor = 'pointer';
  }
}
