/**
 * Recomputes the gates of tfjs LSTM and GRU layers from their weights. tfjs computes the
 * gates inside `LSTMCell.call` / `GRUCell.call` and throws them away, so the gate view redoes
 * the maths with plain tf ops, in exactly the layout tfjs-layers uses:
 *
 * - LSTM: `kernel` [inputDim, 4u], `recurrentKernel` [u, 4u], `bias` [4u], gate order
 *   **i, f, c, o**; `z = x·W + h·U + b`; i = σ(z_i), f = σ(z_f), c = f⊙c₋₁ + i⊙act(z_c),
 *   o = σ(z_o), h = o⊙act(c).
 * - GRU: `kernel` [inputDim, 3u], `recurrentKernel` [u, 3u], `bias` [3u] (one bias, no
 *   `resetAfter`: tfjs rejects `resetAfter: true`), gate order **z, r, h**;
 *   z = σ(x·W_z + b_z + h·U_z), r = σ(x·W_r + b_r + h·U_r),
 *   h̃ = act(x·W_h + b_h + (r⊙h₋₁)·U_h), h = z⊙h₋₁ + (1−z)⊙h̃.
 *
 * σ is the layer's `recurrentActivation` (tfjs default `hardSigmoid` = clip(0.2x+0.5, 0, 1)),
 * act its `activation` (default `tanh`). Pure: the caller passes `tf`, nothing touches the
 * DOM, so this runs in Node tests against the real tfjs. Every function here allocates
 * tensors; call it inside `tf.tidy` (or dispose the trace with `disposeTrace`).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { SteppedRead } from './packedRead';

type TF = typeof tfjs;
type Tensor = tfjs.Tensor;

/** An activation, by its tfjs serialised name (`tanh`, `hardSigmoid`…) or as a function. */
export type ActivationSpec = string | ((x: Tensor) => Tensor);

export interface RnnWeights {
  kind: 'lstm' | 'gru';
  units: number;
  /** [inputDim, gates × units]. */
  kernel: Tensor;
  /** [units, gates × units]. */
  recurrentKernel: Tensor;
  /** [gates × units], or null when `useBias: false`. */
  bias: Tensor | null;
  activation: ActivationSpec;
  recurrentActivation: ActivationSpec;
  /** The layer reads its input back to front (and emits its outputs in that order). */
  goBackwards: boolean;
}

/** Per-step values, each [batch, steps, units], steps in the layer's processing order. */
export interface LstmTrace {
  kind: 'lstm';
  input: Tensor;
  forget: Tensor;
  /** act(z_c): the candidate added to the cell state (g in the usual LSTM notation). */
  candidate: Tensor;
  cell: Tensor;
  output: Tensor;
  hidden: Tensor;
}

export interface GruTrace {
  kind: 'gru';
  update: Tensor;
  reset: Tensor;
  candidate: Tensor;
  hidden: Tensor;
}

export type GateTrace = LstmTrace | GruTrace;

/** Applies a tfjs activation by name with tf ops (mirrors tfjs-layers' activations.js). */
export function applyActivation(tf: TF, spec: ActivationSpec, x: Tensor): Tensor {
  if (typeof spec === 'function') return spec(x);
  switch (spec) {
    case 'linear':
      return x;
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.clipByValue(tf.relu(x), 0, 6);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(tf.abs(x), 1));
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
    case 'mish':
      return tf.mul(x, tf.tanh(tf.softplus(x)));
    default:
      throw new Error(`activation '${spec}' is not supported by the gate view`);
  }
}

/** The structural view of a tfjs RNN layer that `rnnWeightsOf` reads (no tfjs classes needed). */
interface RnnLayerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  cell?: {
    units?: number;
    kernel?: { read(): Tensor } | null;
    recurrentKernel?: { read(): Tensor } | null;
    bias?: { read(): Tensor } | null;
  };
}

/** The class names the gate view understands. */
export function rnnKindOf(layer: { getClassName(): string }): 'lstm' | 'gru' | null {
  const name = layer.getClassName();
  if (name === 'LSTM') return 'lstm';
  if (name === 'GRU') return 'gru';
  return null;
}

/**
 * Reads the weights of a built tfjs LSTM or GRU layer. The tensors returned are the layer's
 * live variables: never dispose them.
 */
export function rnnWeightsOf(layer: RnnLayerLike): RnnWeights | null {
  const kind = rnnKindOf(layer);
  const cell = layer.cell;
  if (!kind || !cell || !cell.kernel || !cell.recurrentKernel || cell.units === undefined) return null;
  const config = layer.getConfig();
  const name = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
  return {
    kind,
    units: cell.units,
    kernel: cell.kernel.read(),
    recurrentKernel: cell.recurrentKernel.read(),
    bias: cell.bias ? cell.bias.read() : null,
    activation: name(config['activation'], 'tanh'),
    recurrentActivation: name(config['recurrentActivation'], 'hardSigmoid'),
    goBackwards: config['goBackwards'] === true,
  };
}

/** Splits the last axis of `m` into `n` equal parts. */
function splitLast(tf: TF, m: Tensor, n: number): Tensor[] {
  return tf.split(m, n, m.rank - 1);
}

/** What a recurrence carries from one step to the next: [h, c] for an LSTM, [h] for a GRU. */
export type RnnState = Tensor[];

/**
 * The input part of every gate at every step, x·W + b, in one matMul: [batch, steps, gates·u],
 * steps in the layer's processing order. `x` is [batch, steps, features] or [steps, features].
 */
export function inputProjection(tf: TF, w: RnnWeights, x: Tensor): Tensor {
  const x3 = x.rank === 2 ? tf.expandDims(x, 0) : x;
  if (x3.rank !== 3) throw new Error(`expected a sequence [batch, steps, features], got rank ${x.rank}`);
  const [batch, steps, features] = x3.shape as [number, number, number];
  const ordered = w.goBackwards ? tf.reverse(x3, 1) : x3;
  let xw = tf.matMul(tf.reshape(ordered, [batch * steps, features]), w.kernel as tfjs.Tensor2D);
  if (w.bias) xw = tf.add(xw, w.bias);
  return tf.reshape(xw, [batch, steps, (w.kind === 'lstm' ? 4 : 3) * w.units]);
}

/**
 * Runs the recurrence over `xw` (input projections of consecutive steps, see `inputProjection`)
 * from `state` (zeros when null): every gate at every one of those steps ([batch, steps, units])
 * and the state after the last. A sequence may be run in parts, each from the last one's state
 * (so a long sequence need not be one block of work): the parts' traces, concatenated, equal
 * the whole run's.
 */
export function runRecurrence(tf: TF, w: RnnWeights, xw: Tensor, state: RnnState | null): { trace: GateTrace; state: RnnState } {
  const batch = xw.shape[0]!;
  const xwSteps = tf.unstack(xw, 1);
  const zeros = (): Tensor => tf.zeros([batch, w.units]);
  return w.kind === 'lstm' ? runLstm(tf, w, xwSteps, state ?? [zeros(), zeros()]) : runGru(tf, w, xwSteps, state ?? [zeros()]);
}

/**
 * Runs the recurrence over `x` ([batch, steps, features] or [steps, features]) from zero
 * initial states and returns every gate at every step ([batch, steps, units]).
 */
export function recomputeGates(tf: TF, w: RnnWeights, x: Tensor): GateTrace {
  return runRecurrence(tf, w, inputProjection(tf, w, x), null).trace;
}

function runLstm(tf: TF, w: RnnWeights, xwSteps: Tensor[], state: RnnState): { trace: LstmTrace; state: RnnState } {
  const act = (t: Tensor): Tensor => applyActivation(tf, w.activation, t);
  const rec = (t: Tensor): Tensor => applyActivation(tf, w.recurrentActivation, t);
  let [h, c] = state as [Tensor, Tensor];
  const out = {
    i: [] as Tensor[],
    f: [] as Tensor[],
    g: [] as Tensor[],
    c: [] as Tensor[],
    o: [] as Tensor[],
    h: [] as Tensor[],
  };
  for (const xw of xwSteps) {
    const z = tf.add(xw, tf.matMul(h as tfjs.Tensor2D, w.recurrentKernel as tfjs.Tensor2D));
    const [z0, z1, z2, z3] = splitLast(tf, z, 4) as [Tensor, Tensor, Tensor, Tensor];
    const i = rec(z0);
    const f = rec(z1);
    const g = act(z2);
    c = tf.add(tf.mul(f, c), tf.mul(i, g));
    const o = rec(z3);
    h = tf.mul(o, act(c));
    out.i.push(i);
    out.f.push(f);
    out.g.push(g);
    out.c.push(c);
    out.o.push(o);
    out.h.push(h);
  }
  const trace: LstmTrace = {
    kind: 'lstm',
    input: tf.stack(out.i, 1),
    forget: tf.stack(out.f, 1),
    candidate: tf.stack(out.g, 1),
    cell: tf.stack(out.c, 1),
    output: tf.stack(out.o, 1),
    hidden: tf.stack(out.h, 1),
  };
  return { trace, state: [h, c] };
}

function runGru(tf: TF, w: RnnWeights, xwSteps: Tensor[], state: RnnState): { trace: GruTrace; state: RnnState } {
  const act = (t: Tensor): Tensor => applyActivation(tf, w.activation, t);
  const rec = (t: Tensor): Tensor => applyActivation(tf, w.recurrentActivation, t);
  const [uZR, uH] = tf.split(w.recurrentKernel, [2 * w.units, w.units], 1) as [tfjs.Tensor2D, tfjs.Tensor2D];
  let [h] = state as [Tensor];
  const out = { z: [] as Tensor[], r: [] as Tensor[], hh: [] as Tensor[], h: [] as Tensor[] };
  for (const xw of xwSteps) {
    const [xZ, xR, xH] = splitLast(tf, xw, 3) as [Tensor, Tensor, Tensor];
    const [hZ, hR] = splitLast(tf, tf.matMul(h as tfjs.Tensor2D, uZR), 2) as [Tensor, Tensor];
    const z = rec(tf.add(xZ, hZ));
    const r = rec(tf.add(xR, hR));
    const hh = act(tf.add(xH, tf.matMul(tf.mul(r, h) as tfjs.Tensor2D, uH)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    out.z.push(z);
    out.r.push(r);
    out.hh.push(hh);
    out.h.push(h);
  }
  const trace: GruTrace = {
    kind: 'gru',
    update: tf.stack(out.z, 1),
    reset: tf.stack(out.r, 1),
    candidate: tf.stack(out.hh, 1),
    hidden: tf.stack(out.h, 1),
  };
  return { trace, state: [h] };
}

/** The gates of a trace as labelled [batch, steps, units] tensors, in display order. */
export function traceSeries(trace: GateTrace): { key: string; label: string; tensor: Tensor; range: 'unit' | 'signed' }[] {
  if (trace.kind === 'lstm') {
    return [
      { key: 'input', label: 'input gate i', tensor: trace.input, range: 'unit' },
      { key: 'forget', label: 'forget gate f', tensor: trace.forget, range: 'unit' },
      { key: 'output', label: 'output gate o', tensor: trace.output, range: 'unit' },
      { key: 'candidate', label: 'candidate g', tensor: trace.candidate, range: 'signed' },
      { key: 'cell', label: 'cell state c', tensor: trace.cell, range: 'signed' },
      { key: 'hidden', label: 'hidden state h', tensor: trace.hidden, range: 'signed' },
    ];
  }
  return [
    { key: 'update', label: 'update gate z', tensor: trace.update, range: 'unit' },
    { key: 'reset', label: 'reset gate r', tensor: trace.reset, range: 'unit' },
    { key: 'candidate', label: 'candidate h̃', tensor: trace.candidate, range: 'signed' },
    { key: 'hidden', label: 'hidden state h', tensor: trace.hidden, range: 'signed' },
  ];
}

/** Disposes every tensor of a trace (for callers outside `tf.tidy`). */
export function disposeTrace(tf: TF, trace: GateTrace): void {
  tf.dispose(traceSeries(trace).map((s) => s.tensor));
}

/**
 * The layer's own hidden state at every step ([batch, steps, units], processing order), even
 * when it was built with `returnSequences: false`: runs the layer's `call` once with
 * `returnSequences` switched on and restores it at once (synchronously, so nothing else can
 * observe the switch). Call inside `tf.tidy`.
 */
export function layerHiddenSequence(layer: RnnCallable, x: Tensor): Tensor {
  return layerHiddenPart(layer, x, null).hidden;
}

/** The part of an RNN layer `layerHiddenPart` calls. */
export interface RnnCallable {
  call(x: Tensor, kwargs: Record<string, unknown>): Tensor | Tensor[];
}

/**
 * `layerHiddenSequence` for a part of a sequence, from the state the layer reached at the end
 * of the part before (`initialState`; zeros when null), and the state at the end of this part.
 * For a layer that reads back to front, `x` is the part as the layer receives it (input order):
 * the first part is the sequence's last steps.
 */
export function layerHiddenPart(
  layer: RnnCallable,
  x: Tensor,
  initialState: RnnState | null,
): { hidden: Tensor; state: RnnState } {
  const rnn = layer as unknown as { returnSequences: boolean; returnState: boolean };
  const saved = { returnSequences: rnn.returnSequences, returnState: rnn.returnState };
  rnn.returnSequences = true;
  rnn.returnState = true;
  try {
    const y = layer.call(x, initialState ? { initialState } : {});
    const [hidden, ...state] = Array.isArray(y) ? y : [y];
    return { hidden: hidden!, state };
  } finally {
    rnn.returnSequences = saved.returnSequences;
    rnn.returnState = saved.returnState;
  }
}

/**
 * Timesteps per step of a stepped read when a recurrence runs in parts: a long recurrence in
 * one step (the layer's own call, then the recomputed gates) would hold the page's thread for
 * longer than a frame on the WASM backend.
 */
export const RNN_PART_STEPS = 8;

/**
 * The layer's own hidden sequence ([batch, n, units] per part, processing order) as steps of
 * `read`, `partSteps` timesteps per step, each part from the state the last one ended in. A
 * layer that reads back to front (`backwards`) gets its parts from the end of `x`.
 */
export async function layerHiddenInParts(
  tf: TF,
  read: SteppedRead,
  layer: RnnCallable,
  x: Tensor,
  partSteps = RNN_PART_STEPS,
  backwards = false,
): Promise<Tensor[]> {
  const steps = x.shape[1]!;
  const parts: Tensor[] = [];
  let state: RnnState | null = null;
  for (let t0 = 0; t0 < steps; t0 += partSteps) {
    const n = Math.min(partSteps, steps - t0);
    const from: RnnState | null = state;
    const [hidden, ...next] = await read.share(() => {
      const part = tf.slice(x, [0, backwards ? steps - t0 - n : t0, 0], [-1, n, -1]);
      const run = layerHiddenPart(layer, part, from);
      return [run.hidden, ...run.state];
    });
    parts.push(hidden!);
    state = next;
  }
  return parts;
}

/** max |a − b| as a scalar tensor. */
export function maxAbsDiff(tf: TF, a: Tensor, b: Tensor): Tensor {
  return tf.max(tf.abs(tf.sub(a, b)));
}
