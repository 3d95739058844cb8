/**
 * Input vs reconstruction pairs: for image data each sample's input image next to its
 * reconstruction (canvases of the image's size, scaled up pixelated), else overlaid line plots
 * (input solid, reconstruction dashed) for vectors and sequences. For a denoising autoencoder,
 * trios instead: the noisy input → the model's output ← the clean target.
 */
import { extent, imageTile } from './canvas';
import { el } from '../ui/dom';
import { formatNumber } from './viewWidgets';
import { drawLines } from './plots';
import { canvasTheme, paintWithTheme } from './theme';

export interface ReconstructionData {
  /** The clean samples: the inputs, and the targets of a denoising autoencoder. */
  inputs: Float32Array;
  /** A denoising autoencoder's corrupted inputs (what the outputs are computed from), else absent. */
  noisy?: Float32Array;
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
    host.append(d.noisy ? imageTrios(d, width) : imagePairs(d, width));
  } else {
    const theme = canvasTheme(host);
    const grid = el('div', { class: 'ml-recon-lines', 'data-role': 'recon', 'data-pairs': n });
    const cellW = Math.max(120, Math.min(180, Math.floor((width - 16) / 3)));
    for (let k = 0; k < n; k++) {
      const canvas = el('canvas', { class: 'ml-line-canvas' });
      const input = d.inputs.subarray(k * d.size, (k + 1) * d.size);
      const output = d.outputs.subarray(k * d.size, (k + 1) * d.size);
      const noisy = d.noisy?.subarray(k * d.size, (k + 1) * d.size);
      // Redrawn in the new colours when the theme changes.
      paintWithTheme(canvas, theme, (t) =>
        drawLines(
          canvas,
          [
            ...(noisy ? [{ values: noisy, color: t.muted }] : []),
            { values: input, color: t.accent },
            { values: output, color: t.accent2, dashed: true },
          ],
          cellW,
          64,
        ),
      );
      const [lo, hi] = extent(input);
      grid.append(
        el(
          'figure',
          { class: 'ml-recon-pair' },
          canvas,
          el('figcaption', {
            text: `#${d.indices[k]} · mse ${formatNumber(mse(d, k))}`,
            title: `input range ${formatNumber(lo)} … ${formatNumber(hi)}`,
          }),
        ),
      );
    }
    host.append(grid);
    const key = el('div', { class: 'ml-hint', 'data-role': 'recon-key' });
    paintWithTheme(key, theme, (t) =>
      key.replaceChildren(
        ...(d.noisy ? [el('span', { class: 'ml-swatch', style: `background:${t.muted}` }), ' noisy input  '] : []),
        el('span', { class: 'ml-swatch', style: `background:${t.accent}` }),
        d.noisy ? ' clean target  ' : ' input  ',
        el('span', { class: 'ml-swatch ml-swatch-dashed', style: `border-color:${t.accent2}` }),
        d.noisy ? ' output' : ' reconstruction',
      ),
    );
    host.append(key);
  }
  // Only a real comparison is worth a number: outputs exactly equal to the inputs, or values
  // that are not finite, mean the output is no reconstruction of these samples.
  const mean = total / Math.max(n, 1);
  if (n > 0 && Number.isFinite(mean) && mean > 0) {
    host.append(
      el('div', {
        class: 'ml-hint',
        'data-role': 'recon-mse',
        text: `mean squared error${d.noisy ? ' (output vs clean target)' : ''} over these ${n}: ${formatNumber(mean)}`,
      }),
    );
  }
}

/** One sample as a canvas of the image's own size (H × W pixels), shown `scale` times larger. */
function imageCanvas(
  values: Float32Array,
  image: [number, number, number],
  scale: number,
  side: 'input' | 'output' | 'noisy' | 'target',
): HTMLCanvasElement {
  const [h, w, c] = image;
  const canvas = el('canvas', { class: 'ml-recon-image', 'data-role': 'recon-image', 'data-side': side });
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = `${w * scale}px`;
  canvas.style.height = `${h * scale}px`;
  const tile = imageTile(values, h, w, c);
  canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(tile.rgba), w, h), 0, 0);
  return canvas;
}

/**
 * Image samples in a grid, one captioned figure per sample (`images` of one sample, in a row of
 * `perSample` images), with the key below. Small images (a 28×28 digit) are scaled up to about 56
 * CSS pixels; large ones kept as they are.
 */
function imageFigures(
  d: ReconstructionData,
  width: number,
  layout: { perSample: number; gaps: number; count: 'data-pairs' | 'data-trios'; title?: string; key: string },
  images: (part: (a: Float32Array) => Float32Array, scale: number) => HTMLElement[],
): HTMLElement {
  const [h, w] = d.image!;
  const n = d.indices.length;
  const scale = Math.max(1, Math.min(4, Math.floor(56 / Math.max(h, w))));
  const itemW = layout.perSample * w * scale + layout.gaps;
  const grid = el('div', { class: 'ml-recon-images', 'data-role': 'recon', [layout.count]: n });
  grid.style.setProperty('--ml-pair-w', `${itemW}px`);
  grid.style.maxWidth = `${Math.max(itemW, width)}px`;
  for (let k = 0; k < n; k++) {
    const part = (a: Float32Array): Float32Array => a.subarray(k * d.size, (k + 1) * d.size);
    const duo = el('div', { class: 'ml-recon-duo', title: layout.title }, ...images(part, scale));
    grid.append(
      el(
        'figure',
        { class: 'ml-recon-pair', 'data-index': d.indices[k]! },
        duo,
        el('figcaption', { text: `#${d.indices[k]} · mse ${formatNumber(mse(d, k))}` }),
      ),
    );
  }
  const key = el('div', { class: 'ml-hint', 'data-role': 'recon-key', text: layout.key });
  return el('div', { class: 'ml-recon-image-host' }, grid, key);
}

/** The pairs of an image dataset: input | reconstruction side by side, captioned per sample. */
function imagePairs(d: ReconstructionData, width: number): HTMLElement {
  return imageFigures(
    d,
    width,
    { perSample: 2, gaps: 4, count: 'data-pairs', key: 'each pair: input (left) · reconstruction (right)' },
    (part, scale) => [
      imageCanvas(part(d.inputs), d.image!, scale, 'input'),
      imageCanvas(part(d.outputs), d.image!, scale, 'output'),
    ],
  );
}

function arrow(text: string): HTMLElement {
  return el('span', { text, 'aria-hidden': 'true', style: 'align-self: center; color: var(--ml-muted)' });
}

/** A denoising autoencoder's trios: noisy input → output ← clean target, captioned per sample. */
function imageTrios(d: ReconstructionData, width: number): HTMLElement {
  return imageFigures(
    d,
    width,
    {
      perSample: 3,
      gaps: 40,
      count: 'data-trios',
      title: 'noisy input → output ← clean target',
      key: 'each trio: noisy input → output ← clean target (noise as in training, fixed per sample)',
    },
    (part, scale) => [
      imageCanvas(part(d.noisy!), d.image!, scale, 'noisy'),
      arrow('→'),
      imageCanvas(part(d.outputs), d.image!, scale, 'output'),
      arrow('←'),
      imageCanvas(part(d.inputs), d.image!, scale, 'target'),
    ],
  );
}
