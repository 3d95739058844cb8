// BROKEN: a deep (stacked) LSTM whose first layer forgets returnSequences.
//
// Without `returnSequences: true` an LSTM outputs only its LAST hidden state,
// (None, 64): one vector per sequence. The second LSTM needs a sequence,
// (None, steps, features), so tfjs refuses it: "expected ndim=3, found ndim=2".
//
// Fix: every recurrent layer except the last one returns sequences:
//   tf.layers.lstm({ units: 64, returnSequences: true, inputShape: [N_STEPS, 1] })
// (see lstm.ts and simpleRnn.ts).
import * as tf from '@tensorflow/tfjs';

const N_STEPS = 50;

export const deepLstm = tf.sequential();
deepLstm.add(tf.layers.lstm({ units: 64, inputShape: [N_STEPS, 1] })); // -> (None, 64)
deepLstm.add(tf.layers.lstm({ units: 32 })); // needs (None, steps, 64)
deepLstm.add(tf.layers.dense({ units: 1 }));
