// 1D convolutions to process sequences (lecture notes, "1D convolution
// layers to process seq"). LSTMs and GRUs struggle with sequences of 100+
// steps; a Conv1D with stride > 1 shortens the sequence first while keeping
// the important local patterns.
//
// Output length of a 'valid' Conv1D: floor((length - kernel) / stride) + 1
//
// What to look at:
//  - `notesExample`: the drawing from the notes, exactly: 10 elements, filter
//    size 5, stride 2 -> 3 elements (1-5, 3-7, 5-9).
//  - `longSequenceModel`: 200 steps -> 98 -> 47 before the GRU sees them, so
//    the GRU unrolls over 47 steps instead of 200. Train it on the noisy
//    sines; Activations shows the shortened sequences, Gates the GRU.
import * as tf from '@tensorflow/tfjs';

// ---- the example from the notes --------------------------------------------
export const notesExample = tf.sequential();
notesExample.add(tf.layers.conv1d({ inputShape: [10, 1], filters: 1, kernelSize: 5, strides: 2 })); // (None, 3, 1)

// ---- a long series: Conv1D front end + GRU ----------------------------------
const SEQ_LEN = 200;
const KERNEL = 5;
const STRIDE = 2;

export const longSequenceModel = tf.sequential();
longSequenceModel.add(tf.layers.conv1d({ inputShape: [SEQ_LEN, 1], filters: 16, kernelSize: KERNEL, strides: STRIDE, activation: 'relu' })); // 200 -> 98
longSequenceModel.add(tf.layers.conv1d({ filters: 32, kernelSize: KERNEL, strides: STRIDE, activation: 'relu' })); // 98 -> 47
longSequenceModel.add(tf.layers.gru({ units: 32 }));
longSequenceModel.add(tf.layers.dense({ units: 1 })); // the next value of the series

longSequenceModel.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });

/** Train: xs [n, 200, 1] windows, ys [n, 1] the next value. Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return longSequenceModel.fit(xs, ys, { epochs: 10, batchSize: 32, validationSplit: 0.2 });
}
