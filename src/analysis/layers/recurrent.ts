/**
 * Recurrent layers (tfjs-layers `recurrent.js`): simpleRNN, lstm, gru.
 */
import { isShapeList } from '../format';
import type { OutputShape, Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerSpec } from './layerSpec';
import {
  ConfigProblem,
  bool,
  checkActivation,
  definedDim,
  expectRank,
  fmt,
  has,
  isUnknownValue,
  issuesOf,
  paramsOf,
  posInt,
  weight,
} from './shapeUtils';

type RnnKind = 'simpleRNN' | 'lstm' | 'gru';

interface RnnConfig {
  units: number;
  useBias: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
}

/** Number of gates (weight blocks) per kind. */
const GATES: Record<RnnKind, number> = { simpleRNN: 1, gru: 3, lstm: 4 };
const STATES: Record<RnnKind, number> = { simpleRNN: 1, gru: 1, lstm: 2 };

function parseRnn(config: LayerConfig, kind: RnnKind): RnnConfig {
  checkActivation(config, 'activation', kind);
  if (kind !== 'simpleRNN') checkActivation(config, 'recurrentActivation', kind);
  if (kind === 'gru' && !isUnknownValue(config.resetAfter) && Boolean(config.resetAfter)) {
    throw new ConfigProblem('gru: tfjs does not support `resetAfter: true` (it is always false in tfjs); remove it.');
  }
  const units = posInt(config, 'units', kind);
  return {
    units,
    useBias: bool(config, 'useBias', true),
    returnSequences: bool(config, 'returnSequences', false),
    returnState: bool(config, 'returnState', false),
    stateful: bool(config, 'stateful', false),
  };
}

function rnnExtraIssues(config: LayerConfig, kind: RnnKind): ConfigIssue[] {
  const ignored = ['inputDim', 'inputLength'].filter((k) => has(config, k));
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
        `${kind}: the initial state ${fmt(states)} does not match the layer: it needs ${expected} state` +
          `${expected > 1 ? 's' : ''} of shape (batch, ${c.units}).`,
      );
    }
  }
  if (c.stateful && x[0] === null) {
    throw new ShapeError(
      `${kind}: a stateful RNN needs a known batch size, but the input is ${fmt(x)}. ` +
        'Give the first layer a batchInputShape (or tf.input a batchShape).',
    );
  }
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
      const { inputDim: d, c } = rnnApply(config, input, kind);
      const g = GATES[kind];
      const u = c.units;
      const ws = [weight([d, g * u]), weight([u, g * u])];
      if (c.useBias) ws.push(weight([g * u]));
      const inner = [`${d}×${u}`, `${u}×${u}`, ...(c.useBias ? [`${u}`] : [])].join(' + ');
      return paramsOf(ws, g === 1 ? inner : `${g}×(${inner})`);
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

export const RECURRENT_CLASSES: readonly string[] = ['SimpleRNN', 'LSTM', 'GRU'];

export const recurrentSpecs: readonly LayerSpec[] = [simpleRnnSpec, lstmSpec, gruSpec];
