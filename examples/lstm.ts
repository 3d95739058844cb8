// LSTM (lecture notes, "LSTM"): a recurrent cell with a long-term state c_t
// and three gates, made to learn long-term dependencies without vanishing
// gradients.
//   forget gate f_t: which parts of the long-term state to erase
//   input gate  i_t: which parts of the candidate g_t to add to it
//   output gate o_t: which parts of the long-term state to output as h_t
//
// Four weight sets (f, i, o, g), so an LSTM has 4x the params of a SimpleRNN:
//   4 * (units * (features + units) + units)
//   first layer:  4 * (32 * (1 + 32) + 32) = 4,352
//   second layer: 4 * (16 * (32 + 16) + 16) = 3,136
//
// What to look at: train `forecaster` on the noisy sines, then open Gates:
// f, i, o (and g) for every unit at every time step of one window. Units whose
// forget gate stays near 1 carry information across the whole window.
import * as tf from '@tensorflow/tfjs';

const WINDOW = 40; // time steps the model sees
const N_FEATURES = 1;
const N_AHEAD = 1; // forecast the next value

export const forecaster = tf.sequential();
// a deep (stacked) LSTM: every layer but the last must return sequences
forecaster.add(tf.layers.lstm({ units: 32, returnSequences: true, inputShape: [WINDOW, N_FEATURES] }));
forecaster.add(tf.layers.lstm({ units: 16 }));
forecaster.add(tf.layers.dense({ units: N_AHEAD }));

forecaster.compile({ optimizer: tf.train.adam(0.005), loss: 'meanSquaredError' });

/** Train: xs [n, 40, 1] windows of the series, ys [n, 1] the value after each window. Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return forecaster.fit(xs, ys, { epochs: 20, batchSize: 32, validationSplit: 0.2 });
}
