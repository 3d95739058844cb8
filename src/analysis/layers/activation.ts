/**
 * Activation layers (tfjs-layers `core.js` Activation, `advanced_activations.js`) and the
 * dropout/noise layers (`core.js`, `noise.js`). None changes the shape; only prelu has weights.
 */
import { formatShape } from '../../shared/format';
import type { Shape } from '../types';
import { ShapeError } from './layerSpec';
import type { ConfigIssue, LayerConfig, LayerSpec } from './layerSpec';
import { ConfigProblem, checkActivation, describeValue, hasOption, issuesOf, optNumber, optionValue } from './configValues';
import { identitySpec } from './identitySpec';
import { singleInput } from './shapeMath';
import { paramsOf, weight } from './weights';

export const activationSpec: LayerSpec = identitySpec('activation', 'Activation', {
  parse: (config) => checkActivation(config, 'activation', 'activation'),
  extraIssues: (config): ConfigIssue[] =>
    hasOption(config, 'activation')
      ? []
      : [{ severity: 'warning', message: "activation: no `activation` given, so this layer does nothing (it is 'linear')." }],
});

export const reluSpec: LayerSpec = identitySpec('reLU', 'ReLU', {
  parse: (config) => optNumber(config, 'maxValue', 'reLU'),
});

export const leakyReluSpec: LayerSpec = identitySpec('leakyReLU', 'LeakyReLU', {
  parse: (config) => optNumber(config, 'alpha', 'leakyReLU'),
});

export const softmaxSpec: LayerSpec = identitySpec('softmax', 'Softmax', {
  parse: (config) => {
    const axis = optionValue(config, 'axis');
    if (axis !== undefined && typeof axis !== 'number' && !(Array.isArray(axis) && axis.every((a) => typeof a === 'number'))) {
      throw new ConfigProblem(`softmax: \`axis\` must be a number or an array of numbers, but got ${describeValue(axis)}.`);
    }
  },
});

export const eluSpec: LayerSpec = identitySpec('elu', 'ELU', {
  parse: (config) => {
    const alpha = optNumber(config, 'alpha', 'elu');
    if (alpha !== undefined && alpha !== 1) {
      throw new ConfigProblem(`elu: tfjs only supports alpha 1 (the default), but got ${alpha}.`);
    }
  },
});

export const thresholdedReluSpec: LayerSpec = identitySpec('thresholdedReLU', 'ThresholdedReLU', {
  parse: (config) => optNumber(config, 'theta', 'thresholdedReLU'),
});

// ---------------------------------------------------------------------------------------------
// prelu

function parseSharedAxes(config: LayerConfig): number[] | null {
  const v = optionValue(config, 'sharedAxes');
  if (v === undefined) return null;
  const arr = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(arr) || !arr.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    throw new ConfigProblem(`prelu: \`sharedAxes\` must be a number or an array of numbers, but got ${describeValue(v)}.`);
  }
  return arr as number[];
}

/** Shape of prelu's `alpha` weight (tfjs PReLU.build). */
function preluAlphaShape(config: LayerConfig, input: Shape): number[] {
  const shared = parseSharedAxes(config);
  const shape = input.slice(1);
  if (shared !== null) {
    for (const a of shared) {
      if (a < 1 || a >= input.length) {
        throw new ShapeError(
          `prelu: shared axis ${a} does not exist in the input ${formatShape(input)} (use axes 1..${input.length - 1}; 0 is the batch).`,
        );
      }
      shape[a - 1] = 1;
    }
  }
  if (shape.some((d) => d === null)) {
    throw new ShapeError(
      `prelu: every non-shared dimension of the input must be known to create alpha, but the input is ${formatShape(input)}. ` +
        'Share the variable axes with `sharedAxes`.',
    );
  }
  return shape as number[];
}

export const preluSpec: LayerSpec = {
  factory: 'prelu',
  className: 'PReLU',
  inputKind: 'single',
  outputShape(config, input) {
    const shape = singleInput(input, 'prelu');
    preluAlphaShape(config, shape);
    return shape.slice();
  },
  params(config, input) {
    return paramsOf([weight(preluAlphaShape(config, singleInput(input, 'prelu')))]);
  },
  configIssues(config) {
    return issuesOf(() => parseSharedAxes(config));
  },
};

// ---------------------------------------------------------------------------------------------
// dropout and noise

function rateIssues(layer: string, key: string, required: boolean) {
  return (config: LayerConfig): ConfigIssue[] => {
    const v = config[key];
    if (v === undefined || v === null) {
      return required ? [{ severity: 'warning', message: `${layer}: no \`${key}\` given, so this layer does nothing.` }] : [];
    }
    if (typeof v !== 'number') return [];
    if (key === 'rate' && (v < 0 || v >= 1)) {
      return [
        {
          severity: 'warning',
          message: `${layer}: \`rate\` is the fraction of units to drop and should be in [0, 1); got ${v}.`,
        },
      ];
    }
    if (key === 'stddev' && v < 0) {
      return [{ severity: 'warning', message: `${layer}: \`stddev\` should not be negative; got ${v}.` }];
    }
    return [];
  };
}

const rateParse = (layer: string, key: string) => (config: LayerConfig) => optNumber(config, key, layer);

export const dropoutSpec: LayerSpec = identitySpec('dropout', 'Dropout', {
  parse: rateParse('dropout', 'rate'),
  extraIssues: rateIssues('dropout', 'rate', true),
});

export const spatialDropout1dSpec: LayerSpec = identitySpec('spatialDropout1d', 'SpatialDropout1D', {
  parse: rateParse('spatialDropout1d', 'rate'),
  extraIssues: rateIssues('spatialDropout1d', 'rate', true),
  ndim: 3,
  layout: '(batch, steps, channels)',
});

export const gaussianNoiseSpec: LayerSpec = identitySpec('gaussianNoise', 'GaussianNoise', {
  parse: rateParse('gaussianNoise', 'stddev'),
  extraIssues: rateIssues('gaussianNoise', 'stddev', true),
});

export const gaussianDropoutSpec: LayerSpec = identitySpec('gaussianDropout', 'GaussianDropout', {
  parse: rateParse('gaussianDropout', 'rate'),
  extraIssues: rateIssues('gaussianDropout', 'rate', true),
});

export const alphaDropoutSpec: LayerSpec = identitySpec('alphaDropout', 'AlphaDropout', {
  parse: rateParse('alphaDropout', 'rate'),
  extraIssues: rateIssues('alphaDropout', 'rate', true),
});

export const activationSpecs: readonly LayerSpec[] = [
  activationSpec,
  reluSpec,
  leakyReluSpec,
  softmaxSpec,
  eluSpec,
  preluSpec,
  thresholdedReluSpec,
  dropoutSpec,
  spatialDropout1dSpec,
  gaussianNoiseSpec,
  gaussianDropoutSpec,
  alphaDropoutSpec,
];
