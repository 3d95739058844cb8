/**
 * Convolutions (tfjs-layers `convolutional.js`, `convolutional_depthwise.js`): conv1d, conv2d,
 * conv3d, conv2dTranspose, conv3dTranspose, separableConv2d, depthwiseConv2d.
 */
import type { Dim, OutputShape, Shape } from '../types';
import type { ConfigIssue, LayerConfig, LayerSpec, ParamCount } from './layerSpec';
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
import type { DataFormat, PaddingMode } from './configValues';
import {
  channelAxis,
  checkWindowFits,
  convOutputLength,
  deconvLength,
  definedDim,
  expectRank,
  layoutOf,
  singleInput,
  spatialAxes,
} from './shapeMath';
import { paramsOf, weight } from './weights';
import type { Weight } from './weights';

type Kind = 'conv' | 'transpose' | 'separable' | 'depthwise';

export interface ConvConfig {
  filters: number;
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: PaddingMode;
  format: DataFormat;
  useBias: boolean;
  depthMultiplier: number;
}

/**
 * The options last parsed, and their config: a layer's configIssues, outputShape and params
 * read them one after another. Each layer instance owns its config object (the analysis copies
 * option literals) and never changes it.
 */
let parsedFor: LayerConfig | undefined;
let parsed: ConvConfig | undefined;

function parseConv(config: LayerConfig, rank: number, kind: Kind, layer: string): ConvConfig {
  if (config !== parsedFor || parsed === undefined) {
    parsed = parseConvUncached(config, rank, kind, layer);
    parsedFor = config;
  }
  return parsed;
}

function parseConvUncached(config: LayerConfig, rank: number, kind: Kind, layer: string): ConvConfig {
  // String options first: they are rarely unknown, so their problems are still reported when a
  // number (e.g. `filters: n`) is not known statically.
  checkActivation(config, 'activation', layer);
  const allowed: PaddingMode[] = kind === 'transpose' || kind === 'separable' ? ['valid', 'same'] : ['valid', 'same', 'causal'];
  const padding = paddingMode(config, layer, allowed);
  const format = dataFormat(config, layer);
  if (kind === 'separable') {
    for (const key of ['kernelInitializer', 'kernelRegularizer', 'kernelConstraint']) {
      if (hasOption(config, key)) {
        throw new ConfigProblem(
          `${layer} has no \`${key}\`: use the depthwise*/pointwise* options (e.g. depthwiseInitializer, pointwiseInitializer).`,
        );
      }
    }
  }
  const filters = kind === 'depthwise' ? 0 : posInt(config, 'filters', layer);
  if (!hasOption(config, 'kernelSize')) {
    throw new ConfigProblem(`${layer} needs \`kernelSize\`, e.g. kernelSize: 3.`);
  }
  const kernel = intTuple(config, 'kernelSize', rank, layer);
  const strides = intTuple(config, 'strides', rank, layer, 1);
  const dilation = intTuple(config, 'dilationRate', rank, layer, 1);
  const depthMultiplier = kind === 'separable' || kind === 'depthwise' ? posInt(config, 'depthMultiplier', layer, 1) : 1;
  return { filters, kernel, strides, dilation, padding, format, useBias: bool(config, 'useBias', true), depthMultiplier };
}

function convExtraIssues(config: LayerConfig, rank: number, kind: Kind, layer: string): ConfigIssue[] {
  const c = parseConv(config, rank, kind, layer);
  const issues: ConfigIssue[] = [];
  const dilated = c.dilation.some((d) => d !== 1);
  if (c.padding === 'causal') {
    issues.push({
      severity: 'error',
      message: `${layer}: tfjs does not implement padding 'causal' (the model fails when it runs); its shapes are computed as for 'valid'.`,
    });
  }
  if (dilated && (kind === 'transpose' || kind === 'depthwise')) {
    issues.push({
      severity: 'warning',
      message: `${layer}: tfjs ignores \`dilationRate\` for this layer; the kernel is applied without dilation.`,
    });
  } else if (dilated && c.strides.some((s) => s !== 1)) {
    issues.push({
      severity: 'error',
      message: `${layer}: strides > 1 cannot be combined with dilationRate > 1 (tfjs fails when the model runs).`,
    });
  }
  return issues;
}

interface ConvResult {
  out: Shape;
  inChannels: number;
  c: ConvConfig;
}

/** `checkFit` false: the weights only (tfjs builds them even when the output size is zero). */
function convApply(config: LayerConfig, input: Shape, rank: number, kind: Kind, layer: string, checkFit = true): ConvResult {
  const c = parseConv(config, rank, kind, layer);
  expectRank(input, rank + 2, layer, layoutOf(rank, c.format));
  const inChannels = definedDim(input[channelAxis(input, c.format)], layer, 'channels dimension', input);
  const spatial = spatialAxes(rank, c.format).map((a) => input[a]);
  let outSpatial: Dim[];
  if (kind === 'transpose') {
    outSpatial = spatial.map((d, i) => deconvLength(d, c.strides[i], c.kernel[i], c.padding));
  } else {
    // tfjs's depthwiseConv2d ignores dilationRate (in its shapes and when it runs).
    const dil = kind === 'depthwise' ? c.kernel.map(() => 1) : c.dilation;
    outSpatial = spatial.map((d, i) => convOutputLength(d, c.kernel[i], c.padding, c.strides[i], dil[i]));
  }
  const outChannels = kind === 'depthwise' ? inChannels * c.depthMultiplier : c.filters;
  const out: Shape =
    c.format === 'channelsFirst' ? [input[0], outChannels, ...outSpatial] : [input[0], ...outSpatial, outChannels];
  if (kind !== 'transpose') {
    if (checkFit)
      checkWindowFits(
        layer,
        'kernel',
        c.kernel,
        kind === 'depthwise' ? undefined : c.dilation,
        c.padding,
        spatial,
        outSpatial,
        out,
      );
  }
  return { out, inChannels, c };
}

function convParams(r: ConvResult, kind: Kind): ParamCount {
  const { c, inChannels } = r;
  const ws: Weight[] = [];
  switch (kind) {
    case 'conv':
      ws.push(weight([...c.kernel, inChannels, c.filters]));
      if (c.useBias) ws.push(weight([c.filters]));
      break;
    case 'transpose':
      ws.push(weight([...c.kernel, c.filters, inChannels]));
      if (c.useBias) ws.push(weight([c.filters]));
      break;
    case 'separable':
      ws.push(weight([...c.kernel, inChannels, c.depthMultiplier]));
      ws.push(weight([...c.kernel.map(() => 1), inChannels * c.depthMultiplier, c.filters]));
      if (c.useBias) ws.push(weight([c.filters]));
      break;
    case 'depthwise':
      ws.push(weight([...c.kernel, inChannels, c.depthMultiplier]));
      if (c.useBias) {
        ws.push(
          weight(
            [inChannels * c.depthMultiplier],
            true,
            c.depthMultiplier === 1 ? `${inChannels}` : `${inChannels}×${c.depthMultiplier}`,
          ),
        );
      }
      break;
  }
  return paramsOf(ws);
}

/** The last output shape computed and what it was computed from (see `params`). */
let applied: { config: LayerConfig; input: OutputShape; r: ConvResult } | undefined;

function convSpec(factory: string, className: string, rank: number, kind: Kind): LayerSpec {
  return {
    factory,
    className,
    inputKind: 'single',
    outputShape(config, input) {
      const r = convApply(config, singleInput(input, factory), rank, kind, factory);
      applied = { config, input, r };
      return r.out;
    },
    params(config, input) {
      // Built right after the output shape of the same input: its weights need the same numbers.
      const r =
        applied !== undefined && applied.config === config && applied.input === input
          ? applied.r
          : convApply(config, singleInput(input, factory), rank, kind, factory, false);
      applied = undefined;
      return convParams(r, kind);
    },
    configIssues(config) {
      return issuesOf(
        () => parseConv(config, rank, kind, factory),
        () => convExtraIssues(config, rank, kind, factory),
      );
    },
  };
}

export const conv1dSpec: LayerSpec = convSpec('conv1d', 'Conv1D', 1, 'conv');
export const conv2dSpec: LayerSpec = convSpec('conv2d', 'Conv2D', 2, 'conv');
export const conv3dSpec: LayerSpec = convSpec('conv3d', 'Conv3D', 3, 'conv');
export const conv2dTransposeSpec: LayerSpec = convSpec('conv2dTranspose', 'Conv2DTranspose', 2, 'transpose');
export const conv3dTransposeSpec: LayerSpec = convSpec('conv3dTranspose', 'Conv3DTranspose', 3, 'transpose');
export const separableConv2dSpec: LayerSpec = convSpec('separableConv2d', 'SeparableConv2D', 2, 'separable');
export const depthwiseConv2dSpec: LayerSpec = convSpec('depthwiseConv2d', 'DepthwiseConv2D', 2, 'depthwise');

export const convSpecs: readonly LayerSpec[] = [
  conv1dSpec,
  conv2dSpec,
  conv3dSpec,
  conv2dTransposeSpec,
  conv3dTransposeSpec,
  separableConv2dSpec,
  depthwiseConv2dSpec,
];
