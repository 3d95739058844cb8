/**
 * A generator's probe (a GAN's generator, or a decoder trained on its own): is the model one,
 * the fixed noise it is shown (seeded: the same vectors on every refresh and every run, so
 * what changes between two grids is the generator). Its samples are decoderModel.ts's `decodeCodes`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { gaussian, seededRandom } from '../../src/shared/random';
import { isAutoencoder } from './latentProbe';
import { product } from './sampleInput';

/** One vector input (noise, a code) and an output of at least 8×8 values with more values than the input. */
export function isGenerator(model: tfjs.LayersModel): boolean {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return false;
  const input = model.inputs[0]!.shape.slice(1);
  const output = model.outputs[0]!.shape.slice(1);
  if (input.length !== 1 || input[0] == null || output.some((d) => d == null)) return false;
  const size = product(output as number[]);
  return size >= 64 && size > 2 * input[0] && !isAutoencoder(model);
}

/** `count` standard normal noise vectors of `dim` values (flat), the same for the same seed. */
export function fixedNoise(count: number, dim: number, seed: number): Float32Array {
  const normal = gaussian(seededRandom(seed));
  return Float32Array.from({ length: count * dim }, () => normal());
}
