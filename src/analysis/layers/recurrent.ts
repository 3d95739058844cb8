/**
 * Recurrent layers (tfjs-layers `recurrent.js`): simpleRNN, lstm, gru, and the cell maths they
 * share with the cell factories (rnnCells.ts) and `rnn` (rnn.ts).
 */
import { formatShape, isShapeList } from '../../shared/format';
import type { OutputShape, Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerSpec, ParamCount } from './layerSpec';
import { ConfigProblem, bool, checkActivation, hasOption, isUnknownValue, issuesOf, posInt } from './configValues';
import { definedDim, expectRank } from './shapeMath';
import { paramsOf, weight } from './weights';

/** The recurrent kinds whose cells share one weight layout (a kernel, a recurrent kernel, a bias). */
export type RnnKind = 'simpleRNN' | 'lstm' | 'gru';

interface RnnConfig {
  units: number;
  useBias: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
}

/** Number of gates (weight blocks) per kind. */
const GATES: Record<RnnKind, number> = { simpleRNN: 1, gru: 3, lstm: 4 };
/** Number of states per kind (tfjs `cell.stateSize`: LSTM has h and c). */
export const STATES: Record<RnnKind, number> = { simpleRNN: 1, gru: 1, lstm: 2 };

/**
 * The options a SimpleRNNCell / LSTMCell / GRUCell constructor checks (the layers build their
 * cell from their own options). `layer` names the factory in messages.
 */
export function parseCellOptions(config: LayerConfig, kind: RnnKind, layer: string): { units: number; useBias: boolean } {
  checkActivation(config, 'activation', layer);
  if (kind !== 'simpleRNN') checkActivation(config, 'recurrentActivation', layer);
  if (kind === 'gru' && !isUnknownValue(config.resetAfter) && Boolean(config.resetAfter)) {
    throw new ConfigProblem(`${layer}: tfjs does not support \`resetAfter: true\` (it is always false in tfjs); remove it.`);
  }
  return { units: posInt(config, 'units', layer), useBias: bool(config, 'useBias', true) };
}

/**
 * The weights `cell.build` creates on `inputDim` features: kernel (d, g·u), recurrent kernel
 * (u, g·u) and bias (g·u). `trainable: false` moves them all to the non-trainable list, as
 * tfjs's `Layer.trainableWeights` getter does for a cell inside `tf.layers.rnn`.
 */
export function cellWeights(kind: RnnKind, inputDim: number, units: number, useBias: boolean, trainable = true): ParamCount {
  const g = GATES[kind];
  const u = units;
  const ws = [weight([inputDim, g * u], trainable), weight([u, g * u], trainable)];
  if (useBias) ws.push(weight([g * u], trainable));
  const inner = [`${inputDim}×${u}`, `${u}×${u}`, ...(useBias ? [`${u}`] : [])].join(' + ');
  return paramsOf(ws, g === 1 ? inner : `${g}×(${inner})`);
}

function parseRnn(config: LayerConfig, kind: RnnKind): RnnConfig {
  const { units, useBias } = parseCellOptions(config, kind, kind);
  return {
    units,
    useBias,
    returnSequences: bool(config, 'returnSequences', false),
    returnState: bool(config, 'returnState', false),
    stateful: bool(config, 'stateful', false),
  };
}

/** tfjs RNN.build → resetStates: a stateful RNN needs the batch size to create its states. */
export function checkStatefulBatch(layer: string, stateful: boolean, x: Shape): void {
  if (!stateful || x[0] !== null) return;
  throw new ShapeError(
    `${layer}: a stateful RNN needs a known batch size, but the input is ${formatShape(x)}. ` +
      'Give the first layer a batchInputShape (or tf.input a batchShape).',
  );
}

/** tfjs's RNN reads only inputShape/batchInputShape: Keras' inputDim/inputLength do nothing. */
export function rnnExtraIssues(config: LayerConfig, kind: string): ConfigIssue[] {
  const ignored = ['inputDim', 'inputLength'].filter((k) => hasOption(config, k));
  if (ignored.length === 0) return [];
  return [
    {
      severity: 'warning',
      message:
        `${kind}: tfjs ignores ${ignored.map((k) => `\`${k}\``).join(' and ')} on recurrent layers; ` +
        'give the input shape as inputShape: [timesteps, features].',
    },
  ];
}

interface RnnResult {
  out: OutputShape;
  inputDim: number;
  c: RnnConfig;
}

/** Input may be `[x, ...initialStates]`, as tfjs's RNN.apply accepts. */
function rnnApply(config: LayerConfig, input: OutputShape, kind: RnnKind): RnnResult {
  const c = parseRnn(config, kind);
  const shapes: Shape[] = isShapeList(input) ? input : [input as Shape];
  const x = shapes[0];
  const states = shapes.slice(1);
  expectRank(x, 3, kind, '(batch, timesteps, features)');
  if (states.length > 0) {
    const expected = STATES[kind];
    if (states.length !== expected || states.some((s) => s[s.length - 1] !== c.units)) {
      throw new ShapeError(
        `${kind}: the initial state ${formatShape(states)} does not match the layer: it needs ${expected} state` +
          `${expected > 1 ? 's' : ''} of shape (batch, ${c.units}).`,
      );
    }
  }
  checkStatefulBatch(kind, c.stateful, x);
  const inputDim = definedDim(x[2], kind, 'features (last) dimension', x);
  const output: Shape = c.returnSequences ? [x[0], x[1], c.units] : [x[0], c.units];
  if (!c.returnState) return { out: output, inputDim, c };
  const stateShapes: Shape[] = [];
  for (let i = 0; i < STATES[kind]; i++) stateShapes.push([x[0], c.units]);
  return { out: [output, ...stateShapes], inputDim, c };
}

function rnnSpec(kind: RnnKind, className: string): LayerSpec {
  return {
    factory: kind,
    className,
    inputKind: 'single',
    outputShape(config, input) {
      return rnnApply(config, input, kind).out;
    },
    params(config, input) {
      const { inputDim, c } = rnnApply(config, input, kind);
      return cellWeights(kind, inputDim, c.units, c.useBias);
    },
    configIssues(config) {
      return issuesOf(
        () => parseRnn(config, kind),
        () => rnnExtraIssues(config, kind),
      );
    },
  };
}

export const simpleRnnSpec: LayerSpec = rnnSpec('simpleRNN', 'SimpleRNN');
export const lstmSpec: LayerSpec = rnnSpec('lstm', 'LSTM');
export const gruSpec: LayerSpec = rnnSpec('gru', 'GRU');

/** Classes `bidirectional` wraps without a warning (tfjs's RNN subclasses it can copy). */
export const RECURRENT_CLASSES: readonly string[] = ['SimpleRNN', 'LSTM', 'GRU', 'ConvLSTM2D'];

export const recurrentSpecs: readonly LayerSpec[] = [simpleRnnSpec, lstmSpec, gruSpec];
