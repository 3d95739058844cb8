/**
 * Grids of images for the generative views: decoded codes, a generator's samples, a sample's
 * nearest neighbours. Each image is drawn at its own size as a tile (`imageTile`, as the
 * reconstructions are) and scaled up pixelated; a grid can be framed by axes that say what
 * it spans (titles and tick values in the DOM, so they follow the theme's font and colours).
 */
import { el } from '../ui/dom';
import { drawTileGrid, imageTile, type Tile } from './canvas';

export interface ImageGridOptions {
  rows: number;
  cols: number;
  /** H, W, C of one image. */
  image: [number, number, number];
  /** CSS pixels per image pixel. */
  scale: number;
  /** CSS pixels between images. */
  gap: number;
  /** The canvas's `data-role`. */
  role: string;
}

/** Tiles of `count` flat images (`size` values each) from `values`. */
export function imageTiles(values: Float32Array, count: number, size: number, image: [number, number, number]): Tile[] {
  const [h, w, c] = image;
  return Array.from({ length: count }, (_, k) => imageTile(values.subarray(k * size, (k + 1) * size), h, w, c));
}

/** Draws rows × cols images (flat, `size` values each) into `canvas`, row by row. */
export function drawImageGrid(canvas: HTMLCanvasElement, values: Float32Array, size: number, o: ImageGridOptions): void {
  const tiles = imageTiles(values, o.rows * o.cols, size, o.image);
  drawTileGrid(canvas, tiles, { columns: o.cols, scale: o.scale, gap: o.gap });
  canvas.dataset['role'] = o.role;
  canvas.dataset['rows'] = String(o.rows);
  canvas.dataset['cols'] = String(o.cols);
  canvas.dataset['gap'] = String(o.gap);
}

/** The largest scale (1-4) at which `cols` images of width `w` fit in `width` CSS pixels. */
export function fitScale(width: number, cols: number, w: number, gap: number): number {
  return Math.max(1, Math.min(4, Math.floor((width - (cols - 1) * gap) / Math.max(1, cols * w))));
}

export interface AxisLabels {
  xTitle: string;
  yTitle: string;
  /** Tick values across, left to right, and down, top to bottom. */
  xTicks: string[];
  yTicks: string[];
}

/** `canvas` framed by axes: the y title and ticks on the left, the x ticks and title below. */
export function axisFrame(canvas: HTMLCanvasElement, a: AxisLabels): HTMLElement {
  const ticks = (values: string[], cls: string, role: string): HTMLElement =>
    el('div', { class: `ml-grid-ticks ${cls}`, 'data-role': role }, ...values.map((t) => el('span', { text: t })));
  return el(
    'div',
    { class: 'ml-grid-frame' },
    el('div', { class: 'ml-grid-ytitle', 'data-role': 'y-title', text: a.yTitle }),
    ticks(a.yTicks, 'ml-grid-yticks', 'y-ticks'),
    canvas,
    el('div', { class: 'ml-grid-corner' }),
    el('div', { class: 'ml-grid-corner' }),
    ticks(a.xTicks, 'ml-grid-xticks', 'x-ticks'),
    el('div', { class: 'ml-grid-corner' }),
    el('div', { class: 'ml-grid-corner' }),
    el('div', { class: 'ml-grid-xtitle', 'data-role': 'x-title', text: a.xTitle }),
  );
}

/** First, middle and last of `values` (the ticks a grid axis shows), formatted. */
export function endTicks(values: readonly number[], format: (v: number) => string): string[] {
  if (values.length === 0) return [];
  const picks = values.length >= 3 ? [0, Math.floor((values.length - 1) / 2), values.length - 1] : values.map((_, i) => i);
  return picks.map((i) => format(values[i]!));
}
