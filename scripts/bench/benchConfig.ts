/** The training settings both benches train their models with (batch 32, Adam at 0.001, 2 epochs), with a model's own overrides. */
import type { TrainConfig } from '../../src/shared/messages';

export const benchConfig = (overrides: Partial<TrainConfig>): TrainConfig => ({
  epochs: 2,
  batchSize: 32,
  loss: 'categoricalCrossentropy',
  optimizer: 'adam',
  learningRate: 0.001,
  metrics: [],
  sources: {},
  ...overrides,
});
