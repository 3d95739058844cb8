/**
 * A run's read-outs: each batch and epoch report shown in the panel (stats, curves, memory and
 * progress, redrawn a few times a second) and posted to the host (`progress`, throttled, and
 * `epochEnd`, which drive VS Code's progress notification), and where the run is (the views
 * read it).
 */
import type { MemoryInfo, WebviewToHost } from '../../src/shared/messages';
import type { BatchReport, EpochReport } from '../training/trainReports';
import type { PanelLayout } from './layout';

/**
 * Minimum time between redraws of the stats, curves and progress while training, ms. Each
 * redraw costs frames (style, paint, compositing: on a software renderer, the CPU that trains),
 * so they are redrawn a few times a second, not per batch.
 */
const UI_INTERVAL_MS = 500;

export interface ReadoutOptions {
  layout: PanelLayout;
  post(message: WebviewToHost): void;
  /** The tensors in use (the page's and the worker's). */
  memory(): MemoryInfo;
  /** Refreshes the views (throttled unless `now`). */
  refreshViews(now?: boolean): void;
  /** Minimum time between `progress` messages, ms. */
  progressIntervalMs: number;
}

export class RunReadouts {
  private at = { epoch: 0, batch: 0 };
  private lastProgress = Number.NEGATIVE_INFINITY;
  private lastBatch: BatchReport | null = null;
  private lastUi = Number.NEGATIVE_INFINITY;
  private epochs: EpochReport[] = [];

  constructor(private readonly options: ReadoutOptions) {}

  /** The epoch and batch the run has reached (0 before its first batch). */
  get position(): { epoch: number; batch: number } {
    return this.at;
  }

  /** The epoch reports of the current run. */
  get epochReports(): readonly EpochReport[] {
    return this.epochs;
  }

  /** A new run starts. */
  reset(): void {
    this.at = { epoch: 0, batch: 0 };
    this.lastProgress = Number.NEGATIVE_INFINITY;
    this.lastUi = Number.NEGATIVE_INFINITY;
    this.lastBatch = null;
    this.epochs = [];
  }

  batch(r: BatchReport): void {
    const { layout } = this.options;
    this.at = { epoch: r.epoch, batch: r.batch };
    layout.curves.addBatch(r.epoch, r.batch, r.batches, r.loss, r.metrics);
    const now = performance.now();
    const lastOfEpoch = r.batch === r.batches;
    // The read-outs are redrawn a few times a second (each redraw costs the page a frame).
    this.lastBatch = r;
    if (now - this.lastUi >= UI_INTERVAL_MS || lastOfEpoch) this.show(r);
    if (now - this.lastProgress >= this.options.progressIntervalMs || lastOfEpoch) {
      this.lastProgress = now;
      // The panel never shows less progress than VS Code's notification, which this message updates.
      this.showProgress(r);
      this.options.post({
        type: 'progress',
        epoch: r.epoch,
        epochs: r.epochs,
        batch: r.batch,
        batches: r.batches,
        loss: r.loss,
        metrics: r.metrics,
        memory: this.options.memory(),
      });
    }
    this.options.refreshViews();
  }

  epoch(r: EpochReport): void {
    const { layout } = this.options;
    this.epochs.push(r);
    const memory = this.options.memory();
    layout.showEpoch(r.epoch, r.loss, r.metrics, r.samplesPerSecond, r.validation);
    layout.curves.addEpoch(r.epoch, r.loss, r.metrics, r.validation);
    layout.memory.epochEnd(memory);
    if (r.stoppedEarly) {
      layout.setProgress(`Stopped early after epoch ${r.epoch} / ${r.epochs}: the validation loss stopped improving`, 1);
    }
    this.options.post({
      type: 'epochEnd',
      epoch: r.epoch,
      loss: r.loss,
      metrics: r.metrics,
      memory,
      ...(r.validation !== undefined ? { validation: r.validation } : {}),
    });
    this.options.refreshViews(true);
  }

  /** Paused mid-epoch: the read-outs catch up with the last batch (they lag up to UI_INTERVAL_MS). */
  paused(): void {
    const last = this.lastBatch;
    if (last !== null && last.batch < last.batches) this.show(last);
  }

  /** The stats, curves, memory and progress as of batch report `r`. */
  private show(r: BatchReport): void {
    const { layout } = this.options;
    this.lastUi = performance.now();
    layout.showBatch(r.loss, r.metrics, { epoch: r.epoch, loss: r.epochLoss, samplesPerSecond: r.epochSamplesPerSecond });
    layout.curves.render();
    layout.memory.show(this.options.memory());
    this.showProgress(r);
  }

  private showProgress(r: BatchReport): void {
    this.options.layout.setProgress(
      `Epoch ${r.epoch} / ${r.epochs} · batch ${r.batch} / ${r.batches}`,
      (r.epoch - 1 + r.batch / r.batches) / r.epochs,
    );
  }
}
