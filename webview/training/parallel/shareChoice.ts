/**
 * Whether sharing batches with the gradient peers pays for this model. Sharing costs a round trip
 * of the weights and the gradients per batch, which the quick batches of a small model do not
 * earn back. So the Trainer times its batches both ways (after a warm-up batch of each) at the
 * start of every epoch and keeps the way that costs less per sample. Either way the update is
 * the same (to float rounding): only the speed is chosen.
 */

/** Timed batches of each way before choosing. */
const TRIALS = 3;

export interface ShareDecision {
  share: boolean;
  /** Median ms per sample of each way, as timed. */
  sharedMs: number;
  aloneMs: number;
}

export class ShareChoice {
  private shared: number[] = [];
  private alone: number[] = [];
  private warmedShared = false;
  private warmedAlone = false;
  private decided: ShareDecision | null = null;

  /** Times both ways again (at each epoch start: the machine's load may have changed). */
  retrial(): void {
    this.shared = [];
    this.alone = [];
    this.decided = null;
  }

  /** Whether the next batch is shared: the choice, or during trials the way with fewer timings. */
  next(): boolean {
    if (this.decided !== null) return this.decided.share;
    return this.count(true) <= this.count(false);
  }

  /**
   * Records a batch's time per sample; returns the decision when this batch completed the trials
   * (null otherwise).
   */
  record(shared: boolean, msPerSample: number): ShareDecision | null {
    if (this.decided !== null) return null;
    if (shared && !this.warmedShared) this.warmedShared = true;
    else if (!shared && !this.warmedAlone) this.warmedAlone = true;
    else (shared ? this.shared : this.alone).push(msPerSample);
    if (this.shared.length < TRIALS || this.alone.length < TRIALS) return null;
    const sharedMs = median(this.shared);
    const aloneMs = median(this.alone);
    this.decided = { share: sharedMs < aloneMs, sharedMs, aloneMs };
    return this.decided;
  }

  /** Timings of a way so far, its warm-up counted. */
  private count(shared: boolean): number {
    return shared ? this.shared.length + (this.warmedShared ? 1 : 0) : this.alone.length + (this.warmedAlone ? 1 : 0);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
