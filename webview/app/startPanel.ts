/**
 * The training panel app. It gets its host as a Transport (the VS Code webview API in
 * main.ts, a stub in tests) and a root element, and runs the protocol:
 *
 *   host → init      choose the backend (→ backend), import the model bundle (→ state ready
 *                    once the dataset is there too)
 *   host → dataset   keep the training data
 *   host → train     (or the Train button) train a freshly loaded model with the config
 *   host → control   pause / resume / stop (stop frees the optimizer; the model stays, to
 *                    look at and to save, until Train again or the page closes)
 *   host → focusLayer, exportModel (→ savedModel, or exportFailed with the reason)
 *   panel → progress (throttled), epochEnd, state, error, configChanged, saveModel (Save button)
 *
 * Closing the page (`pagehide`) or `dispose()` stops training and disposes every tensor of the
 * model and the optimizer. The worker, the model and the trainer are made and freed in
 * modelSession.ts; the DOM is layout.ts's; a run's read-outs are runReadouts.ts's; the options
 * and the handle are panelApi.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  DatasetArrays,
  DatasetPayload,
  HostToWebview,
  TrainConfig,
  Transport,
  WebviewToHost,
} from '../../src/shared/messages';
import { EvaluationRunner } from '../evaluation/evaluationRunner';
import { nameLayers, viewLayerName } from '../probes/layerNames';
import { sampleCount, toTrainingData } from '../training/dataset';
import type { TrainerHooks, TrainerLike } from '../training/trainReports';
import { configProblems, metricLabel, normalizeMetric } from '../training/trainSettings';
import { formatCount } from '../ui/format';
import { createViews } from '../views/viewRegistry';
import type { ProbeContext } from '../views/viewTypes';
import './elements';
import { PanelLayout } from './layout';
import type { PanelState } from './layout';
import { ModelSession } from './modelSession';
import { PanelBackend, workerCount } from './panelBackend';
import type { PanelHandle, PanelOptions } from './panelApi';
import { RunReadouts } from './runReadouts';

type InitMessage = Extract<HostToWebview, { type: 'init' }>;

export function startPanel(
  transport: Transport<HostToWebview, WebviewToHost>,
  root: HTMLElement,
  options: PanelOptions = {},
): PanelHandle {
  const controller = new PanelController(transport, root, options);
  return controller.handle;
}

class PanelController {
  readonly handle: PanelHandle;
  private readonly layout: PanelLayout;
  private state: PanelState = 'loading';
  private init: InitMessage | null = null;
  private config: TrainConfig | null = null;
  /** The config of the last run (its held-out samples are what Evaluate evaluates). */
  private runConfig: TrainConfig | null = null;
  private dataset: DatasetArrays | null = null;
  /** The worker, the model and the current run's trainer. */
  private readonly session: ModelSession;
  private readonly backend: PanelBackend;
  private trainWanted = false;
  private focusedLayer: string | null = null;
  private readonly evaluation: EvaluationRunner;
  /** The current run's read-outs and position. */
  private readonly readouts: RunReadouts;
  private ops: Promise<void> = Promise.resolve();
  /** Set when closing starts: queued operations are skipped from then on. */
  private closing: Promise<void> | null = null;
  private disposed = false;
  private readonly unsubscribe: () => void;
  private readonly onPageHide = (): void => void this.dispose();

  constructor(
    private readonly transport: Transport<HostToWebview, WebviewToHost>,
    root: HTMLElement,
    private readonly options: PanelOptions,
  ) {
    this.session = new ModelSession(options);
    const views = options.views ?? createViews();
    this.layout = new PanelLayout(
      root,
      views,
      {
        train: () => this.enqueue(() => this.startTraining()),
        togglePause: () => (this.state === 'paused' ? this.session.trainer?.resume() : this.session.trainer?.pause()),
        stop: () => this.requestStop(),
        save: () => this.post({ type: 'saveModel' }),
        evaluate: () => this.enqueue(() => this.evaluation.run()),
        configChanged: (config) => {
          this.config = config;
          if (this.session.trainer === null && this.readouts.epochReports.length === 0) {
            this.layout.resetRun(
              config.epochs,
              config.metrics.map((m) => metricLabel(normalizeMetric(m))),
            );
          }
          this.post({ type: 'configChanged', config });
        },
      },
      options.viewRefreshMs,
    );
    this.layout.tabs.prepare = () => this.session.syncWeights();
    this.backend = new PanelBackend(this.layout, (message) => this.post(message));
    this.evaluation = new EvaluationRunner(this.layout.evaluation, {
      model: () => this.session.model,
      dataset: () => this.dataset,
      // The split the model was trained with, not a setting changed since.
      config: () => this.runConfig ?? this.config,
      customStep: () => this.session.customStep,
      training: () => this.session.trainer !== null,
      closing: () => this.closing !== null,
      syncWeights: () => this.session.syncWeights(),
    });
    this.readouts = new RunReadouts({
      layout: this.layout,
      post: (message) => this.post(message),
      memory: () => this.session.memory(),
      refreshViews: (now) => this.layout.tabs.refresh(() => this.probeContext(), now),
      progressIntervalMs: options.progressIntervalMs ?? 250,
    });
    this.unsubscribe = transport.onMessage((message) => this.onMessage(message));
    window.addEventListener('pagehide', this.onPageHide);
    this.handle = {
      dispose: () => this.dispose(),
      state: () => this.state,
      model: () => this.session.model,
      modelSource: () => this.session.source,
      baselineTensors: () => this.session.baseline,
      viewRefreshCount: () => this.layout.tabs.refreshCount,
      epochReports: () => [...this.readouts.epochReports],
      tf,
    };
    root.removeAttribute('aria-busy');
    this.post({ type: 'ready' });
  }

  private post(message: WebviewToHost): void {
    if (!this.disposed) this.transport.post(message);
  }

  private onMessage(message: HostToWebview): void {
    if (this.closing !== null) return;
    switch (message.type) {
      case 'init':
        this.session.trainer?.stop();
        this.enqueue(() => this.onInit(message));
        break;
      case 'dataset':
        this.enqueue(() => this.onDataset(message.dataset));
        break;
      case 'train':
        this.config = message.config;
        this.layout.form.setConfig(message.config);
        this.session.trainer?.stop();
        this.enqueue(() => this.startTraining());
        break;
      case 'control':
        if (message.action === 'pause') this.session.trainer?.pause();
        else if (message.action === 'resume') this.session.trainer?.resume();
        else this.requestStop();
        break;
      case 'focusLayer': {
        const name = viewLayerName(this.init?.target.layers ?? [], this.session.model?.layers, message.layerName, message.line);
        this.focusedLayer = name;
        this.layout.tabs.focusLayer(name);
        this.layout.tabs.refresh(() => this.probeContext(), true);
        break;
      }
      case 'exportModel':
        this.enqueue(async () => this.post(await this.session.exportAnswer(message.requestId)));
        break;
    }
  }

  /** Runs operations one after another; a failure is reported, not propagated. */
  private enqueue(op: () => Promise<void>): void {
    this.ops = this.ops.then(async () => {
      if (this.closing !== null) return;
      try {
        await op();
      } catch (error) {
        this.fail(error);
      }
    });
  }

  private setState(state: PanelState, message?: string): void {
    this.state = state;
    this.layout.setState(state);
    this.post(message === undefined ? { type: 'state', state } : { type: 'state', state, message });
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.layout.showError(message);
    this.post({ type: 'error', message });
    this.setState('error', message);
  }

  private async onInit(init: InitMessage): Promise<void> {
    await this.releaseModel();
    this.init = init;
    this.config = init.config;
    this.layout.showError(null);
    this.layout.form.setConfig(init.config);
    const kind = init.target.kind === 'sequential' ? 'Sequential' : 'functional model';
    this.layout.setModelInfo(init.target.name, `${init.target.file}:${init.target.line} · ${kind}`);
    this.layout.resetRun(
      init.config.epochs,
      init.config.metrics.map((m) => metricLabel(normalizeMetric(m))),
    );
    this.setState('loading');
    const backend = await this.backend.select(init.backend, init.wasmBase, this.options.probeWebGl);
    await this.session.start(init.wasmBase, backend, () => this.closing !== null, workerCount(init.workers));
    await this.load();
    this.becomeReady();
  }

  private async onDataset(payload: DatasetPayload): Promise<void> {
    this.dataset = toTrainingData(payload);
    this.layout.setDataset(payload.description);
    this.evaluation.reset();
    this.becomeReady();
  }

  /** Imports a fresh copy of the model (every run starts from new weights). */
  private async load(): Promise<void> {
    const init = this.init;
    if (init === null) throw new Error('The panel has not been initialised.');
    const model = await this.session.load(init.bundleUrl, init.target);
    // The views show the analysis's layer names (as the lenses), the same for every load.
    nameLayers(model.layers, init.target.layers);
    const kind = init.target.kind === 'sequential' ? 'Sequential' : 'functional model';
    const custom = this.session.customStep ? ' · custom trainStep' : '';
    this.layout.setModelInfo(
      init.target.name,
      `${init.target.file}:${init.target.line} · ${kind} · ${formatCount(model.countParams())} params${custom}`,
    );
    this.layout.form.setCustomStep(this.session.customStep);
    this.layout.tabs.setModel(model);
    this.evaluation.reset();
    this.showMemory();
  }

  private becomeReady(): void {
    if (this.session.model === null || this.state === 'training' || this.state === 'paused') return;
    if (this.dataset === null) {
      this.layout.setProgress('Waiting for the training data…', 0);
      return;
    }
    if (this.state === 'loading' || this.state === 'error') this.setState('ready');
    this.layout.setProgress(`${formatCount(sampleCount(this.dataset))} samples`, 0);
    this.layout.tabs.refresh(() => this.probeContext(), true);
    if (this.trainWanted) this.enqueue(() => this.startTraining());
  }

  private async startTraining(): Promise<void> {
    if (this.init === null || this.config === null) {
      this.trainWanted = true; // starts once init (and the dataset) arrive
      return;
    }
    await this.session.stop();
    const problems = configProblems(this.config);
    if (problems.length > 0) throw new Error(`Cannot train: ${problems.join(' ')}`);
    if (this.dataset === null) {
      this.trainWanted = true;
      this.layout.setProgress('Waiting for the training data…', 0);
      return;
    }
    this.trainWanted = false;
    const model = this.session.model;
    if (model !== null && (await this.backend.confirm(model, this.dataset, this.config, this.init.wasmBase))) {
      await this.releaseModel(); // WebGPU failed its check: the worker starts again on the fallback
      await this.session.start(
        this.init.wasmBase,
        this.backend.name!,
        () => this.closing !== null,
        workerCount(this.init.workers),
      );
    }
    if (this.session.needsLoad) {
      await this.releaseModel();
      await this.load();
    }
    const dataset = this.dataset;
    const config = this.config;
    this.runConfig = config;
    this.layout.showError(null);
    const hooks: TrainerHooks = {
      onBatch: (r) => this.readouts.batch(r),
      onEpoch: (r) => this.readouts.epoch(r),
      onPauseChange: (paused) => {
        if (paused) this.readouts.paused();
        this.setState(paused ? 'paused' : 'training');
      },
      onWorkersChange: (workers, reason) => this.backend.show(workers, reason),
    };
    const trainer = await this.session.train(dataset, config, hooks);
    this.backend.show(this.session.workers);
    this.readouts.reset();
    this.layout.resetRun(config.epochs, trainer.metricNames);
    this.evaluation.reset();
    this.layout.setProgress(`Epoch 1 / ${config.epochs}`, 0);
    this.setState('training');
    trainer.run().then(
      (outcome) => {
        if (outcome === 'done' && this.session.trainer === trainer) this.enqueue(() => this.finishRun(trainer));
      },
      (error: unknown) => {
        if (this.session.trainer !== trainer) return;
        this.session.finish(trainer);
        this.fail(error);
      },
    );
  }

  private async finishRun(trainer: TrainerLike): Promise<void> {
    if (this.session.trainer !== trainer) return;
    this.session.finish(trainer);
    this.showMemory();
    this.setState('done');
    // Training is over: the views show the trained model at once, not when the throttle allows.
    this.layout.tabs.refresh(() => this.probeContext(), true, true);
    await this.evaluation.run();
  }

  private probeContext(): ProbeContext | null {
    const model = this.session.model;
    if (model === null || this.dataset === null) return null;
    return {
      tf,
      model,
      dataset: this.dataset,
      sampleIndex: 0,
      epoch: this.readouts.position.epoch,
      batch: this.readouts.position.batch,
      focusedLayer: this.focusedLayer,
      ganLosses: () => this.session.ganLosses(this.dataset),
    };
  }

  /**
   * Stops training at the next slice and frees the optimizer; the model stays, with the weights
   * it reached, for the views and for Save Model (Train again starts from a fresh model, closing
   * the panel frees it).
   */
  private requestStop(): void {
    const trainer = this.session.trainer;
    if (trainer === null) return;
    void trainer.stop();
    this.enqueue(async () => {
      if (this.session.trainer !== trainer) return;
      await this.session.stop();
      this.showMemory();
      this.setState('stopped');
      this.layout.tabs.refresh(() => this.probeContext(), true, true);
    });
  }

  /** Stops training and disposes the model, every model its module made, and the optimizer. */
  private async releaseModel(): Promise<void> {
    if (await this.session.release(() => this.layout.tabs.idle())) this.layout.tabs.setModel(null);
    this.showMemory();
  }

  private showMemory(): void {
    this.layout.memory.show(this.session.memory());
  }

  private dispose(): Promise<void> {
    this.closing ??= (async () => {
      window.removeEventListener('pagehide', this.onPageHide);
      this.unsubscribe();
      void this.session.trainer?.stop();
      await this.ops;
      await this.releaseModel();
      this.session.dispose();
      this.disposed = true;
      this.layout.tabs.dispose();
      this.layout.curves.dispose();
    })();
    return this.closing;
  }
}
