/**
 * `lp-metrics-select`: the multi-select of the Metrics setting, showing the chosen metrics'
 * names ("accuracy, mse") on its face where vscode-multi-select shows a count ("1 Selected").
 */
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import { css, html, type CSSResultGroup, type TemplateResult } from 'lit';

export const METRICS_SELECT_TAG = 'lp-metrics-select';

/** The face text for the chosen values. */
export function metricsFaceText(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : 'none';
}

interface MultiSelectLike extends HTMLElement {
  readonly value: string[];
}

/** Defines the element once (the base is vscode-multi-select, registered by its import above). */
export function defineMetricsSelect(): void {
  if (customElements.get(METRICS_SELECT_TAG)) return;
  const Base = customElements.get('vscode-multi-select') as unknown as (new () => MultiSelectLike) & { styles: CSSResultGroup };
  class MetricsSelect extends Base {
    // The multi-select face has no padding of its own (it holds badges): the names get the
    // single-select's, so the field lines up with its neighbours.
    static override styles: CSSResultGroup = [
      Base.styles,
      css`
        .metrics-face {
          height: auto;
          line-height: 18px;
          padding: 3px 24px 3px 4px;
        }
      `,
    ];

    // Replaces the base's face label (a count badge); the base renders its face through it.
    _renderLabel(): TemplateResult {
      const text = metricsFaceText(this.value);
      return html`<span class="text metrics-face" data-role="metrics-face" title=${text}>${text}</span>`;
    }
  }
  customElements.define(METRICS_SELECT_TAG, MetricsSelect);
}
