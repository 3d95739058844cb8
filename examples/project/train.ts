/** Builds the autoencoder of ./autoencoder with this project's sizes, as a training script would. */
import { buildAutoencoder } from './autoencoder';
import { IMAGE_SIZE } from './config';

export const autoencoder = buildAutoencoder(IMAGE_SIZE * IMAGE_SIZE, 32);
export const tiny = buildAutoencoder(64, 2);
autoencoder.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
