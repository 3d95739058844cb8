/**
 * Weights & activations: per layer, a histogram of its weights (kernels; biases summarised) and
 * of its activations for the chosen sample or a batch around it, plus activation sparsity (the
 * fraction of |a| < 1e-3), which sparse autoencoders push up on purpose.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import { ActivationProbe, type ProbedLayer } from '../probes/activationModel';
import { histogram, moments, sparsityOf, subsample, SPARSITY_EPSILON } from '../probes/histogram';
import { findLayer } from '../probes/layerNames';
import { batchTensor, sampleCount, sampleTensor } from '../probes/sampleInput';
import { Pacer, readInSteps } from '../probes/packedRead';
import { formatCount } from '../ui/format';
import { el } from '../ui/dom';
import { emptyState, formatNumber, formatPercent, formatShape, layerSection, segmented, type LayerSection } from './viewWidgets';
import { drawHistogram } from './plots';
import { canvasTheme, paintWithTheme } from './theme';
import { SampleView } from './sampleView';
import type { LayerFit, ProbeContext } from './viewTypes';

const MAX_VALUES = 16384;
const BINS = 40;
const BATCH = 16;

type Scope = 'sample' | 'batch';

interface VariableLike {
  name: string;
  read(): tfjs.Tensor;
}

interface Block {
  entry: ProbedLayer;
  section: LayerSection;
  weights: HTMLCanvasElement;
  weightsCaption: HTMLElement;
  acts: HTMLCanvasElement;
  actsCaption: HTMLElement;
  bar: HTMLElement;
  barValue: HTMLElement;
}

interface Plan {
  block: Block;
  weightCount: number;
  weightTotal: number;
  biasCount: number;
  actCount: number;
  actTotal: number;
}

export class WeightsView extends SampleView {
  readonly id = 'weights';
  readonly title = 'Weights & activations';
  private scope: Scope = 'sample';
  private summary: HTMLElement | null = null;
  private list: HTMLElement | null = null;
  private blocks: Block[] = [];
  private modelKey: object | null = null;

  /** Every layer but the input and nested models (their layers are shown instead). */
  showsLayer(model: tfjs.LayersModel, layerName: string): LayerFit {
    const layer = findLayer(model.layers, layerName);
    const nested = Array.isArray((layer as { layers?: unknown } | null)?.layers);
    return layer && !nested && layer.getClassName() !== 'InputLayer' ? 'shown' : 'none';
  }

  protected build(root: HTMLElement): void {
    const toolbar = el(
      'div',
      { class: 'ml-toolbar' },
      this.samplePicker(),
      el('span', { class: 'ml-spacer' }),
      segmented<Scope>(
        'Activations of',
        [
          { value: 'sample', label: 'this sample' },
          { value: 'batch', label: `${BATCH} samples` },
        ],
        this.scope,
        (s) => {
          this.scope = s;
          void this.rerender();
        },
      ),
    );
    this.summary = el('div', { class: 'ml-card ml-sparsity' });
    this.list = el('div', { class: 'ml-layer-list' });
    root.append(toolbar, this.summary, this.list);
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf, dataset } = ctx;
    const probe = ActivationProbe.for(tf, ctx.model);
    if (this.modelKey !== ctx.model) this.rebuild(probe);
    this.picker?.update(ctx, probe.inputShape);
    const { index, drawn } = this.selection.resolve(ctx);
    const batch = this.scope === 'batch' && !drawn;
    const plans: Plan[] = [];
    const data = await readInSteps(tf, async (read) => {
      const count = sampleCount(dataset);
      const values = await probe.evaluateIn(read, () =>
        batch
          ? batchTensor(
              tf,
              dataset,
              Array.from({ length: Math.min(BATCH, count) }, (_, k) => (index + k) % count),
              probe.inputShape,
            )
          : sampleTensor(tf, dataset, index, probe.inputShape, drawn),
      );
      for (const block of this.blocks) {
        await read.add((parts) => {
          const vars = (block.entry.layer.weights ?? []) as unknown as VariableLike[];
          const kernels = vars.filter((v) => !/bias$/.test(v.name)).map((v) => tf.reshape(v.read(), [-1]));
          const biases = vars.filter((v) => /bias$/.test(v.name)).map((v) => tf.reshape(v.read(), [-1]));
          const w = kernels.length > 0 ? subsample(tf, tf.concat(kernels), MAX_VALUES) : tf.zeros([0]);
          const b = biases.length > 0 ? subsample(tf, tf.concat(biases), 4096) : tf.zeros([0]);
          const out = values.output(block.entry);
          const a = out ? subsample(tf, out, MAX_VALUES) : tf.zeros([0]);
          parts.push(w, b, a, out ? sparsityOf(tf, out) : tf.tensor1d([NaN]));
          plans.push({
            block,
            weightCount: w.size,
            weightTotal: kernels.reduce((s, k) => s + k.size, 0),
            biasCount: b.size,
            actCount: a.size,
            actTotal: out ? out.size : 0,
          });
        });
      }
    });
    await this.draw(
      plans,
      data,
      batch ? `${Math.min(BATCH, sampleCount(dataset))} samples from #${index}` : drawn ? 'the drawn digit' : `sample #${index}`,
    );
  }

  private rebuild(probe: ActivationProbe): void {
    this.modelKey = this.lastCtx?.model ?? null;
    this.list!.replaceChildren();
    this.summary!.replaceChildren();
    this.blocks = probe.layers
      .filter((l) => !l.isModel)
      .map((entry) => {
        const section = layerSection(entry.name, entry.path, entry.className, `output ${formatShape(entry.shape)}`, entry.depth);
        const weights = el('canvas', { class: 'ml-hist', 'data-role': 'weights-hist' });
        const acts = el('canvas', { class: 'ml-hist', 'data-role': 'acts-hist' });
        const weightsCaption = el('div', { class: 'ml-hint' });
        const actsCaption = el('div', { class: 'ml-hint' });
        const hasWeights = (entry.layer.weights ?? []).length > 0;
        section.body.append(
          el(
            'div',
            { class: 'ml-hist-pair' },
            hasWeights
              ? el(
                  'div',
                  { class: 'ml-hist-cell' },
                  el('div', { class: 'ml-subheading', text: 'weights' }),
                  weights,
                  weightsCaption,
                )
              : el(
                  'div',
                  { class: 'ml-hist-cell' },
                  el('div', { class: 'ml-subheading', text: 'weights' }),
                  el('div', { class: 'ml-hint', text: 'none (this layer has no weights)' }),
                ),
            el(
              'div',
              { class: 'ml-hist-cell ml-acts' },
              el('div', { class: 'ml-subheading', text: 'activations' }),
              acts,
              actsCaption,
            ),
          ),
        );
        this.list!.append(section.root);
        const barValue = el('span', { class: 'ml-meter-value' });
        const bar = el('span', { class: 'ml-meter-fill' });
        this.summary!.append(
          el(
            'div',
            { class: 'ml-meter-row', 'data-layer': entry.name, 'data-path': entry.path },
            el('span', { class: 'ml-meter-label', text: entry.path, title: entry.path }),
            el('span', { class: 'ml-meter' }, bar),
            barValue,
          ),
        );
        return { entry, section, weights, weightsCaption, acts, actsCaption, bar, barValue };
      });
    if (this.blocks.length === 0) this.list!.append(emptyState('This model has no layers to probe.'));
    // The sparse-autoencoder explanation only where it applies (not for a classifier).
    if (this.lastCtx !== null && sparseAutoencoder(this.lastCtx.model, probe.layers, this.lastCtx.dataset)) {
      this.summary!.prepend(
        el('div', {
          class: 'ml-hint',
          'data-role': 'sparse-hint',
          text: 'Sparse autoencoders aim for this: an L1 activity penalty on the code layer pushes most units to ~0 for any input, so each sample is described by a few active units.',
        }),
      );
    }
    this.summary!.prepend(
      el('h3', { class: 'ml-card-title', text: `Activation sparsity: fraction of |a| < ${SPARSITY_EPSILON}` }),
    );
  }

  private async draw(plans: Plan[], data: Float32Array, what: string): Promise<void> {
    const theme = canvasTheme(this.root!);
    const width = Math.max(160, Math.min(360, Math.floor((this.contentWidth() - 80) / 2)));
    this.list!.style.setProperty('--ml-hist-w', `${width}px`);
    let offset = 0;
    // Histograms layer by layer, a frame between slices of drawing.
    const pacer = new Pacer();
    for (const p of plans) {
      await pacer.pace();
      const w = data.subarray(offset, (offset += p.weightCount));
      const b = data.subarray(offset, (offset += p.biasCount));
      const a = data.subarray(offset, (offset += p.actCount));
      const sparsity = data[offset++]!;
      const blk = p.block;
      // Layers without weights (pooling, flatten…) have no weights cell in the DOM.
      if (blk.weights.isConnected && p.weightCount > 0) {
        const h = histogram(w, BINS, p.weightTotal);
        const canvas = blk.weights;
        paintWithTheme(canvas, theme, (t) => drawHistogram(canvas, h.counts, h.lo, h.hi, width, 72, t.accent, t));
        const m = moments(w);
        const bias = p.biasCount > 0 ? ` · bias mean ${formatNumber(moments(b).mean)}` : '';
        blk.weightsCaption.textContent = `${formatCount(p.weightTotal)} weights${p.weightCount < p.weightTotal ? ` (${formatCount(p.weightCount)} sampled)` : ''} · mean ${formatNumber(m.mean)} · σ ${formatNumber(m.std)}${bias}`;
      } else if (blk.weights.isConnected) {
        blk.weightsCaption.textContent = p.biasCount > 0 ? `bias only · mean ${formatNumber(moments(b).mean)}` : 'no weights';
      }
      if (p.actCount > 0) {
        const h = histogram(a, BINS, p.actTotal);
        const canvas = blk.acts;
        paintWithTheme(canvas, theme, (t) => drawHistogram(canvas, h.counts, h.lo, h.hi, width, 72, t.accent3, t));
        blk.actsCaption.textContent = `${what} · ${formatCount(p.actTotal)} values · ${formatPercent(sparsity)} near zero`;
      }
      blk.section.note.textContent = Number.isFinite(sparsity) ? `sparsity ${formatPercent(sparsity)}` : '';
      blk.section.root.dataset['sparsity'] = String(sparsity);
      blk.bar.style.width = `${Number.isFinite(sparsity) ? sparsity * 100 : 0}%`;
      blk.barValue.textContent = Number.isFinite(sparsity) ? formatPercent(sparsity) : '–';
    }
  }
}

/**
 * Whether the model is an autoencoder (its output has the input's size and the data has no
 * separate targets) with a sparsity term: an activity regularizer, an ActivityRegularization
 * layer, or (for a custom training step the views cannot see) a model or layer named for one.
 */
export function sparseAutoencoder(model: tfjs.LayersModel, layers: readonly ProbedLayer[], dataset: DatasetArrays): boolean {
  const inSize = sizeOf(model.inputs[0]?.shape);
  const outSize = sizeOf(model.outputs[0]?.shape);
  if (inSize === null || inSize !== outSize || dataset.ys !== undefined) return false;
  const named = /sparse|(^|_)l1(_|$)|(^|_)kl(_|$)/i;
  if (named.test(model.name)) return true;
  return layers.some((l) => {
    if (l.className === 'ActivityRegularization' || named.test(l.name)) return true;
    const reg = l.layer.getConfig()['activityRegularizer'];
    return reg !== undefined && reg !== null;
  });
}

function sizeOf(shape: readonly (number | null)[] | undefined): number | null {
  if (!shape || shape.slice(1).some((d) => d === null)) return null;
  return (shape.slice(1) as number[]).reduce((p, d) => p * d, 1);
}
