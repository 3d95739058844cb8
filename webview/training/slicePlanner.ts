/**
 * How a batch of the standard training step is cut into slices that each fit the frame budget
 * (see trainer.ts): a cost model of a slice, fitted to the slices timed so far.
 */

/** Slices are cut to stay under the budget, and never planned beyond this (a frame's limit). */
const HARD_LIMIT_MS = 95;

export class SlicePlanner {
  /** Recent slices: samples and ms (for the slice cost model). */
  private observed: Array<{ n: number; ms: number }> = [];
  private slicesSeen = 0;

  constructor(
    /** False: batches run whole (a custom trainStep, batch normalization). */
    private readonly sliceable: boolean,
    /** Target duration of one slice, ms. */
    private readonly budgetMs: number,
    /** Upper bound on the samples of one slice. */
    private readonly maxSlice: number,
  ) {}

  /**
   * How many samples go into each slice of a batch of `size` (cut as evenly as possible).
   * The cost of a slice is modelled as a + b·n (a fixed per-slice cost: the op count of the
   * graph, an RNN's time steps; b per sample), fitted to the recent slices. The slice length is
   * the n that fits the budget; when even the fixed cost exceeds the hard limit (a long RNN),
   * slicing cannot help and the whole batch runs at once (as fast as `model.fit`).
   */
  sliceSize(size: number): number {
    if (!this.sliceable) return size;
    const cost = this.cost();
    let target: number;
    if (cost === null)
      target = this.observed.length + 1; // 1 (warm-up), 1, 2: two sizes to fit a line
    else if (cost.a + cost.b > HARD_LIMIT_MS) target = size;
    else if (cost.a + cost.b > this.budgetMs) target = Math.floor((HARD_LIMIT_MS - cost.a) / cost.b);
    else target = Math.floor((this.budgetMs - cost.a) / cost.b);
    const limit = Math.max(1, Math.min(size, target, this.maxSlice));
    // Even slices; rounding the count (32 at a target of 15: two of 16, not three of 11) keeps
    // slices large, which the kernels run more efficiently, unless that breaks the hard limit.
    let slices = Math.max(1, Math.round(size / limit));
    const predicted = cost === null ? 0 : cost.a + cost.b * Math.ceil(size / slices);
    if (Math.ceil(size / slices) > this.maxSlice || predicted > HARD_LIMIT_MS) slices = Math.ceil(size / limit);
    return Math.ceil(size / slices);
  }

  /** Least-squares fit of ms = a + b·n over the recent slices (null until two sizes were seen). */
  private cost(): { a: number; b: number } | null {
    const points = this.observed;
    if (points.length < 2) return null;
    const meanN = points.reduce((s, p) => s + p.n, 0) / points.length;
    const meanT = points.reduce((s, p) => s + p.ms, 0) / points.length;
    let sNN = 0;
    let sNT = 0;
    for (const p of points) {
      sNN += (p.n - meanN) ** 2;
      sNT += (p.n - meanN) * (p.ms - meanT);
    }
    if (sNN < 1e-9) return { a: 0, b: Math.max(meanT / meanN, 1e-3) };
    const b = Math.max(sNT / sNN, 1e-3);
    const a = Math.min(Math.max(meanT - b * meanN, 0), Math.min(...points.map((p) => p.ms)));
    return { a, b };
  }

  /**
   * Records a slice's duration. The very first slice is skipped (warm-up: kernel set-up, JIT);
   * spikes (another process, a GC) count as at most 3× the model's prediction, so one slow
   * slice does not shrink the next ones.
   */
  learn(samples: number, ms: number): void {
    if (!this.sliceable) return;
    if (this.slicesSeen++ === 0) return;
    const cost = this.cost();
    const capped = cost === null ? ms : Math.min(ms, 3 * (cost.a + cost.b * samples));
    this.observed.push({ n: samples, ms: capped });
    if (this.observed.length > 24) this.observed.shift();
  }
}
