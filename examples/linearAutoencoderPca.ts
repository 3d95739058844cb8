// Linear autoencoder vs PCA (lecture notes, "PCA vs autoencoders").
//
// With ONLY linear activations and the MSE loss, an autoencoder learns the
// same plane as PCA: 3-D points in, 2-D codings, 3-D reconstructions.
// From the notes (Keras):
//   encoder = keras.models.Sequential([keras.layers.Dense(2, input_shape=[3])])
//   decoder = keras.models.Sequential([keras.layers.Dense(3, input_shape=[2])])
//   autoencoder = keras.models.Sequential([encoder, decoder])
//   autoencoder.compile(loss="mse", optimizer=keras.optimizers.SGD(lr=0.1))
//
// What to look at: train `autoencoder` on the 3-D point cloud near a plane,
// then open Latent space: the 2-D codings (the data "projected to 2-D"), and
// in 3-D the plane the decoder spans next to PCA's plane: they should agree.
// Add a 'relu' to the encoder and the match with PCA is gone.
import * as tf from '@tensorflow/tfjs';

const N_INPUTS = 3; // 3-D inputs
const N_HIDDEN = 2; // 2-D codings
const N_OUTPUTS = N_INPUTS;

// no `activation`: Dense is linear by default (activation_fn=None in the notes)
export const encoder = tf.sequential({ name: 'encoder' });
encoder.add(tf.layers.dense({ units: N_HIDDEN, inputShape: [N_INPUTS], name: 'codings' }));

export const decoder = tf.sequential({ name: 'decoder' });
decoder.add(tf.layers.dense({ units: N_OUTPUTS, inputShape: [N_HIDDEN] }));

export const autoencoder = tf.sequential({ layers: [encoder, decoder], name: 'linear_autoencoder' });

autoencoder.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });

/** history = autoencoder.fit(X_train, X_train, epochs=20): xs [n, 3]. Not run on import. */
export async function train(xs: tf.Tensor): Promise<tf.History> {
  return autoencoder.fit(xs, xs, { epochs: 20, batchSize: 32 });
}

/** codings = encoder.predict(X_train): the 2-D coordinates of each point in the plane. */
export function codingsOf(xs: tf.Tensor): tf.Tensor {
  return encoder.predict(xs) as tf.Tensor;
}
