// Sparse autoencoders (lecture notes, "Sparse autoencoders"): instead of a
// narrow bottleneck, penalise the code ACTIVATIONS so that only a few code
// units are active for any one input:
//     loss = reconstruction(x, x^) + sparsity penalty(a)
// Two penalties from the notes, one model each:
//   sparseL1: lambda * sum_j |a_j|                      (ReLU codes)
//   sparseKl: beta * sum_j KL(rho || rho^_j)            (sigmoid codes)
//             rho^_j = mean activation of unit j over the batch, rho = target (0.05)
//
// Keras would write `Dense(64, activation='relu', activity_regularizer=l1(1e-5))`,
// but tfjs cannot run a layer that has an activity regularizer ("Layer
// invocation in the presence of activity regularizer(s) is not supported
// yet."): add `activityRegularizer: tf.regularizers.l1({ l1: 1e-5 })` to the
// l1_codings layer below and Model Lens marks the line. And the KL penalty
// needs batch statistics, which no regularizer sees. So model.fit cannot
// express either objective: this file exports its own training step, in
// plain tfjs.
//
// trainStep(model, batch, optimizer) takes `sparseL1` or `sparseKl` (the one
// you train in the panel) and a batch of images ({ xs, ys }, ys = xs); it
// finds the code layer in the model by name.
//
// What to look at: the code layer has 64 units (a wide code, no bottleneck
// needed). Train either model on MNIST, then open Activations for a digit:
// most of the 64 code units sit at (or near) zero, each digit lights up a
// different few. Latent space shows the codings.
import * as tf from '@tensorflow/tfjs';

const INPUT_SIZE = 784;
const CODE_SIZE = 64;
// The reconstruction loss is per image (summed over the 784 pixels), so these
// weights are on the same scale as it. Bigger = sparser codes, blurrier digits.
const L1_WEIGHT = 0.2; // lambda
const SPARSITY_TARGET = 0.05; // rho: each unit should be active ~5% of the time
const KL_WEIGHT = 3; // beta

// ---- variant 1: L1 penalty on ReLU activations -------------------------------
const l1Input = tf.input({ shape: [INPUT_SIZE] });
const l1Code = tf.layers.dense({ units: CODE_SIZE, activation: 'relu', name: 'l1_codings' }).apply(l1Input) as tf.SymbolicTensor;
const l1Output = tf.layers.dense({ units: INPUT_SIZE, activation: 'sigmoid', name: 'l1_reconstruction' }).apply(l1Code) as tf.SymbolicTensor;
export const sparseL1 = tf.model({ inputs: l1Input, outputs: l1Output, name: 'sparse_l1' });

// ---- variant 2: KL divergence on sigmoid activations ---------------------------
const klInput = tf.input({ shape: [INPUT_SIZE] });
const klCode = tf.layers.dense({ units: CODE_SIZE, activation: 'sigmoid', name: 'kl_codings' }).apply(klInput) as tf.SymbolicTensor;
const klOutput = tf.layers.dense({ units: INPUT_SIZE, activation: 'sigmoid', name: 'kl_reconstruction' }).apply(klCode) as tf.SymbolicTensor;
export const sparseKl = tf.model({ inputs: klInput, outputs: klOutput, name: 'sparse_kl' });

// ---- the penalties ----------------------------------------------------------------
/** lambda * sum_j |a_j|, averaged over the batch. */
export function l1Penalty(codes: tf.Tensor): tf.Scalar {
  return tf.tidy(() => codes.abs().sum(1).mean().mul(L1_WEIGHT));
}

/** beta * sum_j KL(rho || rho^_j) with rho^_j the mean activation of unit j over the batch. */
export function klPenalty(codes: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const rho = SPARSITY_TARGET;
    const rhoHat = codes.mean(0).clipByValue(1e-6, 1 - 1e-6); // [CODE_SIZE]
    const kl = tf.add(
      tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
      tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
    );
    return kl.sum().mul(KL_WEIGHT);
  });
}

/**
 * One training step on a batch of images: reconstruction loss (binary
 * cross-entropy per image) + the model's sparsity penalty. Returns the loss.
 */
export function trainStep(model: tf.LayersModel, batch: { xs: tf.Tensor; ys: tf.Tensor }, optimizer: tf.Optimizer): tf.Scalar {
  // Which variant is it? Its code layer's name tells. getLayer throws for any other model.
  const useKl = model.layers.some((layer) => layer.name === 'kl_codings');
  const codings = model.getLayer(useKl ? 'kl_codings' : 'l1_codings');
  const output = model.getLayer(useKl ? 'kl_reconstruction' : 'l1_reconstruction');
  // the variables to train: every trainable weight of the model (W and b of both layers)
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);

  return tf.tidy(() => {
    const loss = optimizer.minimize(
      () => {
        // the forward pass layer by layer, so that we get the codes too
        const codes = codings.apply(batch.xs) as tf.Tensor;
        const reconstruction = output.apply(codes) as tf.Tensor;
        // binary cross-entropy summed over the pixels (the metric averages them), mean over the batch
        const reconstructionLoss = tf.metrics.binaryCrossentropy(batch.ys, reconstruction).mean().mul(INPUT_SIZE);
        const penalty = useKl ? klPenalty(codes) : l1Penalty(codes);
        return reconstructionLoss.add(penalty) as tf.Scalar;
      },
      true,
      variables,
    );
    return loss as tf.Scalar;
  });
}
