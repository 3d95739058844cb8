/**
 * Activations: for the chosen sample, every layer's output, from one multi-output probe model:
 * feature maps (rank-4 outputs) as image grids, dense outputs as bars (or a heatmap when wide),
 * sequences as unit × timestep heatmaps. One tidy and one readback per refresh.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { ActivationProbe, type ProbedLayer } from '../probes/activationModel';
import { findLayer } from '../probes/layerNames';
import { sampleTensor } from '../probes/sampleInput';
import { Pacer, readInSteps } from '../probes/packedRead';
import { balancedColumns, drawTileGrid, extent, valueTile, type Tile } from './canvas';
import { cssGradient, DIVERGING, SEQUENTIAL, type Lut } from './colormaps';
import { el } from '../ui/dom';
import { paintThemed } from '../ui/themeWatch';
import { emptyState, formatNumber, formatShape, gradientLegend, layerSection, type LayerSection } from './viewWidgets';
import { drawBars, drawHeatmap } from './plots';
import { SampleView } from './sampleView';
import type { LayerFit, ProbeContext } from './viewTypes';

const MAX_MAPS = 64;
const MAX_VALUES = 8192;
const BAR_LIMIT = 64;

type Kind = 'maps' | 'vector' | 'sequence' | 'flat';

interface Plan {
  entry: ProbedLayer;
  kind: Kind;
  /** maps: [C, H, W]; sequence: [F, T]; vector/flat: [N]. */
  dims: number[];
  total: number;
  size: number;
}

interface Block {
  entry: ProbedLayer;
  section: LayerSection;
  canvas: HTMLCanvasElement;
}

export class ActivationsView extends SampleView {
  readonly id = 'activations';
  readonly title = 'Activations';
  private list: HTMLElement | null = null;
  private blocks = new Map<string, Block>();
  private modelKey: object | null = null;

  /** Every layer's output is shown (the input layer's is the sample itself). */
  showsLayer(model: tfjs.LayersModel, layerName: string): LayerFit {
    const layer = findLayer(model.layers, layerName);
    return layer && layer.getClassName() !== 'InputLayer' ? 'shown' : 'none';
  }

  protected build(root: HTMLElement): void {
    const legend = el(
      'div',
      { class: 'ml-toolbar' },
      this.samplePicker(),
      el('span', { class: 'ml-spacer' }),
      el('span', { class: 'ml-hint', text: 'each layer’s legend shows its colour map and range; feature maps scaled per map' }),
    );
    this.list = el('div', { class: 'ml-layer-list' });
    root.append(legend, this.list);
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf } = ctx;
    const probe = ActivationProbe.for(tf, ctx.model);
    if (this.modelKey !== ctx.model) this.rebuild(probe);
    this.picker?.update(ctx, probe.inputShape);
    const { index, drawn } = this.selection.resolve(ctx);
    const plans: Plan[] = [];
    const data = await readInSteps(tf, async (read) => {
      const values = await probe.evaluateIn(read, () => sampleTensor(tf, ctx.dataset, index, probe.inputShape, drawn));
      await read.add((parts) => {
        for (const entry of probe.layers) {
          const out = values.output(entry);
          if (!out) continue;
          const plan = planFor(tf, entry, out, parts);
          if (plan) plans.push(plan);
        }
      });
    });
    const width = Math.max(200, this.contentWidth() - 24);
    let offset = 0;
    // Drawing every layer's maps is work too (a convnet's can fill a frame): a frame between slices.
    const pacer = new Pacer();
    for (const plan of plans) {
      await pacer.pace();
      const block = this.blocks.get(plan.entry.path);
      if (block) draw(block, plan, data.subarray(offset, offset + plan.size), width);
      offset += plan.size;
    }
  }

  private rebuild(probe: ActivationProbe): void {
    this.modelKey = this.lastCtx?.model ?? null;
    this.blocks.clear();
    this.list!.replaceChildren();
    for (const entry of probe.layers) {
      const section = layerSection(entry.name, entry.path, entry.className, `output ${formatShape(entry.shape)}`, entry.depth);
      const canvas = el('canvas', { class: 'ml-grid-canvas', 'data-role': 'activation' });
      section.body.append(canvas);
      this.list!.append(section.root);
      this.blocks.set(entry.path, { entry, section, canvas });
    }
    if (probe.layers.length === 0) this.list!.append(emptyState('This model has no layers to probe.'));
  }
}

/** Decides how to show a layer's output and pushes the flat values to read into `parts`. */
function planFor(tf: typeof tfjs, entry: ProbedLayer, out: tfjs.Tensor, parts: tfjs.Tensor[]): Plan | null {
  const first = tf.squeeze(tf.slice(out, 0, 1), [0]); // the one sample, batch dim dropped
  let t: tfjs.Tensor;
  let kind: Kind;
  let dims: number[];
  let total: number;
  if (first.rank === 3) {
    const [h, w, c] = first.shape as [number, number, number];
    const nc = Math.min(c, MAX_MAPS);
    t = tf.slice(tf.transpose(first, [2, 0, 1]), [0, 0, 0], [nc, h, w]);
    kind = 'maps';
    dims = [nc, h, w];
    total = c;
  } else if (first.rank === 2) {
    const [steps, features] = first.shape as [number, number];
    const nf = Math.min(features, Math.max(1, Math.floor(MAX_VALUES / Math.max(steps, 1))));
    t = tf.slice(tf.transpose(first, [1, 0]), [0, 0], [nf, steps]);
    kind = 'sequence';
    dims = [nf, steps];
    total = features;
  } else {
    const flat = tf.reshape(first, [-1]);
    const n = Math.min(flat.size, MAX_VALUES);
    t = tf.slice(flat, 0, n);
    kind = first.rank === 1 ? 'vector' : 'flat';
    dims = [n];
    total = flat.size;
  }
  parts.push(tf.reshape(t, [-1]));
  return { entry, kind, dims, total, size: t.size };
}

/** The colour map a heatmap was drawn with and the values at its ends, for the layer's legend. */
interface Scale {
  lut: Lut;
  lo: number;
  hi: number;
}

/** A legend for `scale`, with the same map as the heatmap beside it. */
function scaleLegend(scale: Scale): HTMLElement {
  const diverging = scale.lut === DIVERGING;
  const legend = gradientLegend(cssGradient(scale.lut), formatNumber(scale.lo), diverging ? '0' : null, formatNumber(scale.hi));
  legend.dataset['role'] = 'activation-legend';
  legend.dataset['map'] = diverging ? 'diverging' : 'sequential';
  return legend;
}

function draw(block: Block, plan: Plan, v: Float32Array, width: number): void {
  const [lo, hi] = extent(v);
  const notes = [`min ${formatNumber(lo)}`, `max ${formatNumber(hi)}`];
  let scale: Scale | null = null;
  block.canvas.dataset['kind'] = plan.kind;
  if (plan.kind === 'maps') {
    const [c, h, w] = plan.dims as [number, number, number];
    const tiles: Tile[] = [];
    for (let k = 0; k < c; k++) {
      const [a, b] = extent(v, k * h * w, (k + 1) * h * w);
      // Zero stays the darkest colour for ReLU-style maps; a constant map draws dark.
      tiles.push(valueTile(v, k * h * w, w, h, SEQUENTIAL, Math.min(0, a), b > Math.min(0, a) ? b : Math.min(0, a) + 1));
    }
    const scale = Math.max(0.25, Math.min(8, 52 / Math.max(h, w)));
    const tileW = w * scale;
    const gap = 4;
    drawTileGrid(block.canvas, tiles, { columns: balancedColumns(c, Math.floor((width + gap) / (tileW + gap))), scale, gap });
    notes.unshift(plan.total > c ? `${c} of ${plan.total} maps` : `${c} maps`);
  } else if (plan.kind === 'sequence') {
    const [features, steps] = plan.dims as [number, number];
    const signed = lo < 0;
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const cellW = Math.max(1, Math.min(16, Math.floor(width / Math.max(steps, 1))));
    const cellH = Math.max(2, Math.min(12, Math.floor(240 / Math.max(features, 1))));
    scale = signed ? { lo: -m, hi: m, lut: DIVERGING } : { lo: 0, hi: m, lut: SEQUENTIAL };
    drawHeatmap(block.canvas, v, features, steps, { cellW, cellH, ...scale });
    notes.unshift(`${steps} steps × ${plan.total} units${features < plan.total ? ` (first ${features})` : ''}`);
  } else if (v.length <= BAR_LIMIT) {
    const barWidth = Math.min(width, Math.max(160, v.length * 26));
    // Class scores: outline the winner.
    const softmax = block.entry.layer.getConfig()['activation'] === 'softmax' || block.entry.className === 'Softmax';
    // Redrawn from these values (a copy: a few numbers) when the theme changes.
    const canvas = block.canvas;
    const values = v.slice();
    paintThemed(canvas, () => drawBars(canvas, values, barWidth, 96, softmax && values.length > 1));
    if (softmax && v.length > 1) notes.unshift(`argmax ${argmax(v)}`);
  } else {
    const side = Math.round(Math.sqrt(v.length));
    const square = side * side === v.length && side >= 8;
    const cols = square ? side : Math.min(v.length, 64);
    const rows = Math.ceil(v.length / cols);
    const padded = new Float32Array(rows * cols).fill(NaN);
    padded.set(v);
    const cell = square ? Math.max(2, Math.min(6, Math.floor(168 / side))) : Math.max(3, Math.min(10, Math.floor(width / cols)));
    // Signed values: symmetric diverging map; non-negative ones: min–max on the sequential map.
    const signed = lo < 0;
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    scale = signed ? { lo: -m, hi: m, lut: DIVERGING } : { lo, hi: hi > lo ? hi : lo + 1, lut: SEQUENTIAL };
    drawHeatmap(block.canvas, padded, rows, cols, { cellW: cell, cellH: cell, ...scale });
    notes.unshift(
      plan.total > v.length
        ? `first ${v.length} of ${plan.total} values`
        : square
          ? `${side}×${side} heatmap`
          : `${v.length} values`,
    );
  }
  block.section.note.textContent = notes.join(' · ');
  if (plan.kind === 'maps') {
    // Each map is scaled on its own, so the legend names the ends rather than values.
    const legend = gradientLegend(cssGradient(SEQUENTIAL), 'low', null, 'high');
    legend.dataset['role'] = 'activation-legend';
    legend.dataset['map'] = 'sequential';
    block.section.note.append(' · ', legend);
  } else if (scale) {
    block.section.note.append(' · ', scaleLegend(scale));
  }
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
