/**
 * Merge layers (tfjs-layers `merge.js`): add, multiply, average, maximum, minimum (element-wise,
 * with broadcasting), concatenate and dot. tfjs has no `subtract` layer.
 */
import { formatShape, isShapeList } from '../../shared/format';
import type { Dim, OutputShape, Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { LayerConfig, LayerSpec } from './layerSpec';
import { ConfigProblem, describeValue, issuesOf, optionValue } from './configValues';
import { noParams } from './weights';

function mergeInputs(input: OutputShape, layer: string, exactly?: number): Shape[] {
  const shapes = isShapeList(input) ? input : [input as Shape];
  const ok = exactly === undefined ? shapes.length >= 2 : shapes.length === exactly;
  if (!ok || !isShapeList(input)) {
    throw new ShapeError(
      `${layer} must be applied to a list of ${exactly === undefined ? 'at least 2' : `exactly ${exactly}`} inputs, ` +
        `e.g. tf.layers.${layer}().apply([a, b]), but it received ${shapes.length === 1 ? 'one input' : `${shapes.length} inputs`} ${formatShape(input)}.`,
    );
  }
  return shapes;
}

// ---------------------------------------------------------------------------------------------
// element-wise merges

/** tfjs `Merge.computeElementwiseOpOutputShape` (shapes without the batch dim). */
function broadcast(shape1: Dim[], shape2: Dim[], layer: string, all: Shape[]): Dim[] {
  if (shape1.length < shape2.length) return broadcast(shape2, shape1, layer, all);
  if (shape2.length === 0) return shape1;
  const out = shape1.slice(0, shape1.length - shape2.length);
  for (let k = 0; k < shape2.length; k++) {
    const i = shape1[shape1.length - shape2.length + k];
    const j = shape2[k];
    if (i === null || j === null || i < 0 || j < 0) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i !== j) {
      throw new ShapeError(
        `${layer}: the inputs ${all.map((s) => formatShape(s)).join(' and ')} cannot be combined element-wise: ` +
          `sizes ${i} and ${j} differ (each dimension must match or be 1).`,
      );
    } else out.push(i);
  }
  return out;
}

function elementwiseShape(input: OutputShape, layer: string): Shape {
  const shapes = mergeInputs(input, layer);
  const batchSizes = [...new Set(shapes.map((s) => s[0]).filter((b) => b !== null))];
  if (batchSizes.length > 1) {
    throw new ShapeError(
      `${layer}: cannot merge inputs with different batch sizes: ${shapes.map((s) => formatShape(s)).join(', ')}.`,
    );
  }
  let out = shapes[0].slice(1);
  for (const s of shapes.slice(1)) out = broadcast(out, s.slice(1), layer, shapes);
  return [batchSizes.length === 1 ? batchSizes[0] : null, ...out];
}

function elementwiseSpec(factory: string, className: string): LayerSpec {
  return {
    factory,
    className,
    inputKind: 'multi',
    outputShape(_config, input) {
      return elementwiseShape(input, factory);
    },
    params(_config, input) {
      elementwiseShape(input, factory);
      return noParams();
    },
    configIssues() {
      return [];
    },
  };
}

export const addSpec: LayerSpec = elementwiseSpec('add', 'Add');
export const multiplySpec: LayerSpec = elementwiseSpec('multiply', 'Multiply');
export const averageSpec: LayerSpec = elementwiseSpec('average', 'Average');
export const maximumSpec: LayerSpec = elementwiseSpec('maximum', 'Maximum');
export const minimumSpec: LayerSpec = elementwiseSpec('minimum', 'Minimum');

// ---------------------------------------------------------------------------------------------
// concatenate

function parseAxis(config: LayerConfig, layer: string): number {
  const v = optionValue(config, 'axis');
  if (v === undefined) return -1;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ConfigProblem(`${layer}: \`axis\` must be an integer, but got ${describeValue(v)}.`);
  }
  return v;
}

function concatenateShape(config: LayerConfig, input: OutputShape): Shape {
  const axis = parseAxis(config, 'concatenate');
  const shapes = mergeInputs(input, 'concatenate');
  const rank = shapes[0].length;
  // The inputs as text, only for a message: built when one is thrown.
  const list = (): string => shapes.map((s) => formatShape(s)).join(', ');
  if (shapes.some((s) => s.length !== rank)) {
    throw new ShapeError(`concatenate: all inputs must have the same rank, but got ${list()}.`);
  }
  if (axis >= rank || axis < -rank) {
    throw new ShapeError(`concatenate: axis ${axis} does not exist in inputs of rank ${rank} (${list()}).`);
  }
  const a = axis < 0 ? rank + axis : axis;
  const without = (s: Shape): Dim[] => s.filter((_d, i) => i !== a);
  const ref = without(shapes[0]);
  for (const s of shapes.slice(1)) {
    const other = without(s);
    const mismatch = other.findIndex((d, i) => d !== ref[i]);
    if (mismatch >= 0) {
      const nullOnly = other[mismatch] === null || ref[mismatch] === null;
      throw new ShapeError(
        `concatenate (axis ${axis}): the inputs must have the same shape except along the concatenation axis, ` +
          `but got ${list()}.` +
          (nullOnly ? ' (tfjs treats an unknown size (None) and a known one as different.)' : ''),
      );
    }
  }
  const out = shapes[0].slice();
  for (const s of shapes.slice(1)) {
    const x = out[a];
    const y = s[a];
    if (x === null || y === null) {
      out[a] = null;
      break;
    }
    out[a] = x + y;
  }
  return out;
}

export const concatenateSpec: LayerSpec = {
  factory: 'concatenate',
  className: 'Concatenate',
  inputKind: 'multi',
  outputShape(config, input) {
    return concatenateShape(config, input);
  },
  params(config, input) {
    concatenateShape(config, input);
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => parseAxis(config, 'concatenate'));
  },
};

// ---------------------------------------------------------------------------------------------
// dot

function parseDot(config: LayerConfig): number | [number, number] {
  const v = optionValue(config, 'axes');
  if (v === undefined)
    throw new ConfigProblem('dot needs `axes`: the axis (or [axis1, axis2]) to multiply along, e.g. axes: -1.');
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.length === 2 && v.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    return v as [number, number];
  }
  throw new ConfigProblem(`dot: \`axes\` must be an integer or a pair of integers, but got ${describeValue(v)}.`);
}

/**
 * tfjs's Dot. An error where tfjs refuses to build the layer, and where it builds it but the
 * model fails when it runs (the sizes along the axes differ once negative axes are read from
 * the end, as the layer's call reads them; an axis past the input's rank). The batch axis 0 is
 * not an error: tfjs builds it and programs train with it (a warning says it is rarely meant);
 * its output shape is tfjs's, with the batch folded in.
 */
function dotShape(config: LayerConfig, input: OutputShape): Shape {
  const axes = parseDot(config);
  const [s1, s2] = mergeInputs(input, 'dot', 2);
  for (const s of [s1, s2]) {
    if (s.length > 3) {
      throw new ShapeError(`dot: tfjs only supports inputs of up to 3 dimensions, but got ${formatShape(s)}.`);
    }
    if (s.length < 2)
      throw new ShapeError(`dot: inputs need at least 2 dimensions (batch, features), but got ${formatShape(s)}.`);
  }
  if (Array.isArray(axes) && axes[0] < 0 !== axes[1] < 0) {
    throw new ShapeError(
      `dot: tfjs cannot mix a negative and a non-negative axis in \`axes\` ${describeValue(axes)}; ` +
        'write both as non-negative (or both negative).',
    );
  }
  // tfjs reads a single axis as interpretAxis does (adding the rank until it is not negative);
  // a pair's negative entries are read once from the end, as the layer's call reads them.
  const interpret = (axis: number, rank: number): number => {
    let a = axis;
    while (a < 0) a += rank;
    return a;
  };
  const [a1, a2] =
    typeof axes === 'number'
      ? [interpret(axes, s1.length), interpret(axes, s2.length)]
      : [axes[0] < 0 ? axes[0] + s1.length : axes[0], axes[1] < 0 ? axes[1] + s2.length : axes[1]];
  for (const [a, s] of [
    [a1, s1],
    [a2, s2],
  ] as [number, Shape][]) {
    if (a < 0 || a >= s.length) {
      throw new ShapeError(
        `dot: axes ${describeValue(axes)} do not fit the input ${formatShape(s)} (use axes 1..${s.length - 1}; 0 is the batch).`,
      );
    }
  }
  if (s1[a1] !== s2[a2]) {
    throw new ShapeError(
      `dot: the sizes along the dot axes differ: ${formatShape(s1)} axis ${a1} has ${s1[a1] ?? 'None'}, ` +
        `${formatShape(s2)} axis ${a2} has ${s2[a2] ?? 'None'}.`,
    );
  }
  // tfjs's computeOutputShape: both axes spliced out, and the second input's first dimension.
  const out = [...s1.filter((_d, i) => i !== a1), ...s2.filter((_d, i) => i !== a2).slice(1)];
  if (out.length === 1) out.push(1);
  return out;
}

export const dotSpec: LayerSpec = {
  factory: 'dot',
  className: 'Dot',
  inputKind: 'multi',
  outputShape(config, input) {
    return dotShape(config, input);
  },
  params(config, input) {
    dotShape(config, input);
    return noParams();
  },
  configIssues(config) {
    const issues = issuesOf(() => parseDot(config));
    const axes = optionValue(config, 'axes');
    if (axes === 0 || (Array.isArray(axes) && axes.includes(0)))
      issues.push({
        severity: 'warning',
        message:
          'dot: axis 0 is the batch: tfjs builds this layer, but its shapes then fold the batch into the features ' +
          '(two (None, 1, 16) give (1, 16, 16)); a dot product along the features is axes: -1.',
      });
    return issues;
  },
};

export const mergeSpecs: readonly LayerSpec[] = [
  addSpec,
  multiplySpec,
  averageSpec,
  maximumSpec,
  minimumSpec,
  concatenateSpec,
  dotSpec,
];
