/**
 * Core layers (tfjs-layers `core.js`, `engine/input_layer.js`): inputLayer, dense, flatten,
 * reshape, permute, repeatVector, masking.
 */
import { formatShape } from '../../shared/format';
import type { Dim, Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigValue, LayerConfig, LayerSpec } from './layerSpec';
import {
  ConfigProblem,
  bool,
  checkActivation,
  describeValue,
  isPositiveInt,
  issuesOf,
  optionValue,
  posInt,
} from './configValues';
import { identitySpec } from './identitySpec';
import { definedDim, expectMinRank, expectRank, product, singleInput } from './shapeMath';
import { noParams, paramsOf, weight } from './weights';

/** A shape option (`inputShape`, `batchInputShape`): an array of positive integers or nulls. */
function dimsOption(v: ConfigValue, key: string, layer: string): Dim[] {
  // tfjs does `[batchSize].concat(inputShape)`, so a bare number works like `[n]`.
  const arr = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(arr)) {
    throw new ConfigProblem(`${layer}: \`${key}\` must be an array of dimensions, but got ${describeValue(v)}.`);
  }
  return arr.map((d) => {
    if (d === null || d === undefined) return null;
    if (!isPositiveInt(d)) {
      throw new ConfigProblem(
        `${layer}: \`${key}\` must contain positive integers (or null for a variable size), but got ${describeValue(v)}.`,
      );
    }
    return d;
  });
}

// ---------------------------------------------------------------------------------------------
// inputLayer

function inputLayerShape(config: LayerConfig): Shape {
  const layer = 'inputLayer';
  const shape = optionValue(config, 'inputShape');
  const batchShape = optionValue(config, 'batchInputShape');
  const batchSize = optionValue(config, 'batchSize');
  if (shape !== undefined && batchShape !== undefined) {
    throw new ConfigProblem('inputLayer: give either `inputShape` or `batchInputShape`, not both.');
  }
  if (batchShape !== undefined) {
    if (batchSize !== undefined) {
      throw new ConfigProblem('inputLayer: `batchSize` cannot be combined with `batchInputShape` (put the batch size in it).');
    }
    return dimsOption(batchShape, 'batchInputShape', layer);
  }
  if (shape === undefined) {
    throw new ConfigProblem('inputLayer needs `inputShape` (without the batch dimension) or `batchInputShape`.');
  }
  if (batchSize !== undefined && !isPositiveInt(batchSize)) {
    throw new ConfigProblem(`inputLayer: \`batchSize\` must be a positive integer, but got ${describeValue(batchSize)}.`);
  }
  return [batchSize === undefined ? null : (batchSize as number), ...dimsOption(shape, 'inputShape', layer)];
}

export const inputLayerSpec: LayerSpec = {
  factory: 'inputLayer',
  className: 'InputLayer',
  inputKind: 'single',
  impliedInputShape(config) {
    try {
      return inputLayerShape(config).slice(1);
    } catch {
      return undefined;
    }
  },
  outputShape(config) {
    return inputLayerShape(config);
  },
  params(config) {
    inputLayerShape(config);
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => inputLayerShape(config));
  },
};

// ---------------------------------------------------------------------------------------------
// dense

interface DenseConfig {
  units: number;
  useBias: boolean;
}

/** The options last parsed and their config (see conv.ts: a layer's config never changes). */
let denseFor: LayerConfig | undefined;
let dense: DenseConfig | undefined;

function parseDense(config: LayerConfig): DenseConfig {
  if (config !== denseFor || dense === undefined) {
    dense = parseDenseUncached(config);
    denseFor = config;
  }
  return dense;
}

function parseDenseUncached(config: LayerConfig): DenseConfig {
  checkActivation(config, 'activation', 'dense');
  const units = posInt(config, 'units', 'dense');
  const inputDim = optionValue(config, 'inputDim');
  if (inputDim !== undefined && !isPositiveInt(inputDim)) {
    throw new ConfigProblem(`dense: \`inputDim\` must be a positive integer, but got ${describeValue(inputDim)}.`);
  }
  return { units, useBias: bool(config, 'useBias', true) };
}

function denseInputDim(input: Shape): number {
  expectMinRank(input, 2, 'dense', '(batch, ..., features)');
  return definedDim(input[input.length - 1], 'dense', 'last dimension (features)', input);
}

export const denseSpec: LayerSpec = {
  factory: 'dense',
  className: 'Dense',
  inputKind: 'single',
  impliedInputShape(config) {
    if (config.inputShape != null || config.batchInputShape != null) return undefined;
    const inputDim = optionValue(config, 'inputDim');
    return isPositiveInt(inputDim) ? [inputDim] : undefined;
  },
  outputShape(config, input) {
    const { units } = parseDense(config);
    const shape = singleInput(input, 'dense');
    denseInputDim(shape);
    const out = shape.slice();
    out[out.length - 1] = units;
    return out;
  },
  params(config, input) {
    const { units, useBias } = parseDense(config);
    const inDim = denseInputDim(singleInput(input, 'dense'));
    const ws = [weight([inDim, units])];
    if (useBias) ws.push(weight([units]));
    return paramsOf(ws);
  },
  configIssues(config) {
    return issuesOf(() => parseDense(config));
  },
};

// ---------------------------------------------------------------------------------------------
// flatten

function flattenShape(input: Shape): Shape {
  if (input.length === 2) {
    throw new ShapeError(
      `flatten: the input ${formatShape(input)} is already flat, and tfjs's flatten needs at least a 3D input ` +
        `(tfjs: "expected min_ndim=3, found ndim=2"). Remove the flatten layer.`,
    );
  }
  expectMinRank(input, 3, 'flatten');
  const rest = input.slice(1);
  if (rest.some((d) => d === null)) {
    throw new ShapeError(
      `flatten: the input shape ${formatShape(input)} is not fully defined, so its size cannot be computed. ` +
        'Give the first layer a complete inputShape; after a reshape with -1, write that size explicitly ' +
        '(tfjs does not compute it while it builds the model).',
    );
  }
  return [input[0], product(rest as number[])];
}

export const flattenSpec: LayerSpec = {
  factory: 'flatten',
  className: 'Flatten',
  inputKind: 'single',
  outputShape(_config, input) {
    return flattenShape(singleInput(input, 'flatten'));
  },
  params(_config, input) {
    flattenShape(singleInput(input, 'flatten'));
    return noParams();
  },
  configIssues() {
    return [];
  },
};

// ---------------------------------------------------------------------------------------------
// reshape

/** targetShape with unknown entries (-1, null, negatives) as null. */
function parseReshape(config: LayerConfig): Dim[] {
  const v = optionValue(config, 'targetShape');
  if (v === undefined) throw new ConfigProblem('reshape needs `targetShape` (the shape without the batch dimension).');
  if (!Array.isArray(v)) throw new ConfigProblem(`reshape: \`targetShape\` must be an array, but got ${describeValue(v)}.`);
  let unknown = 0;
  const out = v.map((d): Dim => {
    if (d === null || d === undefined || (typeof d === 'number' && d < 0)) {
      unknown++;
      return null;
    }
    if (!isPositiveInt(d)) {
      throw new ConfigProblem(`reshape: \`targetShape\` entries must be positive integers or -1, but got ${describeValue(v)}.`);
    }
    return d;
  });
  if (unknown > 1) {
    throw new ConfigProblem(`reshape: \`targetShape\` ${describeValue(v)} can only have one unknown (-1) dimension.`);
  }
  return out;
}

/** tfjs `Reshape.fixUnknownDimension`. */
function fixUnknown(inputDims: number[], target: Dim[], input: Shape, note: string): number[] {
  const size = product(inputDims);
  let known = 1;
  let unknownAt = -1;
  target.forEach((d, i) => {
    if (d === null) unknownAt = i;
    else known *= d;
  });
  const targetText = `[${target.map((d) => (d === null ? -1 : d)).join(', ')}]`;
  if (unknownAt >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape ${formatShape(input)} (${size} values per sample) into ${targetText}: ` +
          `${size} is not a multiple of ${known}.${note}`,
      );
    }
    const out = target.slice() as number[];
    out[unknownAt] = size / known;
    return out;
  }
  if (size !== known) {
    throw new ShapeError(
      `reshape: cannot reshape ${formatShape(input)} (${size} values per sample) into ${targetText} (${known} values): ` +
        `the total size must stay the same.${note}`,
    );
  }
  return target as number[];
}

function reshapeShape(config: LayerConfig, input: Shape): Shape {
  const target = parseReshape(config);
  const rest = input.slice(1);
  const restKnown = rest.every((d) => d !== null && d >= 0);
  if (restKnown && input[0] !== null) {
    return [input[0], ...fixUnknown(rest as number[], target, input, '')];
  }
  // tfjs does not resolve -1 (nor check the sizes) when any dimension, even the batch one, is
  // unknown: the output keeps null there. The sizes are still checked when they are known,
  // since the reshape fails as soon as the model runs.
  if (restKnown) fixUnknown(rest as number[], target, input, ' (tfjs only reports this when the model runs.)');
  return [input[0], ...target];
}

export const reshapeSpec: LayerSpec = {
  factory: 'reshape',
  className: 'Reshape',
  inputKind: 'single',
  outputShape(config, input) {
    return reshapeShape(config, singleInput(input, 'reshape'));
  },
  params(config, input) {
    reshapeShape(config, singleInput(input, 'reshape'));
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => parseReshape(config));
  },
};

// ---------------------------------------------------------------------------------------------
// permute

function parsePermute(config: LayerConfig): number[] {
  const v = optionValue(config, 'dims');
  if (v === undefined) throw new ConfigProblem('permute needs `dims`, e.g. dims: [2, 1].');
  if (!Array.isArray(v)) throw new ConfigProblem(`permute: \`dims\` must be an array, but got ${describeValue(v)}.`);
  // tfjs compares `dims.slice().sort()` (a string sort) with [1..n].
  const sorted = (v as unknown[]).slice().sort();
  const ok = sorted.length === v.length && sorted.every((d, i) => d === i + 1);
  if (!ok) {
    const extra =
      v.length >= 10 && v.every((d) => typeof d === 'number')
        ? ' (tfjs sorts `dims` as strings, so it cannot permute 10 or more dimensions)'
        : '';
    throw new ConfigProblem(
      `permute: \`dims\` ${describeValue(v)} must be a permutation of 1..${v.length} (the batch axis 0 is not included)${extra}.`,
    );
  }
  return v as number[];
}

function permuteShape(config: LayerConfig, input: Shape): Shape {
  const dims = parsePermute(config);
  expectRank(input, dims.length + 1, 'permute');
  const out = input.slice();
  dims.forEach((d, i) => {
    out[i + 1] = input[d];
  });
  return out;
}

export const permuteSpec: LayerSpec = {
  factory: 'permute',
  className: 'Permute',
  inputKind: 'single',
  outputShape(config, input) {
    return permuteShape(config, singleInput(input, 'permute'));
  },
  params(config, input) {
    permuteShape(config, singleInput(input, 'permute'));
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => parsePermute(config));
  },
};

// ---------------------------------------------------------------------------------------------
// repeatVector

function repeatShape(config: LayerConfig, input: Shape): Shape {
  const n = posInt(config, 'n', 'repeatVector');
  expectRank(input, 2, 'repeatVector', '(batch, features)');
  return [input[0], n, input[1]];
}

export const repeatVectorSpec: LayerSpec = {
  factory: 'repeatVector',
  className: 'RepeatVector',
  inputKind: 'single',
  outputShape(config, input) {
    return repeatShape(config, singleInput(input, 'repeatVector'));
  },
  params(config, input) {
    repeatShape(config, singleInput(input, 'repeatVector'));
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => posInt(config, 'n', 'repeatVector'));
  },
};

// ---------------------------------------------------------------------------------------------
// masking

export const maskingSpec: LayerSpec = identitySpec('masking', 'Masking');

export const coreSpecs: readonly LayerSpec[] = [
  inputLayerSpec,
  denseSpec,
  flattenSpec,
  reshapeSpec,
  permuteSpec,
  repeatVectorSpec,
  maskingSpec,
];
