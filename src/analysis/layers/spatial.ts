/**
 * 2D resizing layers (tfjs-layers `convolutional.js`, `padding.js`): upSampling2d,
 * zeroPadding2d, cropping2D.
 */
import { formatShape } from '../../shared/format';
import type { Dim, Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigValue, LayerConfig, LayerSpec } from './layerSpec';
import { ConfigProblem, dataFormat, describeValue, isPositiveInt, issuesOf, optionValue } from './configValues';
import type { DataFormat } from './configValues';
import { expectRank, layoutOf, singleInput } from './shapeMath';
import { noParams } from './weights';

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** `n`, `[rows, cols]` or `[[top, bottom], [left, right]]` as tfjs's ZeroPadding2D/Cropping2D read them. */
function pairs(v: ConfigValue, key: string, layer: string): [[number, number], [number, number]] {
  const bad = (): ConfigProblem =>
    new ConfigProblem(
      `${layer}: \`${key}\` must be a number, [rows, cols] or [[top, bottom], [left, right]] of non-negative integers, ` +
        `but got ${describeValue(v)}.`,
    );
  let out: unknown[][];
  if (typeof v === 'number')
    out = [
      [v, v],
      [v, v],
    ];
  else if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number')
    out = [
      [v[0], v[0]],
      [v[1], v[1]],
    ];
  else if (Array.isArray(v) && v.length === 2 && v.every((p) => Array.isArray(p) && p.length === 2)) out = v as unknown[][];
  else throw bad();
  if (!out.every((p) => p.every(isNonNegInt))) throw bad();
  return out as [[number, number], [number, number]];
}

function rowsColsAxes(format: DataFormat): [number, number] {
  return format === 'channelsFirst' ? [2, 3] : [1, 2];
}

// ---------------------------------------------------------------------------------------------
// upSampling2d

function parseUpSampling(config: LayerConfig): { size: number[]; format: DataFormat } {
  const layer = 'upSampling2d';
  const v = optionValue(config, 'size');
  let size: number[] = [2, 2];
  if (v !== undefined) {
    if (typeof v === 'number') {
      throw new ConfigProblem(
        `upSampling2d: tfjs needs \`size\` as [rows, cols] (a single number gives NaN shapes); write size: [${v}, ${v}].`,
      );
    }
    if (!Array.isArray(v) || v.length !== 2 || !v.every(isPositiveInt)) {
      throw new ConfigProblem(`upSampling2d: \`size\` must be [rows, cols] of positive integers, but got ${describeValue(v)}.`);
    }
    size = v as number[];
  }
  const format = dataFormat(config, layer);
  const interp = optionValue(config, 'interpolation');
  if (interp !== undefined && interp !== 'nearest' && interp !== 'bilinear') {
    throw new ConfigProblem(`upSampling2d: \`interpolation\` must be 'nearest' or 'bilinear', but got ${describeValue(interp)}.`);
  }
  return { size, format };
}

function upSamplingShape(config: LayerConfig, input: Shape): Shape {
  const { size, format } = parseUpSampling(config);
  expectRank(input, 4, 'upSampling2d', layoutOf(2, format));
  const out = input.slice();
  rowsColsAxes(format).forEach((a, i) => {
    const d = input[a];
    out[a] = d === null ? null : d * size[i];
  });
  return out;
}

export const upSampling2dSpec: LayerSpec = {
  factory: 'upSampling2d',
  className: 'UpSampling2D',
  inputKind: 'single',
  outputShape(config, input) {
    return upSamplingShape(config, singleInput(input, 'upSampling2d'));
  },
  params(config, input) {
    upSamplingShape(config, singleInput(input, 'upSampling2d'));
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => parseUpSampling(config));
  },
};

// ---------------------------------------------------------------------------------------------
// zeroPadding2d

function parseZeroPadding(config: LayerConfig): { pad: number[][]; format: DataFormat } {
  const v = optionValue(config, 'padding');
  const pad =
    v === undefined
      ? [
          [1, 1],
          [1, 1],
        ]
      : pairs(v, 'padding', 'zeroPadding2d');
  return { pad, format: dataFormat(config, 'zeroPadding2d') };
}

function zeroPaddingShape(config: LayerConfig, input: Shape): Shape {
  const { pad, format } = parseZeroPadding(config);
  expectRank(input, 4, 'zeroPadding2d', layoutOf(2, format));
  const out = input.slice();
  rowsColsAxes(format).forEach((a, i) => {
    const d = input[a];
    out[a] = d !== null && d >= 0 ? d + pad[i][0] + pad[i][1] : null;
  });
  return out;
}

export const zeroPadding2dSpec: LayerSpec = {
  factory: 'zeroPadding2d',
  className: 'ZeroPadding2D',
  inputKind: 'single',
  outputShape(config, input) {
    return zeroPaddingShape(config, singleInput(input, 'zeroPadding2d'));
  },
  params(config, input) {
    zeroPaddingShape(config, singleInput(input, 'zeroPadding2d'));
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => parseZeroPadding(config));
  },
};

// ---------------------------------------------------------------------------------------------
// cropping2D

function parseCropping(config: LayerConfig): { crop: number[][]; format: DataFormat } {
  const v = optionValue(config, 'cropping');
  if (v === undefined) throw new ConfigProblem('cropping2D needs `cropping`, e.g. cropping: [[1, 1], [2, 2]].');
  return { crop: pairs(v, 'cropping', 'cropping2D'), format: dataFormat(config, 'cropping2D') };
}

function croppingShape(config: LayerConfig, input: Shape): Shape {
  const { crop, format } = parseCropping(config);
  expectRank(input, 4, 'cropping2D', layoutOf(2, format));
  const out = input.slice();
  // tfjs subtracts from a null (unknown) size too, giving a negative number; the size really
  // stays unknown, so we keep null.
  rowsColsAxes(format).forEach((a, i) => {
    const d = input[a];
    out[a] = d === null ? null : d - crop[i][0] - crop[i][1];
  });
  const bad = rowsColsAxes(format).filter((a) => (out[a] as Dim) !== null && (out[a] as number) <= 0);
  if (bad.length > 0) {
    const a = bad[0];
    const i = rowsColsAxes(format).indexOf(a);
    throw new ShapeError(
      `cropping2D: cropping ${crop[i][0]} + ${crop[i][1]} ${i === 0 ? 'rows' : 'columns'} from a size of ${input[a]} ` +
        `leaves nothing — output would be ${formatShape(out)}.`,
    );
  }
  return out;
}

export const cropping2DSpec: LayerSpec = {
  factory: 'cropping2D',
  className: 'Cropping2D',
  inputKind: 'single',
  outputShape(config, input) {
    return croppingShape(config, singleInput(input, 'cropping2D'));
  },
  params(config, input) {
    croppingShape(config, singleInput(input, 'cropping2D'));
    return noParams();
  },
  configIssues(config) {
    return issuesOf(() => parseCropping(config));
  },
};

export const spatialSpecs: readonly LayerSpec[] = [upSampling2dSpec, zeroPadding2dSpec, cropping2DSpec];
