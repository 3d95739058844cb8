/**
 * The panel's tabs: its own "Training" tab (curves) and one per inspection view. Views are
 * mounted once; a view that does not apply to the loaded model (gates without an RNN…) has its
 * tab hidden. Refreshes never overlap and are throttled: at most one start per `minIntervalMs`,
 * and no more often than keeps them to a small share of the time (a slow pass waits longer
 * for the next), so live views cost training little. A requested refresh (epoch end, training end) that comes
 * too early runs when it is due. A view's failure stays in that view.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { InspectionView, LayerFit, ProbeContext } from '../views/viewTypes';
import { afterPaint } from '../training/scheduling';
import { el } from '../ui/dom';

interface TabsElement extends HTMLElement {
  selectedIndex: number;
}

interface Tab {
  header: HTMLElement;
  panel: HTMLElement;
  view: InspectionView | null;
}

export class ViewTabs {
  readonly element: TabsElement;
  private readonly tabs: Tab[] = [];
  private model: tfjs.LayersModel | null = null;
  private running: Promise<void> | null = null;
  private pending: (() => ProbeContext | null) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastDuration = 0;
  /** The pending refresh runs without waiting to be due (asked for with `now`). */
  private dueNow = false;
  /** Completed refresh passes (for tests and the bench). */
  refreshCount = 0;
  /** Awaited at the start of each pass, before its context is made (the panel syncs a worker's weights). */
  prepare: (() => Promise<void>) | null = null;

  constructor(
    own: { id: string; title: string; content: HTMLElement },
    private readonly views: readonly InspectionView[],
    /**
     * Minimum time between passes, ms. A pass's measured time (probe, read-back, drawing until
     * the next frame) misses the compositing that follows, which a software renderer does on
     * the CPU that trains, so passes are spaced well apart.
     */
    private readonly minIntervalMs = 2000,
  ) {
    this.element = el('vscode-tabs', { class: 'lp-tabs', panel: true }) as unknown as TabsElement;
    this.addTab(own.id, own.title, null).panel.append(own.content);
    for (const view of views) {
      const tab = this.addTab(view.id, view.title, view);
      try {
        view.mount(tab.panel);
      } catch (error) {
        tab.panel.append(el('div', { class: 'lp-error', text: `${view.title} failed to start: ${messageOf(error)}` }));
      }
    }
    this.setModel(null);
  }

  /** Shows the tabs of the views that apply to `model` (all view tabs hide without a model). */
  setModel(model: tfjs.LayersModel | null): void {
    this.model = model;
    for (const tab of this.tabs) {
      if (tab.view === null) continue;
      let applies = false;
      if (model !== null) {
        try {
          applies = tab.view.applies(model);
        } catch {
          applies = false;
        }
      }
      tab.header.hidden = !applies;
      tab.panel.dataset['applies'] = String(applies);
    }
    const selected = this.tabs[this.element.selectedIndex];
    if (selected?.header.hidden) this.element.selectedIndex = 0;
  }

  /** The views that apply to the current model. */
  activeViews(): InspectionView[] {
    return this.tabs.filter((t) => t.view !== null && !t.header.hidden).map((t) => t.view!);
  }

  /**
   * Refreshes the applicable views with the context `makeContext` builds when the pass starts.
   * Skipped while a pass runs or before the next one is due, unless `force`d (epoch end, training
   * end): then it runs as soon as it is due and no pass runs (the latest request wins). `now`
   * (training is over: there is no training time to spare) runs it as soon as no pass runs.
   */
  refresh(makeContext: () => ProbeContext | null, force = false, now = false): void {
    if (this.model === null || this.activeViews().length === 0) return;
    if (force || now) {
      this.pending = makeContext;
      if (now) {
        this.dueNow = true;
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
      }
      this.pump();
    } else if (this.running === null && this.dueIn() <= 0) {
      this.start(makeContext);
    }
  }

  /** Starts the pending refresh when no pass runs and the next one is due (else sets a timer). */
  private pump(): void {
    if (this.running !== null || this.pending === null || this.timer !== null) return;
    const wait = this.dueNow ? 0 : this.dueIn();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
      return;
    }
    const next = this.pending;
    this.pending = null;
    this.dueNow = false;
    this.start(next);
  }

  private dueIn(): number {
    return this.lastStart + this.interval() - performance.now();
  }

  /** Time between pass starts: the minimum, or 20× the last pass, painting included (views ≈ 5% of the time). */
  private interval(): number {
    return Math.max(this.minIntervalMs, 20 * this.lastDuration);
  }

  /** Drops a refresh waiting to be due, and resolves when none is running. */
  async idle(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    while (this.running) await this.running;
  }

  /**
   * Focuses a layer (its lens was clicked) in every view; when the selected tab does not show
   * it (the Training tab, or a view without that layer), selects the view that does: the one
   * made for it (a convolution's filters, an RNN's gates) first, else the first that shows it.
   */
  focusLayer(layerName: string): void {
    const target = this.tabShowing(layerName);
    if (target >= 0 && target !== this.element.selectedIndex) this.element.selectedIndex = target;
    for (const view of this.activeViews()) {
      try {
        view.focusLayer?.(layerName);
      } catch {
        // A view that cannot focus keeps its state.
      }
    }
  }

  /** The index of the tab to show `layerName` in; -1 to stay (no model, or no view shows it). */
  private tabShowing(layerName: string): number {
    const model = this.model;
    if (model === null) return -1;
    const fit = (tab: Tab | undefined): LayerFit | null => {
      if (!tab?.view || tab.header.hidden) return 'none';
      // A view that cannot say is taken to show it where it is selected (it has focusLayer).
      if (!tab.view.showsLayer) return null;
      try {
        return tab.view.showsLayer(model, layerName);
      } catch {
        return 'none';
      }
    };
    const selected = fit(this.tabs[this.element.selectedIndex]);
    if (selected === null || selected !== 'none') return -1;
    const fits = this.tabs.map((tab) => fit(tab));
    const own = fits.indexOf('own');
    return own >= 0 ? own : fits.indexOf('shown');
  }

  dispose(): void {
    this.pending = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const view of this.views) {
      try {
        view.dispose();
      } catch {
        // Disposing must go on for the others.
      }
    }
    this.element.remove();
  }

  private start(makeContext: () => ProbeContext | null): void {
    this.lastStart = performance.now();
    // The pass's own time starts after `prepare`: waiting for the worker's weights (it answers
    // between batches, which can be long) is no work of the page's.
    let workStart = this.lastStart;
    this.running = (async () => {
      try {
        await this.prepare?.();
      } catch {
        // Views then show the model as the page has it.
      }
      workStart = performance.now();
      const ctx = makeContext();
      if (ctx === null) return;
      for (const view of this.activeViews()) {
        // Each view starts after a frame was drawn (not only in a task of its own: Chromium may
        // run several queued tasks before it draws).
        await afterPaint();
        try {
          await view.refresh(ctx);
        } catch {
          // Views show their own errors; a failing one must not stop the others or training.
        }
      }
      // The pass's cost includes the browser drawing what the views changed.
      await afterPaint();
      this.refreshCount++;
    })().finally(() => {
      this.lastDuration = performance.now() - workStart;
      this.running = null;
      this.pump();
    });
  }

  private addTab(id: string, title: string, view: InspectionView | null): Tab {
    const header = el('vscode-tab-header', { slot: 'header', 'data-tab': id, text: title });
    const panel = el('vscode-tab-panel', { class: 'lp-tab-panel', 'data-tab': id });
    this.element.append(header, panel);
    const tab = { header, panel, view };
    this.tabs.push(tab);
    return tab;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
