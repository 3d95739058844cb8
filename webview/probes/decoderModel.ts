/**
 * The decoder half of an autoencoder, as a model of its own: from a new input shaped like the
 * code layer to the model's output, through the user's own layers (their weights are shared, so
 * it decodes with what training has reached). Rebuilt by walking the symbolic graph back from
 * the output to the code; a model whose output also depends on something else than the code
 * (a skip connection from the input) has no decoder.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import type { ProbedLayer } from './activationModel';
import { isModelLayer } from './activationModel';
import { imageDims, product } from './sampleInput';

type TF = typeof tfjs;
type Symbolic = tfjs.SymbolicTensor;

const decoders = new WeakMap<object, Map<string, tfjs.LayersModel | null>>();

/** Whether `t` carries the code: the code layer's own output, or a nested model's output that is it. */
function isCode(t: Symbolic, entry: ProbedLayer): boolean {
  if (t.id === entry.outputId) return true;
  const layer = t.sourceLayer as unknown as { outputs?: Symbolic[] };
  if (!isModelLayer(t.sourceLayer) || !Array.isArray(layer.outputs)) return false;
  return layer.outputs[t.outputTensorIndex ?? 0]?.id === entry.outputId;
}

function rebuild(tf: TF, model: tfjs.LayersModel, entry: ProbedLayer): tfjs.LayersModel | null {
  const output = model.outputs[0];
  if (!output || entry.shape.some((d) => d <= 0)) return null;
  const input = tf.input({ shape: entry.shape });
  const made = new Map<number, Symbolic>();
  let reachedCode = false;
  const walk = (t: Symbolic): Symbolic | null => {
    const known = made.get(t.id);
    if (known) return known;
    if (isCode(t, entry)) {
      reachedCode = true;
      return input;
    }
    if (t.inputs.length === 0) return null; // a model input: not the code
    const args: Symbolic[] = [];
    for (const i of t.inputs) {
      const a = walk(i);
      if (a === null) return null;
      args.push(a);
    }
    const applied = t.sourceLayer.apply(args.length === 1 ? args[0]! : args, t.callArgs) as Symbolic | Symbolic[];
    const out = Array.isArray(applied) ? applied[t.outputTensorIndex ?? 0]! : applied;
    made.set(t.id, out);
    return out;
  };
  const decoded = walk(output);
  if (decoded === null || !reachedCode || decoded === input) return null;
  return tf.model({ inputs: input, outputs: decoded, name: `${model.name}_decoder_view` });
}

/** The decoder from `entry` to the output of `model` (cached per model and code layer), or null. */
export function decoderFor(tf: TF, model: tfjs.LayersModel, entry: ProbedLayer): tfjs.LayersModel | null {
  let byPath = decoders.get(model);
  if (!byPath) decoders.set(model, (byPath = new Map()));
  if (!byPath.has(entry.path)) {
    let decoder: tfjs.LayersModel | null;
    try {
      decoder = rebuild(tf, model, entry);
    } catch {
      decoder = null;
    }
    byPath.set(entry.path, decoder);
  }
  return byPath.get(entry.path) ?? null;
}

/** Decodes `count` codes (flat, `dim` values each) to flat outputs [count × size], read back asynchronously. */
export async function decodeCodes(
  tf: TF,
  decoder: tfjs.LayersModel,
  codes: Float32Array,
  count: number,
  codeShape: readonly number[],
): Promise<{ values: Float32Array; size: number }> {
  const out = tf.tidy(() => {
    const z = tf.tensor(codes, [count, ...codeShape], 'float32');
    const y = decoder.predictOnBatch(z);
    return tf.reshape(Array.isArray(y) ? y[0]! : y, [count, -1]);
  });
  try {
    const values = (await out.data()) as Float32Array;
    return { values, size: values.length / Math.max(count, 1) };
  } finally {
    out.dispose();
  }
}

/**
 * Height, width, channels of the model's output as an image, or null: an [H, W, C] output
 * (C = 1 or 3), else a flat output the size of the dataset's images (an autoencoder's), else a
 * square [H·W] vector.
 */
export function outputImageDims(model: tfjs.LayersModel, ds: DatasetArrays): [number, number, number] | null {
  const shape = model.outputs[0]?.shape.slice(1) ?? [];
  if (shape.some((d) => d == null || d <= 0)) return null;
  const dims = shape as number[];
  if (dims.length === 3 && (dims[2] === 1 || dims[2] === 3)) return [dims[0]!, dims[1]!, dims[2]!];
  if (dims.length === 2) return [dims[0]!, dims[1]!, 1];
  const size = product(dims);
  const own = imageDims(ds);
  if (own && product(own) === size) return own;
  const side = Math.round(Math.sqrt(size));
  return dims.length === 1 && side >= 8 && side * side === size ? [side, side, 1] : null;
}
