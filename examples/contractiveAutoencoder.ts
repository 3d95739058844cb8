// Contractive autoencoder (lecture notes, "Contractive autoencoder"): similar
// inputs should get similar codes. The penalty is the squared Frobenius norm
// of the Jacobian of the code h w.r.t. the input x:
//     loss = reconstruction(x, x^) + lambda * ||dh/dx||_F^2
//
// For one Dense layer with a sigmoid, h = sigmoid(x W + b), the Jacobian has
// a closed form: dh_j/dx_i = h_j (1 - h_j) W_ij, so
//     ||dh/dx||_F^2 = sum_j (h_j (1 - h_j))^2 * sum_i W_ij^2
// (no need to differentiate twice). The penalty needs the code activations
// AND the weights, which model.fit's losses never see: this file exports its
// own training step, in plain tfjs.
//
// trainStep(model, batch, optimizer) takes `contractive` and a batch of
// images ({ xs, ys }, ys = xs); it finds the layers in the model by name.
//
// What to look at: train on MNIST, then Latent space: compared with
// denseAutoencoder.ts the 32-D codes of one digit class are pulled closer
// together. Raise CONTRACTIVE_WEIGHT and the codes flatten out
// (reconstructions get blurrier): the two terms of the loss pull apart.
import * as tf from '@tensorflow/tfjs';

const INPUT_SIZE = 784;
const CODE_SIZE = 32;
// lambda; on the scale of the reconstruction loss, which is per image (summed over the pixels)
const CONTRACTIVE_WEIGHT = 10;

// The layers are named, so that trainStep can find them in the model.
const image = tf.input({ shape: [INPUT_SIZE] });
const code = tf.layers.dense({ units: CODE_SIZE, activation: 'sigmoid', name: 'codings' }).apply(image) as tf.SymbolicTensor;
const xHat = tf.layers.dense({ units: INPUT_SIZE, activation: 'sigmoid', name: 'reconstruction' }).apply(code) as tf.SymbolicTensor;
export const contractive = tf.model({ inputs: image, outputs: xHat, name: 'contractive_autoencoder' });

/** ||dh/dx||_F^2 for h = sigmoid(x W + b), averaged over the batch. h: [n, code], kernel W: [input, code]. */
export function jacobianPenalty(h: tf.Tensor, kernel: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const dh = h.mul(tf.sub(1, h)).square(); // (h_j (1 - h_j))^2, [n, code]
    const w2 = kernel.square().sum(0); // sum_i W_ij^2, [code]
    return dh.mul(w2).sum(1).mean() as tf.Scalar;
  });
}

/** One training step: binary cross-entropy per image + lambda * ||J||^2. Returns the loss. */
export function trainStep(model: tf.LayersModel, batch: { xs: tf.Tensor; ys: tf.Tensor }, optimizer: tf.Optimizer): tf.Scalar {
  const codings = model.getLayer('codings');
  const reconstruction = model.getLayer('reconstruction');
  // the variables to train: every trainable weight of the model (W and b of both layers)
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);

  return tf.tidy(() => {
    const loss = optimizer.minimize(
      () => {
        // the forward pass layer by layer, so that we get the codes h too
        const h = codings.apply(batch.xs) as tf.Tensor;
        const output = reconstruction.apply(h) as tf.Tensor;
        const [kernel] = codings.getWeights(); // W, [784, 32]
        // binary cross-entropy summed over the pixels (the metric averages them), mean over the batch
        const reconstructionLoss = tf.metrics.binaryCrossentropy(batch.ys, output).mean().mul(INPUT_SIZE);
        return reconstructionLoss.add(jacobianPenalty(h, kernel).mul(CONTRACTIVE_WEIGHT)) as tf.Scalar;
      },
      true,
      variables,
    );
    return loss as tf.Scalar;
  });
}
