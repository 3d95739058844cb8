// Stride and padding (lecture notes: "Stride", "Padding", "Zero padding").
//
// Output size of a convolution or pooling window along one axis:
//   padding 'valid' (no padding): ceil((input - window + 1) / stride)
//   padding 'same'  (zero pad):   ceil(input / stride)
//
// What to look at: the output shape on each lens. The tiny models are the
// drawings from the notes; `stridedDigits` is a real MNIST classifier that
// downsamples with stride 2 instead of pooling (train it, then look at
// Activations: 28x28 -> 14x14 -> 7x7 feature maps).
import * as tf from '@tensorflow/tfjs';

// The 3x3 input "a b c / d e f / g h i" seen through a 2x2 filter, stride 1:
// 4 positions -> a 2x2 output map (valid), or 3x3 with zero padding (same).
export const validConv = tf.sequential({
  layers: [tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 1, kernelSize: 2, strides: 1, padding: 'valid' })],
});
export const sameConv = tf.sequential({
  layers: [tf.layers.conv2d({ inputShape: [3, 3, 1], filters: 1, kernelSize: 2, strides: 1, padding: 'same' })],
});

// Max pooling on a 4x4 map: 'valid' -> 2x2, 'same' with stride 1 -> 4x4.
export const poolValid = tf.sequential({
  layers: [tf.layers.maxPooling2d({ inputShape: [4, 4, 1], poolSize: 2, padding: 'valid' })],
});
export const poolSame = tf.sequential({
  layers: [tf.layers.maxPooling2d({ inputShape: [4, 4, 1], poolSize: 2, strides: 1, padding: 'same' })],
});

// Stride 2 halves width and height (the notes: "downsampled by a factor of 2").
export const stridedDigits = tf.sequential();
stridedDigits.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })); // 28 -> 14
stridedDigits.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })); // 14 -> 7
stridedDigits.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' })); // 7 -> 5
stridedDigits.add(tf.layers.flatten());
stridedDigits.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

stridedDigits.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

/** Train `stridedDigits`: xs [n, 28, 28, 1], ys one-hot [n, 10]. Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return stridedDigits.fit(xs, ys, { epochs: 5, batchSize: 64 });
}
