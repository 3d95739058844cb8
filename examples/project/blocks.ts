/** Building blocks used by the models in this folder. */
import * as tf from '@tensorflow/tfjs';

/** A fully connected layer followed by dropout: the block of a small classifier. */
export function denseBlock(units: number, rate = 0.2): tf.layers.Layer[] {
  return [tf.layers.dense({ units, activation: 'relu' }), tf.layers.dropout({ rate })];
}
