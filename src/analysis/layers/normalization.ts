/**
 * Normalization layers (tfjs-layers `normalization.js`): batchNormalization, layerNormalization.
 */
import { formatShape } from '../../shared/format';
import type { Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { LayerConfig, LayerSpec, ParamCount } from './layerSpec';
import { ConfigProblem, bool, describeValue, issuesOf, optionValue } from './configValues';
import { singleInput } from './shapeMath';
import { paramsOf, weight } from './weights';
import type { Weight } from './weights';

// ---------------------------------------------------------------------------------------------
// batchNormalization

function parseBatchNorm(config: LayerConfig): { axis: number; center: boolean; scale: boolean } {
  let v = optionValue(config, 'axis');
  // Keras writes `axis: [3]` in saved models; tfjs's `axis >= 0` turns a one-element array of a
  // non-negative integer into that integer (a negative one, or two axes, fail in build).
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number' && Number.isInteger(v[0]) && v[0] >= 0) v = v[0];
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v))) {
    throw new ConfigProblem(
      `batchNormalization: \`axis\` must be an integer (tfjs takes a single axis), but got ${describeValue(v)}.`,
    );
  }
  return { axis: v ?? -1, center: bool(config, 'center', true), scale: bool(config, 'scale', true) };
}

function batchNormDim(config: LayerConfig, input: Shape): number {
  const { axis } = parseBatchNorm(config);
  const a = axis >= 0 ? axis : axis + input.length;
  const dim = a >= 0 && a < input.length ? input[a] : undefined;
  if (dim === undefined) {
    throw new ShapeError(`batchNormalization: axis ${axis} does not exist in the input ${formatShape(input)}.`);
  }
  if (dim === null) {
    throw new ShapeError(
      `batchNormalization: axis ${axis} of the input ${formatShape(input)} must have a known size (it is the normalized feature axis).`,
    );
  }
  return dim;
}

export const batchNormalizationSpec: LayerSpec = {
  factory: 'batchNormalization',
  className: 'BatchNormalization',
  inputKind: 'single',
  outputShape(config, input) {
    const shape = singleInput(input, 'batchNormalization');
    batchNormDim(config, shape);
    return shape.slice();
  },
  params(config, input): ParamCount {
    const { center, scale } = parseBatchNorm(config);
    const dim = batchNormDim(config, singleInput(input, 'batchNormalization'));
    const ws: Weight[] = [];
    if (scale) ws.push(weight([dim])); // gamma
    if (center) ws.push(weight([dim])); // beta
    ws.push(weight([dim], false), weight([dim], false)); // moving mean, moving variance
    const trainable = ws.filter((w) => w.trainable).length;
    const part = (n: number): string => (n === 1 ? `${dim}` : `${n}×${dim}`);
    // e.g. `2×64 + 2×64`: gamma and beta (trainable), moving mean and variance (non-trainable).
    return paramsOf(ws, trainable === 0 ? part(2) : `${part(trainable)} + ${part(2)}`);
  },
  configIssues(config) {
    return issuesOf(() => parseBatchNorm(config));
  },
};

// ---------------------------------------------------------------------------------------------
// layerNormalization

function parseLayerNorm(config: LayerConfig): { axes: number[]; center: boolean; scale: boolean } {
  const v = optionValue(config, 'axis');
  let axes: number[];
  if (v === undefined) axes = [-1];
  else if (typeof v === 'number' && Number.isInteger(v)) axes = [v];
  else if (Array.isArray(v) && v.every((a) => typeof a === 'number' && Number.isInteger(a))) axes = v as number[];
  else {
    throw new ConfigProblem(
      `layerNormalization: \`axis\` must be an integer or an array of integers, but got ${describeValue(v)}.`,
    );
  }
  return { axes, center: bool(config, 'center', true), scale: bool(config, 'scale', true) };
}

function layerNormParamShape(config: LayerConfig, input: Shape): number[] {
  const { axes } = parseLayerNorm(config);
  const resolved = axes.map((a) => (a < 0 ? a + input.length : a));
  resolved.forEach((a, i) => {
    if (a < 0 || a >= input.length) {
      throw new ShapeError(`layerNormalization: axis ${axes[i]} does not exist in the input ${formatShape(input)}.`);
    }
  });
  if (new Set(resolved).size !== resolved.length) {
    throw new ShapeError(`layerNormalization: duplicate axes ${describeValue(axes)} for the input ${formatShape(input)}.`);
  }
  const shape = resolved.map((a) => input[a]);
  if (shape.some((d) => d === null)) {
    throw new ShapeError(
      `layerNormalization: the normalized axes ${describeValue(axes)} of the input ${formatShape(input)} must have known sizes.`,
    );
  }
  return shape as number[];
}

export const layerNormalizationSpec: LayerSpec = {
  factory: 'layerNormalization',
  className: 'LayerNormalization',
  inputKind: 'single',
  outputShape(config, input) {
    const shape = singleInput(input, 'layerNormalization');
    layerNormParamShape(config, shape);
    return shape.slice();
  },
  params(config, input) {
    const { center, scale } = parseLayerNorm(config);
    const shape = layerNormParamShape(config, singleInput(input, 'layerNormalization'));
    const ws: Weight[] = [];
    if (scale) ws.push(weight(shape)); // gamma
    if (center) ws.push(weight(shape)); // beta
    if (ws.length === 0) return paramsOf(ws);
    const t = shape.length === 0 ? '1' : shape.join('×');
    return paramsOf(ws, ws.length === 1 ? t : `2×${shape.length > 1 ? `(${t})` : t}`);
  },
  configIssues(config) {
    return issuesOf(() => parseLayerNorm(config));
  },
};

export const normalizationSpecs: readonly LayerSpec[] = [batchNormalizationSpec, layerNormalizationSpec];
