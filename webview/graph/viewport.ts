/**
 * Pan and zoom of the graph's SVG: drag or wheel to pan, Ctrl+wheel to zoom at the pointer, keyboard
 * (+ / - / 0), fit to the window, and centring on a node. The transform is applied to one
 * `<g>`; the SVG itself fills the page.
 */
import type { Box } from './elkGraph';

const MIN_SCALE = 0.05;
const MAX_SCALE = 4;
/** Below this scale a node's text is too small to read. */
const READABLE_SCALE = 0.7;

export class Viewport {
  x = 0;
  y = 0;
  k = 1;
  private drag: { px: number; py: number; x: number; y: number; moved: boolean } | null = null;
  /** True right after a drag that moved: the click that ends it is not a node click. */
  dragged = false;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly layer: SVGGElement,
  ) {
    svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    svg.addEventListener('pointerdown', (e) => this.onDown(e));
    svg.addEventListener('pointermove', (e) => this.onMove(e));
    svg.addEventListener('pointerup', (e) => this.onUp(e));
    svg.addEventListener('pointercancel', (e) => this.onUp(e));
  }

  private apply(): void {
    this.layer.setAttribute('transform', `translate(${this.x.toFixed(1)},${this.y.toFixed(1)}) scale(${this.k.toFixed(4)})`);
  }

  private size(): { width: number; height: number } {
    const r = this.svg.getBoundingClientRect();
    return { width: Math.max(1, r.width), height: Math.max(1, r.height) };
  }

  /** Zooms by `factor` keeping the screen point (sx, sy) fixed. */
  zoomAt(factor: number, sx?: number, sy?: number): void {
    const { width, height } = this.size();
    const cx = sx ?? width / 2;
    const cy = sy ?? height / 2;
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.k * factor));
    this.x = cx - ((cx - this.x) * k) / this.k;
    this.y = cy - ((cy - this.y) * k) / this.k;
    this.k = k;
    this.apply();
  }

  /**
   * The first view of a graph: the whole of it when that stays readable, else its full width
   * from the top (scroll down the rest), never magnified beyond 1:1.
   */
  overview(width: number, height: number): void {
    const view = this.size();
    const pad = 16;
    const whole = Math.min((view.width - 2 * pad) / width, (view.height - 2 * pad) / height);
    if (whole >= READABLE_SCALE) {
      this.fit(width, height);
      return;
    }
    this.k = Math.max(MIN_SCALE, Math.min(1, (view.width - 2 * pad) / width));
    this.x = (view.width - width * this.k) / 2;
    this.y = pad;
    this.apply();
  }

  /** Shows the whole graph (`width`×`height`), never magnified beyond 1:1. */
  fit(width: number, height: number): void {
    const view = this.size();
    const pad = 16;
    const k = Math.min(1, Math.max(MIN_SCALE, Math.min((view.width - 2 * pad) / width, (view.height - 2 * pad) / height)));
    this.k = k;
    this.x = (view.width - width * k) / 2;
    this.y = Math.max(pad, (view.height - height * k) / 2);
    this.apply();
  }

  /** Whether `box` (graph coordinates) is fully on screen. */
  shows(box: Box): boolean {
    const view = this.size();
    const left = this.x + box.x * this.k;
    const top = this.y + box.y * this.k;
    return left >= 0 && top >= 0 && left + box.width * this.k <= view.width && top + box.height * this.k <= view.height;
  }

  /** Pans (no zoom) so that `box` is in the middle. */
  center(box: Box): void {
    const view = this.size();
    this.x = view.width / 2 - (box.x + box.width / 2) * this.k;
    this.y = view.height / 2 - (box.y + box.height / 2) * this.k;
    this.apply();
  }

  restore(): void {
    this.apply();
  }

  /** The wheel scrolls (shift: sideways); with Ctrl or ⌘, or a pinch, it zooms at the pointer. */
  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const rect = this.svg.getBoundingClientRect();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? rect.height : 1;
    if (e.ctrlKey || e.metaKey) {
      this.zoomAt(Math.exp(-e.deltaY * unit * 0.01), e.clientX - rect.left, e.clientY - rect.top);
      return;
    }
    const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
    const dy = e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY;
    this.x -= dx * unit;
    this.y -= dy * unit;
    this.apply();
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { px: e.clientX, py: e.clientY, x: this.x, y: this.y, moved: false };
    this.dragged = false;
  }

  private onMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const dx = e.clientX - d.px;
    const dy = e.clientY - d.py;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) this.svg.setPointerCapture(e.pointerId);
    d.moved = true;
    this.svg.classList.add('panning');
    this.x = d.x + dx;
    this.y = d.y + dy;
    this.apply();
  }

  private onUp(e: PointerEvent): void {
    if (this.drag?.moved) {
      this.dragged = true;
      if (this.svg.hasPointerCapture(e.pointerId)) this.svg.releasePointerCapture(e.pointerId);
    }
    this.drag = null;
    this.svg.classList.remove('panning');
  }
}
