/**
 * One read-back per view refresh: the probes put the values they need (as tensors) into
 * `parts`; they are flattened, concatenated, downloaded with one asynchronous `data()` (a single
 * sync point instead of one per tensor) and disposed.
 *
 * `SteppedRead` collects them in steps (one layer's probe, one chunk of samples), each its own
 * `tf.tidy`, and lets the page draw between steps once the current task has run `budgetMs`: a
 * view's probes over a whole model (e.g. every LSTM's gates over 30 timesteps) would otherwise
 * run as one task of several hundred ms on the CPU backends, a frozen panel. Tensors several
 * steps need (the probe model's outputs) are `share`d and live until the read ends; nothing is
 * kept open across a yield (no tidy spans an await), so training on the page between steps
 * cannot lose or leak tensors. Whatever changes the page's weights (a training step on the page,
 * copying in the worker's weights) awaits `readsSettled()` first: every step of a read sees the
 * same weights (the gates view checks its recomputation against the output of an earlier step).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { afterPaint } from '../training/scheduling';

type TF = typeof tfjs;

/** Work the page does in one go before it lets a frame through (the goal: no frame over 100 ms). */
export const PROBE_SLICE_MS = 30;

/**
 * When the page's current slice of view work began (null: none since the last frame). One clock
 * for every Pacer: a view's read, its drawing and the next view's read each made their own, so
 * a frame could hold two or three full slices (a 107 ms frame with 71 ms of script in the bench).
 */
let sliceStart: number | null = null;
/** Which slice a pending frame callback ends (an older one's callback leaves a newer slice alone). */
let sliceId = 0;

function currentSlice(): number {
  if (sliceStart === null) {
    sliceStart = performance.now();
    const id = ++sliceId;
    // The slice ends with the next frame: work after it counts toward the frame after.
    const page = globalThis as { requestAnimationFrame?: (callback: () => void) => number };
    page.requestAnimationFrame?.(() => {
      if (sliceId === id) sliceStart = null;
    });
  }
  return sliceStart;
}

/**
 * Yields to the browser (until it has drawn a frame) once the page's work since the last frame
 * has run `budgetMs`, counted across every Pacer and SteppedRead.
 */
export class Pacer {
  constructor(private readonly budgetMs = PROBE_SLICE_MS) {}

  /** `nextMs`: what the work about to start is expected to take (it yields first if that would overrun). */
  async pace(nextMs = 0): Promise<void> {
    if (performance.now() - currentSlice() + nextMs < this.budgetMs) return;
    await afterPaint();
    // A new slice from now: the work that follows counts toward it.
    sliceStart = null;
    currentSlice();
  }
}

/** Diagnostics (the training bench): told how long each step of a read (or each chunk of latent codes) ran, when it ended. */
export const stepObserver: { observe: ((ms: number) => void) | null } = { observe: null };

function timed<T>(run: () => T): T {
  if (stepObserver.observe === null) return run();
  const began = performance.now();
  try {
    return run();
  } finally {
    stepObserver.observe(performance.now() - began);
  }
}

/** Reads in progress, and who waits for them to end. */
let openReads = 0;
let settledWaiters: Array<() => void> = [];

/** Resolves when no stepped read is in progress (at once when none is). */
export function readsSettled(): Promise<void> {
  if (openReads === 0) return Promise.resolve();
  return new Promise((resolve) => settledWaiters.push(resolve));
}

export class SteppedRead {
  private open = true;
  private readonly shared: tfjs.Tensor[] = [];
  private readonly parts: tfjs.Tensor[] = [];
  private readonly pacer: Pacer;

  constructor(
    private readonly tf: TF,
    budgetMs = PROBE_SLICE_MS,
  ) {
    this.pacer = new Pacer(budgetMs);
    openReads++;
  }

  /** Runs `make` in a tidy; the tensors it returns live until the read ends (inputs of later steps). */
  async share<T extends tfjs.Tensor[]>(make: () => T): Promise<T> {
    await this.pacer.pace();
    const kept = timed(() => this.tf.tidy(make));
    this.shared.push(...kept);
    return kept;
  }

  /** Runs `collect` in a tidy; the tensors it pushes into `parts` are read back, in order. */
  async add(collect: (parts: tfjs.Tensor[]) => void): Promise<void> {
    await this.pacer.pace();
    const made = timed(() =>
      this.tf.tidy(() => {
        const parts: tfjs.Tensor[] = [];
        collect(parts);
        return parts.map((p) => this.tf.reshape(p, [-1]));
      }),
    );
    this.parts.push(...made);
  }

  /** Concatenates and downloads every part, then frees all the read's tensors. */
  async read(): Promise<Float32Array> {
    try {
      await this.pacer.pace();
      const { tf, parts } = this;
      const packed = tf.tidy(() => (parts.length > 0 ? tf.concat(parts) : tf.zeros([0])));
      try {
        return (await packed.data()) as Float32Array;
      } finally {
        packed.dispose();
      }
    } finally {
      this.dispose();
    }
  }

  /** Frees the read's tensors (a step threw, or the read is dropped); the weights may change again. */
  dispose(): void {
    this.tf.dispose(this.parts);
    this.tf.dispose(this.shared);
    this.parts.length = 0;
    this.shared.length = 0;
    if (!this.open) return;
    this.open = false;
    if (--openReads > 0) return;
    const waiters = settledWaiters;
    settledWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Runs `steps` on a new read and reads it back; a failing step frees what the read holds. */
export async function readInSteps(tf: TF, steps: (read: SteppedRead) => Promise<void>): Promise<Float32Array> {
  const read = new SteppedRead(tf);
  try {
    await steps(read);
  } catch (error) {
    read.dispose();
    throw error;
  }
  return read.read();
}
