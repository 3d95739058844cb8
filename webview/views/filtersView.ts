/**
 * Filters: every convolution layer's kernels as a grid of small images, per input channel (a
 * row of channels per filter) or averaged over the input channels, each filter normalised by
 * its own max |w| on a diverging map (blue < 0 < red). Redrawn as training goes.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { convKernelsOf, readFilters, type ConvKernel, type FilterData, type FilterMode } from '../probes/filterProbe';
import { balancedColumns, drawTilesAt, valueTile, type Tile } from './canvas';
import { cssGradient, DIVERGING } from './colormaps';
import { el } from '../ui/dom';
import { emptyState, formatNumber, formatShape, gradientLegend, layerSection, segmented, type LayerSection } from './viewWidgets';
import { BaseView, guard } from './viewBase';
import type { LayerFit, ProbeContext } from './viewTypes';

const MAX_FILTERS = 64;
const MAX_CHANNELS = 16;

/**
 * Where tiles go: averaged, filters wrap in rows; per channel, each filter is a row of its
 * channel tiles and several such rows sit side by side.
 */
interface TileLayout {
  tileW: number;
  tileH: number;
  gap: number;
  /** Filters per row of the canvas, and channel tiles per filter. */
  filtersPerRow: number;
  channels: number;
  blockGap: number;
  width: number;
  height: number;
}

interface LayerBlock {
  kernel: ConvKernel;
  section: LayerSection;
  canvas: HTMLCanvasElement;
  layout: TileLayout | null;
  data: FilterData | null;
}

function layoutFor(d: FilterData, width: number): TileLayout {
  const perChannel = d.channels > 1;
  const scale = Math.max(2, Math.round((perChannel ? 16 : 30) / Math.max(d.kh, d.kw)));
  const gap = perChannel ? 2 : 4;
  const blockGap = perChannel ? 14 : gap;
  const tileW = d.kw * scale;
  const tileH = d.kh * scale;
  const blockW = d.channels * (tileW + gap) - gap;
  const fit = Math.max(1, Math.floor((width + blockGap) / (blockW + blockGap)));
  const filtersPerRow = balancedColumns(d.filters, fit);
  const rows = Math.ceil(d.filters / filtersPerRow);
  return {
    tileW,
    tileH,
    gap,
    filtersPerRow,
    channels: d.channels,
    blockGap,
    width: filtersPerRow * (blockW + blockGap) - blockGap,
    height: rows * (tileH + gap) - gap,
  };
}

function placeTile(l: TileLayout, i: number): { x: number; y: number; w: number; h: number } {
  const f = Math.floor(i / l.channels);
  const c = i % l.channels;
  const blockW = l.channels * (l.tileW + l.gap) - l.gap;
  return {
    x: (f % l.filtersPerRow) * (blockW + l.blockGap) + c * (l.tileW + l.gap),
    y: Math.floor(f / l.filtersPerRow) * (l.tileH + l.gap),
    w: l.tileW,
    h: l.tileH,
  };
}

export class FiltersView extends BaseView {
  readonly id = 'filters';
  readonly title = 'Filters';
  private mode: FilterMode = 'mean';
  private list: HTMLElement | null = null;
  private blocks: LayerBlock[] = [];
  private modelKey: object | null = null;

  applies(model: tfjs.LayersModel): boolean {
    return guard(() => convKernelsOf(model).length > 0);
  }

  /** A convolution's filters are its own view. */
  showsLayer(model: tfjs.LayersModel, layerName: string): LayerFit {
    return convKernelsOf(model).some((k) => k.name === layerName || k.path === layerName) ? 'own' : 'none';
  }

  protected build(root: HTMLElement): void {
    const toolbar = el(
      'div',
      { class: 'ml-toolbar' },
      segmented<FilterMode>(
        'Show',
        [
          { value: 'mean', label: 'Averaged over input channels' },
          { value: 'channels', label: 'Per input channel' },
        ],
        this.mode,
        (m) => {
          this.mode = m;
          void this.rerender();
        },
      ),
      el('span', { class: 'ml-spacer' }),
      gradientLegend(cssGradient(DIVERGING), '−max', '0', '+max'),
      el('span', { class: 'ml-hint', text: 'each filter scaled by its own max |w|' }),
    );
    this.list = el('div', { class: 'ml-layer-list' });
    root.append(toolbar, this.list);
  }

  protected async render(ctx: ProbeContext): Promise<void> {
    if (!this.list) return;
    if (this.modelKey !== ctx.model) this.rebuild(ctx.model);
    const width = Math.max(200, this.contentWidth() - 24);
    const data = await readFilters(
      ctx.tf,
      this.blocks.map((b) => b.kernel),
      this.mode,
      MAX_FILTERS,
      MAX_CHANNELS,
    );
    this.blocks.forEach((block, i) => {
      block.data = data[i] ?? null;
      this.draw(block, width);
    });
  }

  private rebuild(model: tfjs.LayersModel): void {
    this.modelKey = model;
    this.list!.replaceChildren();
    this.blocks = convKernelsOf(model).map((kernel) => {
      const detail = `${kernel.layout === 'depthwise' ? 'depthwise kernel' : 'kernel'} ${formatShape(kernel.shape)}`;
      const section = layerSection(kernel.name, kernel.path, kernel.className, detail, kernel.depth);
      const canvas = el('canvas', { class: 'ml-grid-canvas', 'data-role': 'filters' });
      section.body.append(canvas);
      const block: LayerBlock = { kernel, section, canvas, layout: null, data: null };
      canvas.addEventListener('mousemove', (e) => this.hover(block, e));
      this.list!.append(section.root);
      return block;
    });
    if (this.blocks.length === 0) this.list!.append(emptyState('This model has no convolution layers.'));
  }

  private draw(block: LayerBlock, width: number): void {
    const d = block.data;
    if (!d) return;
    const tiles: Tile[] = [];
    const tileSize = d.kh * d.kw;
    for (let f = 0; f < d.filters; f++) {
      const m = d.maxAbs[f] || 1;
      for (let c = 0; c < d.channels; c++) {
        tiles.push(valueTile(d.values, (f * d.channels + c) * tileSize, d.kw, d.kh, DIVERGING, -m, m));
      }
    }
    const perChannel = d.channels > 1;
    block.layout = layoutFor(d, width);
    const layout = block.layout;
    drawTilesAt(block.canvas, tiles, (i) => placeTile(layout, i), layout.width, layout.height);
    const notes: string[] = [`${d.totalFilters} filters`];
    if (d.filters < d.totalFilters) notes.push(`first ${d.filters} shown`);
    if (perChannel && d.channels < d.totalChannels) notes.push(`first ${d.channels} of ${d.totalChannels} input channels`);
    if (block.kernel.layout === 'conv1d')
      notes.push(this.mode === 'mean' ? 'kernel taps, mean of input channels' : 'rows: input channels, columns: kernel taps');
    if (block.kernel.layout === 'depthwise') notes.push('one filter per input channel × multiplier');
    let hi = 0;
    for (const m of d.maxAbs) hi = Math.max(hi, m);
    notes.push(`max |w| ${formatNumber(hi)}`);
    block.section.note.textContent = notes.join(' · ');
    block.canvas.dataset['tiles'] = String(tiles.length);
  }

  private hover(block: LayerBlock, e: MouseEvent): void {
    const d = block.data;
    const layout = block.layout;
    if (!d || !layout) return;
    const r = block.canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const blockW = layout.channels * (layout.tileW + layout.gap) - layout.gap;
    const bx = Math.floor(x / (blockW + layout.blockGap));
    const c = Math.floor((x - bx * (blockW + layout.blockGap)) / (layout.tileW + layout.gap));
    const row = Math.floor(y / (layout.tileH + layout.gap));
    const i = (row * layout.filtersPerRow + bx) * layout.channels + c;
    if (bx >= layout.filtersPerRow || c >= layout.channels || i >= d.filters * d.channels) {
      block.canvas.title = '';
      return;
    }
    const f = Math.floor(i / d.channels);
    const channel =
      d.channels > 1 ? `, input channel ${c}` : this.mode === 'mean' && d.totalChannels > 1 ? ', mean of input channels' : '';
    block.canvas.title = `filter ${f}${channel} · max |w| ${formatNumber(d.maxAbs[f] ?? 0)}`;
  }
}
