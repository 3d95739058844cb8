/**
 * RNN cells (tfjs-layers `recurrent.js`): simpleRNNCell, lstmCell, gruCell, stackedRNNCells.
 *
 * A cell is a tfjs Layer, but it only runs inside `tf.layers.rnn({cell})`, which calls
 * `cell.build([batch, features])` and reads `cell.stateSize`. Users pass cells as options, so a
 * cell arrives at `rnn` as a LayerRef (like bidirectional's `layer`). Each cell spec therefore
 * carries `cell: CellMaths` (what `rnn` needs); applied to a tensor on its own it is an error.
 */
import { formatShape } from '../../shared/format';
import type { Dim, OutputShape, Shape } from '../types';
import { ShapeError, UnknownValue, UnresolvedError } from './layerSpec';
import type { ConfigValue, LayerConfig, LayerRef, LayerSpec, ParamCount } from './layerSpec';
import { STATES, cellWeights, parseCellOptions } from './recurrent';
import type { RnnKind } from './recurrent';
import { ConfigProblem, bool, describeValue, isLayerRef, issuesOf } from './configValues';
import { definedDim } from './shapeMath';

/** What `tf.layers.rnn` needs from a cell: tfjs's `cell.stateSize` and `cell.build`. */
export interface CellMaths {
  /** False for a cell that runs only inside its own layer (ConvLSTM2DCell inside convLstm2d). */
  readonly runsInRnn: boolean;
  /** tfjs `cell.stateSize` as a list; the first entry is the output size. Throws on a bad config. */
  stateSizes(config: LayerConfig): number[];
  /** The weights `cell.build(stepInput)` creates; `stepInput` is `[batch, ...features]`. */
  build(config: LayerConfig, stepInput: Shape, layer: string): ParamCount;
}

export interface CellSpec extends LayerSpec {
  readonly cell: CellMaths;
}

export function isCellSpec(spec: LayerSpec): spec is CellSpec {
  return (spec as Partial<CellSpec>).cell !== undefined;
}

/**
 * outputShape/params of a cell applied to a tensor. tfjs builds it symbolically (its output shape
 * claims to be the input's), but `cell.call` needs `[input, ...states]` and returns a list, so
 * the model cannot run; the config is parsed first so that its own problems win.
 */
function cellAppliedAlone(spec: () => CellSpec, hint: string) {
  return (config: LayerConfig): never => {
    spec().cell.stateSizes(config);
    throw new ShapeError(
      `${spec().factory} is an RNN cell (${spec().className}): tfjs cannot run it as a layer on its own ` +
        `(its call needs [input, ...states]). ${hint}`,
    );
  };
}

const RNN_HINT = 'Pass it to tf.layers.rnn({cell: ...}) instead.';

/** A cell spec: the given maths, an error when applied alone, config issues from `check`. */
export function cellSpec(
  factory: string,
  className: string,
  cell: CellMaths,
  check: (config: LayerConfig) => unknown,
  hint = RNN_HINT,
): CellSpec {
  const spec: CellSpec = {
    factory,
    className,
    inputKind: 'single',
    cell,
    outputShape: (config: LayerConfig, _input: OutputShape) => cellAppliedAlone(() => spec, hint)(config),
    params: (config: LayerConfig, _input: OutputShape) => cellAppliedAlone(() => spec, hint)(config),
    configIssues: (config) => issuesOf(() => check(config)),
  };
  return spec;
}

// ---------------------------------------------------------------------------------------------
// simpleRNNCell, lstmCell, gruCell

function gateCell(kind: RnnKind, factory: string): CellMaths {
  return {
    runsInRnn: true,
    stateSizes(config) {
      const { units } = parseCellOptions(config, kind, factory);
      return new Array<number>(STATES[kind]).fill(units);
    },
    build(config, stepInput, layer) {
      const { units, useBias } = parseCellOptions(config, kind, factory);
      const d = definedDim(stepInput[stepInput.length - 1], layer, 'features (last) dimension', stepInput);
      return cellWeights(kind, d, units, useBias, bool(config, 'trainable', true));
    },
  };
}

function gateCellSpec(kind: RnnKind, factory: string, className: string): CellSpec {
  return cellSpec(factory, className, gateCell(kind, factory), (config) => parseCellOptions(config, kind, factory));
}

export const simpleRnnCellSpec: CellSpec = gateCellSpec('simpleRNN', 'simpleRNNCell', 'SimpleRNNCell');
export const lstmCellSpec: CellSpec = gateCellSpec('lstm', 'lstmCell', 'LSTMCell');
export const gruCellSpec: CellSpec = gateCellSpec('gru', 'gruCell', 'GRUCell');

// ---------------------------------------------------------------------------------------------
// Cells given as options: `rnn`'s `cell` (a cell or an array of cells), stackedRNNCells' `cells`

/** A cell LayerRef whose spec is known to be a cell. */
export interface CellRef extends LayerRef {
  readonly spec: CellSpec;
}

function asCell(v: ConfigValue, key: string, layer: string): CellRef {
  if (v instanceof UnknownValue) throw new UnresolvedError(`\`${key}\` is not known statically (${v.reason})`);
  if (!isLayerRef(v)) {
    throw new ConfigProblem(
      `${layer}: \`${key}\` must be an RNN cell such as tf.layers.lstmCell({units: 8}), but got ${describeValue(v)}.`,
    );
  }
  if (!isCellSpec(v.spec)) {
    throw new ConfigProblem(
      `${layer}: \`${key}\` must be an RNN cell such as tf.layers.lstmCell({units: 8}), not ${v.spec.factory} ` +
        '(tfjs: "The RNN cell should have an attribute `stateSize`").',
    );
  }
  if (!v.spec.cell.runsInRnn) {
    throw new ConfigProblem(
      `${layer}: tf.layers.rnn cannot run a ${v.spec.factory} (it feeds the cell one (batch, features) step at a time, ` +
        'and a convolutional cell needs images); use tf.layers.convLstm2d({filters, kernelSize}) instead.',
    );
  }
  return v as CellRef;
}

/** A list of cells, as StackedRNNCells takes them (tfjs accepts an empty list but cannot run it). */
export function cellList(v: ConfigValue, key: string, layer: string): CellRef[] {
  if (v instanceof UnknownValue) throw new UnresolvedError(`\`${key}\` is not known statically (${v.reason})`);
  if (v === undefined || v === null) throw new ConfigProblem(`${layer} needs \`${key}\`, a list of RNN cells.`);
  if (!Array.isArray(v))
    throw new ConfigProblem(`${layer}: \`${key}\` must be a list of RNN cells, but got ${describeValue(v)}.`);
  if (v.length === 0) {
    throw new ConfigProblem(`${layer}: \`${key}\` is an empty list; a stack needs at least one cell (tfjs fails when it runs).`);
  }
  return v.map((c, i) => asCell(c, `${key}[${i}]`, layer));
}

/**
 * `rnn`'s `cell`: a cell, or an array of cells, which tfjs wraps in `new StackedRNNCells({cells})`
 * (so we wrap it in a LayerRef of the stackedRNNCells spec).
 */
export function resolveCell(config: LayerConfig, key: string, layer: string): CellRef {
  const v = config[key];
  if (v === undefined || v === null) {
    throw new ConfigProblem(`${layer} needs \`${key}\`, e.g. tf.layers.lstmCell({units: 8}) (tfjs: "cell property is missing").`);
  }
  if (Array.isArray(v)) {
    cellList(v, key, layer);
    return { kind: 'layerRef', spec: stackedRnnCellsSpec, config: { cells: v } };
  }
  return asCell(v, key, layer);
}

// ---------------------------------------------------------------------------------------------
// stackedRNNCells

/** The cells of a stack and of the stacks in it (the ones that create weights). */
function leafCells(ref: CellRef, out: CellRef[]): CellRef[] {
  if (ref.spec !== stackedRnnCellsSpec) out.push(ref);
  else for (const c of cellList(ref.config.cells, 'cells', 'stackedRNNCells')) leafCells(c, out);
  return out;
}

const stackedCell: CellMaths = {
  runsInRnn: true,
  /** tfjs lists the LAST cell's states first (its first state is the stack's output). */
  stateSizes(config) {
    const cells = cellList(config.cells, 'cells', 'stackedRNNCells');
    return cells
      .slice()
      .reverse()
      .flatMap((c) => c.spec.cell.stateSizes(c.config));
  },
  /** Each cell is built on the previous cell's output size (StackedRNNCells.build). */
  build(config, stepInput, layer) {
    const cells = cellList(config.cells, 'cells', 'stackedRNNCells');
    const leaves = leafCells({ kind: 'layerRef', spec: stackedRnnCellsSpec, config }, []);
    const twice = leaves.find((c, i) => leaves.indexOf(c) !== i);
    if (twice !== undefined) {
      throw new ShapeError(
        `${layer}: the same ${twice.spec.factory} appears twice in the stack; tfjs builds it twice and fails ` +
          '("Duplicate weight name kernel"). Create a new cell for each position.',
      );
    }
    let input = stepInput;
    const parts: ParamCount[] = [];
    for (const c of cells) {
      parts.push(c.spec.cell.build(c.config, input, layer));
      input = [stepInput[0], c.spec.cell.stateSizes(c.config)[0]];
    }
    const trainable = parts.reduce((a, p) => a + p.trainable, 0);
    const nonTrainable = parts.reduce((a, p) => a + p.nonTrainable, 0);
    const formula = parts
      .map((p) => p.formula)
      .filter((f) => f !== '')
      .join(' + ');
    // A stack with `trainable: false` lists every weight of its cells as non-trainable.
    if (!bool(config, 'trainable', true)) return { trainable: 0, nonTrainable: trainable + nonTrainable, formula };
    return { trainable, nonTrainable, formula };
  },
};

export const stackedRnnCellsSpec: CellSpec = cellSpec('stackedRNNCells', 'StackedRNNCells', stackedCell, (config) =>
  cellList(config.cells, 'cells', 'stackedRNNCells'),
);

/** The state shapes an `rnn` returns or takes as initial states: (batch, size) each. */
export function stateShapes(batch: Dim, sizes: readonly number[]): Shape[] {
  return sizes.map((d) => [batch, d]);
}

/** tfjs RNN.build: initial states must match `cell.stateSize` in count and last dimension. */
export function checkInitialStates(layer: string, states: readonly Shape[], sizes: readonly number[]): void {
  if (states.length === 0) return;
  if (states.length === sizes.length && states.every((s, i) => s[s.length - 1] === sizes[i])) return;
  throw new ShapeError(
    `${layer}: the initial state ${formatShape([...states])} does not match the cell: it needs ${sizes.length} state` +
      `${sizes.length > 1 ? 's' : ''} of shape ${sizes.map((d) => `(batch, ${d})`).join(', ')} ` +
      '(tfjs: "An initialState was passed that is not compatible with cell.stateSize").',
  );
}

export const rnnCellSpecs: readonly CellSpec[] = [simpleRnnCellSpec, lstmCellSpec, gruCellSpec, stackedRnnCellsSpec];
