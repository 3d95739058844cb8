/**
 * Canvas helpers: HiDPI sizing (backing store at devicePixelRatio, drawing in CSS pixels),
 * value → colour tiles, and grids of small pixelated tiles drawn from one atlas.
 */
import { forgetThemed } from '../ui/themeWatch';
import { writeColor, type Lut } from './colormaps';

/**
 * Sizes `canvas` to cssWidth × cssHeight CSS pixels at the device's pixel ratio and clears it. A
 * new drawing replaces the old one, so the old one's theme repaint is dropped: a drawing in theme
 * colours registers its own (`paintThemed`).
 */
export function setupCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D {
  forgetThemed(canvas);
  const dpr = Math.max(1, window.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(cssWidth * dpr));
  const h = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas context');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  return ctx;
}

/** A small image in RGBA, width × height pixels. */
export interface Tile {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/**
 * Colours `count` values from `values[offset…]` (row-major height × width, `stride` apart) with
 * a LUT, mapping lo → 0 and hi → 1.
 */
export function valueTile(
  values: ArrayLike<number>,
  offset: number,
  width: number,
  height: number,
  lut: Lut,
  lo: number,
  hi: number,
  stride = 1,
): Tile {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const span = hi - lo;
  for (let p = 0; p < width * height; p++) {
    const v = values[offset + p * stride]!;
    writeColor(lut, span > 0 ? (v - lo) / span : 0.5, rgba, p * 4);
  }
  return { width, height, rgba };
}

/** An input sample as an image: H×W×C with C = 1 (grey) or 3 (RGB), values scaled min..max. */
export function imageTile(values: ArrayLike<number>, height: number, width: number, channels: number): Tile {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < height * width * channels; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // Keep [0, 1] data as it is (a blank digit stays black); stretch anything else.
  if (lo >= 0 && hi <= 1) {
    lo = 0;
    hi = 1;
  }
  const span = hi - lo || 1;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = values[p * channels + (channels >= 3 ? c : 0)]!;
      rgba[p * 4 + c] = ((v - lo) / span) * 255;
    }
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

export interface GridLayout {
  columns: number;
  /** CSS pixels per tile pixel. */
  scale: number;
  /** CSS pixels between tiles. */
  gap: number;
  /** Extra CSS pixels under each tile (for captions drawn by the caller). */
  captionHeight?: number;
}

/** Where tile `i` lands in CSS pixels. */
export function tileRect(
  i: number,
  tile: { width: number; height: number },
  layout: GridLayout,
): { x: number; y: number; w: number; h: number } {
  const w = tile.width * layout.scale;
  const h = tile.height * layout.scale;
  const col = i % layout.columns;
  const row = Math.floor(i / layout.columns);
  return { x: col * (w + layout.gap), y: row * (h + layout.gap + (layout.captionHeight ?? 0)), w, h };
}

/** Size in CSS pixels of a grid of `count` equal tiles. */
export function gridSize(
  count: number,
  tile: { width: number; height: number },
  layout: GridLayout,
): { width: number; height: number } {
  const cols = Math.min(layout.columns, Math.max(1, count));
  const rows = Math.ceil(count / layout.columns);
  const w = tile.width * layout.scale;
  const h = tile.height * layout.scale + (layout.captionHeight ?? 0);
  return { width: cols * w + (cols - 1) * layout.gap, height: rows * h + Math.max(0, rows - 1) * layout.gap };
}

/**
 * Draws equal-sized tiles as a pixelated grid: one atlas image, then one scaled `drawImage` per
 * tile. Sizes the canvas and returns its context (for captions).
 */
export function drawTileGrid(
  canvas: HTMLCanvasElement,
  tiles: Tile[],
  layout: GridLayout,
  background?: string,
): CanvasRenderingContext2D {
  const first = tiles[0] ?? { width: 1, height: 1 };
  const size = gridSize(tiles.length, first, layout);
  return drawTilesAt(canvas, tiles, (i) => tileRect(i, first, layout), size.width, size.height, background);
}

/** Draws tiles at the rectangles `rect(i)` gives (CSS pixels) on a width × height canvas. */
export function drawTilesAt(
  canvas: HTMLCanvasElement,
  tiles: Tile[],
  rect: (i: number) => { x: number; y: number; w: number; h: number },
  width: number,
  height: number,
  background?: string,
): CanvasRenderingContext2D {
  const ctx = setupCanvas(canvas, Math.max(1, width), Math.max(1, height));
  if (tiles.length === 0) return ctx;
  if (background) {
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, width, height);
  }
  const first = tiles[0]!;
  const atlasCols = Math.ceil(Math.sqrt(tiles.length));
  const atlasRows = Math.ceil(tiles.length / atlasCols);
  const atlas = document.createElement('canvas');
  atlas.width = atlasCols * first.width;
  atlas.height = atlasRows * first.height;
  const actx = atlas.getContext('2d');
  if (!actx) return ctx;
  const image = actx.createImageData(atlas.width, atlas.height);
  tiles.forEach((t, i) => {
    const ax = (i % atlasCols) * first.width;
    const ay = Math.floor(i / atlasCols) * first.height;
    for (let y = 0; y < t.height; y++) {
      image.data.set(t.rgba.subarray(y * t.width * 4, (y + 1) * t.width * 4), ((ay + y) * atlas.width + ax) * 4);
    }
  });
  actx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  tiles.forEach((t, i) => {
    const r = rect(i);
    const ax = (i % atlasCols) * first.width;
    const ay = Math.floor(i / atlasCols) * first.height;
    ctx.drawImage(atlas, ax, ay, t.width, t.height, r.x, r.y, r.w, r.h);
  });
  return ctx;
}

/** Columns that fill rows evenly: 32 tiles in rows of at most 31 → 2 rows of 16. */
export function balancedColumns(count: number, fit: number): number {
  const cols = Math.max(1, Math.min(count, fit));
  const rows = Math.ceil(count / cols);
  return Math.ceil(count / rows);
}

/** Draws one tile scaled to fill the canvas (cssWidth × cssHeight). */
export function drawTile(
  canvas: HTMLCanvasElement,
  tile: Tile,
  cssWidth: number,
  cssHeight: number,
  smooth = false,
): CanvasRenderingContext2D {
  const ctx = setupCanvas(canvas, cssWidth, cssHeight);
  const src = document.createElement('canvas');
  src.width = tile.width;
  src.height = tile.height;
  const sctx = src.getContext('2d');
  if (!sctx) return ctx;
  const image = sctx.createImageData(tile.width, tile.height);
  image.data.set(tile.rgba);
  sctx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(src, 0, 0, cssWidth, cssHeight);
  return ctx;
}

/**
 * Draws `tile` one canvas pixel per tile pixel and lets the browser scale it up to cssWidth ×
 * cssHeight, pixelated: a repaint writes the tile's few pixels, not a scaled copy as large as
 * the canvas on screen (views repaint their heatmaps while training, with the cores busy).
 */
export function drawScaledTile(canvas: HTMLCanvasElement, tile: Tile, cssWidth: number, cssHeight: number): void {
  forgetThemed(canvas);
  if (canvas.width !== tile.width) canvas.width = tile.width;
  if (canvas.height !== tile.height) canvas.height = tile.height;
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  canvas.style.imageRendering = 'pixelated';
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas context');
  ctx.putImageData(new ImageData(tile.rgba as Uint8ClampedArray<ArrayBuffer>, tile.width, tile.height), 0, 0);
}

/** Min and max of a numeric array (NaN-safe: ignores non-finite values). */
export function extent(values: ArrayLike<number>, from = 0, to = values.length): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
