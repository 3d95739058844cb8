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
import {
  emptyState,
  formatNumber,
  formatShape,
  gradientLegend,
  layerSection,
  segmented,
  setGradientLegend,
  type LayerSection,
} from './viewWidgets';
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
  private lastDraw: { traces: GateTraces; data: Float32Array } | null = null;
  /** The nodes on the page and the layout they were built for. */
  private layout: { key: string; layers: LayerNodes[] } | null = null;
  /** Counts draws: one that a newer one overtook stops. */
  private drawing = 0;
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
    const traces: GateTraces = [];
    // Each RNN layer's recurrences go a few timesteps per step: the page draws in between.
    const data = await readInSteps(tf, async (read) => {
      const values = await probe.evaluateIn(read, () => sampleTensor(tf, ctx.dataset, index, probe.inputShape, drawn));
      for (const entry of entries) traces.push({ entry, directions: await traceRnn(tf, read, entry, values) });
    });
    await this.draw(traces, data);
  }

  private async draw(traces: GateTraces, data: Float32Array): Promise<void> {
    const list = this.list!;
    this.lastDraw = { traces, data };
    const drawing = ++this.drawing;
    if (traces.length === 0) {
      this.layout = null;
      list.replaceChildren(emptyState('This model has no LSTM or GRU layers.'));
      return;
    }
    // The same layers, shapes and width as last time (every refresh while training): repaint the
    // canvases, legends and texts in place. New nodes (a new model, a resize) are drawn apart and
    // replace the old ones at once (no flicker, no jump).
    const width = Math.max(240, this.contentWidth() - 24);
    const key = layoutKey(traces, width);
    const reuse = this.layout !== null && this.layout.key === key;
    const layers = reuse ? this.layout!.layers : traces.map((t) => buildLayer(t, width));
    let offset = 0;
    let worst = 0;
    // Heatmap by heatmap, a frame between slices of drawing (each slice's canvases are also
    // what the browser repaints in the frame after it).
    const pacer = new Pacer();
    let rowMs = 0;
    for (let i = 0; i < traces.length; i++) {
      const { directions } = traces[i]!;
      const nodes = layers[i]!;
      if (directions.length === 0) continue;
      let layerWorst = 0;
      const checkNotes: string[] = [];
      for (let j = 0; j < directions.length; j++) {
        const d = directions[j]!;
        const size = d.units * d.steps;
        for (let k = 0; k < d.series.length; k++) {
          await pacer.pace(rowMs);
          // A newer draw (the scale toggled mid-way) paints these nodes now.
          if (drawing !== this.drawing) return;
          const began = performance.now();
          this.paintRow(nodes.rows[j]![k]!, d.series[k]!.range, d, data.subarray(offset, offset + size));
          rowMs = performance.now() - began;
          offset += size;
        }
        for (const check of d.checks) {
          const err = data[offset++]!;
          layerWorst = Math.max(layerWorst, err);
          checkNotes.push(`${d.label ? `${d.label} ` : ''}${check}: ${err.toExponential(1)}`);
        }
      }
      worst = Math.max(worst, layerWorst);
      const ok = layerWorst <= GATE_TOLERANCE;
      nodes.section.root.dataset['maxError'] = String(layerWorst);
      const badge = el('span', {
        class: ok ? 'ml-check ml-check-ok' : 'ml-check ml-check-bad',
        text: ok ? '✓ matches layer' : '✗ differs from layer',
      });
      badge.title = `max |h recomputed − h layer| per check:\n${checkNotes.join('\n')}`;
      nodes.section.note.replaceChildren(
        badge,
        el('span', { text: ` max |Δh| ${layerWorst.toExponential(1)} over ${directions[0]!.steps} steps` }),
      );
    }
    if (!reuse) {
      list.replaceChildren(...layers.map((l) => l.section.root));
      this.layout = { key, layers };
    }
    this.maxError = worst;
    list.dataset['maxError'] = String(worst);
  }

  /** One gate's heatmap, legend, range text and hover values for this sample. */
  private paintRow(row: GateRow, range: 'unit' | 'signed', d: DirectionTrace, v: Float32Array): void {
    const [lo, hi] = extent(v);
    let scale: { lo: number; hi: number; lut: typeof SEQUENTIAL };
    if (range === 'unit') {
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
    drawHeatmap(row.canvas, v, d.units, d.steps, { cellW: row.cellW, cellH: row.cellH, ...scale });
    const diverging = scale.lut === DIVERGING;
    setGradientLegend(row.legend, cssGradient(scale.lut), formatNumber(scale.lo), diverging ? '0' : null, formatNumber(scale.hi));
    row.legend.dataset['lo'] = String(scale.lo);
    row.legend.dataset['hi'] = String(scale.hi);
    row.range.textContent = `values ${formatNumber(lo)} … ${formatNumber(hi)}`;
    row.setValues(v);
  }
}

type GateTraces = { entry: ProbedLayer; directions: DirectionTrace[] }[];

/** A gate heatmap's nodes, kept between refreshes so that a new sample repaints them in place. */
interface GateRow {
  canvas: HTMLCanvasElement;
  legend: HTMLElement;
  range: HTMLElement;
  setValues: (values: Float32Array) => void;
  cellW: number;
  cellH: number;
}

/** A layer's section with its rows, per direction and gate. */
interface LayerNodes {
  section: LayerSection;
  rows: GateRow[][];
}

/** What decides the nodes: the layers, their shapes and directions, and the width cells are sized for. */
function layoutKey(traces: GateTraces, width: number): string {
  const layers = traces.map(({ entry, directions }) => {
    const dirs = directions.map((d) => `${d.label}:${d.units}x${d.steps}:${d.series.map((s) => s.key).join(',')}`);
    return `${entry.path}/${entry.className}/${formatShape(entry.shape)}/${entry.depth}[${dirs.join(';')}]`;
  });
  return `${width}|${layers.join('|')}`;
}

/** A layer's section, its heatmaps sized and their axes drawn, to be painted by `paintRow`. */
function buildLayer({ entry, directions }: GateTraces[number], width: number): LayerNodes {
  const section = layerSection(entry.name, entry.path, entry.className, `output ${formatShape(entry.shape)}`, entry.depth);
  if (directions.length === 0) section.note.textContent = 'input is not a sequence for this sample';
  const rows = directions.map((d) => {
    const tooltip = el('div', { class: 'ml-tooltip', 'data-role': 'gate-tooltip', hidden: true });
    const block = el('div', { class: 'ml-gate-block' }, tooltip);
    if (d.label) block.append(el('div', { class: 'ml-subheading', text: `${d.label} direction` }));
    const cellW = Math.max(2, Math.min(28, Math.floor((width - 210) / Math.max(d.steps, 1))));
    const cellH = Math.max(2, Math.min(12, Math.floor(128 / Math.max(d.units, 1))));
    const grid = { units: d.units, steps: d.steps, cellW, cellH };
    const gateRows = d.series.map((s, k): GateRow => {
      const canvas = el('canvas', { class: 'ml-heatmap', 'data-role': 'gate', 'data-gate': s.key });
      const legend = gradientLegend('none', '', null, '');
      legend.dataset['role'] = 'gate-legend';
      legend.dataset['range'] = s.range;
      const range = el('span', { class: 'ml-hint', 'data-role': 'gate-range' });
      const plot = gateAxes(canvas, { ...grid, timeTicks: k === d.series.length - 1 });
      const setValues = gateTooltip(canvas, tooltip, { ...grid, gate: s.label });
      block.append(
        el(
          'div',
          { class: 'ml-gate-row' },
          el('div', { class: 'ml-gate-label' }, el('span', { text: s.label }), legend, range),
          plot,
        ),
      );
      return { canvas, legend, range, setValues, cellW, cellH };
    });
    block.append(
      el('div', {
        class: 'ml-axis-note',
        text: `${d.units} units (rows, unit 0 at the top) × ${d.steps} time steps (columns, input order); hover for values`,
      }),
    );
    section.body.append(block);
    return gateRows;
  });
  return { section, rows };
}
