/**
 * Whether sharing batches with the gradient peers pays for this model. Sharing costs a round trip
 * of the weights and the gradients per batch, which the quick batches of a small model do not
 * earn back. So the Trainer times its batches both ways (after a warm-up batch of each) at the
 * start of every epoch and keeps the way that costs less per sample. Either way the update is
 * the same (to float rounding): only the speed is chosen. Once the same way has won several
 * epochs in a row the trials, which cost a few batches the slower way, run only now and then.
 */

/** Timed batches of each way before choosing. */
const TRIALS = 3;
/** Epochs in a row won by the same way after which the choice is kept without trials... */
const SETTLED = 3;
/** ...except at every this many epochs (the machine's load may have changed). */
const RECHECK_EVERY = 5;

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
  /** Epochs started, and how many decisions in a row chose the way of the last one. */
  private epochs = 0;
  private streak = 0;
  private lastShare: boolean | null = null;

  /** Times both ways again at an epoch's start (the machine's load may have changed), unless the choice has settled. */
  retrial(): void {
    this.epochs++;
    if (this.decided !== null && this.streak >= SETTLED && this.epochs % RECHECK_EVERY !== 0) return;
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
    const share = sharedMs < aloneMs;
    this.streak = this.lastShare === share ? this.streak + 1 : 1;
    this.lastShare = share;
    this.decided = { share, sharedMs, aloneMs };
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
