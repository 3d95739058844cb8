/**
 * A classifier whose sizes come from ./config and whose hidden block comes from ./blocks: Model
 * Lens reads both files (without running them) to show every shape here.
 */
import * as tf from '@tensorflow/tfjs';
import { denseBlock } from './blocks';
import { CLASSES, HIDDEN_UNITS, IMAGE_SIZE } from './config';

export const model = tf.sequential();
model.add(tf.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }));
for (const layer of denseBlock(HIDDEN_UNITS)) model.add(layer);
model.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));

model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
