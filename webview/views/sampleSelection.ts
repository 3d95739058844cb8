/**
 * The sample the views probe, shared by every view made by one `createViews()` call: picking
 * sample 12 in Activations shows sample 12 in Gates too. Until the user picks one here, the
 * views follow the panel's `ProbeContext.sampleIndex` / `drawnSample`.
 */
import type { ProbeContext } from './viewTypes';

export interface ResolvedSample {
  index: number;
  drawn: Float32Array | null;
}

export class SampleSelection {
  private index: number | null = null;
  private drawn: Float32Array | null = null;
  private readonly listeners = new Set<() => void>();

  /** The sample to use for `ctx`: the user's pick here, else the panel's. */
  resolve(ctx: ProbeContext): ResolvedSample {
    const count = ctx.dataset.xsShape[0] ?? 1;
    const index = Math.max(0, Math.min(count - 1, this.index ?? ctx.sampleIndex));
    return { index, drawn: this.drawn ?? ctx.drawnSample ?? null };
  }

  setIndex(index: number): void {
    this.index = index;
    this.drawn = null;
    this.notify();
  }

  setDrawn(values: Float32Array | null): void {
    this.drawn = values;
    this.notify();
  }

  hasDrawing(): boolean {
    return this.drawn !== null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of Array.from(this.listeners)) l();
  }
}
