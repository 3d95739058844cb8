/**
 * The training settings: epochs, batch size, optimizer, learning rate, loss, metrics, each with
 * where its value came from ("from model.compile, line 12"). Valid edits are reported with
 * `onChange` (the panel sends `configChanged`); the form is read-only while training runs.
 */
import type { TrainConfig, TrainConfigField } from '../../src/shared/messages';
import { configProblems, LOSS_CHOICES, METRIC_CHOICES, normalizeLoss, OPTIMIZER_CHOICES } from '../training/trainSettings';
import { el } from '../ui/dom';
import { defineMetricsSelect, METRICS_SELECT_TAG } from './metricsSelect';

type Field = TrainConfigField;

interface ValueElement extends HTMLElement {
  value: string;
  disabled: boolean;
  invalid?: boolean;
}

interface MultiValueElement extends HTMLElement {
  value: string[];
  disabled: boolean;
}

const LABELS: Record<Field, string> = {
  epochs: 'Epochs',
  batchSize: 'Batch size',
  optimizer: 'Optimizer',
  learningRate: 'Learning rate',
  loss: 'Loss',
  metrics: 'Metrics',
  samples: 'Samples',
  validationSplit: 'Validation split',
  earlyStoppingPatience: 'Early stopping patience',
};

/** What the data fields do when the config does not say where their value came from. */
const DEFAULT_HELP: Partial<Record<Field, string>> = {
  samples: 'empty: all of the dataset',
  validationSplit: 'a seeded random share held out, the same each run; 0: none',
  earlyStoppingPatience: 'epochs without a better validation loss; 0: off',
};

/** The fields a module's own trainStep decides, or that need the compiled loss. */
const FIXED_BY_TRAIN_STEP: readonly Field[] = ['loss', 'metrics', 'validationSplit', 'earlyStoppingPatience'];

export class ConfigForm {
  readonly element: HTMLElement;
  private readonly controls = new Map<Field, ValueElement | MultiValueElement>();
  private readonly helpers = new Map<Field, HTMLElement>();
  private readonly problems: HTMLElement;
  private current: TrainConfig | null = null;
  /** The module's own trainStep computes the loss: the loss and metrics fields do not apply. */
  private customStep = false;
  private enabled = true;

  constructor(private readonly onChange: (config: TrainConfig) => void) {
    this.element = el('form', { class: 'lp-settings', 'data-testid': 'settings', novalidate: true });
    this.element.addEventListener('submit', (e) => e.preventDefault());
    this.problems = el('div', { class: 'lp-settings-problems', role: 'alert', hidden: true });
    this.element.append(this.problems);
  }

  /**
   * Shows `config` (rebuilding the choice lists so unusual values stay selectable). The same
   * config again (each `train` repeats `init`'s) keeps the fields: rebuilding the selects forces
   * a layout of the whole panel each time, before every run.
   */
  setConfig(config: TrainConfig): void {
    if (this.current !== null && this.problems.hidden && sameConfig(this.current, config)) return;
    this.current = {
      ...config,
      validationSplit: config.validationSplit ?? 0,
      earlyStoppingPatience: config.earlyStoppingPatience ?? 0,
      metrics: [...config.metrics],
      sources: { ...config.sources },
    };
    for (const child of Array.from(this.element.querySelectorAll('.lp-field'))) child.remove();
    this.controls.clear();
    this.helpers.clear();
    const fields: HTMLElement[] = [
      this.numberField('epochs', String(config.epochs)),
      this.numberField('batchSize', String(config.batchSize)),
      this.selectField('optimizer', config.optimizer, OPTIMIZER_CHOICES),
      this.numberField('learningRate', String(config.learningRate)),
      this.selectField('loss', normalizeLoss(config.loss), LOSS_CHOICES),
      this.metricsField(config.metrics),
      this.numberField('samples', config.samples === undefined ? '' : String(config.samples)),
      this.numberField('validationSplit', String(config.validationSplit ?? 0)),
      this.numberField('earlyStoppingPatience', String(config.earlyStoppingPatience ?? 0)),
    ];
    this.element.prepend(...fields);
    this.showProblems([]);
    this.applyState();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.applyState();
  }

  /** With a custom trainStep the loss and metrics fields are fixed and say why. */
  setCustomStep(customStep: boolean): void {
    this.customStep = customStep;
    this.applyState();
  }

  private applyState(): void {
    for (const [name, control] of this.controls) {
      const fixed = this.customStep && FIXED_BY_TRAIN_STEP.includes(name);
      control.disabled = !this.enabled || fixed;
      const helper = this.helpers.get(name);
      if (helper) helper.textContent = fixed ? "set by the module's trainStep" : this.helpText(name);
    }
    this.element.classList.toggle('lp-readonly', !this.enabled);
  }

  private helpText(name: Field): string {
    return this.current?.sources[name] ?? DEFAULT_HELP[name] ?? 'default';
  }

  get config(): TrainConfig | null {
    return this.current;
  }

  private field(name: Field, control: ValueElement | MultiValueElement): HTMLElement {
    const id = `lp-field-${name}`;
    control.id = id;
    control.dataset['field'] = name;
    this.controls.set(name, control);
    const helper = el('vscode-form-helper', { class: 'lp-field-source', text: this.helpText(name) });
    this.helpers.set(name, helper);
    control.addEventListener('change', () => this.read());
    return el('div', { class: 'lp-field' }, el('vscode-label', { for: id, text: LABELS[name] }), control, helper);
  }

  /** A number input (validated by configProblems: the component's own range checks report empty messages). */
  private numberField(name: Field, value: string): HTMLElement {
    const input = el('vscode-textfield', { inputmode: 'decimal' }) as unknown as ValueElement;
    input.value = value;
    return this.field(name, input);
  }

  private selectField(name: Field, value: string, choices: readonly string[]): HTMLElement {
    const select = el('vscode-single-select') as unknown as ValueElement;
    const options = choices.includes(value) ? [...choices] : [value, ...choices];
    for (const choice of options) select.append(el('vscode-option', { value: choice, selected: choice === value, text: choice }));
    return this.field(name, select);
  }

  private metricsField(values: readonly string[]): HTMLElement {
    defineMetricsSelect();
    const select = el(METRICS_SELECT_TAG) as unknown as MultiValueElement;
    const options = [...new Set([...values, ...METRIC_CHOICES])];
    for (const choice of options)
      select.append(el('vscode-option', { value: choice, selected: values.includes(choice), text: choice }));
    return this.field('metrics', select);
  }

  private read(): void {
    if (this.current === null) return;
    const text = (name: Field): string => String((this.controls.get(name) as ValueElement | undefined)?.value ?? '');
    const metrics = (this.controls.get('metrics') as MultiValueElement | undefined)?.value ?? [];
    const next: TrainConfig = {
      epochs: Number(text('epochs')),
      batchSize: Number(text('batchSize')),
      optimizer: text('optimizer'),
      learningRate: Number(text('learningRate')),
      loss: text('loss'),
      metrics: [...metrics],
      validationSplit: Number(text('validationSplit')),
      earlyStoppingPatience: Number(text('earlyStoppingPatience')),
      sources: { ...this.current.sources },
    };
    if (text('samples').trim() !== '') next.samples = Number(text('samples'));
    const problems = configProblems(next);
    this.showProblems(problems);
    for (const name of ['epochs', 'batchSize', 'learningRate', 'samples', 'validationSplit', 'earlyStoppingPatience'] as const) {
      const control = this.controls.get(name) as ValueElement;
      control.invalid = problems.some((p) => p.startsWith(LABELS[name]));
    }
    if (problems.length > 0) return;
    for (const name of Object.keys(LABELS) as Field[]) {
      const before = this.current[name];
      const after = next[name];
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        next.sources[name] = 'set in the panel';
        this.helpers.get(name)!.textContent = 'set in the panel';
      }
    }
    this.current = next;
    this.onChange(next);
  }

  private showProblems(problems: string[]): void {
    this.problems.hidden = problems.length === 0;
    this.problems.textContent = problems.join(' ');
  }
}

/** Field by field (key order aside): the same values, metrics and sources. */
function sameConfig(a: TrainConfig, b: TrainConfig): boolean {
  const fields = [
    'epochs',
    'batchSize',
    'optimizer',
    'learningRate',
    'loss',
    'samples',
    'validationSplit',
    'earlyStoppingPatience',
  ] as const;
  const sources = (c: TrainConfig): string => JSON.stringify(Object.entries(c.sources).sort(([x], [y]) => (x < y ? -1 : 1)));
  return fields.every((f) => a[f] === b[f]) && a.metrics.join('\n') === b.metrics.join('\n') && sources(a) === sources(b);
}
