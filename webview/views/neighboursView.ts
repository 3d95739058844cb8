/**
 * Neighbours (autoencoders): the picked sample and the training samples whose codes are
 * closest to its code (Euclidean distance at the code layer), closest first, as images with
 * their distance and label. What the autoencoder puts next to each other is what it learnt to
 * see as alike.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { ActivationProbe } from '../probes/activationModel';
import { CodeCache } from '../probes/codeCache';
import { encodeSamples, guessBottleneck } from '../probes/latentProbe';
import { nearestNeighbours } from '../probes/nearestNeighbours';
import { imageDims, sampleValues } from '../probes/sampleInput';
import { el } from '../ui/dom';
import { formatCount } from '../ui/format';
import { drawTile, imageTile } from './canvas';
import { decodesImages } from './latentGridView';
import { SampleView } from './sampleView';
import { guard } from './viewBase';
import type { ProbeContext } from './viewTypes';
import { emptyState, formatNumber, formatShape } from './viewWidgets';

const SAMPLES = 2000;
const K = 12;

export class NeighboursView extends SampleView {
  readonly id = 'neighbours';
  readonly title = 'Neighbours';
  private readonly cache = new CodeCache(SAMPLES);
  private info: HTMLElement | null = null;
  private body: HTMLElement | null = null;

  override applies(model: tfjs.LayersModel): boolean {
    return guard(() => decodesImages(model));
  }

  protected build(root: HTMLElement): void {
    this.info = el('span', { class: 'ml-hint' });
    this.body = el('div', { class: 'ml-card' });
    root.append(
      el('div', { class: 'ml-toolbar' }, this.samplePicker(), el('span', { class: 'ml-spacer' }), this.info),
      this.body,
    );
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    const { tf, model, dataset } = ctx;
    const probe = ActivationProbe.for(tf, model);
    this.picker?.update(ctx, probe.inputShape);
    const entry = guessBottleneck(probe, model);
    if (!entry) throw new Error('No layer to use as the code: the model has no hidden layers.');
    const codes = await this.cache.get(ctx, entry);
    const { index } = this.selection.resolve(ctx);
    let row = codes.indices.indexOf(index);
    let values = codes.values;
    const n = codes.indices.length;
    const indices = codes.indices;
    if (row < 0) {
      // The picked sample is not among the encoded ones: encode it too, as one more row.
      const extra = (await encodeSamples(tf, model, entry, dataset, [index])).values;
      values = new Float32Array((n + 1) * codes.dim);
      values.set(codes.values);
      values.set(extra, n * codes.dim);
      row = n;
    }
    const found = nearestNeighbours(values, values.length / codes.dim, codes.dim, row, K);
    const rowIndex = (r: number): number => (r < n ? indices[r]! : index);
    this.info!.textContent = `code ${formatShape(entry.shape)} at ${entry.path} · among ${formatCount(n)} samples · epoch ${ctx.epoch}`;
    const image = imageDims(dataset);
    const label = (i: number): string => (dataset.labels ? ` · label ${dataset.labels[i]}` : '');
    const list = el('div', {
      class: 'ml-neighbours',
      'data-role': 'neighbours',
      'data-query': index,
      'data-indices': found.map((f) => rowIndex(f.row)).join(','),
      'data-distances': found.map((f) => f.distance).join(','),
    });
    const figure = (i: number, caption: string, query: boolean): HTMLElement => {
      const canvas = el('canvas', { 'data-role': query ? 'neighbour-query' : 'neighbour-image' });
      if (image) {
        const [h, w, c] = image;
        const scale = Math.max(1, Math.min(3, Math.floor(64 / Math.max(h, w))));
        drawTile(canvas, imageTile(sampleValues(dataset, i), h, w, c), w * scale, h * scale);
      }
      return el(
        'figure',
        { class: `ml-neighbour${query ? ' ml-query' : ''}` },
        image ? canvas : null,
        el('figcaption', { text: caption }),
      );
    };
    list.append(figure(index, `picked #${index}${label(index)}`, true));
    for (const f of found) {
      const i = rowIndex(f.row);
      list.append(figure(i, `#${i} · d ${formatNumber(f.distance)}${label(i)}`, false));
    }
    this.body!.replaceChildren(
      el('h3', { class: 'ml-card-title', text: `The ${found.length} samples with the closest codes, closest first` }),
      found.length > 0 ? list : emptyState('Only one sample: no neighbours.'),
      el('div', {
        class: 'ml-hint ml-grid-note',
        text:
          `d is the distance between codes at ${entry.path} (not between pixels). ` +
          'Neighbours of the same kind mean the code keeps what tells samples apart.',
      }),
    );
  }
}
