/**
 * Gates (LSTM/GRU): tfjs does not expose gate values, so they are recomputed from each layer's
 * kernel, recurrent kernel and bias (webview/probes/gateMath.ts) for the chosen sequence, and
 * drawn as unit × timestep heatmaps: LSTM input/forget/output gates, candidate, cell and hidden
 * state; GRU update/reset gates, candidate and hidden state. The recomputed hidden state is
 * checked against the layer's own output at every timestep; the max |difference| is shown.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { ActivationProbe, type ProbedLayer } from '../probes/activationModel';
import { findLayer } from '../probes/layerNames';
import { hasRnn, rnnDirections, traceRnn, type DirectionTrace } from '../probes/rnnProbe';
import { sampleTensor } from '../probes/sampleInput';
import { Pacer, readInSteps } from '../probes/packedRead';
import { extent } from './canvas';
import { cssGradient, DIVERGING, SEQUENTIAL } from './colormaps';
import { el } from '../ui/dom';
import { emptyState, formatNumber, formatShape, gradientLegend, layerSection, segmented } from './viewWidgets';
import { gateAxes, gateTooltip } from './gateAxes';
import { drawHeatmap } from './plots';
import { SampleView } from './sampleView';
import { guard } from './viewBase';
import type { LayerFit, ProbeContext } from './viewTypes';

/** Recomputed and real hidden states must agree this closely. */
export const GATE_TOLERANCE = 1e-4;

export class GatesView extends SampleView {
  readonly id = 'gates';
  readonly title = 'Gates';
  private list: HTMLElement | null = null;
  /**
   * Gate colours: each gate's own min–max (so differences within a gate show), or the absolute
   * 0–1 a sigmoid can take (so gates compare with each other).
   */
  private gateScale: 'range' | 'unit' = 'range';
  private lastDraw: { traces: { entry: ProbedLayer; directions: DirectionTrace[] }[]; data: Float32Array } | null = null;
  /** Largest recomputation error of the last refresh, over all layers (for tests). */
  maxError = NaN;

  override applies(model: tfjs.LayersModel): boolean {
    return guard(() => hasRnn(model));
  }

  /** A recurrent layer's gates are its own view. */
  showsLayer(model: tfjs.LayersModel, layerName: string): LayerFit {
    const layer = findLayer(model.layers, layerName);
    return layer && rnnDirections(layer).length > 0 ? 'own' : 'none';
  }

  protected build(root: HTMLElement): void {
    const toolbar = el(
      'div',
      { class: 'ml-toolbar' },
      this.samplePicker(),
      el('span', { class: 'ml-spacer' }),
      segmented(
        'Gate colours',
        [
          { value: 'range', label: 'Own range' },
          { value: 'unit', label: '0–1' },
        ],
        this.gateScale,
        (v) => {
          this.gateScale = v;
          if (this.lastDraw) void this.draw(this.lastDraw.traces, this.lastDraw.data);
        },
      ),
      el('span', { class: 'ml-hint', text: 'each heatmap’s legend shows its colour map and range' }),
    );
    this.list = el('div', { class: 'ml-layer-list' });
    root.append(toolbar, this.list);
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf } = ctx;
    const probe = ActivationProbe.for(tf, ctx.model);
    this.picker?.update(ctx, probe.inputShape);
    const entries = probe.layers.filter((l) => rnnDirections(l.layer).length > 0);
    const { index, drawn } = this.selection.resolve(ctx);
    const traces: { entry: ProbedLayer; directions: DirectionTrace[] }[] = [];
    // Each RNN layer's recurrences go a few timesteps per step: the page draws in between.
    const data = await readInSteps(tf, async (read) => {
      const values = await probe.evaluateIn(read, () => sampleTensor(tf, ctx.dataset, index, probe.inputShape, drawn));
      for (const entry of entries) traces.push({ entry, directions: await traceRnn(tf, read, entry, values) });
    });
    await this.draw(traces, data);
  }

  private async draw(traces: { entry: ProbedLayer; directions: DirectionTrace[] }[], data: Float32Array): Promise<void> {
    const list = this.list!;
    this.lastDraw = { traces, data };
    if (traces.length === 0) {
      list.replaceChildren(emptyState('This model has no LSTM or GRU layers.'));
      return;
    }
    // The new sections are drawn apart and replace the old ones at once (no flicker, no jump).
    const sections: HTMLElement[] = [];
    const width = Math.max(240, this.contentWidth() - 24);
    let offset = 0;
    let worst = 0;
    // Layer by layer, a frame between slices of drawing.
    const pacer = new Pacer();
    for (const { entry, directions } of traces) {
      await pacer.pace();
      const section = layerSection(entry.name, entry.path, entry.className, `output ${formatShape(entry.shape)}`, entry.depth);
      sections.push(section.root);
      if (directions.length === 0) {
        section.note.textContent = 'input is not a sequence for this sample';
        continue;
      }
      let layerWorst = 0;
      const checkNotes: string[] = [];
      for (const d of directions) {
        const tooltip = el('div', { class: 'ml-tooltip', 'data-role': 'gate-tooltip', hidden: true });
        const block = el('div', { class: 'ml-gate-block' }, tooltip);
        if (d.label) block.append(el('div', { class: 'ml-subheading', text: `${d.label} direction` }));
        const size = d.units * d.steps;
        const cellW = Math.max(2, Math.min(28, Math.floor((width - 210) / Math.max(d.steps, 1))));
        const cellH = Math.max(2, Math.min(12, Math.floor(128 / Math.max(d.units, 1))));
        d.series.forEach((s, k) => {
          const v = data.subarray(offset, offset + size);
          offset += size;
          const canvas = el('canvas', { class: 'ml-heatmap', 'data-role': 'gate', 'data-gate': s.key });
          const [lo, hi] = extent(v);
          let scale: { lo: number; hi: number; lut: typeof SEQUENTIAL };
          if (s.range === 'unit') {
            // Own range: the gate's min–max (a constant gate gets a small band around its value).
            scale =
              this.gateScale === 'unit'
                ? { lo: 0, hi: 1, lut: SEQUENTIAL }
                : hi > lo
                  ? { lo, hi, lut: SEQUENTIAL }
                  : { lo: lo - 0.5, hi: hi + 0.5, lut: SEQUENTIAL };
          } else {
            const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
            scale = { lo: -m, hi: m, lut: DIVERGING };
          }
          drawHeatmap(canvas, v, d.units, d.steps, { cellW, cellH, ...scale });
          const diverging = scale.lut === DIVERGING;
          const legend = gradientLegend(
            cssGradient(scale.lut),
            formatNumber(scale.lo),
            diverging ? '0' : null,
            formatNumber(scale.hi),
          );
          legend.dataset['role'] = 'gate-legend';
          legend.dataset['lo'] = String(scale.lo);
          legend.dataset['hi'] = String(scale.hi);
          legend.dataset['range'] = s.range;
          const plot = gateAxes(canvas, { units: d.units, steps: d.steps, cellW, cellH, timeTicks: k === d.series.length - 1 });
          gateTooltip(canvas, tooltip, { gate: s.label, units: d.units, steps: d.steps, cellW, cellH, values: v });
          block.append(
            el(
              'div',
              { class: 'ml-gate-row' },
              el(
                'div',
                { class: 'ml-gate-label' },
                el('span', { text: s.label }),
                legend,
                el('span', {
                  class: 'ml-hint',
                  'data-role': 'gate-range',
                  text: `values ${formatNumber(lo)} … ${formatNumber(hi)}`,
                }),
              ),
              plot,
            ),
          );
        });
        block.append(
          el('div', {
            class: 'ml-axis-note',
            text: `${d.units} units (rows, unit 0 at the top) × ${d.steps} time steps (columns, input order); hover for values`,
          }),
        );
        for (const check of d.checks) {
          const err = data[offset++]!;
          layerWorst = Math.max(layerWorst, err);
          checkNotes.push(`${d.label ? `${d.label} ` : ''}${check}: ${err.toExponential(1)}`);
        }
        section.body.append(block);
      }
      worst = Math.max(worst, layerWorst);
      const ok = layerWorst <= GATE_TOLERANCE;
      section.root.dataset['maxError'] = String(layerWorst);
      const badge = el('span', {
        class: ok ? 'ml-check ml-check-ok' : 'ml-check ml-check-bad',
        text: ok ? '✓ matches layer' : '✗ differs from layer',
      });
      badge.title = `max |h recomputed − h layer| per check:\n${checkNotes.join('\n')}`;
      section.note.replaceChildren(
        badge,
        el('span', { text: ` max |Δh| ${layerWorst.toExponential(1)} over ${directions[0]!.steps} steps` }),
      );
    }
    list.replaceChildren(...sections);
    this.maxError = worst;
    list.dataset['maxError'] = String(worst);
  }
}
