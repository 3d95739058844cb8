/**
 * Pooling layers (tfjs-layers `pooling.js`): max/average pooling 1D/2D/3D and global pooling.
 */
import type { Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerSpec } from './layerSpec';
import { ConfigProblem, dataFormat, describeValue, isPositiveInt, issuesOf, optionValue, paddingMode } from './configValues';
import type { DataFormat, PaddingMode } from './configValues';
import { checkWindowFits, convOutputLength, expectRank, layoutOf, singleInput, spatialAxes } from './shapeMath';
import { noParams } from './weights';

interface PoolConfig {
  pool: number[];
  strides: number[];
  padding: PaddingMode;
  format: DataFormat;
}

/** poolSize/strides as tfjs reads them: a number, or an array of `rank` positive integers. */
function poolTuple(config: LayerConfig, key: string, rank: number, layer: string, def: number[]): number[] {
  const v = optionValue(config, key);
  let out: unknown[];
  if (v === undefined) out = def;
  else if (typeof v === 'number') out = new Array<number>(rank).fill(v);
  else if (Array.isArray(v) && v.length === rank) out = v;
  else {
    throw new ConfigProblem(
      `${layer}: \`${key}\` must be a number or an array of ${rank} number${rank > 1 ? 's' : ''}, but got ${describeValue(v)}.`,
    );
  }
  if (!out.every(isPositiveInt)) {
    throw new ConfigProblem(`${layer}: \`${key}\` must contain positive integers, but got ${describeValue(v)}.`);
  }
  return out as number[];
}

/** The options last parsed and their config (see conv.ts: a layer's config never changes). */
let poolFor: LayerConfig | undefined;
let parsedPool: PoolConfig | undefined;

function parsePool(config: LayerConfig, rank: number, layer: string): PoolConfig {
  if (config !== poolFor || parsedPool === undefined) {
    parsedPool = parsePoolUncached(config, rank, layer);
    poolFor = config;
  }
  return parsedPool;
}

function parsePoolUncached(config: LayerConfig, rank: number, layer: string): PoolConfig {
  const pool = poolTuple(config, 'poolSize', rank, layer, new Array<number>(rank).fill(2));
  const strides = poolTuple(config, 'strides', rank, layer, pool);
  const padding = paddingMode(config, layer);
  // tfjs's 1D pooling ignores dataFormat.
  const format = rank === 1 ? 'channelsLast' : dataFormat(config, layer);
  return { pool, strides, padding, format };
}

function poolExtraIssues(config: LayerConfig, rank: number, layer: string): ConfigIssue[] {
  const c = parsePool(config, rank, layer);
  return c.padding === 'causal'
    ? [{ severity: 'warning', message: `${layer}: padding 'causal' is treated as 'valid' by tfjs pooling layers.` }]
    : [];
}

function poolShape(config: LayerConfig, input: Shape, rank: number, layer: string): Shape {
  const c = parsePool(config, rank, layer);
  expectRank(input, rank + 2, layer, layoutOf(rank, c.format));
  const axes = spatialAxes(rank, c.format);
  const spatial = axes.map((a) => input[a]);
  const outSpatial = spatial.map((d, i) => convOutputLength(d, c.pool[i], c.padding, c.strides[i]));
  const out = input.slice();
  axes.forEach((a, i) => {
    out[a] = outSpatial[i];
  });
  checkWindowFits(layer, 'pool window', c.pool, undefined, c.padding, spatial, outSpatial, out);
  return out;
}

function poolSpec(factory: string, className: string, rank: number, aliases: string[]): LayerSpec {
  return {
    factory,
    aliases,
    className,
    inputKind: 'single',
    outputShape(config, input) {
      return poolShape(config, singleInput(input, factory), rank, factory);
    },
    params(config, input) {
      try {
        poolShape(config, singleInput(input, factory), rank, factory);
      } catch (e) {
        // A window too large for the input: tfjs builds the layer anyway (no weights).
        if (!(e instanceof ShapeError && e.shapeTfjsBuilds !== undefined)) throw e;
      }
      return noParams();
    },
    configIssues(config) {
      return issuesOf(
        () => parsePool(config, rank, factory),
        () => poolExtraIssues(config, rank, factory),
      );
    },
  };
}

export const maxPooling1dSpec: LayerSpec = poolSpec('maxPooling1d', 'MaxPooling1D', 1, ['maxPool1d']);
export const maxPooling2dSpec: LayerSpec = poolSpec('maxPooling2d', 'MaxPooling2D', 2, ['maxPool2d']);
export const maxPooling3dSpec: LayerSpec = poolSpec('maxPooling3d', 'MaxPooling3D', 3, []);
export const averagePooling1dSpec: LayerSpec = poolSpec('averagePooling1d', 'AveragePooling1D', 1, ['avgPool1d', 'avgPooling1d']);
export const averagePooling2dSpec: LayerSpec = poolSpec('averagePooling2d', 'AveragePooling2D', 2, ['avgPool2d', 'avgPooling2d']);
export const averagePooling3dSpec: LayerSpec = poolSpec('averagePooling3d', 'AveragePooling3D', 3, ['avgPool3d', 'avgPooling3d']);

// ---------------------------------------------------------------------------------------------
// global pooling

function globalShape(config: LayerConfig, input: Shape, rank: number, layer: string): Shape {
  const format = rank === 1 ? 'channelsLast' : dataFormat(config, layer);
  expectRank(input, rank + 2, layer, layoutOf(rank, format));
  if (rank === 1) return [input[0], input[2]];
  return format === 'channelsLast' ? [input[0], input[3]] : [input[0], input[1]];
}

function globalSpec(factory: string, className: string, rank: number, aliases: string[]): LayerSpec {
  return {
    factory,
    aliases,
    className,
    inputKind: 'single',
    outputShape(config, input) {
      return globalShape(config, singleInput(input, factory), rank, factory);
    },
    params(config, input) {
      globalShape(config, singleInput(input, factory), rank, factory);
      return noParams();
    },
    configIssues(config) {
      return issuesOf(() => (rank === 1 ? undefined : dataFormat(config, factory)));
    },
  };
}

export const globalMaxPooling1dSpec: LayerSpec = globalSpec('globalMaxPooling1d', 'GlobalMaxPooling1D', 1, ['globalMaxPool1d']);
export const globalMaxPooling2dSpec: LayerSpec = globalSpec('globalMaxPooling2d', 'GlobalMaxPooling2D', 2, ['globalMaxPool2d']);
export const globalAveragePooling1dSpec: LayerSpec = globalSpec('globalAveragePooling1d', 'GlobalAveragePooling1D', 1, []);
export const globalAveragePooling2dSpec: LayerSpec = globalSpec('globalAveragePooling2d', 'GlobalAveragePooling2D', 2, []);

export const poolingSpecs: readonly LayerSpec[] = [
  maxPooling1dSpec,
  maxPooling2dSpec,
  maxPooling3dSpec,
  averagePooling1dSpec,
  averagePooling2dSpec,
  averagePooling3dSpec,
  globalMaxPooling1dSpec,
  globalMaxPooling2dSpec,
  globalAveragePooling1dSpec,
  globalAveragePooling2dSpec,
];
