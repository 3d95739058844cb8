/**
 * A GAN's two losses, measured (not trained) on a fixed set: the generator's images for fixed
 * noise and a fixed spread of real samples, through the discriminator with dropout off.
 *   discriminator loss = (BCE(D(real), 1) + BCE(D(fake), 0)) / 2
 *   generator loss     = BCE(D(fake), 1)
 * as examples/gan.ts defines them; at the balance point D says 1/2 for everything and both are
 * ln 2. Runs where the module's models live: the model worker, or the page without one.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import { fixedNoise } from './generatorProbe';
import { product, spreadIndices } from './sampleInput';

type TF = typeof tfjs;

export interface GanLosses {
  generator: number;
  discriminator: number;
  /** Mean D(real) and D(fake): the discriminator's "real" probability for each. */
  realScore: number;
  fakeScore: number;
  /** Real samples and noise vectors measured on. */
  samples: number;
}

const COUNT = 64;
const NOISE_SEED = 11;

function perSample(shape: readonly (number | null)[]): number | null {
  const dims = shape.slice(1);
  return dims.some((d) => d == null) ? null : product(dims as number[]);
}

/**
 * The discriminator of `generator` among the module's models: one that takes the generator's
 * output (the same number of values) and gives one value per sample.
 */
export function findDiscriminator(generator: tfjs.LayersModel, models: readonly tfjs.LayersModel[]): tfjs.LayersModel | null {
  const size = perSample(generator.outputs[0]?.shape ?? [null]);
  if (size === null) return null;
  return (
    models.find(
      (m) =>
        m !== generator &&
        m.inputs.length === 1 &&
        m.outputs.length === 1 &&
        perSample(m.inputs[0]!.shape) === size &&
        perSample(m.outputs[0]!.shape) === 1,
    ) ?? null
  );
}

/** The real samples: the dataset's targets when they are shaped like the generator's output, else its inputs. */
function realRows(ds: DatasetArrays, size: number): { values: Float32Array; count: number } | null {
  const n = ds.xsShape[0] ?? 0;
  const source =
    ds.ys && ds.ysShape && product(ds.ysShape.slice(1)) === size ? ds.ys : product(ds.xsShape.slice(1)) === size ? ds.xs : null;
  if (source === null || n === 0) return null;
  const rows = spreadIndices(n, COUNT);
  const values = new Float32Array(rows.length * size);
  rows.forEach((r, k) => values.set(source.subarray(r * size, (r + 1) * size), k * size));
  return { values, count: rows.length };
}

/** Both losses of the GAN made of `generator` and a discriminator among `models`; null when it is no GAN or no data fits. */
export async function measureGanLosses(
  tf: TF,
  generator: tfjs.LayersModel,
  models: readonly tfjs.LayersModel[],
  ds: DatasetArrays,
): Promise<GanLosses | null> {
  const discriminator = findDiscriminator(generator, models);
  const size = perSample(generator.outputs[0]?.shape ?? [null]);
  const noiseDim = perSample(generator.inputs[0]?.shape ?? [null]);
  if (!discriminator || size === null || noiseDim === null) return null;
  const real = realRows(ds, size);
  if (!real) return null;
  const inShape = discriminator.inputs[0]!.shape.slice(1) as number[];
  const packed = tf.tidy(() => {
    const noise = tf.tensor2d(fixedNoise(COUNT, noiseDim, NOISE_SEED), [COUNT, noiseDim]);
    const fake = tf.reshape(generator.predictOnBatch(noise) as tfjs.Tensor, [COUNT, ...inShape]);
    const x = tf.tensor(real.values, [real.count, ...inShape]);
    const score = (t: tfjs.Tensor): tfjs.Tensor => tf.reshape(discriminator.predictOnBatch(t) as tfjs.Tensor, [-1]);
    const pReal = score(x);
    const pFake = score(fake);
    const bce = (p: tfjs.Tensor, label: number): tfjs.Tensor =>
      tf.mean(tf.metrics.binaryCrossentropy(tf.fill(p.shape, label), p));
    const dLoss = tf.div(tf.add(bce(pReal, 1), bce(pFake, 0)), 2);
    return tf.stack([bce(pFake, 1), dLoss, tf.mean(pReal), tf.mean(pFake)]);
  });
  try {
    const [generatorLoss, discriminatorLoss, realScore, fakeScore] = Array.from(await packed.data());
    return {
      generator: generatorLoss!,
      discriminator: discriminatorLoss!,
      realScore: realScore!,
      fakeScore: fakeScore!,
      samples: real.count,
    };
  } finally {
    packed.dispose();
  }
}

/** A measurement of a run, placed where training was when it was asked for. */
export interface GanLossPoint {
  epoch: number;
  batch: number;
  generator: number;
  discriminator: number;
}

/** The latest measurement and every one taken during the run so far, in order. */
export type GanLossLog = GanLosses & { history: GanLossPoint[] };

/** The share of the time measurements may take while training (each is a forward pass of both players). */
const MEASURE_SHARE = 0.05;
/** How long a reader of the log waits for a measurement under way (it waits for a batch to end). */
const LOG_WAIT_MS = 5000;

/**
 * A GAN's losses measured during a run, driven by the run's reports rather than by the views
 * (whose passes can be far apart): at the end of every epoch, and within an epoch as often as
 * keeps the measurements to a small share of the time (each waits for its answer before the
 * next is asked for, so they never queue up in front of the training steps).
 */
export class GanLossRecorder {
  private points: GanLossPoint[] = [];
  private latest: GanLosses | null = null;
  private running: Promise<void> | null = null;
  /** An epoch's end that came while a measurement ran: measured right after it. */
  private queuedEnd: { epoch: number; batch: number } | null = null;
  /** The measure answered null: the model is no GAN's generator, nothing more to ask. */
  private off = false;
  private lastAt = -Infinity;
  private lastCost = 0;

  constructor(private readonly measure: () => Promise<GanLosses | null>) {}

  /** A batch's report: a measurement when the last one is long enough ago. */
  batch(epoch: number, batch: number): void {
    if (this.off || this.running !== null) return;
    if (performance.now() - this.lastAt < this.lastCost / MEASURE_SHARE) return;
    this.take(epoch, batch);
  }

  /** An epoch's end (`batches` its last batch): always measured. */
  epochEnd(epoch: number, batches: number): void {
    if (this.off) return;
    if (this.running !== null) this.queuedEnd = { epoch, batch: batches };
    else this.take(epoch, batches);
  }

  /**
   * The measurements so far, once the one under way (and a queued epoch end) has answered or
   * `waitMs` has passed (a views pass never hangs on an answer); null before any.
   */
  async log(waitMs = LOG_WAIT_MS): Promise<GanLossLog | null> {
    const until = performance.now() + waitMs;
    while (this.running !== null && performance.now() < until) {
      await Promise.race([this.running, new Promise((r) => setTimeout(r, until - performance.now()))]);
    }
    return this.latest === null ? null : { ...this.latest, history: [...this.points] };
  }

  private take(epoch: number, batch: number): void {
    const began = performance.now();
    this.running = this.measure()
      .then(
        (m) => {
          if (m === null) {
            this.off = true;
            return;
          }
          this.latest = m;
          this.points.push({ epoch, batch, generator: m.generator, discriminator: m.discriminator });
        },
        () => undefined,
      )
      .finally(() => {
        this.lastAt = performance.now();
        this.lastCost = this.lastAt - began;
        this.running = null;
        const end = this.queuedEnd;
        this.queuedEnd = null;
        if (end !== null && !this.off) this.take(end.epoch, end.batch);
      });
  }
}
