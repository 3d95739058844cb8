/**
 * The panel's gradient kernels for the WASM backend (webview/training/wasmKernels.ts) against
 * tfjs's CPU backend, in Node (tfjs-backend-wasm runs there too): every kernel on strided,
 * padded, dilated and chunked cases, and the whole gradient of the MNIST convnet.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../webview/training/wasmKernels';
import { assertClose, input, on, same } from './support/wasmCompare';
import type { Run } from './support/wasmCompare';

describe('WASM training kernels (vs the CPU backend)', function () {
  this.timeout(60_000);

  before(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    await tf.ready();
  });

  after(async () => {
    await tf.setBackend('cpu');
  });

  it('registers the kernels tfjs-backend-wasm 4.22 lacks, and replaces the slow ones', () => {
    for (const name of [...WASM_TRAINING_KERNELS.missing, ...WASM_TRAINING_KERNELS.faster]) {
      assert.ok(tf.getKernel(name, 'wasm'), `${name} is registered for wasm`);
    }
    assert.deepEqual(registerWasmTrainingKernels(), [], 'registering twice changes nothing');
  });

  const convCases: Array<{
    name: string;
    x: number[];
    filter: number[];
    strides: number | [number, number];
    pad: 'same' | 'valid';
  }> = [
    { name: 'MNIST convnet conv1 (28×28×1 → 32, 3×3 valid)', x: [4, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'valid' },
    { name: 'MNIST convnet conv2 (13×13×32 → 64)', x: [3, 13, 13, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'valid' },
    { name: 'stride 2, same padding', x: [2, 9, 11, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
    { name: 'strides [2, 1], 5×3 filter, valid', x: [2, 12, 7, 4], filter: [5, 3, 4, 6], strides: [2, 1], pad: 'valid' },
    { name: '1×1 filter', x: [2, 6, 6, 8], filter: [1, 1, 8, 4], strides: 1, pad: 'same' },
    {
      name: '1×1 filter over 40 channels (the product on x itself)',
      x: [2, 5, 6, 40],
      filter: [1, 1, 40, 9],
      strides: 1,
      pad: 'valid',
    },
    { name: 'stride 2, same, 3×3 over 6 channels', x: [3, 9, 10, 6], filter: [3, 3, 6, 10], strides: 2, pad: 'same' },
    {
      name: 'even filter, stride 2, same (asymmetric padding)',
      x: [2, 14, 14, 2],
      filter: [4, 4, 2, 3],
      strides: 2,
      pad: 'same',
    },
  ];

  for (const c of convCases) {
    it(`conv2d gradients match: ${c.name}`, async () => {
      const x = input(c.x, 1);
      const filter = input(c.filter, 2);
      const outShape = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad).shape;
      const dy = input(outShape, 3);
      await same('Conv2D', () => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad));
      await same('Conv2DBackpropFilter', () =>
        tf.conv2dTranspose(
          dy as tf.Tensor4D,
          filter as tf.Tensor4D,
          x.shape as [number, number, number, number],
          c.strides,
          c.pad,
        ),
      );
      await same('filter gradient', () => {
        const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad), dy)));
        return g(filter);
      });
      await same('input gradient', () => {
        const g = tf.grad((v: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(v as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad), dy)),
        );
        return g(x);
      });
      tf.dispose([x, filter, dy]);
    });
  }

  it('Conv2D with dilations, and with patches too small for the product (the backend’s kernel)', async () => {
    const x = input([2, 11, 12, 8], 8);
    const filter = input([3, 3, 8, 5], 9);
    await same('dilated', () => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same', 'NHWC', 2));
    await same('dilated columns only', () => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid', 'NHWC', [1, 2]));
    const one = input([2, 7, 7, 1], 10);
    await same('3×3 over one channel', () => tf.conv2d(one as tf.Tensor4D, input([3, 3, 1, 4], 11) as tf.Tensor4D, 1, 'valid'));
    tf.dispose([x, filter, one]);
  });

  it('Conv2DBackpropFilter with dilations (vs a direct sum) and with NCHW data', async () => {
    // tfjs has no gradient for dilated convolutions, so the reference is the definition:
    // dW[kh, kw, ci, co] = Σ_b,oh,ow x[b, oh·s + kh·d, ow·s + kw·d, ci] · dy[b, oh, ow, co].
    const [B, H, W, C, CO, F, D] = [2, 10, 9, 3, 4, 3, 2];
    const OH = H - (F - 1) * D;
    const OW = W - (F - 1) * D;
    const x = input([B, H, W, C], 4);
    const dy = input([B, OH, OW, CO], 5);
    const xv = x.dataSync();
    const dyv = dy.dataSync();
    const reference = new Float32Array(F * F * C * CO);
    for (let kh = 0; kh < F; kh++)
      for (let kw = 0; kw < F; kw++)
        for (let ci = 0; ci < C; ci++)
          for (let co = 0; co < CO; co++) {
            let sum = 0;
            for (let b = 0; b < B; b++)
              for (let oh = 0; oh < OH; oh++)
                for (let ow = 0; ow < OW; ow++)
                  sum += xv[((b * H + oh + kh * D) * W + ow + kw * D) * C + ci]! * dyv[((b * OH + oh) * OW + ow) * CO + co]!;
            reference[((kh * F + kw) * C + ci) * CO + co] = sum;
          }
    const dilated = await on(
      'wasm',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [F, F, C, CO], dilations: D },
          ) as tf.Tensor,
    );
    assertClose(dilated[0]!.values, reference, 'dilated');
    // NCHW: the same numbers as NHWC, transposed.
    const dyNhwc = input([B, 8, 7, CO], 6);
    const nhwc = await on(
      'cpu',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy: dyNhwc },
            { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, C, CO] },
          ) as tf.Tensor,
    );
    const nchw = await on(
      'wasm',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: tf.transpose(x, [0, 3, 1, 2]), dy: tf.transpose(dyNhwc, [0, 3, 1, 2]) },
            { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, C, CO] },
          ) as tf.Tensor,
    );
    assertClose(nchw[0]!.values, nhwc[0]!.values, 'NCHW');
    tf.dispose([x, dy, dyNhwc]);
  });

  it('splits very large patch matrices over the batch (same result)', async () => {
    // 2 × 44×44 outputs × 3×3×128 = 4.5 M patch elements > the 4 M chunk limit.
    const x = input([2, 46, 46, 128], 7);
    const dy = input([2, 44, 44, 2], 8);
    const filter = input([3, 3, 128, 2], 9);
    await same(
      'chunked filter gradient',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 128, 2] },
          ) as tf.Tensor,
      2e-4,
    );
    await same(
      'chunked input gradient',
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter },
            { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 46, 46, 128] },
          ) as tf.Tensor,
      2e-4,
    );
    tf.dispose([x, dy, filter]);
  });

  it('max pooling gradients match (2×2/2 valid, 3×3/2 same, ties)', async () => {
    for (const [shape, size, stride, pad] of [
      [[3, 26, 26, 8], 2, 2, 'valid'],
      [[2, 11, 11, 5], 3, 2, 'same'],
    ] as const) {
      const x = input([...shape], 10);
      await same(`maxPool ${size}/${stride} ${pad}`, () => {
        const g = tf.grad((v: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.maxPool(v as tf.Tensor4D, size, stride, pad),
              tf.onesLike(tf.maxPool(v as tf.Tensor4D, size, stride, pad)).mul(1.5),
            ),
          ),
        );
        return g(x);
      });
      tf.dispose(x);
    }
    const ties = tf.ones([1, 4, 4, 2]);
    await same('maxPool with ties', () => tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, 'valid')))(ties));
    ties.dispose();
    // After a ReLU most windows tie at 0 in some channels: the first tap must win in each of
    // the four channels a SIMD step handles, and each channel must get its own dy.
    const x = input([2, 9, 9, 12], 14);
    for (const [size, stride, pad] of [
      [2, 2, 'valid'],
      [3, 2, 'same'],
    ] as const) {
      const dy = input(tf.maxPool(x as tf.Tensor4D, size, stride, pad).shape, 15);
      await same(`maxPool ${size}/${stride} ${pad} after ReLU`, () =>
        tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(v) as tf.Tensor4D, size, stride, pad), dy)))(x),
      );
      dy.dispose();
    }
    x.dispose();
  });

  it('sums over leading axes (bias gradients) match; other sums keep the backend kernel', async () => {
    const x = input([3, 5, 7, 6], 16);
    const cases: Array<[string, Run]> = [
      ['axes 0, 1, 2', () => tf.sum(x, [0, 1, 2])],
      ['axes 0, 1, 2 keepDims', () => tf.sum(x, [0, 1, 2], true)],
      ['axes -4, -3 (unordered)', () => tf.sum(x, [-3, -4])],
      ['axis 0', () => tf.sum(x, 0)],
      ['axes 1, 2 (not leading)', () => tf.sum(x, [1, 2])],
      ['every axis', () => tf.sum(x)],
      ['a conv bias gradient', () => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(x, b), x)))(tf.zeros([6]))],
      ['int32', () => tf.sum(tf.cast(tf.mul(x, 100), 'int32'), [0, 1])],
    ];
    for (const [what, f] of cases) await same(`sum ${what}`, f);
    x.dispose();
  });

  it('depthwise convolution gradients match (multipliers 1 and 2; stride 2 same; stride 1 valid)', async () => {
    // Multiplier 1 over 6 channels: four at a time and a tail of two; multiplier 2 one by one.
    const cases: Array<[number | [number, number], 'same' | 'valid', number, number]> = [
      [2, 'same', 3, 2],
      [1, 'valid', 3, 2],
      [2, 'same', 6, 1],
      [1, 'valid', 6, 1],
      [[1, 2], 'same', 8, 1],
    ];
    for (const [strides, pad, channels, multiplier] of cases) {
      const x = input([2, 9, 10, channels], 11);
      const filter = input([3, 3, channels, multiplier], 12);
      const y = tf.depthwiseConv2d(x as tf.Tensor4D, filter as tf.Tensor4D, strides, pad);
      const dy = input(y.shape, 13);
      await same(`depthwise filter (${String(strides)}, ${pad}, multiplier ${multiplier})`, () =>
        tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad), dy)))(
          filter,
        ),
      );
      await same(`depthwise input (${String(strides)}, ${pad}, multiplier ${multiplier})`, () =>
        tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(v as tf.Tensor4D, filter as tf.Tensor4D, strides, pad), dy)))(
          x,
        ),
      );
      tf.dispose([x, filter, y, dy]);
    }
  });

  it('embedding (gather) gradients match: UnsortedSegmentSum with repeated ids', async () => {
    const table = input([20, 6], 14);
    const ids = tf.tensor2d(
      [
        [1, 5, 5],
        [19, 0, 1],
      ],
      [2, 3],
      'int32',
    );
    await same('gather gradient', () =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.range(0, 36).reshape([2, 3, 6]))))(table),
    );
    await same('unsortedSegmentSum', () => tf.unsortedSegmentSum(input([5, 4], 15), tf.tensor1d([0, 2, 0, 7, 2], 'int32'), 4));
    tf.dispose([table, ids]);
  });

  it('the MNIST convnet gets the same gradient for every weight', async () => {
    const xs = input([6, 28, 28, 1], 16);
    const ys = tf.oneHot(tf.tensor1d([0, 3, 9, 1, 1, 7], 'int32'), 10);
    const build = (): tf.Sequential => {
      const m = tf.sequential();
      m.add(
        tf.layers.conv2d({
          filters: 32,
          kernelSize: [3, 3],
          activation: 'relu',
          inputShape: [28, 28, 1],
          kernelInitializer: 'glorotUniform',
          name: 'c1',
        }),
      );
      m.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
      m.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu', name: 'c2' }));
      m.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
      m.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu', name: 'c3' }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
      m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
      return m;
    };
    await tf.setBackend('cpu');
    const model = build();
    assert.equal(model.countParams(), 93_322);
    const weights = model.getWeights().map((w, i) => input(w.shape, 100 + i).mul(0.3));
    model.setWeights(weights);
    const grads = (): tf.Tensor[] => {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads: g } = tf.variableGrads(
        () => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs) as tf.Tensor)) as tf.Scalar,
        vars,
      );
      return vars.map((v) => g[v.name]!);
    };
    const expected = await on('cpu', grads);
    const actual = await on('wasm', grads);
    expected.forEach((e, i) => assertClose(actual[i]!.values, e.values, `gradient of weight ${i}`, 2e-4));
    model.dispose();
    tf.dispose([xs, ys, ...weights]);
  });
});
