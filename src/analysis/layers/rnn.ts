/**
 * The generic recurrent layer (tfjs-layers `recurrent.js` RNN): `tf.layers.rnn({cell})`, where
 * `cell` is a cell, a list of cells (tfjs stacks them) or stackedRNNCells. The cells' maths live
 * in rnnCells.ts; this file mirrors RNN.build and RNN.computeOutputShape around them.
 */
import { isShapeList } from '../../shared/format';
import type { OutputShape, Shape } from '../types';
import type { LayerConfig, LayerSpec, ParamCount } from './layerSpec';
import { checkStatefulBatch, rnnExtraIssues } from './recurrent';
import { checkInitialStates, resolveCell, stateShapes } from './rnnCells';
import type { CellRef } from './rnnCells';
import { bool, issuesOf } from './configValues';
import { definedDim, expectRank } from './shapeMath';

interface RnnLayerOptions {
  cell: CellRef;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
}

/**
 * The layer's own options. `goBackwards` and `unroll` do not change shapes or weights (tfjs
 * ignores `unroll`); the cell's own options are checked where the cell was created.
 */
function parseRnnLayer(config: LayerConfig): RnnLayerOptions {
  return {
    cell: resolveCell(config, 'cell', 'rnn'),
    returnSequences: bool(config, 'returnSequences', false),
    returnState: bool(config, 'returnState', false),
    stateful: bool(config, 'stateful', false),
  };
}

/** Input may be `[x, ...initialStates]`, as tfjs's RNN.apply accepts. */
function rnnLayerApply(config: LayerConfig, input: OutputShape): { out: OutputShape; params: ParamCount } {
  const o = parseRnnLayer(config);
  const shapes: Shape[] = isShapeList(input) ? input : [input as Shape];
  const [x, ...states] = shapes;
  expectRank(x, 3, 'rnn', '(batch, timesteps, features)');
  definedDim(x[2], 'rnn', 'features (last) dimension', x);
  // RNN.build: the cell is built on one step, (batch, features), before the states are checked.
  const params = o.cell.spec.cell.build(o.cell.config, [x[0], x[2]], 'rnn');
  const sizes = o.cell.spec.cell.stateSizes(o.cell.config);
  checkInitialStates('rnn', states, sizes);
  checkStatefulBatch('rnn', o.stateful, x);
  // RNN.computeOutputShape: the output size is the first state size (a stack's last cell).
  const output: Shape = o.returnSequences ? [x[0], x[1], sizes[0]] : [x[0], sizes[0]];
  return { out: o.returnState ? [output, ...stateShapes(x[0], sizes)] : output, params };
}

export const rnnSpec: LayerSpec = {
  factory: 'rnn',
  // `new tf.layers.RNN({cell})` makes the same layer as the factory.
  aliases: ['RNN'],
  className: 'RNN',
  inputKind: 'single',
  outputShape(config, input) {
    return rnnLayerApply(config, input).out;
  },
  params(config, input) {
    return rnnLayerApply(config, input).params;
  },
  configIssues(config) {
    return issuesOf(
      () => parseRnnLayer(config),
      () => rnnExtraIssues(config, 'rnn'),
    );
  },
};
