/**
 * The panel's live curves: loss and each metric, per batch (light) and per epoch (bold), against
 * epochs (batch b of epoch e sits at e − 1 + b / batches), and the same per epoch on the
 * held-out samples (dashed, "validation"). The loss chart has a log-scale toggle. Once drawn, the
 * charts are drawn again from the same points when the theme changes.
 */
import { formatMetric } from './format';
import { LineChart } from './lineChart';
import type { ChartPoint, ChartSeries } from './lineChart';
import { onThemeRepaint } from './themeWatch';

const METRIC_COLORS = [
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-orange',
  '--vscode-charts-yellow',
  '--vscode-charts-red',
];

interface Curve {
  batches: ChartPoint[];
  epochs: ChartPoint[];
  validation: ChartPoint[];
}

const emptyCurve = (): Curve => ({ batches: [], epochs: [], validation: [] });

export class TrainingCurves {
  readonly element: HTMLElement;
  private readonly lossChart: LineChart;
  private readonly metricChart: LineChart;
  private loss: Curve = emptyCurve();
  private metrics = new Map<string, Curve>();
  private epochs = 1;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'lp-curves';
    this.lossChart = new LineChart('Loss', { emptyText: 'The loss appears here once training starts' });
    this.metricChart = new LineChart('Metrics', {
      emptyText: 'The metrics appear here once training starts',
      formatY: (v) => formatMetric(this.metricNames()[0] ?? '', v),
    });
    const logToggle = document.createElement('label');
    logToggle.className = 'lp-log-toggle';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset['testid'] = 'log-scale';
    box.addEventListener('change', () => this.lossChart.setLogY(box.checked));
    logToggle.append(box, document.createTextNode('log scale'));
    this.lossChart.addControl(logToggle);
    this.element.append(this.lossChart.element, this.metricChart.element);
  }

  /** Clears the curves for a new run of `epochs` epochs with these metrics. */
  reset(epochs: number, metricNames: readonly string[]): void {
    this.epochs = Math.max(1, epochs);
    this.loss = emptyCurve();
    this.metrics = new Map(metricNames.map((name) => [name, emptyCurve()]));
    this.metricChart.element.hidden = metricNames.length === 0;
    this.render();
  }

  /** Records a batch; drawn at the next `render()` (the panel draws a few times a second). */
  addBatch(epoch: number, batch: number, batches: number, loss: number, metrics: Record<string, number>): void {
    const x = epoch - 1 + batch / batches;
    this.loss.batches.push({ x, y: loss });
    for (const [name, value] of Object.entries(metrics)) this.curve(name).batches.push({ x, y: value });
  }

  /** Records an epoch's means, and its values on the held-out samples when there are some. */
  addEpoch(
    epoch: number,
    loss: number,
    metrics: Record<string, number>,
    validation?: { loss: number; metrics: Record<string, number> },
  ): void {
    this.loss.epochs.push({ x: epoch, y: loss });
    for (const [name, value] of Object.entries(metrics)) this.curve(name).epochs.push({ x: epoch, y: value });
    if (validation !== undefined) {
      this.loss.validation.push({ x: epoch, y: validation.loss });
      for (const [name, value] of Object.entries(validation.metrics)) this.curve(name).validation.push({ x: epoch, y: value });
    }
    this.render();
  }

  /** The per-epoch values so far, training and validation (for tests). */
  epochCurves(): { training: number[]; validation: number[] } {
    return { training: this.loss.epochs.map((p) => p.y), validation: this.loss.validation.map((p) => p.y) };
  }

  /** Per-batch loss values so far (for tests and the bench). */
  batchLosses(): number[] {
    return this.loss.batches.map((p) => p.y);
  }

  dispose(): void {
    this.lossChart.dispose();
    this.metricChart.dispose();
  }

  private metricNames(): string[] {
    return [...this.metrics.keys()];
  }

  private curve(name: string): Curve {
    let curve = this.metrics.get(name);
    if (!curve) {
      curve = emptyCurve();
      this.metrics.set(name, curve);
    }
    return curve;
  }

  render(): void {
    // The charts read the theme's colours when they draw: a new theme redraws them (no new data).
    onThemeRepaint(this.element, () => this.render());
    const validated = this.loss.validation.length > 0;
    const training = validated ? 'training ' : '';
    const lossSeries: ChartSeries[] = [
      { label: `${training}loss per batch`, color: '--vscode-charts-blue', points: this.loss.batches, weight: 'thin' },
      { label: `${training}loss per epoch`, color: '--vscode-charts-blue', points: this.loss.epochs, weight: 'bold' },
    ];
    if (validated) {
      lossSeries.push({
        label: 'validation loss',
        color: '--vscode-charts-orange',
        points: this.loss.validation,
        weight: 'bold',
        dashed: true,
      });
    }
    this.lossChart.update(lossSeries, this.epochs);
    const metricSeries: ChartSeries[] = [];
    this.metricNames().forEach((name, i) => {
      const color = METRIC_COLORS[i % METRIC_COLORS.length]!;
      const curve = this.metrics.get(name)!;
      metricSeries.push({ label: `${training}${name}`, color, points: curve.batches, weight: 'thin' });
      metricSeries.push({ label: `${training}${name}`, color, points: curve.epochs, weight: 'bold' });
      if (curve.validation.length > 0) {
        metricSeries.push({ label: `validation ${name}`, color, points: curve.validation, weight: 'bold', dashed: true });
      }
    });
    this.metricChart.update(metricSeries, this.epochs);
  }
}
