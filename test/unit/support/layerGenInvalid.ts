/**
 * Generators of INVALID layer cases for the property test:
 * - `TFJS_REJECTS`: tfjs throws when the layer is applied; the layer table must throw ShapeError.
 * - `STRICTER_THAN_TFJS`: tfjs lets them through (with a zero/negative/garbage shape) but Keras,
 *   or tfjs itself once the model runs, rejects them; the layer table must throw ShapeError.
 */
import type { Shape } from '../../../src/analysis/types';
import { GENERATORS, Rng } from './layerGen';
import type { LayerCase, PlainConfig } from './layerGen';

export interface InvalidKind {
  name: string;
  gen: (r: Rng) => LayerCase;
}

/** A valid case of `factory` that is applied to a single input. */
function validSingle(r: Rng, factory: string): LayerCase {
  for (;;) {
    const c = GENERATORS[factory](r);
    if (!c.asList && !c.allowConfigErrors) return c;
  }
}

function withInput(c: LayerCase, input: Shape): LayerCase {
  return { ...c, inputs: [input] };
}

/** Removes or adds a non-batch dimension. */
function changeRank(r: Rng, factory: string, canGrow = true): LayerCase {
  const c = validSingle(r, factory);
  const s = c.inputs[0].slice();
  if ((canGrow && r.bool()) || s.length <= 2) s.splice(r.int(1, s.length), 0, r.int(1, 4));
  else s.splice(r.int(1, s.length - 1), 1);
  return withInput(c, s);
}

const EXACT_RANK = [
  'conv1d',
  'conv2d',
  'conv3d',
  'conv2dTranspose',
  'conv3dTranspose',
  'separableConv2d',
  'maxPooling1d',
  'maxPooling2d',
  'maxPooling3d',
  'averagePooling1d',
  'averagePooling2d',
  'averagePooling3d',
  'globalMaxPooling1d',
  'globalMaxPooling2d',
  'globalAveragePooling1d',
  'globalAveragePooling2d',
  'upSampling2d',
  'zeroPadding2d',
  'cropping2D',
  'spatialDropout1d',
  'simpleRNN',
  'lstm',
  'gru',
  'repeatVector',
  'permute',
  'bidirectional',
];

function channelsAxis(c: LayerCase): number {
  return c.config.dataFormat === 'channelsFirst' ? 1 : c.inputs[0].length - 1;
}

function nullAt(r: Rng, factory: string, axis: (c: LayerCase) => number): LayerCase {
  const c = validSingle(r, factory);
  const s = c.inputs[0].slice();
  s[axis(c)] = null;
  return withInput(c, s);
}

function mergeCase(factory: string, inputs: Shape[], config: PlainConfig = {}): LayerCase {
  return { factory, config, inputs, asList: true };
}

const ELEMENTWISE = ['add', 'multiply', 'average', 'maximum', 'minimum'];

export const TFJS_REJECTS: InvalidKind[] = [
  ...EXACT_RANK.map((f) => ({ name: `${f}: wrong input rank`, gen: (r: Rng) => changeRank(r, f) })),
  { name: 'depthwiseConv2d: input rank below 4', gen: (r) => changeRank(r, 'depthwiseConv2d', false) },
  { name: 'dense: 1D input', gen: (r) => withInput(validSingle(r, 'dense'), [null]) },
  { name: 'flatten: 2D input', gen: (r) => withInput(validSingle(r, 'flatten'), [null, r.int(1, 9)]) },
  { name: 'flatten: unknown dimension', gen: (r) => nullAt(r, 'flatten', (c) => r.int(1, c.inputs[0].length - 1)) },
  { name: 'timeDistributed: 2D input', gen: (r) => withInput(validSingle(r, 'timeDistributed'), [null, r.int(1, 5)]) },
  ...['conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'separableConv2d', 'depthwiseConv2d'].map((f) => ({
    name: `${f}: unknown channels`,
    gen: (r: Rng) => nullAt(r, f, channelsAxis),
  })),
  { name: 'dense: unknown features', gen: (r) => nullAt(r, 'dense', (c) => c.inputs[0].length - 1) },
  ...['simpleRNN', 'lstm', 'gru'].map((f) => ({
    name: `${f}: unknown features`,
    gen: (r: Rng) => nullAt(r, f, () => 2),
  })),
  {
    name: 'batchNormalization: unknown feature axis',
    gen: (r) => {
      const c = validSingle(r, 'batchNormalization');
      const axis = typeof c.config.axis === 'number' ? c.config.axis : -1;
      const s = c.inputs[0].slice();
      s[axis < 0 ? axis + s.length : axis] = null;
      return withInput(c, s);
    },
  },
  {
    name: 'batchNormalization: axis out of range',
    gen: (r) => ({ ...validSingle(r, 'batchNormalization'), config: { axis: 7 } }),
  },
  {
    name: 'layerNormalization: unknown normalized axis',
    gen: (r) => ({ ...nullAt(r, 'layerNormalization', (c) => c.inputs[0].length - 1), config: {} }),
  },
  {
    name: 'layerNormalization: axis out of range',
    gen: (r) => ({ ...validSingle(r, 'layerNormalization'), config: { axis: [r.pick([5, -6])] } }),
  },
  {
    name: 'layerNormalization: duplicate axes',
    gen: (r) =>
      withInput({ ...validSingle(r, 'layerNormalization'), config: { axis: [1, -2] } }, [null, r.int(1, 4), r.int(1, 4)]),
  },
  {
    name: 'prelu: unknown non-shared dimension',
    gen: (r) => withInput({ ...validSingle(r, 'prelu'), config: {} }, [null, null, r.int(1, 4)]),
  },
  {
    name: 'embedding: inputLength does not match',
    gen: (r) => {
      const n = r.int(1, 5);
      return {
        factory: 'embedding',
        config: { inputDim: 10, outputDim: 3, inputLength: n },
        inputs: [[null, n + r.int(1, 3)]],
        asList: false,
      };
    },
  },
  {
    name: 'embedding: inputLength rank does not match',
    gen: (r) => ({
      factory: 'embedding',
      config: { inputDim: 10, outputDim: 3, inputLength: [r.int(1, 4), r.int(1, 4)] },
      inputs: [[null, r.int(1, 4)]],
      asList: false,
    }),
  },
  {
    name: 'reshape: sizes do not multiply out (known batch)',
    gen: (r) => {
      const a = r.int(2, 6);
      const b = r.int(2, 6);
      return { factory: 'reshape', config: { targetShape: [a, b + 1] }, inputs: [[r.int(1, 3), a * b]], asList: false };
    },
  },
  {
    name: 'reshape: -1 cannot be resolved (known batch)',
    gen: (r) => {
      const a = r.int(2, 5);
      return { factory: 'reshape', config: { targetShape: [-1, a + 1] }, inputs: [[2, a * (a + 1) + 1]], asList: false };
    },
  },
  {
    name: 'rnn: stateful without a batch size',
    gen: (r) => ({
      factory: r.pick(['simpleRNN', 'lstm', 'gru']),
      config: { units: r.int(1, 4), stateful: true },
      inputs: [[null, 3, 2]],
      asList: false,
    }),
  },
  {
    name: 'rnn: initial state does not match',
    gen: (r) => {
      const units = r.int(1, 4);
      const factory = r.pick(['simpleRNN', 'lstm', 'gru']);
      const states: Shape[] = r.bool()
        ? [[null, units + 1]]
        : factory === 'lstm'
          ? [[null, units]]
          : [
              [null, units],
              [null, units],
            ];
      return { factory, config: { units }, inputs: [[null, 3, 2], ...states], asList: true };
    },
  },
  {
    name: 'bidirectional: initial states do not match',
    gen: (r) => {
      const units = r.int(1, 4);
      const states: Shape[] = r.bool()
        ? [[null, units]]
        : [
            [null, units + 1],
            [null, units + 1],
          ];
      return {
        factory: 'bidirectional',
        config: {},
        inner: { factory: 'gru', config: { units } },
        inputs: [[null, 3, 2], ...states],
        asList: true,
      };
    },
  },
  ...ELEMENTWISE.map((f) => ({
    name: `${f}: shapes cannot be broadcast`,
    gen: (r: Rng) => {
      const a = r.int(2, 5);
      return mergeCase(f, [
        [null, r.int(1, 3), a],
        [null, a + 1],
      ]);
    },
  })),
  ...ELEMENTWISE.map((f) => ({
    name: `${f}: different batch sizes`,
    gen: () =>
      mergeCase(f, [
        [2, 4],
        [3, 4],
      ]),
  })),
  ...[...ELEMENTWISE, 'concatenate', 'dot'].map((f) => ({
    name: `${f}: a single input`,
    gen: (r: Rng) => mergeCase(f, [[null, r.int(1, 4)]], f === 'dot' ? { axes: -1 } : {}),
  })),
  {
    name: 'concatenate: other dimensions differ',
    gen: (r) => {
      const a = r.int(1, 4);
      return mergeCase('concatenate', [
        [null, a, 3],
        [null, a + 1, 5],
      ]);
    },
  },
  {
    name: 'concatenate: unknown vs known dimension',
    gen: () =>
      mergeCase('concatenate', [
        [null, 4, 5],
        [null, null, 5],
      ]),
  },
  {
    name: 'concatenate: different ranks',
    gen: () =>
      mergeCase('concatenate', [
        [null, 4, 5],
        [null, 5],
      ]),
  },
  {
    name: 'dot: sizes along the axes differ',
    gen: (r) => {
      const a = r.int(1, 4);
      return mergeCase(
        'dot',
        [
          [null, r.int(1, 4), a],
          [null, r.int(1, 4), a + 1],
        ],
        { axes: r.pick([-1, 2, [2, 2]]) },
      );
    },
  },
  {
    name: 'dot: 4D input',
    gen: () =>
      mergeCase(
        'dot',
        [
          [null, 2, 3, 4],
          [null, 2, 3, 4],
        ],
        { axes: -1 },
      ),
  },
  {
    name: 'dot: three inputs',
    gen: () =>
      mergeCase(
        'dot',
        [
          [null, 4],
          [null, 4],
          [null, 4],
        ],
        { axes: 1 },
      ),
  },
  {
    name: 'dot: mixed negative and positive axes',
    gen: () =>
      mergeCase(
        'dot',
        [
          [null, 4, 5],
          [null, 3, 5],
        ],
        { axes: [-1, 2] },
      ),
  },
];

// ---------------------------------------------------------------------------------------------

/** A conv/pool case whose window does not fit the input with 'valid' padding. */
function tooSmall(r: Rng, factory: string, kind: 'conv' | 'pool', rank: number): LayerCase {
  const config: PlainConfig = kind === 'conv' ? { kernelSize: r.int(3, 5) } : { poolSize: r.int(3, 5) };
  const k = (kind === 'conv' ? config.kernelSize : config.poolSize) as number;
  if (kind === 'conv' && factory !== 'depthwiseConv2d') config.filters = r.int(1, 8);
  if (r.bool()) config.padding = 'valid';
  if (kind === 'pool' && r.bool()) config.strides = 1;
  const spatial: number[] = Array.from({ length: rank }, () => r.int(k, k + 3));
  spatial[r.int(0, rank - 1)] = r.int(1, k - 1);
  return { factory, config, inputs: [[null, ...spatial, r.int(1, 3)]], asList: false };
}

export interface StricterKind extends InvalidKind {
  /** What tfjs does instead (checked). */
  tfjs: 'nonPositiveDim' | 'accepts';
}

export const STRICTER_THAN_TFJS: StricterKind[] = [
  ...(
    [
      ['conv1d', 'conv', 1],
      ['conv2d', 'conv', 2],
      ['conv3d', 'conv', 3],
      ['separableConv2d', 'conv', 2],
      ['depthwiseConv2d', 'conv', 2],
      ['maxPooling1d', 'pool', 1],
      ['maxPooling2d', 'pool', 2],
      ['maxPooling3d', 'pool', 3],
      ['averagePooling1d', 'pool', 1],
      ['averagePooling2d', 'pool', 2],
      ['averagePooling3d', 'pool', 3],
    ] as [string, 'conv' | 'pool', number][]
  ).map(([f, kind, rank]) => ({
    name: `${f}: window larger than the input`,
    tfjs: 'nonPositiveDim' as const,
    gen: (r: Rng) => tooSmall(r, f, kind, rank),
  })),
  {
    name: 'cropping2D: crops everything',
    tfjs: 'nonPositiveDim',
    gen: (r) => ({
      factory: 'cropping2D',
      config: {
        cropping: [
          [1, 1],
          [0, 0],
        ],
      },
      inputs: [[null, r.int(1, 2), 4, 1]],
      asList: false,
    }),
  },
  {
    name: 'reshape: sizes do not multiply out (unknown batch; tfjs fails when the model runs)',
    tfjs: 'accepts',
    gen: (r) => {
      const a = r.int(2, 6);
      return {
        factory: 'reshape',
        config: { targetShape: [a + 1, r.pick([-1, 2])] },
        inputs: [[null, a * 2 + 1]],
        asList: false,
      };
    },
  },
  {
    name: 'depthwiseConv2d: 5D input',
    tfjs: 'accepts',
    gen: (r) => ({
      factory: 'depthwiseConv2d',
      config: { kernelSize: 1 },
      inputs: [[null, 2, r.int(2, 4), 4, 3]],
      asList: false,
    }),
  },
  {
    name: 'timeDistributed: wrapped layer gets the wrong rank',
    tfjs: 'accepts',
    gen: (r) => ({
      factory: 'timeDistributed',
      config: {},
      inner: { factory: 'conv2d', config: { filters: 2, kernelSize: 1 } },
      inputs: [[null, 3, r.int(2, 4), 3]],
      asList: false,
    }),
  },
  {
    name: 'concatenate: axis out of range',
    tfjs: 'accepts',
    gen: (r) =>
      mergeCase(
        'concatenate',
        [
          [null, 4, 5],
          [null, 4, 5],
        ],
        { axis: r.pick([3, 4]) },
      ),
  },
  {
    name: 'dot: negative axes with different sizes (tfjs fails when the model runs)',
    tfjs: 'accepts',
    gen: () =>
      mergeCase(
        'dot',
        [
          [null, 4, 5],
          [null, 3, 6],
        ],
        { axes: [-1, -1] },
      ),
  },
];
