/**
 * Latent grid (autoencoders, VAEs): the decoder's output for a regular grid of points over two
 * dimensions of the code, the classic "manifold" of digits. The two dimensions span the range
 * where the samples' codes lie (5th to 95th percentile); every other dimension is held at the
 * samples' mean. With a 2-D code (the VAE example) the grid is the whole latent space.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { ActivationProbe } from '../probes/activationModel';
import { CodeCache } from '../probes/codeCache';
import { decodeCodes, decoderFor, outputImageDims } from '../probes/decoderModel';
import { codeStats, latentGrid, quantileRange, widestDims } from '../probes/latentGrid';
import { guessBottleneck, isAutoencoder } from '../probes/latentProbe';
import { product } from '../probes/sampleInput';
import { afterPaint } from '../training/scheduling';
import { el } from '../ui/dom';
import { formatCount } from '../ui/format';
import { axisFrame, drawImageGrid, endTicks, fitScale } from './imageGrid';
import { BaseView, guard } from './viewBase';
import type { ProbeContext } from './viewTypes';
import { emptyState, formatNumber, formatShape, segmented } from './viewWidgets';

const SAMPLES = 1000;
type Size = '8' | '12' | '16';

/** An autoencoder whose output has enough values to draw (an image of at least 8×8). */
export function decodesImages(model: tfjs.LayersModel): boolean {
  const out = model.outputs[0]?.shape.slice(1) ?? [];
  return isAutoencoder(model) && out.every((d) => d != null && d > 0) && product(out as number[]) >= 64;
}

export class LatentGridView extends BaseView {
  readonly id = 'latentGrid';
  readonly title = 'Latent grid';
  private readonly cache = new CodeCache(SAMPLES);
  private size: Size = '12';
  /** Chosen dimensions (null: the two that vary most). */
  private dims: [number, number] | null = null;
  private dimSelects: [HTMLSelectElement, HTMLSelectElement] | null = null;
  private dimFields: HTMLElement | null = null;
  private info: HTMLElement | null = null;
  private body: HTMLElement | null = null;
  private model: tfjs.LayersModel | null = null;

  applies(model: tfjs.LayersModel): boolean {
    return guard(() => decodesImages(model));
  }

  protected build(root: HTMLElement): void {
    const select = (label: string): HTMLSelectElement => {
      const s = el('select', { class: 'ml-select', 'aria-label': label });
      s.addEventListener('change', () => {
        this.dims = [Number(this.dimSelects![0].value), Number(this.dimSelects![1].value)];
        void this.rerender();
      });
      return s;
    };
    this.dimSelects = [select('Across'), select('Down')];
    this.dimFields = el(
      'span',
      { class: 'ml-field' },
      el('span', { class: 'ml-field-label', text: 'Across' }),
      this.dimSelects[0],
      el('span', { class: 'ml-field-label', text: 'Down' }),
      this.dimSelects[1],
    );
    this.info = el('span', { class: 'ml-hint' });
    const grid = segmented<Size>(
      'Grid',
      [
        { value: '8', label: '8×8' },
        { value: '12', label: '12×12' },
        { value: '16', label: '16×16' },
      ],
      this.size,
      (s) => {
        this.size = s;
        void this.rerender();
      },
    );
    this.body = el('div', { class: 'ml-card' });
    root.append(
      el('div', { class: 'ml-toolbar' }, grid, this.dimFields, el('span', { class: 'ml-spacer' }), this.info),
      this.body,
    );
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf, model, dataset } = ctx;
    if (this.model !== model) {
      this.model = model;
      this.dims = null;
    }
    const probe = ActivationProbe.for(tf, model);
    const entry = guessBottleneck(probe, model);
    const decoder = entry ? decoderFor(tf, model, entry) : null;
    const image = outputImageDims(model, dataset);
    if (!entry || !decoder || !image) {
      this.dimFields!.hidden = true;
      this.body!.replaceChildren(
        emptyState(
          !image
            ? 'The output is not an image: the grid draws decoded images.'
            : 'No decoder to draw with: the output depends on more than the code layer.',
        ),
      );
      return;
    }
    const codes = await this.cache.get(ctx, entry);
    const { dim } = codes;
    const n = codes.indices.length;
    const { mean, variance } = codeStats(codes.values, n, dim);
    // A 2-D code as on a plot: z₁ across, z₂ up; a wider one by the two dimensions that vary most.
    const [dx, dy] = this.dims ?? (dim === 2 ? [0, 1] : widestDims(variance));
    this.fillSelects(dim, dx, dy);
    // A 1-D code spans one row.
    const cols = Number(this.size);
    const rows = dim === 1 ? 1 : cols;
    const xRange = quantileRange(codes.values, n, dim, dx);
    const yRange = quantileRange(codes.values, n, dim, dy);
    const grid = latentGrid(mean, dx, dy, xRange, yRange, rows, cols);
    await afterPaint();
    const decoded = await decodeCodes(tf, decoder, grid.codes, rows * cols, entry.shape);
    const gap = 0;
    const scale = fitScale(Math.min(this.contentWidth() - 120, 760), cols, image[1], gap);
    const canvas = el('canvas', { class: 'ml-grid-canvas' });
    drawImageGrid(canvas, decoded.values, decoded.size, { rows, cols, image, scale, gap, role: 'latent-grid' });
    const name = (d: number): string => (dim === 2 ? `z${d === 0 ? '₁' : '₂'}` : `z[${d}]`);
    const held = dim > 2 ? `; the other ${dim - 2} dimensions held at the samples' mean` : '';
    this.info!.textContent = `code ${formatShape(entry.shape)} at ${entry.path} · ${formatCount(n)} samples encoded · epoch ${ctx.epoch}`;
    this.body!.replaceChildren(
      el('h3', {
        class: 'ml-card-title',
        text: dim === 1 ? `Decoded row: ${name(dx)} across` : `Decoded grid: ${name(dx)} across, ${name(dy)} down`,
      }),
      axisFrame(canvas, {
        xTitle: `${name(dx)} →`,
        yTitle: dim === 1 ? '' : `${name(dy)} →`,
        xTicks: endTicks(grid.xs, formatNumber),
        yTicks: dim === 1 ? [] : endTicks(grid.ys, formatNumber),
      }),
      el('div', {
        class: 'ml-hint ml-grid-note',
        text:
          `Each image is what the decoder makes of one point of the code space: ${name(dx)} steps from ` +
          `${formatNumber(xRange[0])} to ${formatNumber(xRange[1])}, ${name(dy)} from ${formatNumber(yRange[1])} down to ` +
          `${formatNumber(yRange[0])} (5th to 95th percentile of the samples' codes)${held}. ` +
          'Smooth changes from image to image mean the code space is continuous: nearby codes, similar images.',
      }),
    );
  }

  private fillSelects(dim: number, dx: number, dy: number): void {
    this.dimFields!.hidden = dim <= 2;
    const [sx, sy] = this.dimSelects!;
    if (sx.options.length !== dim) {
      const options = (): HTMLOptionElement[] =>
        Array.from({ length: dim }, (_, d) => el('option', { value: d, text: `z[${d}]` }));
      sx.replaceChildren(...options());
      sy.replaceChildren(...options());
    }
    sx.value = String(dx);
    sy.value = String(dy);
  }
}
