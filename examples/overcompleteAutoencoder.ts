// Overcomplete autoencoder (lecture notes, "Undercomplete and overcomplete
// autoencoders"): the code is LARGER than the input (1024 > 784).
//
// With no bottleneck the network could just copy its input through ("learn
// the identity"), which teaches it nothing. So it needs another constraint;
// here two of them:
//   - an L1 penalty on the code layer's weights (kernelRegularizer), which
//     pushes most weights to zero,
//   - dropout on the code, so no single code unit can be relied on.
//
// What to look at: the lens on `codings`: (None, 1024), more numbers than
// the 784 pixels it encodes, and 803,840 params in that layer alone. Train on
// MNIST and compare the reconstructions with denseAutoencoder.ts; in
// Weights & activations, watch the L1 penalty pull the code weights to zero.
import * as tf from '@tensorflow/tfjs';

const INPUT_SIZE = 784;
const CODE_SIZE = 1024; // > INPUT_SIZE: overcomplete

export const overcomplete = tf.sequential({ name: 'overcomplete_autoencoder' });
overcomplete.add(
  tf.layers.dense({
    units: CODE_SIZE,
    activation: 'relu',
    inputShape: [INPUT_SIZE],
    kernelRegularizer: tf.regularizers.l1({ l1: 1e-5 }),
    name: 'codings',
  }),
);
overcomplete.add(tf.layers.dropout({ rate: 0.3 })); // only active while training
overcomplete.add(tf.layers.dense({ units: INPUT_SIZE, activation: 'sigmoid' }));

overcomplete.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

/** Train on images xs [n, 784] in 0..1 (targets = inputs). Not run on import. */
export async function train(xs: tf.Tensor): Promise<tf.History> {
  return overcomplete.fit(xs, xs, { epochs: 3, batchSize: 128 });
}
