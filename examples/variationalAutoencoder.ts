// Variational autoencoder (lecture notes, "Generative models (VAEs)"): the
// encoder does not output a point but the parameters of a Gaussian, a mean
// and a log-variance per latent dimension. Training samples z from it
//     z = mean + exp(logVar / 2) * epsilon,   epsilon ~ N(0, 1)
// ("reparameterization trick": the randomness is in epsilon, so gradients
// flow through mean and logVar), decodes z, and minimises
//     loss = reconstruction(x, decoder(z)) + KL( N(mean, var) || N(0, 1) )
// The KL term pulls every code towards the unit Gaussian, so that any point
// of the latent space decodes to something digit-like: a generative model.
//
// Three models share the same layers:
//   encoder: image -> [zMean, zLogVar]   (two outputs)
//   decoder: z (2-D) -> image             (use it to generate new digits)
//   vae:     image -> zMean -> decoder -> image  (no sampling: what you see
//            in the panel, and what predict() gives)
// model.fit cannot express the sampling or the KL term, so this file exports
// its own training step, in plain tfjs: trainStep(vae, batch, optimizer) with
// a batch of images ({ xs, ys }, ys = xs). It trains the encoder (both heads)
// and the decoder.
//
// What to look at: LATENT_DIM is 2, so train `vae` on MNIST and open Latent
// space: the z_mean of every digit plotted directly in 2-D, coloured by digit,
// all packed around (0, 0) by the KL term. With no fit() call here the panel
// starts with its default epochs; the picture is there after the first few
// (lower Epochs in Settings, or Stop, for a quicker look).
import * as tf from '@tensorflow/tfjs';

const ORIGINAL_DIM = 28 * 28;
const INTERMEDIATE_DIM = 256;
const LATENT_DIM = 2;

// ---- encoder: two heads on one hidden layer ------------------------------------
const image = tf.input({ shape: [ORIGINAL_DIM], name: 'image' });
const hidden = tf.layers.dense({ units: INTERMEDIATE_DIM, activation: 'relu', name: 'encoder_hidden' }).apply(image) as tf.SymbolicTensor;
const zMean = tf.layers.dense({ units: LATENT_DIM, name: 'z_mean' }).apply(hidden) as tf.SymbolicTensor;
const zLogVar = tf.layers.dense({ units: LATENT_DIM, name: 'z_log_var' }).apply(hidden) as tf.SymbolicTensor;
export const encoder = tf.model({ inputs: image, outputs: [zMean, zLogVar], name: 'encoder' });

// ---- decoder: a point of the latent space -> an image ---------------------------
export const decoder = tf.sequential({ name: 'decoder' });
decoder.add(tf.layers.dense({ units: INTERMEDIATE_DIM, activation: 'relu', inputShape: [LATENT_DIM] }));
decoder.add(tf.layers.dense({ units: ORIGINAL_DIM, activation: 'sigmoid' }));

// ---- the VAE the panel shows: decode the mean, no sampling ----------------------
export const vae = tf.model({ inputs: image, outputs: decoder.apply(zMean) as tf.SymbolicTensor, name: 'vae' });

/** Reparameterization trick: z = mean + exp(logVar / 2) * epsilon. */
export function sampleLatent(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const epsilon = tf.randomNormal(mean.shape);
    return mean.add(logVar.mul(0.5).exp().mul(epsilon));
  });
}

/** KL( N(mean, exp(logVar)) || N(0, 1) ) = -1/2 sum(1 + logVar - mean^2 - exp(logVar)), averaged over the batch. */
export function klDivergence(mean: tf.Tensor, logVar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => logVar.add(1).sub(mean.square()).sub(logVar.exp()).sum(1).mul(-0.5).mean() as tf.Scalar);
}

/** One training step of the VAE. Returns the loss (reconstruction + KL, per image). */
export function trainStep(model: tf.LayersModel, batch: { xs: tf.Tensor; ys: tf.Tensor }, optimizer: tf.Optimizer): tf.Scalar {
  tf.util.assert(model === vae, () => `trainStep trains the whole VAE: pick "vae" to train, not "${model.name}"`);
  // everything the step trains: the encoder (hidden layer, both heads) and the decoder
  const variables = [...encoder.trainableWeights, ...decoder.trainableWeights].map((w) => w.read() as tf.Variable);

  return tf.tidy(() => {
    const loss = optimizer.minimize(
      () => {
        const [mean, logVar] = encoder.apply(batch.xs) as tf.Tensor[];
        const z = sampleLatent(mean, logVar);
        const xHat = decoder.apply(z) as tf.Tensor;
        // binary cross-entropy summed over the 784 pixels (the metric is a mean over pixels)
        const reconstructionLoss = tf.metrics.binaryCrossentropy(batch.ys, xHat).mean().mul(ORIGINAL_DIM);
        return reconstructionLoss.add(klDivergence(mean, logVar)) as tf.Scalar;
      },
      true,
      variables,
    );
    return loss as tf.Scalar;
  });
}

/** Generate new digits: decode points of the latent space, e.g. a grid over [-2, 2]^2. */
export function generate(points: tf.Tensor2D): tf.Tensor {
  return decoder.predict(points) as tf.Tensor;
}
