/**
 * Fused recurrent layers for training: an LSTM, GRU or SimpleRNN layer's whole sequence, forward
 * and backward, in one call per layer instead of tfjs's ops at every time step.
 *
 * `installFusedRnn(model)` replaces the `call` of each plain LSTM/GRU/SimpleRNN layer (nested
 * models and Bidirectional wrappers included) with one that computes, for a call it supports,
 * one op with its own gradient (tf.customGrad): xw = x · kernel + bias as one matMul over every
 * time step, then the recurrence over xw in JS (lstmKernel.ts, gruKernel.ts, simpleRnnKernel.ts),
 * whose per-step products run on the WASM backend's matMul where it is the backend
 * (wasmProducts.ts); and otherwise calls tfjs's own code, so an unsupported case never gives
 * another result.
 * Supported: the layer's own class (not a subclass), stateful false, returnState true or false
 * (the final states as tfjs returns them: [output, h] or, for an LSTM, [output, h, c]), no
 * initial state, no constants, a rank-3 float32 input with at least one step, with or without
 * a mask ([batch, time], from Masking or an embedding's maskZero), with or without dropout and
 * recurrentDropout (masks drawn once per call as tfjs's cells draw them), activations the
 * kernels compute (activations.ts), on the CPU or WASM backend (the kernels read the tensors'
 * values; on WebGL that is a GPU read-back).
 * The layer keeps its weights: the views and the optimizer see the same variables.
 */
import * as tf from '@tensorflow/tfjs';
import { activationCode } from './activations';
import type { ActCode } from './activations';
import { gruBackward, gruForward } from './gruKernel';
import { lstmBackward, lstmForward } from './lstmKernel';
import { outputGradientOffset } from './sequence';
import type { SequenceShape } from './sequence';
import { jsProducts } from './products';
import type { ProductFactory } from './products';
import { simpleBackward, simpleForward } from './simpleRnnKernel';
import { wasmProducts } from './wasmProducts';

export type FusedKind = 'LSTM' | 'GRU' | 'SimpleRNN';

/** The backends whose tensors live in CPU memory (read without a GPU round trip). */
export const FUSED_BACKENDS: readonly string[] = ['cpu', 'wasm'];

interface WeightLike {
  read(): tf.Tensor;
}

interface CellLike {
  kernel: WeightLike;
  recurrentKernel: WeightLike;
  bias: WeightLike | null;
  activation: { getClassName(): string };
  recurrentActivation?: { getClassName(): string };
  dropout: number;
  recurrentDropout: number;
  /** tfjs's hook for drawing dropout masks (its tests'); tf.dropout otherwise. */
  dropoutFunc?: (x: tf.Tensor, rate: number) => tf.Tensor;
  units: number;
}

interface RnnLayerLike {
  cell: CellLike;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  built: boolean;
}

type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/** The activation codes of a call the kernels compute. */
export interface FusedActivations {
  activation: ActCode;
  recurrentActivation: ActCode;
}

const INSTALLED = Symbol('modelLens.fusedRnn');

/** tfjs-layers' registered class of `name` (read from the serialization registry: making a layer would take a name). */
function registeredPrototype(name: string): object | null {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name] as unknown;
  return Array.isArray(entry) && typeof entry[0] === 'function' ? ((entry[0] as { prototype: object }).prototype ?? null) : null;
}

const CELLS: Record<FusedKind, string> = { LSTM: 'LSTMCell', GRU: 'GRUCell', SimpleRNN: 'SimpleRNNCell' };

/** The layer's kind when it is exactly tfjs's LSTM, GRU or SimpleRNN (with tfjs's own cell), else null. */
export function fusedKindOf(layer: unknown): FusedKind | null {
  if (layer === null || typeof layer !== 'object') return null;
  for (const kind of Object.keys(CELLS) as FusedKind[]) {
    const proto = registeredPrototype(kind);
    if (proto === null || Object.getPrototypeOf(layer) !== proto) continue;
    const cell = (layer as { cell?: unknown }).cell;
    return cell && Object.getPrototypeOf(cell) === registeredPrototype(CELLS[kind]) ? kind : null;
  }
  return null;
}

/** The one input tensor of a call, or null (several inputs: initial states). */
function soleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | null {
  if (!Array.isArray(inputs)) return inputs;
  return inputs.length === 1 ? inputs[0]! : null;
}

/** The activations of a supported layer, or null when the kernels do not cover this layer's options. */
export function fusedActivations(kind: FusedKind, layer: RnnLayerLike): FusedActivations | null {
  const cell = layer.cell;
  if (layer.stateful || !layer.built) return null;
  const activation = activationCode(cell.activation.getClassName());
  const recurrentActivation =
    kind === 'SimpleRNN' ? activation : cell.recurrentActivation ? activationCode(cell.recurrentActivation.getClassName()) : null;
  if (activation === null || recurrentActivation === null) return null;
  return { activation, recurrentActivation };
}

/**
 * The fused layer's output for this call (with returnState, [output, ...final states]), or null
 * when it is not supported (the caller then runs tfjs's own `call`).
 */
export function fusedCall(
  kind: FusedKind,
  layer: RnnLayerLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): tf.Tensor | tf.Tensor[] | null {
  if (!FUSED_BACKENDS.includes(tf.getBackend())) return null;
  if (kwargs && (kwargs['initialState'] != null || kwargs['constants'] != null)) return null;
  const x = soleInput(inputs);
  if (x === null || x.rank !== 3 || x.dtype !== 'float32') return null;
  const [batch, steps] = x.shape as [number, number, number];
  if (batch < 1 || steps < 1) return null;
  const mask = maskValues(kwargs?.['mask'], batch, steps);
  if (mask === null) return null;
  const acts = fusedActivations(kind, layer);
  if (acts === null) return null;
  const cell = layer.cell;
  const dropped = dropoutMasks(kind, cell, kwargs?.['training'] === true, batch, x.shape[2]!);
  const shape: SequenceShape = {
    batch,
    steps,
    units: cell.units,
    goBackwards: layer.goBackwards,
    returnSequences: layer.returnSequences,
    ...(mask === undefined ? {} : { mask }),
    ...(dropped.recurrent === undefined ? {} : { recurrentMask: dropped.recurrent }),
  };
  const weights = [cell.kernel.read(), cell.recurrentKernel.read(), ...(cell.bias ? [cell.bias.read()] : [])];
  // Input dropout multiplies x (every step by the same mask) before the projection, as tf ops: its gradient is theirs.
  const input = dropped.input === undefined ? x : tf.mul(x, tf.expandDims(dropped.input, 1));
  const states = layer.returnState ? (kind === 'LSTM' ? 2 : 1) : 0;
  const packed = fusedLayerOp(kind, shape, acts, weights.length === 3, states)(input, ...weights);
  if (states === 0) return packed;
  // One op gives one tensor: the output and the final states lie end to end in it, and slices
  // (whose gradients tf computes) take them apart.
  const outputShape = shape.returnSequences ? [batch, steps, cell.units] : [batch, cell.units];
  const outputSize = outputShape.reduce((a, b) => a * b, 1);
  const stateSize = batch * cell.units;
  const parts = [tf.reshape(tf.slice(packed, [0], [outputSize]), outputShape)];
  for (let i = 0; i < states; i++)
    parts.push(tf.reshape(tf.slice(packed, [outputSize + i * stateSize], [stateSize]), [batch, cell.units]));
  return parts;
}

/** How many masks each cell draws per kind of dropout (it uses the first: tfjs's cells do so). */
const MASKS_DRAWN: Record<FusedKind, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

/**
 * The dropout masks of one call, drawn as tfjs's cells draw them: only while training and for a
 * rate strictly between 0 and 1, the input's ([batch, features]) before the recurrent one's
 * ([batch, units]), each the same at every step.
 */
function dropoutMasks(
  kind: FusedKind,
  cell: CellLike,
  training: boolean,
  batch: number,
  features: number,
): { input?: tf.Tensor; recurrent?: Float64Array } {
  if (!training) return {};
  const draw = (rate: number, width: number): tf.Tensor | undefined => {
    if (!(rate > 0 && rate < 1)) return undefined;
    const masks = Array.from({ length: MASKS_DRAWN[kind] }, () =>
      tf.tidy(() => {
        const ones = tf.ones([batch, width]);
        return cell.dropoutFunc ? cell.dropoutFunc(ones, rate) : tf.dropout(ones, rate);
      }),
    );
    tf.dispose(masks.slice(1));
    return masks[0];
  };
  const input = draw(cell.dropout, features);
  const recurrentMask = draw(cell.recurrentDropout, cell.units);
  let recurrent: Float64Array | undefined;
  if (recurrentMask !== undefined) {
    recurrent = Float64Array.from(recurrentMask.dataSync());
    recurrentMask.dispose();
  }
  return { ...(input === undefined ? {} : { input }), ...(recurrent === undefined ? {} : { recurrent }) };
}

/**
 * The call's mask as [batch, time] flags (1: the step counts), undefined without one, null in a
 * form the kernels do not take. tfjs's rnn() reads any non-zero value as "counts" and accepts
 * [batch, time] or [batch, time, 1].
 */
function maskValues(mask: unknown, batch: number, steps: number): Uint8Array | undefined | null {
  if (mask == null) return undefined;
  const one = Array.isArray(mask) ? (mask.length === 1 ? (mask[0] as unknown) : null) : mask;
  if (!(one instanceof tf.Tensor)) return null;
  const [b, t, last] = one.shape;
  if (b !== batch || t !== steps || one.rank > 3 || (one.rank === 3 && last !== 1) || one.rank < 2) return null;
  const values = one.dataSync();
  const flags = new Uint8Array(batch * steps);
  for (let i = 0; i < flags.length; i++) flags[i] = values[i] !== 0 ? 1 : 0;
  return flags;
}

/**
 * The layer as one op with its gradient: (x [batch, steps, features], kernel, recurrentKernel,
 * bias?) give [batch, steps, units] (returnSequences, processing order) or [batch, units]. The
 * input projection xw = x · kernel + bias is one matMul over every step; the gradient computes
 * dL/dx, dL/dkernel and dL/dbias from dL/dxw with explicit transposes (the WASM backend's
 * transposing matMul is far slower than a transpose and a plain one), and dL/dRecurrentKernel
 * from the kernel's transposed hidden states. With `states` final states (1: h, 2: h and an
 * LSTM's c) the value is 1-D: the output's values, then each state's [batch, units].
 */
function fusedLayerOp(
  kind: FusedKind,
  shape: SequenceShape,
  acts: FusedActivations,
  hasBias: boolean,
  states: number,
): (...t: tf.Tensor[]) => tf.Tensor {
  const { batch: B, steps: T, units: U } = shape;
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [x, kernel, recurrentKernel, bias] = args as tf.Tensor[];
    const F = x!.shape[2]!;
    const G = kernel!.shape[1]!;
    const xw = tf.tidy(() => {
      const flat = tf.reshape(x!, [B * T, F]);
      return hasBias ? tf.fused.matMul({ a: flat, b: kernel!, bias: bias! }) : tf.matMul(flat, kernel!);
    });
    const xwValues = xw.dataSync() as Float32Array;
    const products = wasmProducts() ?? jsProducts;
    const run = runKernels(kind, xwValues, recurrentKernel!.dataSync() as Float32Array, shape, acts, products);
    xw.dispose();
    save([x!, kernel!]);
    const outputShape = shape.returnSequences ? [B, T, U] : [B, U];
    const value = states === 0 ? tf.tensor(run.output, outputShape, 'float32') : tf.tensor1d(packStates(run));
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xSaved, kernelSaved] = saved as [tf.Tensor, tf.Tensor];
      const upstream = dy.dataSync() as Float32Array;
      const back = states === 0 ? run.backward(upstream) : backwardFromPacked(run, shape, upstream, states);
      const dxw = tf.tensor2d(back.dxw, [B * T, G]);
      const dx = tf.reshape(tf.matMul(dxw, tf.transpose(kernelSaved)), [B, T, F]);
      const dKernel = tf.matMul(tf.transpose(tf.reshape(xSaved, [B * T, F])), dxw);
      const previous = tf.tensor2d(back.previousHidden, [U, B * T]);
      let dRecurrent: tf.Tensor;
      if (back.resetHidden === undefined) dRecurrent = tf.matMul(previous, dxw);
      else {
        // GRU: rk1 (z, r) meets the previous hidden states, rk2 (h) those times the reset gate.
        const [dzr, dh] = tf.split(dxw, [2 * U, U], 1) as [tf.Tensor2D, tf.Tensor2D];
        const reset = tf.tensor2d(back.resetHidden, [U, B * T]);
        dRecurrent = tf.concat([tf.matMul(previous, dzr), tf.matMul(reset, dh)], 1);
      }
      return hasBias ? [dx, dKernel, dRecurrent, tf.sum(dxw, 0)] : [dx, dKernel, dRecurrent];
    };
    return { value, gradFunc };
  });
}

interface KernelRun {
  output: Float32Array;
  /** The states after the last step: h, and an LSTM's c ([batch, units] each; read before backward). */
  finalStates(): Float32Array[];
  /** dL/dxw etc. from dL/doutput (and, for an LSTM's final cell state, dL/dc_T). */
  backward(
    dy: Float32Array,
    dcLast?: Float32Array,
  ): { dxw: Float32Array; previousHidden: Float32Array; resetHidden?: Float32Array };
}

/** The output's values, then the final states. */
function packStates(run: KernelRun): Float32Array {
  const parts = [run.output, ...run.finalStates()];
  const packed = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    packed.set(part, at);
    at += part.length;
  }
  return packed;
}

/**
 * The backward pass from the packed value's gradient: dL/dh_T joins the output's gradient at
 * the last step (where h_T is the hidden state the step leaves), dL/dc_T starts the LSTM's
 * cell-state gradient.
 */
function backwardFromPacked(
  run: KernelRun,
  shape: SequenceShape,
  dy: Float32Array,
  states: number,
): ReturnType<KernelRun['backward']> {
  const outputSize = run.output.length;
  const stateSize = shape.batch * shape.units;
  const dOutput = dy.slice(0, outputSize);
  const dh = dy.subarray(outputSize, outputSize + stateSize);
  const last = shape.steps - 1;
  for (let b = 0; b < shape.batch; b++) {
    const at = outputGradientOffset(shape, last, b);
    for (let j = 0; j < shape.units; j++) dOutput[at + j]! += dh[b * shape.units + j]!;
  }
  return run.backward(dOutput, states > 1 ? dy.subarray(outputSize + stateSize, outputSize + 2 * stateSize) : undefined);
}

/** The forward pass of `kind`'s kernel, and its backward over what the forward kept (both on `products`). */
function runKernels(
  kind: FusedKind,
  xw: Float32Array,
  kernel: Float32Array,
  shape: SequenceShape,
  acts: FusedActivations,
  products: ProductFactory,
): KernelRun {
  const { batch: B, steps: T, units: U } = shape;
  const last = (states: Float64Array): Float32Array => Float32Array.from(states.subarray((T - 1) * B * U, T * B * U));
  if (kind === 'LSTM') {
    const { output, tape } = lstmForward(xw, kernel, shape, acts, products);
    return {
      output,
      finalStates: () => [last(tape.hidden), last(tape.cell)],
      backward: (dy, dcLast) => lstmBackward(tape, dy, products, dcLast),
    };
  }
  if (kind === 'GRU') {
    const { output, tape } = gruForward(xw, kernel, shape, acts, products);
    return { output, finalStates: () => [last(tape.hidden)], backward: (dy) => gruBackward(tape, dy, products) };
  }
  const { output, tape } = simpleForward(xw, kernel, shape, acts.activation, products);
  return { output, finalStates: () => [last(tape.hidden)], backward: (dy) => simpleBackward(tape, dy, products) };
}

/** Every layer of `model` the fused call may serve: nested models' layers and Bidirectional's two included. */
function recurrentLayers(model: tf.LayersModel, out: Array<{ kind: FusedKind; layer: tf.layers.Layer }> = []): typeof out {
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) recurrentLayers(layer, out);
    const wrapped = layer as unknown as { forwardLayer?: unknown; backwardLayer?: unknown; layer?: unknown };
    for (const candidate of [layer, wrapped.forwardLayer, wrapped.backwardLayer]) {
      const kind = fusedKindOf(candidate);
      if (kind !== null) out.push({ kind, layer: candidate as tf.layers.Layer });
    }
  }
  return out;
}

/**
 * Gives every plain LSTM/GRU/SimpleRNN layer of `model` the fused call (idempotent). Returns how
 * many layers have it. The call checks what it supports each time (options, backend, inputs).
 */
export function installFusedRnn(model: tf.LayersModel): number {
  let count = 0;
  for (const { kind, layer } of recurrentLayers(model)) {
    const target = layer as unknown as { call: Call; [INSTALLED]?: Call };
    count++;
    if (target[INSTALLED] !== undefined) continue;
    const own = target.call;
    target[INSTALLED] = own;
    target.call = function fused(this: unknown, inputs, kwargs) {
      return fusedCall(kind, layer as unknown as RnnLayerLike, inputs, kwargs) ?? own.call(layer, inputs, kwargs);
    };
  }
  return count;
}

/** Gives the layers of `model` tfjs's own call back. */
export function uninstallFusedRnn(model: tf.LayersModel): void {
  for (const { layer } of recurrentLayers(model)) {
    const target = layer as unknown as { call: Call; [INSTALLED]?: Call };
    const own = target[INSTALLED];
    if (own === undefined) continue;
    delete target[INSTALLED];
    // The original was the prototype's: removing the instance's own property restores it.
    if (Object.getPrototypeOf(target).call === own) delete (target as { call?: Call }).call;
    else target.call = own;
  }
}

/** Whether `layer` has the fused call (installFusedRnn). */
export function hasFusedCall(layer: unknown): boolean {
  return typeof layer === 'object' && layer !== null && (layer as { [INSTALLED]?: Call })[INSTALLED] !== undefined;
}
