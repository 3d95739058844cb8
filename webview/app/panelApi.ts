/**
 * What the training panel app (startPanel.ts) is given and gives back: its options (the views,
 * the importer, the pacing, the backend probe, the worker) and the handle main.ts, the webview
 * tests and the bench hold.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGlProbe } from '../training/backend';
import type { EpochReport } from '../training/trainReports';
import type { InspectionView } from '../views/viewTypes';
import type { PanelState } from './layout';
import type { ModelSource } from './modelSession';

export interface PanelOptions {
  /** The inspection views shown as tabs; default `createViews()` of webview/views/viewRegistry. */
  views?: InspectionView[];
  /** Imports the model bundle on the page (default: dynamic `import()`; the worker imports its own). */
  importer?: (url: string) => Promise<Record<string, unknown>>;
  /** Minimum time between view refreshes during training, ms (default 2000). */
  viewRefreshMs?: number;
  /** Target duration of one slice of training work, ms (default 40). */
  frameBudgetMs?: number;
  /** Minimum time between `progress` messages, ms (default 250). */
  progressIntervalMs?: number;
  /** WebGL probe for the automatic backend choice (tests). */
  probeWebGl?: () => WebGlProbe;
  /**
   * Build and train the model on a worker thread (default true): the page keeps a copy of the
   * model for the views, synced with the worker's weights. Where no worker starts, the page
   * loads and trains the model itself.
   */
  worker?: boolean;
}

export interface PanelHandle {
  /** Stops training, disposes the model, the optimizer and the views. */
  dispose(): Promise<void>;
  state(): PanelState;
  /** The model being trained or last trained (tests, bench). */
  model(): tf.LayersModel | null;
  /** How the page got its model: built by the worker and copied in the layers format, or by importing the module here too (`page`: no worker). */
  modelSource(): ModelSource | null;
  /** tf.memory().numTensors before the model was imported (tests: leak checks). */
  baselineTensors(): number;
  viewRefreshCount(): number;
  /** The epoch reports of the current run, timings included (tests, bench). */
  epochReports(): EpochReport[];
  readonly tf: typeof tf;
}
