/**
 * The page's copy of a model it had to build itself (a custom layer class the page's tfjs cannot
 * read back from the layers format) gets the worker's weights right after it is built, so its
 * initial values are never used. Recurrent layers draw them from tfjs's Orthogonal initializer, a
 * QR decomposition in JavaScript that holds the page's thread for large recurrent layers. While
 * the page builds its copy, Orthogonal gives zeros of the same shape instead.
 */
import type * as tfjs from '@tensorflow/tfjs';

type Apply = (shape: number[], dtype?: tfjs.DataType) => tfjs.Tensor;

export async function withoutOrthogonalInit<T>(tf: typeof tfjs, build: () => Promise<T>): Promise<T> {
  const proto = Object.getPrototypeOf(tf.initializers.orthogonal({})) as { apply: Apply };
  const original = proto.apply;
  proto.apply = (shape, dtype) => tf.zeros(shape, dtype);
  try {
    return await build();
  } finally {
    proto.apply = original;
  }
}
