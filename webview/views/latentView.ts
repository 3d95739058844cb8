/**
 * Latent space (autoencoders): the codes of up to 2,000 samples at the bottleneck, coloured by
 * label: 2-D codes directly, wider ones by PCA or (on demand, incrementally) UMAP; re-encoded
 * once per epoch (and within an epoch at most every few seconds). Beside it, input vs reconstruction pairs (noisy
 * input → output ← clean target trios for a denoising autoencoder); for a linear 3 → 2 → 3
 * autoencoder, the learnt plane against the PCA plane in 3-D, with the angle between them.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { ActivationProbe, type ProbedLayer } from '../probes/activationModel';
import {
  bottleneckCandidates,
  encodeSamples,
  guessBottleneck,
  isAutoencoder,
  linearDecoder,
  reconstructSamples,
} from '../probes/latentProbe';
import { datasetNoise, denoiseSamples, inputCorruption } from '../probes/corruption';
import { pca, project } from '../probes/pca';
import { imageDims, product, sampleCount, spreadIndices } from '../probes/sampleInput';
import { UmapRunner } from '../probes/umapRunner';
import { afterPaint } from '../training/scheduling';
import { formatCount } from '../ui/format';
import { el } from '../ui/dom';
import { formatPercent, formatShape, segmented, setSegmented } from './viewWidgets';
import { comparePlanes, type PlaneComparison } from './latentPlane';
import { PlaneView } from './planeView';
import { renderReconstructions } from './reconstructions';
import type { SampleSelection } from './sampleSelection';
import { ScatterPlot, type ScatterData } from './scatterPlot';
import { canvasTheme } from './theme';
import { BaseView, guard } from './viewBase';
import type { ProbeContext } from './viewTypes';

const MAX_POINTS = 2000;
const PAIRS = 8;

type Projection = 'pca' | 'umap';

interface Codes {
  key: string;
  epoch: number;
  batch: number;
  /** When they were computed and how long that took (ms). */
  at: number;
  cost: number;
  values: Float32Array;
  dim: number;
  indices: number[];
  /** PCA projection, computed on first use. */
  pca?: { points: Float32Array; xLabel: string; yLabel: string };
}

export class LatentView extends BaseView {
  readonly id = 'latent';
  readonly title = 'Latent space';
  private select: HTMLSelectElement | null = null;
  private info: HTMLElement | null = null;
  private umapButton: HTMLButtonElement | null = null;
  private umapStatus: HTMLElement | null = null;
  private projectionControl: HTMLElement | null = null;
  private scatter: ScatterPlot | null = null;
  private scatterTitle: HTMLElement | null = null;
  private reconHost: HTMLElement | null = null;
  private reconTitle: HTMLElement | null = null;
  private planeCard: HTMLElement | null = null;
  private planeView: PlaneView | null = null;
  private planeInfo: HTMLElement | null = null;
  private codeOverride: string | null = null;
  private projection: Projection = 'pca';
  private codes: Codes | null = null;
  /** The UMAP layout and the codes it was made from. */
  private umap: { codes: Codes; points: Float32Array } | null = null;
  private readonly runner = new UmapRunner();
  private modelKey: object | null = null;

  constructor(private readonly selection: SampleSelection) {
    super();
  }

  applies(model: tfjs.LayersModel): boolean {
    return guard(() => isAutoencoder(model));
  }

  protected build(root: HTMLElement): void {
    this.select = el('select', { class: 'ml-select', 'aria-label': 'Code layer' });
    this.select.addEventListener('change', () => {
      this.codeOverride = this.select!.value || null;
      void this.rerender();
    });
    this.umapButton = el('button', { type: 'button', class: 'ml-button', text: 'Run UMAP' });
    this.umapButton.addEventListener('click', () => this.startUmap());
    this.umapStatus = el('span', { class: 'ml-hint' });
    this.info = el('span', { class: 'ml-hint' });
    const toolbar = el(
      'div',
      { class: 'ml-toolbar' },
      el('label', { class: 'ml-field' }, el('span', { class: 'ml-field-label', text: 'Code layer' }), this.select),
      (this.projectionControl = segmented<Projection>(
        'Projection',
        [
          { value: 'pca', label: 'PCA' },
          { value: 'umap', label: 'UMAP' },
        ],
        this.projection,
        (p) => {
          this.projection = p;
          if (p === 'umap' && !this.umapFresh()) this.startUmap();
          else this.drawScatter();
        },
      )),
      this.umapButton,
      this.umapStatus,
      el('span', { class: 'ml-spacer' }),
      this.info,
    );
    this.scatter = new ScatterPlot((index) => this.selection.setIndex(index));
    this.scatterTitle = el('h3', { class: 'ml-card-title', text: 'Codes' });
    this.reconHost = el('div', { class: 'ml-recon-host' });
    this.reconTitle = el('h3', { class: 'ml-card-title', 'data-role': 'recon-title', text: 'Input vs reconstruction' });
    this.planeView = new PlaneView();
    this.planeInfo = el('div', { class: 'ml-plane-info' });
    this.planeCard = el(
      'div',
      { class: 'ml-card', hidden: true },
      el('h3', { class: 'ml-card-title', text: 'Learnt plane vs PCA plane' }),
      this.planeView.element,
      this.planeInfo,
    );
    const cards = el(
      'div',
      { class: 'ml-cards' },
      el('div', { class: 'ml-card' }, this.scatterTitle, this.scatter.element),
      el('div', { class: 'ml-card' }, this.reconTitle, this.reconHost),
      this.planeCard,
    );
    root.append(toolbar, cards);
  }

  protected override teardown(): void {
    this.runner.cancel();
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf, model, dataset } = ctx;
    const probe = ActivationProbe.for(tf, model);
    if (this.modelKey !== model) this.rebuildSelect(probe, model);
    const auto = guessBottleneck(probe, model);
    const entry = (this.codeOverride ? probe.find(this.codeOverride) : null) ?? auto;
    if (!entry) throw new Error('No layer to use as the code: the model has no hidden layers.');
    const key = `${dataset.id}|${entry.path}|${sampleCount(dataset)}`;
    // Re-encode once per epoch; within an epoch only when the batch moved on and the last
    // encoding is old (≥ 3 s, or 10× what it cost), so the end-of-epoch refresh is not stale.
    let codes = this.codes;
    const now = performance.now();
    if (
      !codes ||
      codes.key !== key ||
      codes.epoch !== ctx.epoch ||
      (codes.batch !== ctx.batch && now - codes.at > Math.max(3000, 10 * codes.cost))
    ) {
      const indices = spreadIndices(sampleCount(dataset), MAX_POINTS);
      const { values, dim } = await encodeSamples(tf, model, entry, dataset, indices);
      codes = { key, epoch: ctx.epoch, batch: ctx.batch, at: now, cost: performance.now() - now, values, dim, indices };
      this.codes = codes;
    }
    this.info!.textContent = `${formatCount(codes.indices.length)} samples · code ${formatShape(entry.shape)} at ${entry.path} · epoch ${ctx.epoch}`;
    this.umapButton!.hidden = codes.dim <= 2;
    // The projection, the plot and the reconstructions in tasks of their own, a frame between
    // them: each can take a frame's time on a loaded machine, together they would be a long frame.
    await afterPaint();
    if (codes.dim > 2) this.pcaOf(codes);
    await afterPaint();
    this.drawScatter();
    await afterPaint();
    await this.drawReconstructions(ctx, probe, entry);
    await this.drawPlanes(ctx, probe, entry);
  }

  private rebuildSelect(probe: ActivationProbe, model: tfjs.LayersModel): void {
    this.modelKey = model;
    this.codeOverride = null;
    this.codes = null;
    this.umap = null;
    this.runner.cancel();
    const auto = guessBottleneck(probe, model);
    const options = [el('option', { value: '', text: `auto: ${auto ? `${auto.path} (${formatShape(auto.shape)})` : 'none'}` })];
    for (const l of bottleneckCandidates(probe, model)) {
      options.push(el('option', { value: l.path, text: `${l.path} · ${l.className} · ${formatShape(l.shape)}` }));
    }
    this.select!.replaceChildren(...options);
  }

  /** Inner width of one card, as the cards grid lays them out. */
  private cardWidth(): number {
    const w = this.contentWidth() - 24;
    // As many columns as `.ml-cards` makes (auto-fill, at least 360 px each, 12 px apart).
    const columns = Math.max(1, Math.floor((w + 12) / (360 + 12)));
    return Math.floor((w - (columns - 1) * 12) / columns) - 26;
  }

  private umapFresh(): boolean {
    return this.umap !== null && this.umap.codes === this.codes;
  }

  private startUmap(): void {
    const codes = this.codes;
    if (!codes || codes.dim <= 2) return;
    this.projection = 'umap';
    if (this.projectionControl) setSegmented(this.projectionControl, 'umap');
    const { epoch } = codes;
    this.umapStatus!.textContent = 'UMAP: finding neighbours…';
    this.runner.start(codes.values, codes.indices.length, codes.dim, (p) => {
      if (p.neighbours < 1 || p.embedding.length === 0) {
        this.umapStatus!.textContent = `UMAP: finding neighbours ${formatPercent(p.neighbours)}`;
        return;
      }
      const points = new Float32Array(p.embedding.length * 2);
      p.embedding.forEach((row, i) => {
        points[2 * i] = row[0]!;
        points[2 * i + 1] = row[1]!;
      });
      this.umap = { codes, points };
      this.umapStatus!.textContent = p.done ? `UMAP of epoch ${epoch}` : `UMAP epoch ${p.epoch}/${p.epochs}`;
      if (this.projection === 'umap') this.drawScatter();
    });
  }

  private drawScatter(): void {
    const codes = this.codes;
    const ctx = this.lastCtx;
    if (!codes || !ctx || !this.scatter) return;
    const n = codes.indices.length;
    let data: Omit<ScatterData, 'indices' | 'labels' | 'n'>;
    if (codes.dim === 1) {
      // One number per sample: the code across, the label (or a jitter) down.
      const points = new Float32Array(n * 2);
      codes.indices.forEach((idx, i) => {
        points[2 * i] = codes.values[i]!;
        points[2 * i + 1] = ctx.dataset.labels ? ctx.dataset.labels[idx]! + ((i * 0.618) % 1) * 0.5 - 0.25 : (i * 0.618) % 1;
      });
      data = { points, xLabel: 'z', yLabel: ctx.dataset.labels ? 'label' : '', equalAspect: false };
    } else if (codes.dim === 2) {
      data = { points: codes.values, xLabel: 'z₁', yLabel: 'z₂', equalAspect: false };
    } else if (this.projection === 'umap' && this.umap && this.umap.codes.key === codes.key) {
      // Same samples, so the points still match; the layout may be from older codes.
      data = { points: this.umap.points, xLabel: 'UMAP 1', yLabel: 'UMAP 2', equalAspect: false };
      if (this.umap.codes !== codes && !this.runner.running)
        this.umapStatus!.textContent = `UMAP of epoch ${this.umap.codes.epoch} codes (out of date: run again)`;
    } else {
      data = { ...this.pcaOf(codes), equalAspect: true };
    }
    const how = codes.dim <= 2 ? 'as they are' : data.xLabel.startsWith('UMAP') ? 'UMAP' : 'PCA';
    this.scatterTitle!.textContent = `Codes (${codes.dim}-D, ${how}), coloured by label`;
    const width = Math.max(240, Math.min(560, this.cardWidth()));
    this.scatter.setData(
      { ...data, n, indices: codes.indices, labels: ctx.dataset.labels ?? null },
      width,
      Math.round(width * 0.8),
    );
  }

  /** The codes' PCA projection (computed once per set of codes). */
  private pcaOf(codes: Codes): NonNullable<Codes['pca']> {
    if (!codes.pca) {
      const n = codes.indices.length;
      const p = pca(codes.values, n, codes.dim, 2);
      const share = (k: number): string => formatPercent(p.variances[k]! / (p.totalVariance || 1));
      codes.pca = {
        points: project(codes.values, n, codes.dim, p),
        xLabel: `PC1 (${share(0)} of variance)`,
        yLabel: `PC2 (${share(1)})`,
      };
    }
    return codes.pca;
  }

  private async drawReconstructions(ctx: ProbeContext, probe: ActivationProbe, entry: ProbedLayer): Promise<void> {
    const { tf, model, dataset } = ctx;
    const outShape = model.outputs[0]?.shape.slice(1) ?? [];
    const size = product(dataset.xsShape.slice(1));
    if (outShape.some((d) => d == null) || product(outShape as number[]) !== size) {
      this.reconHost!.replaceChildren(
        el('div', {
          class: 'ml-empty',
          text: `The output (${formatShape(outShape.map((d) => d ?? -1))}) is not shaped like the input: no reconstructions.`,
        }),
      );
      return;
    }
    const { index } = this.selection.resolve(ctx);
    // The chosen sample first, then others spread by the golden ratio (varied classes).
    const count = sampleCount(dataset);
    const indices = [index];
    for (let k = 1; indices.length < Math.min(PAIRS, count) && k < 4 * PAIRS; k++) {
      const i = (index + Math.round(k * count * 0.618034)) % count;
      if (!indices.includes(i)) indices.push(i);
    }
    const image = imageDims(dataset);
    const width = Math.max(240, this.cardWidth());
    // A denoising autoencoder (the data's input noise, corruption layers before the code):
    // noisy input → output ← clean target.
    const corruption = inputCorruption(probe, entry);
    const steps = [...datasetNoise(dataset), ...(corruption?.steps ?? [])];
    this.reconTitle!.textContent = steps.length > 0 ? 'Noisy input → output ← clean target' : 'Input vs reconstruction';
    if (steps.length > 0) {
      const r = await denoiseSamples(tf, model, probe, dataset, indices, steps);
      const data = { inputs: r.targets, noisy: r.noisy, outputs: r.outputs, size: r.size, indices, image };
      renderReconstructions(this.reconHost!, data, width);
    } else {
      const r = await reconstructSamples(tf, model, dataset, indices);
      renderReconstructions(this.reconHost!, { ...r, indices, image }, width);
    }
    if (corruption?.reason)
      this.reconHost!.append(el('div', { class: 'ml-hint', 'data-role': 'recon-why', text: corruption.reason }));
  }

  private async drawPlanes(ctx: ProbeContext, probe: ActivationProbe, entry: ProbedLayer): Promise<void> {
    const decoder = product(ctx.dataset.xsShape.slice(1)) === 3 ? linearDecoder(probe, entry) : null;
    this.planeCard!.hidden = decoder === null;
    if (!decoder) return;
    const card = this.planeCard!;
    const colorsNow = (): { pca: string; learnt: string } => ({
      pca: cssColor(card, '--vscode-charts-green', '#89d185'),
      learnt: canvasTheme(card).accent2,
    });
    const colors = colorsNow();
    const cmp = await comparePlanes(ctx.tf, ctx.dataset, decoder, colors);
    const width = Math.max(240, Math.min(480, this.cardWidth()));
    this.planeView!.setScene(cmp.scene, width, Math.round(width * 0.8));
    this.drawPlaneInfo(cmp, colors);
    // A new theme: the planes and their legend in its colours (the PCA plane is the dashed one).
    this.planeView!.beforeThemeRepaint = () => {
      const next = colorsNow();
      for (const plane of cmp.scene.planes) plane.color = plane.dashed ? next.pca : next.learnt;
      this.drawPlaneInfo(cmp, next);
    };
  }

  private drawPlaneInfo(cmp: PlaneComparison, colors: { pca: string; learnt: string }): void {
    const swatch = (c: string): HTMLElement => el('span', { class: 'ml-swatch', style: `background:${c}` });
    this.planeInfo!.replaceChildren(
      el('div', {
        class: 'ml-angle',
        'data-angle': cmp.angleDeg.toFixed(4),
        text: `angle between the planes: ${cmp.angleDeg.toFixed(2)}°`,
      }),
      el(
        'div',
        { class: 'ml-hint' },
        swatch(colors.pca),
        ` PCA plane (${(cmp.explained * 100).toFixed(1)}% of the variance)  `,
        swatch(colors.learnt),
        ' learnt plane: span of the decoder’s weight columns',
      ),
      el('div', {
        class: 'ml-hint',
        text: 'A linear autoencoder trained on MSE finds the PCA subspace: the angle falls towards 0° as it trains. Drag to rotate.',
      }),
    );
  }
}

function cssColor(element: Element, name: string, fallback: string): string {
  const v = getComputedStyle(element).getPropertyValue(name).trim();
  return v || fallback;
}
