/**
 * One read-back per refresh: the views' probes push the values they need (as 1-D tensors)
 * into `parts` inside a `tf.tidy`; they are concatenated, downloaded with one asynchronous
 * `data()` (a single sync point instead of one per tensor) and disposed.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof tfjs;

export async function readPacked(tf: TF, collect: (parts: tfjs.Tensor[]) => void): Promise<Float32Array> {
  const packed = tf.tidy(() => {
    const parts: tfjs.Tensor[] = [];
    collect(parts);
    return parts.length > 0 ? tf.concat(parts) : tf.zeros([0]);
  });
  try {
    return (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
  }
}
