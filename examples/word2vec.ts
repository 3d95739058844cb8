// Embeddings and word2vec (lecture notes, "Embeddings", "Word2vec").
//
// An Embedding layer is a lookup table: row i of its weight matrix is the
// vector of word i. Params = vocabulary size x embedding size (no bias):
//   500 x 16 = 8,000 per embedding below.
// word2vec learns these rows with a "shallow" network, in two flavours:
//  - skip-gram: from a word, predict the words around it. Here with negative
//    sampling: input (target, context) -> 1 if the context word really was in
//    the target's window, 0 for a random word. Score = sigmoid(target . context).
//  - CBOW (continuous bag of words): from the words around it, predict the
//    word in the middle: average the context vectors, softmax over the vocabulary.
//
// What to look at: train `skipGram` on skip-gram pairs of the built-in corpus
// (or `cbow` on its context windows), then open Weights & activations: the
// embedding matrix. `cbow` has a single input, so its Latent space view can
// show `cbow_embedding`, the averaged context vectors (contexts of the same
// topic end up close together).
import * as tf from '@tensorflow/tfjs';

const VOCAB_SIZE = 500;
const EMBEDDING_DIM = 16;
const WINDOW = 2; // context words on each side of the centre word

// ---- skip-gram with negative sampling ----------------------------------------
const targetWord = tf.input({ shape: [1], name: 'target' });
const contextWord = tf.input({ shape: [1], name: 'context' });

// word2vec keeps two tables: the vectors we want (target) and "output" vectors (context)
const targetEmbedding = tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM, name: 'target_embedding' });
const contextEmbedding = tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM, name: 'context_embedding' });

// (None, 1, 16) -> (None, 16)
const targetVector = tf.layers.flatten().apply(targetEmbedding.apply(targetWord)) as tf.SymbolicTensor;
const contextVector = tf.layers.flatten().apply(contextEmbedding.apply(contextWord)) as tf.SymbolicTensor;

// similarity = target . context, then sigmoid -> "were these words neighbours?"
const similarity = tf.layers.dot({ axes: 1 }).apply([targetVector, contextVector]) as tf.SymbolicTensor;
const neighbourProb = tf.layers.activation({ activation: 'sigmoid' }).apply(similarity) as tf.SymbolicTensor;

export const skipGram = tf.model({ inputs: [targetWord, contextWord], outputs: neighbourProb, name: 'skip_gram' });
skipGram.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy', metrics: ['accuracy'] });

// ---- CBOW ------------------------------------------------------------------------
export const cbow = tf.sequential({ name: 'cbow' });
// 2 * WINDOW context word ids -> (None, 4, 16)
cbow.add(tf.layers.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM, inputLength: 2 * WINDOW, name: 'word_vectors' }));
// the "bag of words": average the context vectors -> (None, 16)
cbow.add(tf.layers.globalAveragePooling1d({ name: 'cbow_embedding' }));
// softmax over the whole vocabulary: which word is in the middle?
cbow.add(tf.layers.dense({ units: VOCAB_SIZE, activation: 'softmax' }));

cbow.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

/** Train skip-gram: [targets, contexts] each [n, 1] word ids, labels [n, 1] (1 = real neighbour). Not run on import. */
export async function train(pairs: tf.Tensor[], labels: tf.Tensor): Promise<tf.History> {
  return skipGram.fit(pairs, labels, { epochs: 10, batchSize: 128 });
}

/** Train CBOW: xs [n, 4] context word ids, ys one-hot [n, 500] centre word. */
export async function trainCbow(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return cbow.fit(xs, ys, { epochs: 10, batchSize: 64 });
}
