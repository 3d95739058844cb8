// Recurrent neural networks (lecture notes, "RNN", "Types of RNN").
//
// At every time step a SimpleRNN cell computes
//     h_t = tanh(W_x^T x_t + W_h^T h_(t-1) + b)
// with the SAME weights at every step. Its parameter count does not depend
// on the sequence length: units * (features + units) + units.
//   first layer:  20 * (1 + 20) + 20 = 440
//   second layer: 20 * (20 + 20) + 20 = 820
//
// Two of the RNN types from the notes:
//  - sequence-to-vector (many-to-one): read the whole window, keep only the
//    last output, predict the next N_AHEAD values of the series.
//  - sequence-to-sequence (many-to-many): an output at every time step. The
//    length is `null`, so the same model takes sequences of any length.
//
// What to look at: the lenses, (None, 30, 20) with returnSequences: true vs
// (None, 20) without; then train on the noisy sines and open Activations: the
// hidden state of every unit at every time step (units x time heatmap).
import * as tf from '@tensorflow/tfjs';

const N_STEPS = 30; // length of the input window
const N_FEATURES = 1; // one value per time step
const N_AHEAD = 10; // predict the next 10 values
const UNITS = 20;

// ---- sequence -> vector ---------------------------------------------------
export const seqToVec = tf.sequential();
// returnSequences: true -> the next RNN layer gets the whole sequence
seqToVec.add(tf.layers.simpleRNN({ units: UNITS, returnSequences: true, inputShape: [N_STEPS, N_FEATURES] }));
// the last recurrent layer returns only its final output: (None, 20)
seqToVec.add(tf.layers.simpleRNN({ units: UNITS }));
seqToVec.add(tf.layers.dense({ units: N_AHEAD }));

seqToVec.compile({ optimizer: tf.train.adam(0.005), loss: 'meanSquaredError' });

// ---- sequence -> sequence -------------------------------------------------
export const seqToSeq = tf.sequential();
seqToSeq.add(tf.layers.simpleRNN({ units: UNITS, returnSequences: true, inputShape: [null, N_FEATURES] }));
seqToSeq.add(tf.layers.simpleRNN({ units: UNITS, returnSequences: true }));
// the same small Dense layer applied at every time step
seqToSeq.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }));

seqToSeq.compile({ optimizer: 'adam', loss: 'meanSquaredError' });

/** Train seq -> vec: xs [n, 30, 1], ys [n, 10] (the next 10 values). Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return seqToVec.fit(xs, ys, { epochs: 20, batchSize: 32, validationSplit: 0.2 });
}

/** Train seq -> seq: xs [n, T, 1], ys [n, T, 1] (e.g. the series shifted by one step). */
export async function trainSeqToSeq(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return seqToSeq.fit(xs, ys, { epochs: 20, batchSize: 32 });
}
