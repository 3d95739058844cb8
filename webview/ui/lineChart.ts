/**
 * A small line chart on a canvas, themed from VS Code's `--vscode-charts-*` colours (read at
 * every draw: themes change at run time). Draws at the device pixel ratio, redraws on resize,
 * and coalesces updates into one draw per animation frame.
 */
import { readable, subdued } from './contrast';
import { cssVar } from './dom';
import { formatLoss } from './format';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  /** A `--vscode-*` colour variable, e.g. `--vscode-charts-blue`. */
  color: string;
  points: readonly ChartPoint[];
  /** `thin`: per-batch values (light, no dots); `bold`: per-epoch values with dots. */
  weight: 'thin' | 'bold';
  /** Drawn dashed (validation values), in the legend too. */
  dashed?: boolean;
}

export interface LineChartOptions {
  /** Format for y-axis labels. */
  formatY?: (value: number) => string;
  /** Lowest x shown (the x axis always starts here), default 0. */
  xMin?: number;
  /** Text shown while there are no points. */
  emptyText?: string;
  height?: number;
}

const FALLBACK_COLORS: Record<string, string> = {
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
};

/**
 * Round tick steps (1, 2, 5 × 10^k) covering [min, max]: the finest step that gives at most
 * `count` + 1 ticks, so an axis gets about `count` labels rather than one or two.
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const ticksOf = (step: number): number[] => {
    const ticks: number[] = [];
    // Counted from an integer multiple, so 0 is exactly 0 (not -0 or a rounding residue).
    for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
      ticks.push(Number((k * step).toPrecision(12)) + 0);
    return ticks;
  };
  for (const m of [0.5, 1, 2, 5, 10]) {
    const ticks = ticksOf(m * power);
    if (ticks.length <= count + 1) return ticks;
  }
  return ticksOf(10 * power);
}

export class LineChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly options: LineChartOptions;
  private series: ChartSeries[] = [];
  private xMax = 1;
  private logY = false;
  private frame = 0;
  private readonly observer: ResizeObserver | null = null;

  constructor(title: string, options: LineChartOptions = {}) {
    this.options = options;
    this.element = document.createElement('figure');
    this.element.className = 'lp-chart';
    const caption = document.createElement('figcaption');
    caption.className = 'lp-chart-title';
    const titleText = document.createElement('span');
    titleText.textContent = title;
    this.legend = document.createElement('span');
    this.legend.className = 'lp-chart-legend';
    caption.append(titleText, this.legend);
    this.caption = caption;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'lp-chart-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', title);
    this.canvas.style.height = `${options.height ?? 170}px`;
    this.element.append(caption, this.canvas);
    if (typeof ResizeObserver !== 'undefined') {
      this.observer = new ResizeObserver(() => this.schedule());
      this.observer.observe(this.canvas);
    }
  }

  /** Replaces the data; `xMax` is the end of the x axis (e.g. the number of epochs). */
  update(series: ChartSeries[], xMax: number): void {
    this.series = series;
    this.xMax = xMax;
    this.schedule();
  }

  /** Adds a control (a toggle) to the chart's title line. */
  addControl(control: HTMLElement): void {
    this.caption.append(control);
  }

  /** A logarithmic y axis (values ≤ 0 are left out). */
  setLogY(logY: boolean): void {
    this.logY = logY;
    this.schedule();
  }

  get isLogY(): boolean {
    return this.logY;
  }

  dispose(): void {
    this.observer?.disconnect();
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.element.remove();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(this.element);
    // The canvas's own background (panel.css): series and labels are drawn to AA contrast on it.
    const background = cssVar(style, '--vscode-editorWidget-background', cssVar(style, '--vscode-editor-background', '#1e1e1e'));
    const muted = readable(cssVar(style, '--vscode-descriptionForeground', '#9d9d9d'), background, 4.5);
    const grid = cssVar(style, '--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)');
    const fontSize = Math.max(10, parseFloat(cssVar(style, '--vscode-font-size', '13px')) - 2);
    ctx.font = `${fontSize}px ${cssVar(style, '--vscode-font-family', 'system-ui, sans-serif')}`;
    // Epoch means in the series' colour, per-batch values a lighter shade of it; both 3:1.
    const colorOf = (s: ChartSeries): string => {
      const color = readable(cssVar(style, s.color, FALLBACK_COLORS[s.color] ?? '#3794ff'), background, 3);
      return s.weight === 'thin' ? subdued(color, background, 3) : color;
    };
    this.renderLegend(colorOf);

    // On a log axis the chart works in log10(y); the labels show y again.
    const ty = this.logY ? (y: number): number => (y > 0 ? Math.log10(y) : Number.NaN) : (y: number): number => y;
    const visible = this.series.filter((s) => s.points.some((p) => Number.isFinite(ty(p.y))));
    if (visible.length === 0) {
      ctx.fillStyle = muted;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(this.options.emptyText ?? 'No data yet', width / 2, height / 2);
      return;
    }
    let yMin = Infinity;
    let yMax = -Infinity;
    for (const s of visible) {
      for (const p of s.points) {
        const y = ty(p.y);
        if (!Number.isFinite(y)) continue;
        yMin = Math.min(yMin, y);
        yMax = Math.max(yMax, y);
      }
    }
    if (yMax - yMin < 1e-9) {
      yMin -= Math.abs(yMin) * 0.1 + 1e-3;
      yMax += Math.abs(yMax) * 0.1 + 1e-3;
    }
    const pad = (yMax - yMin) * 0.06;
    yMin = !this.logY && yMin >= 0 && yMin - pad < 0 ? 0 : yMin - pad;
    yMax += pad;
    const format = this.options.formatY ?? formatLoss;
    const formatY = this.logY ? (t: number): string => format(10 ** t) : format;
    const ticks = niceTicks(yMin, yMax, 4);
    const left = Math.ceil(Math.max(...ticks.map((t) => ctx.measureText(formatY(t)).width))) + 10;
    const plot = { left, top: 8, right: width - 10, bottom: height - fontSize - 10 };
    const xMin = this.options.xMin ?? 0;
    const xMax = Math.max(this.xMax, xMin + 1e-9);
    const px = (x: number): number => plot.left + ((x - xMin) / (xMax - xMin)) * (plot.right - plot.left);
    const py = (y: number): number => plot.bottom - ((ty(y) - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);

    ctx.lineWidth = 1;
    ctx.strokeStyle = grid;
    ctx.fillStyle = muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    // The labels drawn, for tests and tools that cannot read the canvas.
    this.canvas.dataset['yTicks'] = ticks.map(formatY).join('|');
    for (const t of ticks) {
      const y = Math.round(plot.bottom - ((t - yMin) / (yMax - yMin)) * (plot.bottom - plot.top)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.left, y);
      ctx.lineTo(plot.right, y);
      ctx.stroke();
      ctx.fillText(formatY(t), plot.left - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const xTicks = niceTicks(xMin, xMax, Math.max(2, Math.floor((plot.right - plot.left) / 70))).filter((t) =>
      Number.isInteger(t),
    );
    for (const t of xTicks) ctx.fillText(String(t), px(t), plot.bottom + 5);

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.left, plot.top - 4, plot.right - plot.left + 4, plot.bottom - plot.top + 8);
    ctx.clip();
    for (const s of visible) {
      const color = colorOf(s);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = s.weight === 'thin' ? 1 : 2;
      ctx.lineJoin = 'round';
      ctx.setLineDash(s.dashed ? [6, 4] : []);
      const stride = Math.max(1, Math.floor(s.points.length / (2 * (plot.right - plot.left))));
      ctx.beginPath();
      let started = false;
      for (let i = 0; i < s.points.length; i += stride) {
        const p = s.points[i]!;
        if (!Number.isFinite(ty(p.y))) continue;
        if (started) ctx.lineTo(px(p.x), py(p.y));
        else ctx.moveTo(px(p.x), py(p.y));
        started = true;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (s.weight === 'bold') {
        for (const p of s.points) {
          if (!Number.isFinite(ty(p.y))) continue;
          ctx.beginPath();
          ctx.arc(px(p.x), py(p.y), 3, 0, Math.PI * 2);
          ctx.fill();
        }
      }
    }
    ctx.restore();
  }

  private renderLegend(colorOf: (s: ChartSeries) => string): void {
    const entries = this.series.filter(
      (s) => s.weight === 'bold' || !this.series.some((o) => o.weight === 'bold' && o.label === s.label),
    );
    const key = entries.map((s) => `${s.label}|${colorOf(s)}|${s.weight}|${s.dashed === true}`).join(';');
    if (this.legend.dataset['key'] === key) return;
    this.legend.dataset['key'] = key;
    this.legend.replaceChildren(
      ...entries.map((s) => {
        const item = document.createElement('span');
        item.className = s.weight === 'thin' ? 'lp-legend-item lp-legend-thin' : 'lp-legend-item';
        if (s.dashed) item.classList.add('lp-legend-dashed');
        item.dataset['series'] = s.label;
        const swatch = document.createElement('span');
        swatch.className = 'lp-legend-swatch';
        swatch.style.setProperty('--lp-swatch', colorOf(s));
        item.append(swatch, document.createTextNode(s.label));
        return item;
      }),
    );
  }
}
