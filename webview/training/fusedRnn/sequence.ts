/**
 * What the fused recurrent kernels share: the shape of a run, and the layouts between tfjs's
 * tensors (batch-major, [batch, time, …]) and the kernels' buffers (processing order: step s
 * reads time t = s, or T − 1 − s when the layer goes backwards).
 */

export interface SequenceShape {
  batch: number;
  steps: number;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
  /**
   * The input's mask, [batch, time] (0: the step is masked), where it has one. As tfjs's rnn()
   * does, a masked step leaves the states as they were and outputs the previous hidden state
   * (zeros before the first); its gradient passes straight through to the step before.
   */
  mask?: Uint8Array;
  /**
   * Recurrent dropout's mask, [batch, units] (0 or 1 / (1 − rate)), the same at every step, as
   * tfjs's cells draw it once per call: the previous hidden state a step reads is h ∘ mask (an
   * LSTM or SimpleRNN reads it only in the recurrent product; a GRU also in its update).
   */
  recurrentMask?: Float64Array;
}

/** The time a processing step reads. */
export function timeOf(shape: SequenceShape, s: number): number {
  return shape.goBackwards ? shape.steps - 1 - s : s;
}

/** Whether processing step s of row b is masked. */
export function isMasked(shape: SequenceShape, s: number, b: number): boolean {
  return shape.mask !== undefined && shape.mask[b * shape.steps + timeOf(shape, s)] === 0;
}

/** A masked step keeps the state: row b's `units` values of step s become those of step s − 1 (zeros at the first). */
export function carryState(state: Float64Array, shape: SequenceShape, s: number, b: number): void {
  const { batch: B, units: U } = shape;
  const here = (s * B + b) * U;
  if (s === 0) state.fill(0, here, here + U);
  else state.copyWithin(here, here - B * U, here - B * U + U);
}

/**
 * The hidden state before step s (s > 0) as the step reads it: the states' own view without
 * recurrent dropout, else h_(s−1) ∘ mask written into `into` ([batch, units]).
 */
export function previousSeen(shape: SequenceShape, hidden: Float64Array, s: number, into: Float64Array): Float64Array {
  const size = shape.batch * shape.units;
  const previous = hidden.subarray((s - 1) * size, s * size);
  const mask = shape.recurrentMask;
  if (mask === undefined) return previous;
  for (let k = 0; k < size; k++) into[k] = previous[k]! * mask[k]!;
  return into;
}

/**
 * dL/dh_(s−1) from dL/d(h_(s−1) ∘ mask), in place, for the rows step s does not mask (a masked
 * row's gradient passes the state straight through, without the recurrent mask).
 */
export function throughRecurrentMask(shape: SequenceShape, s: number, gradient: Float64Array): void {
  const mask = shape.recurrentMask;
  if (mask === undefined) return;
  const U = shape.units;
  for (let b = 0; b < shape.batch; b++) {
    if (isMasked(shape, s, b)) continue;
    for (let k = b * U; k < (b + 1) * U; k++) gradient[k] = gradient[k]! * mask[k]!;
  }
}

/**
 * After the product that gives dL/dh_(s−1) from step s's gate gradients: the rows step s masks
 * take the gradient they carried instead (dL/dh of step s, passed on unchanged).
 */
export function restoreCarried(shape: SequenceShape, s: number, gradient: Float64Array, carried: Float64Array): void {
  const U = shape.units;
  for (let b = 0; b < shape.batch; b++) if (isMasked(shape, s, b)) gradient.set(carried.subarray(b * U, (b + 1) * U), b * U);
}

/**
 * The layer's output from the hidden states H[s, b, j] (processing order, float64): every step's
 * as [batch, steps, units] in processing order (as tfjs's rnn() stacks them), or the last as
 * [batch, units].
 */
export function gatherOutput(shape: SequenceShape, hidden: Float64Array): Float32Array {
  const { batch: B, steps: T, units: U } = shape;
  if (!shape.returnSequences) return Float32Array.from(hidden.subarray((T - 1) * B * U, T * B * U));
  const out = new Float32Array(B * T * U);
  for (let s = 0; s < T; s++) {
    for (let b = 0; b < B; b++) {
      const from = (s * B + b) * U;
      out.set(hidden.subarray(from, from + U), (b * T + s) * U);
    }
  }
  return out;
}

/**
 * The upstream gradient of the hidden state of step s, row b: dy's row when the layer returns
 * sequences, dy itself at the last step when it returns the last output, else nothing (-1).
 */
export function outputGradientOffset(shape: SequenceShape, s: number, b: number): number {
  const { steps: T, units: U } = shape;
  if (shape.returnSequences) return (b * T + s) * U;
  return s === T - 1 ? b * U : -1;
}

/**
 * The transposed previous hidden states as the recurrent kernel's gradient needs them:
 * P[j, b·T + t] = h[b, j] before the step that reads time t (zero before the first; times the
 * recurrent dropout mask where there is one, and `scale` where given), so that
 * dRecurrentKernel = P · dZ with dZ [batch·steps, gates] in the input projection's layout.
 */
export function previousHiddenTransposed(shape: SequenceShape, hidden: Float64Array, scale?: Float64Array): Float32Array {
  const { batch: B, steps: T, units: U } = shape;
  const p = new Float32Array(U * B * T);
  const columns = B * T;
  for (let s = 1; s < T; s++) {
    const t = timeOf(shape, s);
    for (let b = 0; b < B; b++) {
      const from = ((s - 1) * B + b) * U;
      const column = b * T + t;
      const at = (s * B + b) * U;
      const mask = shape.recurrentMask;
      for (let j = 0; j < U; j++) {
        const h = hidden[from + j]! * (mask === undefined ? 1 : mask[b * U + j]!);
        p[j * columns + column] = scale === undefined ? h : h * scale[at + j]!;
      }
    }
  }
  return p;
}

/**
 * Reused float64 buffers for the kernels' tapes: a training step allocates the same sizes for
 * every batch, and fresh multi-megabyte arrays each time keep the garbage collector busy. A
 * buffer comes back once the backward pass that read it is over; its old values remain (every
 * user writes a buffer in full before reading it, or clears it).
 */
const pool = new Map<number, Float64Array[]>();
/** At most this many bytes wait in the pool (beyond it, released buffers are left to the collector). */
const POOL_BYTES = 64 * 1024 * 1024;
let pooledBytes = 0;

export function takeBuffer(length: number): Float64Array {
  const buffer = pool.get(length)?.pop();
  if (buffer === undefined) return new Float64Array(length);
  pooledBytes -= buffer.byteLength;
  return buffer;
}

export function releaseBuffers(...buffers: Float64Array[]): void {
  for (const buffer of buffers) {
    const free = pool.get(buffer.length) ?? [];
    if (pooledBytes + buffer.byteLength > POOL_BYTES || free.includes(buffer)) continue;
    free.push(buffer);
    pool.set(buffer.length, free);
    pooledBytes += buffer.byteLength;
  }
}
