/**
 * Wrapper layers (tfjs-layers `wrappers.js`): bidirectional, timeDistributed. The wrapped layer
 * comes as a LayerRef in `config.layer`; its own spec computes the inner shapes and weights.
 */
import { formatShape, isShapeList } from '../../shared/format';
import type { OutputShape, Shape } from '../types';
import { ShapeError, UnknownValue, UnresolvedError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerRef, LayerSpec } from './layerSpec';
import { RECURRENT_CLASSES } from './recurrent';
import { ConfigProblem, bool, describeValue, hasOption, issuesOf, layerRef } from './configValues';
import { singleInput } from './shapeMath';
import { asFactor } from './weights';

/** Prefixes the wrapped layer's ShapeError with the wrapper's context. */
function withContext<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(prefix + e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// bidirectional

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'];

function parseBidirectional(config: LayerConfig): { inner: LayerRef; mergeMode: MergeMode } {
  const inner = layerRef(config, 'layer', 'bidirectional');
  const v = config.mergeMode;
  let mergeMode: MergeMode;
  if (v === undefined) mergeMode = 'concat';
  else if (v === null) mergeMode = null;
  else if (v instanceof UnknownValue) throw new UnresolvedError(`\`mergeMode\` is not known statically (${v.reason})`);
  else if (typeof v === 'string' && MERGE_MODES.includes(v)) mergeMode = v as MergeMode;
  else {
    throw new ConfigProblem(
      `bidirectional: \`mergeMode\` must be 'concat', 'sum', 'mul', 'ave' or null, but got ${describeValue(v)}.`,
    );
  }
  if (hasOption(config, 'weights')) throw new ConfigProblem('bidirectional: tfjs does not support the `weights` option here.');
  if (inner.spec.className === 'RNN') {
    // Bidirectional copies the layer through getConfig/deserialize, which tfjs 4.22 cannot do for RNN.
    throw new ConfigProblem(
      'bidirectional: tfjs cannot wrap tf.layers.rnn (copying its cell fails: "Improper config format"); ' +
        'wrap tf.layers.lstm/gru/simpleRNN, or merge two rnn layers, one with goBackwards: true.',
    );
  }
  return { inner, mergeMode };
}

/** The input split as tfjs does: `[x, ...forwardStates, ...backwardStates]`. */
function bidirectionalInner(
  config: LayerConfig,
  input: OutputShape,
): { inner: LayerRef; mergeMode: MergeMode; innerInputs: OutputShape[] } {
  const { inner, mergeMode } = parseBidirectional(config);
  if (!isShapeList(input) || input.length === 1) {
    return { inner, mergeMode, innerInputs: [singleInput(input, 'bidirectional')] };
  }
  const [x, ...states] = input;
  if (states.length % 2 !== 0) {
    throw new ShapeError(
      `bidirectional: initial states ${formatShape(states)} must hold the forward states then the backward states (an even count).`,
    );
  }
  const half = states.length / 2;
  return {
    inner,
    mergeMode,
    innerInputs: [
      [x, ...states.slice(0, half)],
      [x, ...states.slice(half)],
    ],
  };
}

function bidirectionalShape(config: LayerConfig, input: OutputShape): OutputShape {
  const { inner, mergeMode, innerInputs } = bidirectionalInner(config, input);
  const innerOut = withContext(`bidirectional(${inner.spec.factory}): `, () => {
    const out = inner.spec.outputShape(inner.config, innerInputs[0]);
    for (const other of innerInputs.slice(1)) inner.spec.outputShape(inner.config, other);
    return out;
  });
  const returnState = bool(inner.config, 'returnState', false);
  const shapes: Shape[] = isShapeList(innerOut) ? innerOut : [innerOut as Shape];
  const output = shapes[0].slice();
  const states = returnState ? shapes.slice(1) : [];
  let outputs: Shape[];
  if (mergeMode === 'concat') {
    const last = output[output.length - 1];
    output[output.length - 1] = last === null ? null : last * 2;
    outputs = [output];
  } else if (mergeMode === null) {
    outputs = [output, output.slice()];
  } else {
    outputs = [output];
  }
  if (returnState) {
    return [...outputs, ...states.map((s) => s.slice()), ...states.map((s) => s.slice())];
  }
  return outputs.length === 1 ? outputs[0] : outputs;
}

export const bidirectionalSpec: LayerSpec = {
  factory: 'bidirectional',
  className: 'Bidirectional',
  inputKind: 'single',
  outputShape(config, input) {
    return bidirectionalShape(config, input);
  },
  params(config, input) {
    bidirectionalShape(config, input);
    const { inner, innerInputs } = bidirectionalInner(config, input);
    const p = inner.spec.params(inner.config, innerInputs[0]);
    return {
      trainable: 2 * p.trainable,
      nonTrainable: 2 * p.nonTrainable,
      formula: p.formula === '' ? '' : `2×${asFactor(p.formula)}`,
    };
  },
  configIssues(config) {
    return issuesOf(
      () => parseBidirectional(config),
      (): ConfigIssue[] => {
        const { inner } = parseBidirectional(config);
        if (RECURRENT_CLASSES.includes(inner.spec.className)) return [];
        return [
          {
            severity: 'warning',
            message: `bidirectional wraps a recurrent layer (simpleRNN, lstm, gru, convLstm2d), not ${inner.spec.factory}.`,
          },
        ];
      },
    );
  },
};

// ---------------------------------------------------------------------------------------------
// timeDistributed

function timeDistributedInner(config: LayerConfig, input: OutputShape): { inner: LayerRef; x: Shape; child: Shape } {
  const inner = layerRef(config, 'layer', 'timeDistributed');
  if (inner.spec.inputKind === 'multi') {
    throw new ShapeError(`timeDistributed cannot wrap ${inner.spec.factory}, which takes several inputs.`);
  }
  const x = singleInput(input, 'timeDistributed');
  if (x.length < 3) {
    throw new ShapeError(
      `timeDistributed expects an input with at least 3 dimensions (batch, timesteps, ...), but got ${formatShape(x)}.`,
    );
  }
  return { inner, x, child: [x[0], ...x.slice(2)] };
}

function timeDistributedShape(config: LayerConfig, input: OutputShape): Shape {
  const { inner, x, child } = timeDistributedInner(config, input);
  const childOut = withContext(`timeDistributed passes each timestep ${formatShape(child)} to ${inner.spec.factory}: `, () =>
    inner.spec.outputShape(inner.config, child),
  );
  if (isShapeList(childOut)) {
    throw new ShapeError(
      `timeDistributed: the wrapped ${inner.spec.factory} has several outputs ${formatShape(childOut)}; it must have one.`,
    );
  }
  const out = childOut as Shape;
  return [out[0], x[1], ...out.slice(1)];
}

export const timeDistributedSpec: LayerSpec = {
  factory: 'timeDistributed',
  className: 'TimeDistributed',
  inputKind: 'single',
  outputShape(config, input) {
    return timeDistributedShape(config, input);
  },
  params(config, input) {
    timeDistributedShape(config, input);
    const { inner, child } = timeDistributedInner(config, input);
    return inner.spec.params(inner.config, child);
  },
  configIssues(config) {
    return issuesOf(() => layerRef(config, 'layer', 'timeDistributed'));
  },
};

export const wrapperSpecs: readonly LayerSpec[] = [bidirectionalSpec, timeDistributedSpec];
