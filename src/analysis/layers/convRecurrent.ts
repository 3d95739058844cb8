/**
 * Convolutional recurrent layers (tfjs-layers `convolutional_recurrent.js`): convLstm2d and its
 * cell, convLstm2dCell. ConvLSTM2D builds a ConvLSTM2DCell from its own options; the cell has no
 * other use (tf.layers.rnn feeds cells 2D steps), so its spec only checks its options.
 */
import { formatShape, isShapeList } from '../../shared/format';
import type { Dim, OutputShape, Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerSpec, ParamCount } from './layerSpec';
import { checkStatefulBatch, rnnExtraIssues } from './recurrent';
import { cellSpec } from './rnnCells';
import type { CellMaths, CellSpec } from './rnnCells';
import {
  ConfigProblem,
  bool,
  checkActivation,
  dataFormat,
  hasOption,
  intTuple,
  issuesOf,
  paddingMode,
  posInt,
} from './configValues';
import { checkWindowFits, convOutputLength, definedDim, expectRank } from './shapeMath';
import { paramsOf, weight } from './weights';
import type { ConvConfig } from './conv';

/** The options a ConvLSTM2D cell shares with conv2d (it has no depth multiplier). */
type ConvLstmCellConfig = Omit<ConvConfig, 'depthMultiplier'>;

/** The ConvLSTM2DCell constructor's checks (LSTMCell's with `units: filters`, then the conv options). */
function parseConvLstmCell(config: LayerConfig, layer: string): ConvLstmCellConfig {
  checkActivation(config, 'activation', layer);
  checkActivation(config, 'recurrentActivation', layer);
  const padding = paddingMode(config, layer);
  const format = dataFormat(config, layer);
  const filters = posInt(config, 'filters', layer);
  if (!hasOption(config, 'kernelSize')) throw new ConfigProblem(`${layer} needs \`kernelSize\`, e.g. kernelSize: 3.`);
  return {
    filters,
    kernel: intTuple(config, 'kernelSize', 2, layer),
    strides: intTuple(config, 'strides', 2, layer, 1),
    dilation: intTuple(config, 'dilationRate', 2, layer, 1),
    padding,
    format,
    useBias: bool(config, 'useBias', true),
  };
}

/** Problems tfjs only meets when the model runs (its conv2d ops reject them). */
function convLstmRunIssues(config: LayerConfig, layer: string): ConfigIssue[] {
  const c = parseConvLstmCell(config, layer);
  const issues: ConfigIssue[] = [];
  if (c.padding === 'causal') {
    issues.push({
      severity: 'error',
      message: `${layer}: tfjs's conv2d has no padding 'causal' (the model fails when it runs); its shapes are computed as for 'valid'.`,
    });
  }
  if (c.dilation.some((d) => d !== 1) && c.strides.some((s) => s !== 1)) {
    issues.push({
      severity: 'error',
      message: `${layer}: strides > 1 cannot be combined with dilationRate > 1 (tfjs fails when the model runs).`,
    });
  }
  return issues;
}

/**
 * ConvLSTM2DCell.build on one step, (batch, channels, rows, cols) or (batch, rows, cols, channels):
 * kernel (kh, kw, channels, 4·filters), recurrent kernel (kh, kw, filters, 4·filters), bias (4·filters).
 */
function convLstmCellWeights(config: LayerConfig, step: Shape, layer: string): ParamCount {
  const c = parseConvLstmCell(config, layer);
  const axis = c.format === 'channelsFirst' ? 1 : step.length - 1;
  const channels = definedDim(step[axis], layer, 'channel dimension', step);
  const trainable = bool(config, 'trainable', true);
  const [kh, kw] = c.kernel;
  const f = c.filters;
  const ws = [weight([kh, kw, channels, 4 * f], trainable), weight([kh, kw, f, 4 * f], trainable)];
  if (c.useBias) ws.push(weight([4 * f], trainable));
  const inner = [`${kh}×${kw}×${channels}×${f}`, `${kh}×${kw}×${f}×${f}`, ...(c.useBias ? [`${f}`] : [])].join(' + ');
  return paramsOf(ws, `4×(${inner})`);
}

const convLstmCell: CellMaths = {
  runsInRnn: false,
  stateSizes(config) {
    const { filters } = parseConvLstmCell(config, 'convLstm2dCell');
    return [filters, filters];
  },
  build(config, stepInput, layer) {
    return convLstmCellWeights(config, stepInput, layer);
  },
};

export const convLstm2dCellSpec: CellSpec = cellSpec(
  'convLstm2dCell',
  'ConvLSTM2DCell',
  convLstmCell,
  (config) => parseConvLstmCell(config, 'convLstm2dCell'),
  'Use tf.layers.convLstm2d({filters, kernelSize}), which makes this cell itself.',
);

// ---------------------------------------------------------------------------------------------
// convLstm2d

interface ConvLstmConfig extends ConvLstmCellConfig {
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
}

function parseConvLstm(config: LayerConfig): ConvLstmConfig {
  const cell = parseConvLstmCell(config, 'convLstm2d');
  if (bool(config, 'unroll', false)) {
    throw new ConfigProblem(
      'convLstm2d: tfjs cannot unroll a convolutional RNN ("Unrolling is not possible with convolutional RNNs"); remove `unroll`.',
    );
  }
  return {
    ...cell,
    returnSequences: bool(config, 'returnSequences', false),
    returnState: bool(config, 'returnState', false),
    stateful: bool(config, 'stateful', false),
  };
}

/** ConvRNN2D.build and computeOutputShape (input: (batch, time, rows, cols, channels) or channelsFirst). */
function convLstmApply(config: LayerConfig, input: OutputShape): { out: OutputShape; params: ParamCount } {
  const c = parseConvLstm(config);
  if (isShapeList(input) && input.length > 1) {
    throw new ShapeError(
      'convLstm2d: tfjs 4.22 cannot take initial states for ConvLSTM2D (its computeOutputShape fails with ' +
        '"Cannot read properties of undefined"); let it start from zeros.',
    );
  }
  const x: Shape = isShapeList(input) ? input[0] : (input as Shape);
  const cf = c.format === 'channelsFirst';
  expectRank(x, 5, 'convLstm2d', cf ? '(batch, time, channels, rows, cols)' : '(batch, time, rows, cols, channels)');
  // RNN.build builds the cell on one step, (batch, ...x.slice(2)), then makes stateful states.
  const params = convLstmCellWeights(config, [x[0], ...x.slice(2)], 'convLstm2d');
  checkStatefulBatch('convLstm2d', c.stateful, x);
  const spatial: Dim[] = cf ? [x[3], x[4]] : [x[2], x[3]];
  const outSpatial = spatial.map((d, i) => convOutputLength(d, c.kernel[i], c.padding, c.strides[i], c.dilation[i]));
  const seq: Shape = [x[0], x[1], ...(cf ? [c.filters, ...outSpatial] : [...outSpatial, c.filters])];
  try {
    checkWindowFits('convLstm2d', 'kernel', c.kernel, c.dilation, c.padding, spatial, outSpatial, seq);
  } catch (e) {
    // The shape in the error is one step's sequence, not this layer's output: no shape to go on with.
    if (e instanceof ShapeError) throw new ShapeError(e.message);
    throw e;
  }
  if (c.stateful && seq.slice(2).includes(null)) {
    // ConvRNN2D.resetStates creates zero states of one output step's shape.
    throw new ShapeError(
      `convLstm2d: a stateful convLstm2d needs known rows and cols to create its states, but the input is ${formatShape(x)}.`,
    );
  }
  const output: Shape = c.returnSequences ? seq : [x[0], ...seq.slice(2)];
  if (!c.returnState) return { out: output, params };
  // Both states (h and c) have the shape of one output step.
  const state: Shape = [x[0], ...output.slice(-3)];
  return { out: [output, state, state.slice()], params };
}

export const convLstm2dSpec: LayerSpec = {
  factory: 'convLstm2d',
  className: 'ConvLSTM2D',
  inputKind: 'single',
  outputShape(config, input) {
    return convLstmApply(config, input).out;
  },
  params(config, input) {
    return convLstmApply(config, input).params;
  },
  configIssues(config) {
    return issuesOf(
      () => parseConvLstm(config),
      () => [...convLstmRunIssues(config, 'convLstm2d'), ...rnnExtraIssues(config, 'convLstm2d')],
    );
  },
};

export const convRecurrentSpecs: readonly LayerSpec[] = [convLstm2dSpec, convLstm2dCellSpec];
