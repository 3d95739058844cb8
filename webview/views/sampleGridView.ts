/**
 * Samples (a GAN's generator, or any model from a noise vector to an image): the generator's
 * images for the same fixed noise vectors on every refresh, so from one refresh to the next
 * only the generator has changed: the user watches blobs turn into digits. For a GAN (the
 * module also made a discriminator), both players' losses on one chart: measured along the run
 * (every epoch and in between) where the panel records them, else at every refresh, the tab shown
 * or not.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { decodeCodes, outputImageDims } from '../probes/decoderModel';
import { fixedNoise, isGenerator } from '../probes/generatorProbe';
import { el } from '../ui/dom';
import { paintThemed } from '../ui/themeWatch';
import { drawImageGrid, fitScale } from './imageGrid';
import { drawLossPair, lossPairLegend, type LossPoint } from './lossPairChart';
import { canvasTheme } from './theme';
import { BaseView, guard } from './viewBase';
import type { ProbeContext } from './viewTypes';
import { emptyState, formatNumber } from './viewWidgets';

const ROWS = 4;
const COLS = 8;
const NOISE_SEED = 7;

/** A short fingerprint of the noise (the same noise: the same fingerprint). */
function fingerprint(values: Float32Array): string {
  let h = 2166136261;
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h.toString(16);
}

export class SampleGridView extends BaseView {
  readonly id = 'samples';
  readonly title = 'Samples';
  private info: HTMLElement | null = null;
  private body: HTMLElement | null = null;
  private lossCard: HTMLElement | null = null;
  private lossCanvas: HTMLCanvasElement | null = null;
  private lossLegend: HTMLElement | null = null;
  private lossNote: HTMLElement | null = null;
  private noise: { dim: number; values: Float32Array; print: string } | null = null;
  private model: tfjs.LayersModel | null = null;
  private losses: LossPoint[] = [];
  /** The points are the run's own record (ProbeContext.ganLosses gave a history). */
  private recorded = false;
  private measuring = false;

  applies(model: tfjs.LayersModel): boolean {
    return guard(() => isGenerator(model));
  }

  /** Measures the losses at every refresh (the chart has no holes while the tab is hidden), then refreshes. */
  override refresh(ctx: ProbeContext): Promise<void> {
    if (this.model !== ctx.model) {
      this.model = ctx.model;
      this.losses = [];
      this.recorded = false;
    }
    return Promise.all([this.measure(ctx), super.refresh(ctx)]).then(() => undefined);
  }

  protected build(root: HTMLElement): void {
    this.info = el('span', { class: 'ml-hint' });
    this.body = el('div', { class: 'ml-card' });
    this.lossCanvas = el('canvas', { 'data-role': 'gan-losses' });
    this.lossLegend = el('div');
    this.lossNote = el('div', { class: 'ml-hint ml-grid-note' });
    this.lossCard = el(
      'div',
      { class: 'ml-card', hidden: true },
      el('h3', { class: 'ml-card-title', text: 'Generator and discriminator loss' }),
      this.lossCanvas,
      this.lossLegend,
      this.lossNote,
    );
    root.append(
      el('div', { class: 'ml-toolbar' }, el('span', { class: 'ml-spacer' }), this.info),
      el('div', { class: 'ml-generative-cards' }, this.body, this.lossCard),
    );
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf, model, dataset } = ctx;
    const image = outputImageDims(model, dataset);
    if (!image) {
      this.body!.replaceChildren(emptyState('The output is not an image: no samples to draw.'));
      return;
    }
    const dim = model.inputs[0]!.shape[1]!;
    if (this.noise?.dim !== dim) {
      const values = fixedNoise(ROWS * COLS, dim, NOISE_SEED);
      this.noise = { dim, values, print: fingerprint(values) };
    }
    const count = ROWS * COLS;
    const out = await decodeCodes(tf, model, this.noise.values, count, [dim]);
    const gap = 2;
    const scale = fitScale(Math.min(this.contentWidth() - 80, 720), COLS, image[1], gap);
    const canvas = el('canvas', { class: 'ml-grid-canvas', 'data-noise': this.noise.print });
    drawImageGrid(canvas, out.values, out.size, { rows: ROWS, cols: COLS, image, scale, gap, role: 'sample-grid' });
    const when = ctx.batch > 0 ? `epoch ${ctx.epoch}, batch ${ctx.batch}` : `epoch ${ctx.epoch}`;
    this.info!.textContent = `${count} noise vectors of ${dim} values · ${when}`;
    this.body!.replaceChildren(
      el('h3', { class: 'ml-card-title', text: `The generator's ${count} images for ${count} fixed noise vectors (${when})` }),
      el('div', { class: 'ml-grid-frame' }, canvas),
      el('div', {
        class: 'ml-hint ml-grid-note',
        text:
          'The same noise vectors on every refresh (drawn once from N(0, 1) with a fixed seed): the images change ' +
          'only because the generator learns. Early on they are blurs; as training goes they turn into digits.',
      }),
    );
    this.drawLosses();
  }

  /**
   * The losses: the run's measurements when the panel records them along the run (a point every
   * epoch and more within), else one more point per refresh (one at a time; none twice for the
   * same batch).
   */
  private async measure(ctx: ProbeContext): Promise<void> {
    const last = this.losses[this.losses.length - 1];
    const measured = !this.recorded && last !== undefined && last.epoch === ctx.epoch && last.batch === ctx.batch;
    if (this.measuring || !ctx.ganLosses || measured) return;
    this.measuring = true;
    try {
      const m = await ctx.ganLosses();
      if (m === null || this.model !== ctx.model) return;
      this.recorded = m.history !== undefined && m.history.length > 0;
      if (this.recorded) this.losses = m.history!.map((p) => ({ ...p }));
      else this.losses.push({ epoch: ctx.epoch, batch: ctx.batch, generator: m.generator, discriminator: m.discriminator });
      const when = this.recorded ? 'along the run (every epoch, and in between)' : 'at each refresh';
      this.lossNote!.textContent =
        `Measured ${when} on ${m.samples} real samples and ${m.samples} images from fixed noise, dropout off. ` +
        `Now: the discriminator gives real images ${formatNumber(m.realScore)} and fakes ${formatNumber(m.fakeScore)} ` +
        '(its probability of "real"). Neither loss should reach 0: if the discriminator wins outright, the generator stops learning.';
      if (this.isVisible()) this.drawLosses();
    } catch {
      // A failed measurement leaves the chart as it was.
    } finally {
      this.measuring = false;
    }
  }

  private drawLosses(): void {
    const card = this.lossCard!;
    card.hidden = this.losses.length === 0;
    if (card.hidden) return;
    const width = Math.max(260, Math.min(560, this.contentWidth() - 60));
    const canvas = this.lossCanvas!;
    const points = [...this.losses];
    // Drawn again in the new colours when the theme changes.
    paintThemed(canvas, () => {
      drawLossPair(canvas, points, width, 180);
      this.lossLegend!.replaceChildren(lossPairLegend(canvasTheme(card)));
    });
  }
}
