/**
 * What every inspection view shares: mounting a themed root, coalescing refreshes (a refresh
 * that arrives while one is drawing is folded into one more pass, never queued up), skipping
 * work while the tab is hidden (drawn when it shows again), re-applying the focused layer,
 * errors shown in the view instead of thrown at the training loop, and timing. Drawings in theme
 * colours register their repaint (ui/themeWatch); a theme change during a render pass repaints
 * the view once more after it, for what the pass drew with the theme it read before the change.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { el } from '../ui/dom';
import { repaintThemed, themeGeneration } from '../ui/themeWatch';
import { focusLayerIn } from './viewWidgets';
import type { InspectionView, ProbeContext } from './viewTypes';

/** `applies` must never throw at the panel (e.g. a Sequential that is not built yet). */
export function guard(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

export abstract class BaseView implements InspectionView {
  abstract readonly id: string;
  abstract readonly title: string;
  /** Milliseconds the last refresh took (probe + readback + drawing). */
  lastRenderMs = 0;
  /** Number of completed renders (for tests and diagnostics). */
  renderCount = 0;

  protected root: HTMLElement | null = null;
  protected lastCtx: ProbeContext | null = null;
  protected focused: string | null = null;
  /** The focused layer is still to be scrolled into view (it was focused while hidden or not drawn yet). */
  private scrollToFocused = false;
  private ctxFocused: string | null = null;
  private errorBox: HTMLElement | null = null;
  private running: Promise<void> | null = null;
  private wanted = false;
  private dirty = false;
  private observer: ResizeObserver | null = null;
  /**
   * The root's clientWidth as of the ResizeObserver's last call (layout is fresh there; null:
   * not called yet). Reading `clientWidth` right after a view replaced its DOM forces a layout
   * of the whole page.
   */
  private observedWidth: number | null = null;
  /** The width the last render drew for (the grids wrap to it). */
  private renderedWidth = 0;

  abstract applies(model: tfjs.LayersModel): boolean;
  /** Build the static DOM (toolbar etc.) into `root`. */
  protected abstract build(root: HTMLElement): void;
  /** Probe the model and draw. Must dispose every tensor it makes. */
  protected abstract render(ctx: ProbeContext): Promise<void>;
  /** Release listeners and caches (DOM removal is done by the base). */
  protected teardown(): void {}

  mount(container: HTMLElement): void {
    this.root = el('div', { class: `ml-view ml-view-${this.id}`, 'data-view': this.id });
    this.errorBox = el('div', { class: 'ml-error', role: 'alert', hidden: true });
    this.root.append(this.errorBox);
    container.append(this.root);
    this.build(this.root);
    if (typeof ResizeObserver !== 'undefined') {
      this.observer = new ResizeObserver(() => this.onResize());
      this.observer.observe(this.root);
    }
  }

  refresh(ctx: ProbeContext): Promise<void> {
    this.lastCtx = ctx;
    if (ctx.focusedLayer !== this.ctxFocused) {
      this.ctxFocused = ctx.focusedLayer;
      this.focused = ctx.focusedLayer;
    }
    if (!this.isVisible()) {
      this.dirty = true;
      return Promise.resolve();
    }
    return this.schedule();
  }

  focusLayer(layerName: string): void {
    this.focused = layerName;
    const shown = this.root !== null && focusLayerIn(this.root, layerName, true) && this.isVisible();
    this.scrollToFocused = !shown;
  }

  dispose(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.teardown();
    this.root?.remove();
    this.root = null;
    this.lastCtx = null;
  }

  /** Redraw from the last context (after a toggle or a new sample was picked). */
  protected rerender(): Promise<void> {
    if (!this.lastCtx) return Promise.resolve();
    if (!this.isVisible()) {
      this.dirty = true;
      return Promise.resolve();
    }
    return this.schedule();
  }

  protected isVisible(): boolean {
    return this.root !== null && this.root.isConnected && this.root.getClientRects().length > 0;
  }

  /** The width to lay grids out for (the last one observed; 640 while unknown or hidden). */
  protected contentWidth(): number {
    const w = this.observedWidth || (this.root?.clientWidth ?? 0);
    return w > 0 ? w : 640;
  }

  private onResize(): void {
    const width = this.root?.clientWidth ?? 0;
    this.observedWidth = width;
    if (!this.isVisible()) return;
    // Shown now (its tab was selected for a lens click): the focused layer comes into view.
    this.revealFocused();
    const widthChanged = Math.abs(width - this.renderedWidth) > 24;
    // Grids wrap to the width: redraw when it changes noticeably (or when a hidden refresh is owed).
    if (this.dirty || (widthChanged && this.renderCount > 0)) void this.rerender();
  }

  private schedule(): Promise<void> {
    this.wanted = true;
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        while (this.wanted && this.lastCtx && this.root) {
          this.wanted = false;
          this.dirty = false;
          const ctx = this.lastCtx;
          this.renderedWidth = this.contentWidth();
          const t0 = performance.now();
          const theme = themeGeneration();
          try {
            await this.render(ctx);
            this.showError(null);
          } catch (e) {
            this.showError(e instanceof Error ? e.message : String(e));
          }
          if (themeGeneration() !== theme && this.root) repaintThemed(this.root);
          this.lastRenderMs = performance.now() - t0;
          this.renderCount++;
          if (this.root) focusLayerIn(this.root, this.focused, false);
          this.revealFocused();
        }
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Scrolls the focused layer's section into view if that is still owed and it is drawn. */
  private revealFocused(): void {
    if (!this.scrollToFocused || !this.root || !this.isVisible()) return;
    if (focusLayerIn(this.root, this.focused, true)) this.scrollToFocused = false;
  }

  private showError(message: string | null): void {
    if (!this.errorBox) return;
    this.errorBox.hidden = message === null;
    this.errorBox.textContent = message ?? '';
  }
}
