/**
 * The sample picker shown above Activations, Gates and Weights: previous / slider / next, the
 * sample's label and a thumbnail, and for 28×28 image inputs a drawing pad. Every picker made
 * from one `SampleSelection` stays in step with the others.
 */
import { acceptsDrawing, imageDims, sampleCount, sampleValues } from '../probes/sampleInput';
import { drawTile, imageTile } from './canvas';
import { CATEGORICAL } from './colormaps';
import { el } from '../ui/dom';
import { paintThemed } from '../ui/themeWatch';
import { DrawingPad } from './drawingPad';
import { drawLines } from './plots';
import type { SampleSelection } from './sampleSelection';
import type { ProbeContext } from './viewTypes';

export class SamplePicker {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly position: HTMLElement;
  private readonly labelChip: HTMLElement;
  private readonly thumb: HTMLCanvasElement;
  private readonly drawToggle: HTMLButtonElement;
  private readonly padHost: HTMLElement;
  private pad: DrawingPad | null = null;
  private count = 1;
  private readonly unsubscribe: () => void;
  private lastCtx: ProbeContext | null = null;

  constructor(private readonly selection: SampleSelection) {
    const prev = el('button', {
      type: 'button',
      class: 'ml-icon-button',
      title: 'Previous sample',
      'aria-label': 'Previous sample',
      text: '‹',
    });
    const next = el('button', {
      type: 'button',
      class: 'ml-icon-button',
      title: 'Next sample',
      'aria-label': 'Next sample',
      text: '›',
    });
    this.slider = el('input', {
      type: 'range',
      class: 'ml-slider',
      min: 0,
      max: 0,
      step: 1,
      value: 0,
      'aria-label': 'Sample index',
    });
    this.position = el('span', { class: 'ml-sample-pos' });
    this.labelChip = el('span', { class: 'ml-chip', hidden: true });
    this.thumb = el('canvas', { class: 'ml-thumb', hidden: true });
    this.drawToggle = el('button', { type: 'button', class: 'ml-button ml-button-secondary', hidden: true, text: 'Draw…' });
    this.padHost = el('div', { class: 'ml-pad-host', hidden: true });
    prev.addEventListener('click', () => this.step(-1));
    next.addEventListener('click', () => this.step(1));
    this.slider.addEventListener('input', () => this.selection.setIndex(Number(this.slider.value)));
    this.drawToggle.addEventListener('click', () => this.togglePad());
    this.element = el(
      'div',
      { class: 'ml-picker' },
      el('span', { class: 'ml-field-label', text: 'Sample' }),
      prev,
      this.slider,
      next,
      this.position,
      this.labelChip,
      this.thumb,
      this.drawToggle,
      this.padHost,
    );
    this.unsubscribe = selection.subscribe(() => this.sync());
  }

  /** Call on every refresh: dataset size, label, thumbnail, drawing pad availability. */
  update(ctx: ProbeContext, modelInputShape: readonly number[]): void {
    this.lastCtx = ctx;
    this.count = Math.max(1, sampleCount(ctx.dataset));
    this.slider.max = String(this.count - 1);
    const canDraw = acceptsDrawing(ctx.dataset, modelInputShape);
    this.drawToggle.hidden = !canDraw;
    if (!canDraw) this.padHost.hidden = true;
    this.sync();
  }

  dispose(): void {
    this.unsubscribe();
  }

  private step(delta: number): void {
    if (!this.lastCtx) return;
    const { index } = this.selection.resolve(this.lastCtx);
    this.selection.setIndex((index + delta + this.count) % this.count);
  }

  private togglePad(): void {
    if (!this.pad) {
      this.pad = new DrawingPad((values) => this.selection.setDrawn(values));
      this.padHost.append(this.pad.element);
    }
    this.padHost.hidden = !this.padHost.hidden;
    this.drawToggle.textContent = this.padHost.hidden ? 'Draw…' : 'Hide pad';
    if (this.padHost.hidden && this.selection.hasDrawing()) this.selection.setDrawn(null);
  }

  private sync(): void {
    const ctx = this.lastCtx;
    if (!ctx) return;
    const { index, drawn } = this.selection.resolve(ctx);
    this.slider.value = String(index);
    this.position.textContent = drawn ? 'drawn digit' : `#${index} of ${this.count}`;
    const label = ctx.dataset.labels?.[index];
    this.labelChip.hidden = drawn !== null || label === undefined;
    this.labelChip.textContent = label === undefined ? '' : `label ${label}`;
    if (this.pad) {
      let max = 0;
      for (const v of sampleValues(ctx.dataset, index)) max = Math.max(max, v);
      this.pad.setScale(max);
    }
    const dims = imageDims(ctx.dataset);
    const values = drawn ?? sampleValues(ctx.dataset, index);
    const shape = ctx.dataset.xsShape;
    if (dims) {
      const [h, w, c] = dims;
      const scale = Math.max(1, Math.round(36 / h));
      drawTile(this.thumb, imageTile(values, h, w, c), w * scale, h * scale);
      this.thumb.hidden = false;
    } else if (
      (ctx.dataset.sampleKind === 'sequence' && shape.length === 3) ||
      (ctx.dataset.sampleKind === 'vector' && values.length >= 8)
    ) {
      // A sparkline of the sequence: up to three features.
      const [steps, features] = shape.length === 3 ? [shape[1]!, shape[2]!] : [values.length, 1];
      const series = Array.from({ length: Math.min(3, features) }, (_, f) => ({
        values: Float32Array.from({ length: steps }, (_, t) => values[t * features + f]!),
        color: CATEGORICAL[f]!,
      }));
      // Its frame is in the theme's colours: drawn again when the theme changes.
      const thumb = this.thumb;
      paintThemed(thumb, () => drawLines(thumb, series, 96, 30));
      this.thumb.hidden = false;
    } else {
      this.thumb.hidden = true;
    }
  }
}
