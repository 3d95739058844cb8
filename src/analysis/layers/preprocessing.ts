/**
 * Preprocessing layers (tfjs-layers `layers/preprocessing/`): rescaling, resizing, centerCrop,
 * categoryEncoding, randomWidth. None has weights.
 *
 * Output shapes mirror tfjs's computeOutputShape, which tfjs builds the following layers on,
 * even where it disagrees with what the layer returns when the model runs (resizing and
 * randomWidth drop the batch axis); a warning says so. Inputs whose rank the layer's call can
 * never handle (tfjs computes a shape and fails when the model runs) are ShapeErrors.
 */
import { formatShape } from '../../shared/format';
import type { Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerSpec } from './layerSpec';
import { ConfigProblem, describeValue, optionValue, posInt } from './configValues';
import { identitySpec } from './identitySpec';

/** A weightless layer: `shape` computes the output (and throws); `parse` checks the config. */
function weightlessSpec(
  factory: string,
  className: string,
  parse: (config: LayerConfig) => unknown,
  shape: (config: LayerConfig, x: Shape) => Shape,
  extraIssues?: (config: LayerConfig) => ConfigIssue[],
): LayerSpec {
  return identitySpec(factory, className, { parse, shape, extraIssues });
}

/** tfjs's image ops (resizeBilinear, cropAndResize) take one image or a batch of images. */
function expectImage(x: Shape, layer: string): void {
  if (x.length === 3 || x.length === 4) return;
  throw new ShapeError(
    `${layer} works on images, (batch, height, width, channels) or (height, width, channels), but got a ` +
      `${x.length}D input ${formatShape(x)}; tfjs computes a shape for it but fails when the model runs.`,
  );
}

const INTERPOLATIONS = ['bilinear', 'nearest'];

/** Resizing/RandomWidth constructors: a truthy `interpolation` must be 'bilinear' or 'nearest'. */
function checkInterpolation(config: LayerConfig, layer: string): void {
  const v = optionValue(config, 'interpolation');
  if (!v || (typeof v === 'string' && INTERPOLATIONS.includes(v))) return;
  throw new ConfigProblem(
    `${layer}: \`interpolation\` must be 'bilinear' or 'nearest', but got ${describeValue(v)} (tfjs: "Invalid interpolation parameter").`,
  );
}

/**
 * CenterCrop and CategoryEncoding compute their output by editing the input shape in place, and
 * tfjs hands them the input tensor's own shape array.
 */
function inputShapeOverwritten(layer: string): ConfigIssue {
  return {
    severity: 'warning',
    message:
      `${layer}: tfjs 4.22 also writes this layer's output shape into its input tensor's shape, so layers applied ` +
      "to the same input afterwards (and the model's input shape) see the changed shape; Model Lens keeps the input's shape.",
  };
}

function isNumberOrList(v: unknown): boolean {
  return typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'number'));
}

// ---------------------------------------------------------------------------------------------
// rescaling: x * scale + offset, any shape

export const rescalingSpec: LayerSpec = identitySpec('rescaling', 'Rescaling', {
  parse(config) {
    const scale = optionValue(config, 'scale');
    if (!isNumberOrList(scale)) {
      throw new ConfigProblem(
        `rescaling needs \`scale\`, a number (e.g. 1 / 255), but got ${describeValue(scale)}; tfjs fails when the model runs.`,
      );
    }
    const offset = optionValue(config, 'offset');
    if (offset && !isNumberOrList(offset)) {
      throw new ConfigProblem(`rescaling: \`offset\` must be a number, but got ${describeValue(offset)}.`);
    }
  },
});

// ---------------------------------------------------------------------------------------------
// resizing, centerCrop

function parseSize(config: LayerConfig, layer: string): { height: number; width: number } {
  return { height: posInt(config, 'height', layer), width: posInt(config, 'width', layer) };
}

export const resizingSpec: LayerSpec = weightlessSpec(
  'resizing',
  'Resizing',
  (config) => {
    checkInterpolation(config, 'resizing');
    return parseSize(config, 'resizing');
  },
  (config, x) => {
    expectImage(x, 'resizing');
    const { height, width } = parseSize(config, 'resizing');
    // tfjs Resizing.computeOutputShape: [height, width, inputShape[2]] (no batch axis).
    return [height, width, x[2] ?? null];
  },
  () => [
    {
      severity: 'warning',
      message:
        'resizing: tfjs 4.22 gives this layer the output shape [height, width, input axis 2] (its computeOutputShape ' +
        'drops the batch axis) and builds the layers after it on that shape; when the model runs the output is ' +
        '(batch, height, width, channels). The shapes shown follow tfjs.',
    },
  ],
);

export const centerCropSpec: LayerSpec = weightlessSpec(
  'centerCrop',
  'CenterCrop',
  (config) => parseSize(config, 'centerCrop'),
  (config, x) => {
    expectImage(x, 'centerCrop');
    const { height, width } = parseSize(config, 'centerCrop');
    x[x.length - 3] = height;
    x[x.length - 2] = width;
    return x;
  },
  () => [inputShapeOverwritten('centerCrop')],
);

// ---------------------------------------------------------------------------------------------
// categoryEncoding

const OUTPUT_MODES = ['int', 'oneHot', 'multiHot', 'count', 'tfIdf'];

function parseCategoryEncoding(config: LayerConfig): { numTokens: number; mode: string } {
  const v = optionValue(config, 'outputMode');
  let mode = 'multiHot';
  if (v) {
    if (typeof v !== 'string' || !OUTPUT_MODES.includes(v)) {
      throw new ConfigProblem(
        `categoryEncoding: \`outputMode\` must be ${OUTPUT_MODES.map((m) => `'${m}'`).join(', ')}, but got ${describeValue(v)}.`,
      );
    }
    mode = v;
  }
  return { numTokens: posInt(config, 'numTokens', 'categoryEncoding'), mode };
}

function categoryEncodingShape(config: LayerConfig, x: Shape): Shape {
  const { numTokens, mode } = parseCategoryEncoding(config);
  const last = x[x.length - 1];
  const expands = mode === 'oneHot' && last !== 1;
  // encodeCategoricalInputs: apart from 'int', the encoded input may have at most 2 dimensions.
  if (mode !== 'int' && x.length + (expands && last !== null ? 1 : 0) > 2) {
    throw new ShapeError(
      `categoryEncoding (outputMode '${mode}') takes (batch,) or (batch, values)${mode === 'oneHot' ? ' with values = 1' : ''}, ` +
        `but got ${formatShape(x)}; tfjs fails when the model runs ("When outputMode is not int, maximum output rank is 2").`,
    );
  }
  // CategoryEncoding.computeOutputShape
  if (expands) return [...x, numTokens];
  x[x.length - 1] = numTokens;
  return x;
}

function categoryEncodingIssues(config: LayerConfig): ConfigIssue[] {
  const { mode } = parseCategoryEncoding(config);
  const overwritten = inputShapeOverwritten('categoryEncoding');
  if (mode === 'tfIdf') {
    return [
      overwritten,
      {
        severity: 'error',
        message:
          "categoryEncoding: outputMode 'tfIdf' cannot run in tfjs (it needs weights, and the layer accepts them only for 'count').",
      },
    ];
  }
  if (mode === 'int') {
    return [
      overwritten,
      {
        severity: 'warning',
        message:
          "categoryEncoding: outputMode 'int' returns the input unchanged when the model runs, but tfjs reports its last dimension as numTokens.",
      },
    ];
  }
  return [overwritten];
}

export const categoryEncodingSpec: LayerSpec = weightlessSpec(
  'categoryEncoding',
  'CategoryEncoding',
  parseCategoryEncoding,
  categoryEncodingShape,
  categoryEncodingIssues,
);

// ---------------------------------------------------------------------------------------------
// randomWidth

/** RandomWidth constructor: `factor` is a positive number f (→ [-f, f]) or [lower, upper], both ≥ -1. */
function parseRandomWidth(config: LayerConfig): void {
  const f = optionValue(config, 'factor');
  let range: [number, number];
  if (Array.isArray(f) && f.length === 2 && f.every((e) => typeof e === 'number')) range = [f[0] as number, f[1] as number];
  else if (typeof f === 'number' && f > 0) range = [-f, f];
  else {
    throw new ConfigProblem(`randomWidth: \`factor\` must be a positive number or [lower, upper], but got ${describeValue(f)}.`);
  }
  if (range[0] < -1 || range[1] < -1) {
    throw new ConfigProblem(`randomWidth: \`factor\` must not go below -1, but got ${describeValue(f)}.`);
  }
  if (range[1] < range[0]) {
    throw new ConfigProblem(`randomWidth: the upper bound of \`factor\` is below its lower bound (${describeValue(f)}).`);
  }
  checkInterpolation(config, 'randomWidth');
}

export const randomWidthSpec: LayerSpec = weightlessSpec(
  'randomWidth',
  'RandomWidth',
  parseRandomWidth,
  (_config, x) => {
    expectImage(x, 'randomWidth');
    // tfjs: [this.imgHeight, -1, inputShape[2]], where imgHeight is unset until the layer is
    // called and -1 stands for "unknown" (Keras' None): both are unknown sizes here.
    return [null, null, x[2] ?? null];
  },
  () => [
    {
      severity: 'warning',
      message:
        'randomWidth: tfjs 4.22 gives this layer the output shape [unknown, -1, input axis 2] (its computeOutputShape ' +
        'drops the batch axis) and builds the layers after it on that shape; when the model runs the output is ' +
        '(batch, height, random width, channels). The shapes shown follow tfjs, with its unknown sizes as None.',
    },
  ],
);

export const preprocessingSpecs: readonly LayerSpec[] = [
  rescalingSpec,
  resizingSpec,
  centerCropSpec,
  categoryEncodingSpec,
  randomWidthSpec,
];
