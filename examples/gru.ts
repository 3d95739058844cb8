// GRU (lecture notes, "GRU"): like an LSTM but simpler: no separate long-term
// state and two gates instead of three.
//   update gate z_t: how much of the old state to keep (LSTM's forget + input)
//   reset gate  r_t: how much of the old state to use for the candidate
// Three weight sets (z, r, candidate), so 3/4 of an LSTM's params:
//   3 * (units * (features + units) + units)
//   first layer of frequencyClassifier: 3 * (24 * (1 + 24) + 24) = 1,872
//   (an LSTM of the same size would have 4 * 624 = 2,496)
//
// Two sequence-to-vector models:
//  - `frequencyClassifier`: which of 3 frequency bands is this noisy sine in?
//    Train it on the noisy sines, then open Gates: fast sines make the update
//    gate flicker, slow ones let it settle.
//  - `sentimentGru`: the notes' movie-review example (sequence of word ids ->
//    sentiment score), with an Embedding learnt as part of the model. Train it
//    on the built-in text corpus.
import * as tf from '@tensorflow/tfjs';

// ---- noisy sine -> frequency band ----------------------------------------
const N_STEPS = 50;
const N_BANDS = 3;

export const frequencyClassifier = tf.sequential();
frequencyClassifier.add(tf.layers.gru({ units: 24, returnSequences: true, inputShape: [N_STEPS, 1] }));
frequencyClassifier.add(tf.layers.gru({ units: 12 }));
frequencyClassifier.add(tf.layers.dense({ units: N_BANDS, activation: 'softmax' }));

frequencyClassifier.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

// ---- word ids -> sentiment ------------------------------------------------
const VOCAB_SIZE = 500; // word ids 0..499 (0 = padding)
const MAX_LEN = 40; // words per review (padded)
const EMBEDDING_DIM = 16;

export const sentimentGru = tf.sequential();
sentimentGru.add(tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM, inputLength: MAX_LEN }));
sentimentGru.add(tf.layers.gru({ units: 16 }));
sentimentGru.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));

sentimentGru.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });

/** Train the frequency classifier: xs [n, 50, 1], ys one-hot [n, 3]. Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return frequencyClassifier.fit(xs, ys, { epochs: 15, batchSize: 32, validationSplit: 0.2 });
}

/** Train the sentiment model: xs [n, 40] word ids, ys [n, 1] 0 = negative, 1 = positive. */
export async function trainSentiment(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return sentimentGru.fit(xs, ys, { epochs: 10, batchSize: 16 });
}
