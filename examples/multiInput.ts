// A model with two inputs (lecture notes, embeddings: "feed a seq. of words
// corresponding to a movie review and the network would o/p a sentiment score").
// Here the review's words come with a few numbers about the review (its length,
// the reviewer's average rating...), which a Sequential model cannot take:
// the functional API merges the two paths with a Concatenate layer.
//
// What to look at:
//  - the lenses: the text path ends in (None, 16), the numbers path in
//    (None, 8); Concatenate gives (None, 24).
//  - Train: the panel offers random data and CSV files. Each row holds both
//    inputs' values side by side (20 word ids, then 4 numbers) and the panel
//    splits them by the inputs' sizes.
import * as tf from '@tensorflow/tfjs';

const VOCAB = 1000;
const WORDS = 20;
const FEATURES = 4;

export function buildReviewModel(): tf.LayersModel {
  const words = tf.input({ shape: [WORDS], name: 'words' });
  const numbers = tf.input({ shape: [FEATURES], name: 'numbers' });

  let text = tf.layers.embedding({ inputDim: VOCAB, outputDim: 16 }).apply(words) as tf.SymbolicTensor;
  text = tf.layers.globalAveragePooling1d({}).apply(text) as tf.SymbolicTensor; // (None, 16)

  const side = tf.layers.dense({ units: 8, activation: 'relu' }).apply(numbers) as tf.SymbolicTensor; // (None, 8)

  const joined = tf.layers.concatenate().apply([text, side]) as tf.SymbolicTensor; // (None, 24)
  const hidden = tf.layers.dense({ units: 16, activation: 'relu' }).apply(joined) as tf.SymbolicTensor;
  const score = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden) as tf.SymbolicTensor;

  const model = tf.model({ inputs: [words, numbers], outputs: score, name: 'review' });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}
