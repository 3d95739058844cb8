/**
 * A 28×28 drawing pad: draw a digit with the mouse (or pen/touch), MNIST style (bright strokes
 * on black, soft edges). Calls `onDraw` with the 784 values (row-major, 0…maxValue) when a
 * stroke ends.
 */
import { drawTile, imageTile } from './canvas';
import { el } from '../ui/dom';

const SIZE = 28;

export class DrawingPad {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly values = new Float32Array(SIZE * SIZE);
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private maxValue = 1;

  constructor(
    private readonly onDraw: (values: Float32Array | null) => void,
    private readonly cssSize = 112,
  ) {
    this.canvas = el('canvas', { class: 'ml-pad-canvas', 'aria-label': 'Drawing pad: draw a digit with the mouse' });
    const clear = el('button', { type: 'button', class: 'ml-button ml-button-secondary', text: 'Clear' });
    clear.addEventListener('click', () => {
      this.values.fill(0);
      this.paint();
      this.onDraw(null);
    });
    this.element = el(
      'div',
      { class: 'ml-pad' },
      this.canvas,
      el('div', { class: 'ml-pad-side' }, el('span', { class: 'ml-hint', text: 'Draw a digit' }), clear),
    );
    this.canvas.addEventListener('pointerdown', (e) => this.start(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', () => this.end());
    this.canvas.addEventListener('pointerleave', () => this.end());
    this.paint();
  }

  /** Strokes reach this value (the dataset's own scale: 1 for [0, 1] data, 255 for bytes). */
  setScale(maxValue: number): void {
    this.maxValue = maxValue > 1.5 ? maxValue : 1;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIZE, y: ((e.clientY - r.top) / r.height) * SIZE };
  }

  private start(e: PointerEvent): void {
    this.drawing = true;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.point(e);
    this.stamp(this.last.x, this.last.y);
    this.paint();
  }

  private move(e: PointerEvent): void {
    if (!this.drawing || !this.last) return;
    const p = this.point(e);
    const dist = Math.hypot(p.x - this.last.x, p.y - this.last.y);
    const steps = Math.max(1, Math.ceil(dist / 0.5));
    for (let s = 1; s <= steps; s++) {
      this.stamp(this.last.x + ((p.x - this.last.x) * s) / steps, this.last.y + ((p.y - this.last.y) * s) / steps);
    }
    this.last = p;
    this.paint();
  }

  private end(): void {
    if (!this.drawing) return;
    this.drawing = false;
    this.last = null;
    this.onDraw(Float32Array.from(this.values, (v) => v * this.maxValue));
  }

  /** A soft round brush about 2.5 pixels wide, like MNIST's anti-aliased strokes. */
  private stamp(cx: number, cy: number): void {
    const radius = 1.6;
    for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
      for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
        if (x < 0 || y < 0 || x >= SIZE || y >= SIZE) continue;
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const ink = Math.max(0, Math.min(1, radius + 0.5 - d));
        const i = y * SIZE + x;
        this.values[i] = Math.max(this.values[i]!, ink);
      }
    }
  }

  private paint(): void {
    drawTile(this.canvas, imageTile(this.values, SIZE, SIZE, 1), this.cssSize, this.cssSize);
  }
}
