/**
 * The codes of a spread of samples at a code layer, kept between refreshes and re-encoded at
 * the latent view's pace: once per epoch, and within an epoch only when the batch moved on and
 * the last encoding is old (3 s, or 10× what it cost), so the views follow training without
 * encoding on every refresh.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { ProbeContext } from '../views/viewTypes';
import type { ProbedLayer } from './activationModel';
import { encodeSamples } from './latentProbe';
import { sampleCount, spreadIndices } from './sampleInput';

export interface Codes {
  /** Dataset, code layer and size they were made for. */
  key: string;
  epoch: number;
  batch: number;
  values: Float32Array;
  dim: number;
  /** Dataset rows, in the order of the codes. */
  indices: number[];
}

export class CodeCache {
  private codes: Codes | null = null;
  private at = 0;
  private cost = 0;
  private model: tfjs.LayersModel | null = null;

  constructor(private readonly maxSamples: number) {}

  /** The codes for `ctx` at `entry`: the kept ones while they are fresh enough, else new ones. */
  async get(ctx: ProbeContext, entry: ProbedLayer): Promise<Codes> {
    const { tf, model, dataset } = ctx;
    if (this.model !== model) this.codes = null;
    this.model = model;
    const key = `${dataset.id}|${entry.path}|${sampleCount(dataset)}`;
    const now = performance.now();
    const old = this.codes;
    if (
      old &&
      old.key === key &&
      old.epoch === ctx.epoch &&
      (old.batch === ctx.batch || now - this.at <= Math.max(3000, 10 * this.cost))
    )
      return old;
    const indices = spreadIndices(sampleCount(dataset), this.maxSamples);
    const { values, dim } = await encodeSamples(tf, model, entry, dataset, indices);
    this.at = now;
    this.cost = performance.now() - now;
    this.codes = { key, epoch: ctx.epoch, batch: ctx.batch, values, dim, indices };
    return this.codes;
  }
}
