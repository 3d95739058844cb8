/**
 * The GPU bench's measurements (scripts/benchGpu.ts), imported once Dawn's `navigator.gpu` is in
 * place: tfjs-backend-webgpu registers itself only where it finds one at import time.
 *
 * For the training bench's three models: the panel's one-batch check of an automatic WebGPU
 * choice (confirmBackend, against the backend chosen without WebGPU), then samples/s of the
 * panel's Trainer (its second epoch, as the panel reports it) on WebGPU and on WASM, and of
 * tfjs's own `model.fit` on WebGPU. Data are random: a step's speed does not depend on them.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import { benchConfig } from './benchConfig';
import { buildLstmForecaster } from '../../test/fixtures/models/lstmForecast';
import { probeWebGpu, selectBackend, trySetBackend } from '../../webview/training/backend';
import type { BackendChoice, WebGpuProbe } from '../../webview/training/backend';
import { confirmBackend } from '../../webview/training/backendCheck';
import type { CheckOutcome } from '../../webview/training/backendCheck';
import { Trainer } from '../../webview/training/trainer';

export interface GpuCase {
  /** The training bench's label (and torchBench.py's). */
  label: string;
  build: () => tf.LayersModel;
  config: TrainConfig;
  data: (n: number) => DatasetArrays;
  /** Samples per epoch on the GPU and on WASM. */
  samples: { webgpu: number; wasm: number };
}

/** A deterministic stand-in for Math.random (the data's values do not matter, only their shapes). */
function filled(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 0.5 + 0.5 * Math.sin(i * 0.7 + seed);
  return out;
}

function oneHot(n: number, classes: number): Float32Array {
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) out[i * classes + (i % classes)] = 1;
  return out;
}

/** examples/mnistConvnet.ts, as scripts/bench/torchBench.py builds it too. */
function convnet(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** test/fixtures/models/denseAutoencoder.ts: 784-128-32-128-784. */
function autoencoder(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 32, activation: 'relu' }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 784, activation: 'sigmoid' }),
    ],
  });
}

export const GPU_CASES: GpuCase[] = [
  {
    label: 'convnet',
    build: convnet,
    config: benchConfig({ metrics: ['accuracy'] }),
    data: (n) => ({
      id: 'convnet',
      description: `${n} random 28×28 images`,
      xs: filled(n * 784, 1),
      xsShape: [n, 28, 28, 1],
      ys: oneHot(n, 10),
      ysShape: [n, 10],
      sampleKind: 'image',
    }),
    samples: { webgpu: 4096, wasm: 2048 },
  },
  {
    label: 'dense autoencoder',
    build: autoencoder,
    config: benchConfig({ loss: 'binaryCrossentropy', batchSize: 64 }),
    data: (n) => {
      const xs = filled(n * 784, 2);
      return {
        id: 'ae',
        description: `${n} random vectors`,
        xs,
        xsShape: [n, 784],
        ys: xs,
        ysShape: [n, 784],
        sampleKind: 'vector',
      };
    },
    samples: { webgpu: 16384, wasm: 8192 },
  },
  {
    label: 'lstm',
    build: () => buildLstmForecaster(),
    config: benchConfig({ loss: 'meanSquaredError' }),
    data: (n) => ({
      id: 'lstm',
      description: `${n} random 30×4 windows`,
      xs: filled(n * 120, 3),
      xsShape: [n, 30, 4],
      ys: filled(n * 7, 4),
      ysShape: [n, 7],
      sampleKind: 'sequence',
    }),
    samples: { webgpu: 256, wasm: 512 },
  },
];

/** The panel's automatic choice here, with no WebGL (Node has none): WebGPU where Dawn offers a hardware adapter. */
export async function automaticChoice(wasmPaths: string): Promise<{ probe: WebGpuProbe; choice: BackendChoice }> {
  const probe = await probeWebGpu(globalThis.navigator as Parameters<typeof probeWebGpu>[0]);
  const choice = await selectBackend(
    'auto',
    wasmPaths,
    () => ({ available: false, renderer: '', software: false }),
    async () => probe,
  );
  return { probe, choice };
}

export interface CaseCheck {
  /** What the panel would train this model on, and why. */
  kept: BackendChoice;
  outcome: CheckOutcome | null;
  /** The trial's forward and backward pass, ms, on WebGPU and on the fallback. */
  choiceMs?: number;
  fallbackMs?: number;
}

/** The panel's one-batch check and trial of WebGPU for `c`; WebGPU is active again after it. */
export async function checkCase(c: GpuCase, choice: BackendChoice, wasmPaths: string): Promise<CaseCheck> {
  await trySetBackend(choice.name, wasmPaths);
  const model = c.build();
  const heard: Omit<CaseCheck, 'kept'> = { outcome: null };
  try {
    const kept = await confirmBackend(choice, model, c.data(c.config.batchSize), c.config.batchSize, wasmPaths, {
      optimizer: { name: c.config.optimizer, learningRate: c.config.learningRate },
      report: (outcome, times) => Object.assign(heard, { outcome }, times),
    });
    return { kept, ...heard };
  } finally {
    model.dispose();
    await trySetBackend(choice.name, wasmPaths);
  }
}

/** The panel's Trainer on `backend`: samples/s of its second epoch, as the panel reports it. */
export async function trainerRate(c: GpuCase, backend: string, samples: number, wasmPaths: string): Promise<number> {
  if (!(await trySetBackend(backend, wasmPaths))) throw new Error(`${backend} did not start`);
  const model = c.build();
  const rates: number[] = [];
  const trainer = new Trainer({
    model,
    dataset: c.data(samples),
    config: { ...c.config, epochs: 2 },
    trainStep: null,
    hooks: { onEpoch: (report) => rates.push(report.samplesPerSecond) },
  });
  try {
    if ((await trainer.run()) !== 'done') throw new Error('the run stopped');
    return rates[1] ?? Number.NaN;
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** tfjs's own model.fit on `backend`: samples/s of its second epoch. */
export async function fitRate(c: GpuCase, backend: string, samples: number, wasmPaths: string): Promise<number> {
  if (!(await trySetBackend(backend, wasmPaths))) throw new Error(`${backend} did not start`);
  const model = c.build();
  const data = c.data(samples);
  const xs = tf.tensor(data.xs, data.xsShape);
  const ys = tf.tensor(data.ys!, data.ysShape!);
  model.compile({ optimizer: tf.train.adam(c.config.learningRate), loss: c.config.loss, metrics: c.config.metrics });
  let started = 0;
  const seconds: number[] = [];
  try {
    await model.fit(xs, ys, {
      epochs: 2,
      batchSize: c.config.batchSize,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochBegin: () => {
          started = performance.now();
        },
        onEpochEnd: () => {
          seconds.push((performance.now() - started) / 1000);
        },
      },
    });
    return samples / (seconds[1] ?? Number.NaN);
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}
