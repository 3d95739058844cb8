/**
 * Input vs reconstruction pairs: images (input above, reconstruction below) for image data,
 * overlaid line plots (input solid, reconstruction dashed) for vectors and sequences.
 */
import { drawTileGrid, extent, imageTile, type Tile } from './canvas';
import { el, formatNumber } from './dom';
import { drawLines } from './plots';
import { canvasTheme } from './theme';

export interface ReconstructionData {
  inputs: Float32Array;
  outputs: Float32Array;
  /** Values per sample. */
  size: number;
  indices: readonly number[];
  /** H, W, C for image data, else null. */
  image: [number, number, number] | null;
}

/** Mean squared error per pair. */
function mse(d: ReconstructionData, k: number): number {
  let s = 0;
  for (let i = 0; i < d.size; i++) {
    const e = d.inputs[k * d.size + i]! - d.outputs[k * d.size + i]!;
    s += e * e;
  }
  return s / d.size;
}

/** Replaces `host`'s content with the pairs. */
export function renderReconstructions(host: HTMLElement, d: ReconstructionData, width: number): void {
  host.replaceChildren();
  const n = d.indices.length;
  let total = 0;
  for (let k = 0; k < n; k++) total += mse(d, k);
  if (d.image) {
    const [h, w, c] = d.image;
    const scale = Math.max(1, Math.min(4, Math.floor(64 / Math.max(h, w))));
    const gap = 6;
    const columns = Math.max(1, Math.min(n, Math.floor((width - 60 + gap) / (w * scale + gap))));
    const shown = Math.min(n, columns);
    const tiles: Tile[] = [];
    for (let k = 0; k < shown; k++) tiles.push(imageTile(d.inputs.subarray(k * d.size, (k + 1) * d.size), h, w, c));
    for (let k = 0; k < shown; k++) tiles.push(imageTile(d.outputs.subarray(k * d.size, (k + 1) * d.size), h, w, c));
    const canvas = el('canvas', { class: 'ml-recon-canvas', 'data-role': 'recon', 'data-pairs': shown });
    drawTileGrid(canvas, tiles, { columns: shown, scale, gap });
    const rows = el('div', { class: 'ml-recon-rows' }, el('span', { text: 'input' }), el('span', { text: 'output' }));
    rows.style.setProperty('--ml-row-h', `${h * scale}px`);
    rows.style.setProperty('--ml-row-gap', `${gap}px`);
    host.append(el('div', { class: 'ml-recon-grid' }, rows, canvas));
  } else {
    const theme = canvasTheme(host);
    const grid = el('div', { class: 'ml-recon-lines', 'data-role': 'recon', 'data-pairs': n });
    const cellW = Math.max(120, Math.min(180, Math.floor((width - 16) / 3)));
    for (let k = 0; k < n; k++) {
      const canvas = el('canvas', { class: 'ml-line-canvas' });
      const input = d.inputs.subarray(k * d.size, (k + 1) * d.size);
      const output = d.outputs.subarray(k * d.size, (k + 1) * d.size);
      drawLines(canvas, [
        { values: input, color: theme.accent },
        { values: output, color: theme.accent2, dashed: true },
      ], cellW, 64);
      const [lo, hi] = extent(input);
      grid.append(
        el('figure', { class: 'ml-recon-pair' }, canvas, el('figcaption', { text: `#${d.indices[k]} · mse ${formatNumber(mse(d, k))}`, title: `input range ${formatNumber(lo)} … ${formatNumber(hi)}` })),
      );
    }
    host.append(grid);
    const key = el(
      'div',
      { class: 'ml-hint' },
      el('span', { class: 'ml-swatch', style: `background:${theme.accent}` }),
      ' input  ',
      el('span', { class: 'ml-swatch ml-swatch-dashed', style: `border-color:${theme.accent2}` }),
      ' reconstruction',
    );
    host.append(key);
  }
  host.append(el('div', { class: 'ml-hint', text: `mean squared error over these ${n}: ${formatNumber(total / Math.max(n, 1))}` }));
}
