// 1x1 convolutions (lecture notes, "Purpose of 1x1 convolution").
//
// A pooling layer shrinks width and height but keeps the depth. A 1x1
// convolution does the opposite: it keeps width and height and changes the
// number of feature maps, i.e. it is "channel-wise pooling" (dimensionality
// reduction along the depth).
//
// What to look at:
//  - the lens on `channelPool` below: (None, 28, 28, 64) -> (None, 28, 28, 16),
//    only the last number changes. Params = 64 x 16 + 16 = 1,040: one weight
//    per input channel per filter, plus a bias per filter.
//  - Train `digitClassifier` on MNIST, then open Activations: the 16 maps of
//    the 1x1 layer are mixtures of the 64 maps before it, pixel by pixel.
//  - `bottleneck` vs `plainBlock`: same input, same output shape, but the
//    1x1-reduce / 3x3 / 1x1-expand bottleneck (ResNet) has ~8x fewer params.
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 28;
const NUM_CLASSES = 10;

// ---- A small MNIST classifier with a 1x1 "channel pooling" layer ----------
export const digitClassifier = tf.sequential();
digitClassifier.add(tf.layers.conv2d({ inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
digitClassifier.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
// 64 feature maps -> 16 feature maps; width and height stay 28x28
digitClassifier.add(tf.layers.conv2d({ filters: 16, kernelSize: 1, activation: 'relu', name: 'channelPool' }));
// the usual pooling: 28x28 -> 14x14, depth stays 16
digitClassifier.add(tf.layers.maxPooling2d({ poolSize: 2 }));
digitClassifier.add(tf.layers.flatten());
digitClassifier.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }));

digitClassifier.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

// ---- Why ResNet uses 1x1 convs: a 256-channel block, two ways -------------
const CHANNELS = 256;
const REDUCED = 64;

// a plain 3x3 convolution on 256 channels: 3*3*256*256 + 256 = 590,080 params
export const plainBlock = tf.sequential({
  layers: [tf.layers.conv2d({ inputShape: [14, 14, CHANNELS], filters: CHANNELS, kernelSize: 3, padding: 'same' })],
});

// the bottleneck: squeeze to 64 channels, do the 3x3 work there, expand back
export const bottleneck = tf.sequential({
  layers: [
    tf.layers.conv2d({ inputShape: [14, 14, CHANNELS], filters: REDUCED, kernelSize: 1, activation: 'relu' }), // 16,448
    tf.layers.conv2d({ filters: REDUCED, kernelSize: 3, padding: 'same', activation: 'relu' }), // 36,928
    tf.layers.conv2d({ filters: CHANNELS, kernelSize: 1 }), // 16,640
  ],
});

/** Train the classifier yourself: xs [n, 28, 28, 1] in 0..1, ys one-hot [n, 10]. Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return digitClassifier.fit(xs, ys, { epochs: 1, batchSize: 64, validationSplit: 0.1 });
}
