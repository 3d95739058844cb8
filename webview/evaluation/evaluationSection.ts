/**
 * The Training tab's evaluation: after a run ends (or on Evaluate), the model's results on the
 * held-out samples: a classifier's confusion matrix, a regressor's or forecaster's predictions
 * against the targets. Hidden for models it does not apply to (autoencoders, a module's own
 * trainStep, several outputs).
 */
import type { DatasetArrays } from '../../src/shared/messages';
import { el } from '../ui/dom';
import { formatCount } from '../ui/format';
import { formatPercent } from '../views/viewWidgets';
import { renderConfusion } from './confusionTable';
import type { Evaluation } from './evaluate';
import { renderPredictionPlot } from './predictionPlot';

interface ButtonElement extends HTMLElement {
  disabled: boolean;
}

export class EvaluationSection {
  readonly element: HTMLElement;
  private readonly summary = el('span', { class: 'lp-eval-summary', 'data-testid': 'evaluation-summary' });
  private readonly body = el('div', { class: 'lp-eval-body' });
  private readonly button: ButtonElement;

  constructor(onEvaluate: () => void) {
    this.button = el('vscode-button', { secondary: true, icon: 'checklist', text: 'Evaluate' }) as unknown as ButtonElement;
    this.button.dataset['testid'] = 'evaluate';
    this.button.title = 'Evaluate the model on the held-out samples';
    this.button.addEventListener('click', () => {
      if (!this.button.disabled) onEvaluate();
    });
    this.element = el(
      'section',
      { class: 'lp-eval', 'data-testid': 'evaluation', 'aria-label': 'Evaluation', hidden: true },
      el('div', { class: 'lp-eval-head' }, el('h2', { class: 'lp-eval-title', text: 'Evaluation' }), this.summary, this.button),
      this.body,
    );
  }

  /** Shown for models evaluation applies to; cleared for a new model or run. */
  reset(applies: boolean): void {
    this.element.hidden = !applies;
    this.summary.textContent = 'after training, on the held-out samples';
    this.body.replaceChildren();
  }

  setEnabled(enabled: boolean): void {
    this.button.disabled = !enabled;
  }

  running(samples: number, heldOut: boolean): void {
    this.summary.textContent = `Evaluating on ${formatCount(samples)} ${heldOut ? 'held-out' : 'training'} samples…`;
  }

  show(evaluation: Evaluation, dataset: DatasetArrays): void {
    const n = evaluation.samples.indices.length;
    const which = evaluation.samples.heldOut
      ? `${formatCount(n)} held-out samples`
      : `the ${formatCount(n)} training samples (none held out)`;
    this.element.dataset['samples'] = String(n);
    this.element.dataset['evaluations'] = String(Number(this.element.dataset['evaluations'] ?? 0) + 1);
    if (evaluation.kind === 'classifier') {
      const { correct, total } = evaluation.matrix;
      this.element.dataset['correct'] = String(correct);
      this.summary.textContent = `On ${which}: ${formatCount(correct)} right, accuracy ${formatPercent(total > 0 ? correct / total : 0)}`;
      this.body.replaceChildren(renderConfusion(evaluation.matrix, dataset));
    } else {
      let squared = 0;
      evaluation.predicted.forEach((p, i) => (squared += (p - evaluation.target[i]!) ** 2));
      const mse = squared / Math.max(1, evaluation.predicted.length);
      this.summary.textContent = `On ${which}: mean squared error ${mse.toPrecision(3)}`;
      this.body.replaceChildren(renderPredictionPlot(evaluation));
    }
  }
}
