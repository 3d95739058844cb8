/**
 * The panel's DOM: a header (model, state, backend), the toolbar (Train, Pause/Resume, Stop,
 * progress), the backend/error notices, stat tiles (loss, metrics, speed, memory), the
 * settings, and the tabs (training curves + inspection views). Rendering helpers only: the
 * controller (startPanel.ts) decides what to show.
 */
import type { TrainConfig, ValidationResult, WebviewToHost } from '../../src/shared/messages';
import type { InspectionView } from '../views/viewTypes';
import { el } from '../ui/dom';
import { formatCount, formatLoss, formatMetric, formatRate } from '../ui/format';
import { MemoryMeter } from '../ui/memoryMeter';
import { TrainingCurves } from '../ui/trainingCurves';
import { EvaluationSection } from '../evaluation/evaluationSection';
import { ConfigForm } from './configForm';
import { ViewTabs } from './viewTabs';

export type PanelState = Extract<WebviewToHost, { type: 'state' }>['state'];

interface ButtonElement extends HTMLElement {
  disabled: boolean;
  icon: string;
}

const STATE_LABELS: Record<PanelState, string> = {
  loading: 'Loading',
  ready: 'Ready',
  training: 'Training',
  paused: 'Paused',
  done: 'Done',
  stopped: 'Stopped',
  error: 'Error',
};

export interface LayoutActions {
  train(): void;
  togglePause(): void;
  stop(): void;
  save(): void;
  evaluate(): void;
  configChanged(config: TrainConfig): void;
}

export class PanelLayout {
  readonly curves = new TrainingCurves();
  readonly memory = new MemoryMeter();
  readonly form: ConfigForm;
  readonly tabs: ViewTabs;
  readonly evaluation: EvaluationSection;
  private readonly modelName = el('h1', { class: 'lp-model-name', text: 'Model Lens' });
  private readonly modelSource = el('span', { class: 'lp-model-source' });
  private readonly stateBadge = el('span', { class: 'lp-state', 'data-testid': 'state', role: 'status' });
  private readonly backendBadge = el('span', { class: 'lp-backend', 'data-testid': 'backend', hidden: true });
  private readonly trainButton: ButtonElement;
  private readonly pauseButton: ButtonElement;
  private readonly stopButton: ButtonElement;
  private readonly saveButton: ButtonElement;
  private readonly progressText = el('span', { class: 'lp-progress-text', 'data-testid': 'progress' });
  /**
   * A plain bar, not vscode-progress-bar: that one animates each change of its width (a 100 ms
   * transition on a composited layer), which on a software renderer cost the training worker
   * 15–20 % of its speed; this one repaints once per update.
   */
  private readonly progressFill = el('div', { class: 'lp-progress-fill' });
  private readonly progressBar = el(
    'div',
    { class: 'lp-progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' },
    this.progressFill,
  );
  private readonly notice = el('div', { class: 'lp-notice', 'data-testid': 'backend-reason', hidden: true });
  private readonly errorBox = el('div', { class: 'lp-error', role: 'alert', 'data-testid': 'error', hidden: true });
  private readonly datasetLine = el('span', { class: 'lp-dataset', 'data-testid': 'dataset' });
  private readonly lossValue = el('div', { class: 'lp-stat-value', 'data-testid': 'loss-value', text: '–' });
  private readonly lossSub = el('div', { class: 'lp-stat-sub', 'data-testid': 'epoch-loss', text: 'no batches yet' });
  private readonly metricTiles = el('div', { class: 'lp-metric-tiles' });
  private readonly validationValue = el('div', { class: 'lp-stat-value', 'data-testid': 'validation-loss', text: '–' });
  private readonly validationSub = el('div', { class: 'lp-stat-sub', 'data-testid': 'validation-sub' });
  private readonly validationTile = el(
    'div',
    { class: 'lp-stat', hidden: true },
    el('div', { class: 'lp-stat-label', text: 'Validation loss' }),
    this.validationValue,
    this.validationSub,
  );
  private readonly speedValue = el('div', { class: 'lp-stat-value', 'data-testid': 'speed', text: '–' });
  private readonly speedSub = el('div', { class: 'lp-stat-sub', text: 'samples / s' });
  private readonly settings: HTMLElement & { open: boolean };
  /** Whether a run is under way (training or paused): a run's start closes the settings once. */
  private running = false;

  constructor(root: HTMLElement, views: readonly InspectionView[], actions: LayoutActions, viewRefreshMs = 2000) {
    this.form = new ConfigForm((config) => actions.configChanged(config));
    this.trainButton = this.button('Train', 'play', false, () => actions.train());
    this.pauseButton = this.button('Pause', 'debug-pause', true, () => actions.togglePause());
    this.stopButton = this.button('Stop', 'debug-stop', true, () => actions.stop());
    this.pauseButton.dataset['testid'] = 'pause';
    this.trainButton.dataset['testid'] = 'train';
    this.stopButton.dataset['testid'] = 'stop';
    this.saveButton = this.button('Save Model…', 'save', true, () => actions.save());
    this.saveButton.dataset['testid'] = 'save';
    this.saveButton.title = 'Save the trained model into the workspace (model.json + weights.bin, tfjs layers format)';
    this.evaluation = new EvaluationSection(() => actions.evaluate());
    const trainingTab = el('div', { class: 'lp-training-tab' }, this.curves.element, this.evaluation.element);
    this.tabs = new ViewTabs({ id: 'training', title: 'Training', content: trainingTab }, views, viewRefreshMs);

    const header = el(
      'header',
      { class: 'lp-header' },
      el('div', { class: 'lp-title' }, this.modelName, this.modelSource),
      el('div', { class: 'lp-badges' }, this.backendBadge, this.stateBadge),
    );
    const toolbar = el(
      'div',
      { class: 'lp-toolbar', role: 'toolbar', 'aria-label': 'Training' },
      this.trainButton,
      this.pauseButton,
      this.stopButton,
      this.saveButton,
      el('span', { class: 'lp-toolbar-spacer' }),
      this.progressText,
    );
    const stats = el(
      'section',
      { class: 'lp-stats', 'aria-label': 'Training statistics' },
      el(
        'div',
        { class: 'lp-stat' },
        el('div', { class: 'lp-stat-label', text: 'Loss (last batch)' }),
        this.lossValue,
        this.lossSub,
      ),
      this.metricTiles,
      this.validationTile,
      el('div', { class: 'lp-stat' }, el('div', { class: 'lp-stat-label', text: 'Speed' }), this.speedValue, this.speedSub),
      this.memory.element,
    );
    this.settings = el(
      'vscode-collapsible',
      { class: 'lp-settings-section', title: 'Settings', open: true, 'data-testid': 'settings-section' },
      this.form.element,
    ) as HTMLElement & { open: boolean };
    root.replaceChildren(
      header,
      toolbar,
      this.progressBar,
      this.notice,
      this.errorBox,
      el('div', { class: 'lp-dataset-row' }, this.datasetLine),
      stats,
      this.settings,
      this.tabs.element,
    );
    this.setState('loading');
  }

  setModelInfo(name: string, source: string): void {
    this.modelName.textContent = name;
    this.modelSource.textContent = source;
  }

  setState(state: PanelState): void {
    this.stateBadge.textContent = STATE_LABELS[state];
    this.stateBadge.dataset['state'] = state;
    const running = state === 'training' || state === 'paused';
    // A run starting folds the settings away so the curves and views are above the fold; the
    // user may open them again, and they stay as left until the next run starts.
    if (running && !this.running) this.settings.open = false;
    this.running = running;
    this.trainButton.disabled = state === 'loading' || running;
    this.trainButton.textContent = state === 'done' || state === 'stopped' ? 'Train again' : 'Train';
    this.pauseButton.disabled = !running;
    this.pauseButton.textContent = state === 'paused' ? 'Resume' : 'Pause';
    this.pauseButton.icon = state === 'paused' ? 'debug-continue' : 'debug-pause';
    this.stopButton.disabled = !running;
    // Something trained to save: while training (the weights so far), and after done or stop.
    this.saveButton.disabled = !(running || state === 'done' || state === 'stopped');
    this.form.setEnabled(!running && state !== 'loading');
    this.evaluation.setEnabled(!running && state !== 'loading' && state !== 'error');
    this.progressBar.classList.toggle('lp-progress-busy', state === 'loading');
    document.body.dataset['state'] = state;
  }

  setBackend(name: string, reason: string): void {
    this.backendBadge.hidden = false;
    this.backendBadge.textContent = name.toUpperCase();
    this.backendBadge.dataset['backend'] = name;
    this.backendBadge.title = reason;
    this.notice.hidden = false;
    this.notice.textContent = reason;
  }

  setDataset(description: string): void {
    this.datasetLine.textContent = description;
  }

  showError(message: string | null): void {
    this.errorBox.hidden = message === null;
    this.errorBox.textContent = message ?? '';
  }

  setProgress(text: string, fraction: number): void {
    this.progressText.textContent = text;
    const value = Math.max(0, Math.min(1, fraction));
    this.progressFill.style.transform = `scaleX(${value})`;
    this.progressBar.setAttribute('aria-valuenow', String(Math.round(value * 100)));
  }

  /** The last batch's loss (exact value in `data-value`, for tests) and metrics. */
  /** The last batch's loss and metrics, and the epoch so far: its mean loss and speed. */
  showBatch(
    loss: number,
    metrics: Record<string, number>,
    epoch: { epoch: number; loss: number; samplesPerSecond: number },
  ): void {
    this.lossValue.textContent = formatLoss(loss);
    this.lossValue.dataset['value'] = String(loss);
    this.lossSub.textContent = `epoch ${epoch.epoch} so far: ${formatLoss(epoch.loss)}`;
    delete this.lossSub.dataset['value'];
    this.showSpeed(epoch.samplesPerSecond);
    this.speedSub.textContent = `samples / s (epoch ${epoch.epoch} so far)`;
    for (const [name, value] of Object.entries(metrics)) {
      const tile = this.metricTile(name);
      const valueEl = tile.querySelector<HTMLElement>('.lp-stat-value')!;
      valueEl.textContent = formatMetric(name, value);
      valueEl.dataset['value'] = String(value);
    }
  }

  /** An epoch's means, and its validation values when samples are held out. */
  showEpoch(
    epoch: number,
    loss: number,
    metrics: Record<string, number>,
    samplesPerSecond: number,
    validation?: ValidationResult,
  ): void {
    this.lossSub.textContent = `epoch ${epoch}: ${formatLoss(loss)}`;
    this.lossSub.dataset['value'] = String(loss);
    for (const [name, value] of Object.entries(metrics)) {
      this.metricTile(name).querySelector<HTMLElement>('.lp-stat-sub')!.textContent =
        `epoch ${epoch}: ${formatMetric(name, value)}`;
    }
    this.validationTile.hidden = validation === undefined;
    if (validation !== undefined) {
      this.validationValue.textContent = formatLoss(validation.loss);
      this.validationValue.dataset['value'] = String(validation.loss);
      const shown = Object.entries(validation.metrics).map(([name, value]) => `${name} ${formatMetric(name, value)}`);
      this.validationSub.textContent = [`epoch ${epoch}`, ...shown, `${formatCount(validation.samples)} held out`].join(' · ');
    }
    this.showSpeed(samplesPerSecond);
    this.speedSub.textContent = `samples / s (epoch ${epoch})`;
  }

  showSpeed(samplesPerSecond: number): void {
    this.speedValue.textContent = formatRate(samplesPerSecond);
    this.speedValue.dataset['value'] = String(samplesPerSecond);
  }

  /** Clears the read-outs for a new run with these metrics. */
  resetRun(epochs: number, metricNames: readonly string[]): void {
    this.curves.reset(epochs, metricNames);
    this.memory.reset();
    this.lossValue.textContent = '–';
    delete this.lossValue.dataset['value'];
    this.lossSub.textContent = 'no batches yet';
    this.speedValue.textContent = '–';
    this.speedSub.textContent = 'samples / s';
    this.metricTiles.replaceChildren();
    for (const name of metricNames) this.metricTile(name);
    this.validationTile.hidden = true;
    this.setProgress('', 0);
  }

  private metricTile(name: string): HTMLElement {
    const existing = Array.from(this.metricTiles.children).find((c) => (c as HTMLElement).dataset['metric'] === name);
    if (existing) return existing as HTMLElement;
    const tile = el(
      'div',
      { class: 'lp-stat', 'data-metric': name },
      el('div', { class: 'lp-stat-label', text: name }),
      el('div', { class: 'lp-stat-value', 'data-testid': `metric-${name}`, text: '–' }),
      el('div', { class: 'lp-stat-sub', text: ' ' }),
    );
    this.metricTiles.append(tile);
    return tile;
  }

  private button(label: string, icon: string, secondary: boolean, onClick: () => void): ButtonElement {
    const button = el('vscode-button', { icon, secondary, text: label }) as unknown as ButtonElement;
    button.addEventListener('click', () => {
      if (!button.disabled) onClick();
    });
    return button;
  }
}
