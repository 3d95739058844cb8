/**
 * Root hook of the unit tier: every test starts on tfjs's CPU backend, chosen explicitly. Files
 * that import the panel's backend code register the WASM backend (a higher priority than the
 * CPU's, and asynchronous to start), which tfjs would otherwise pick for tests that never choose.
 */
import * as tf from '@tensorflow/tfjs';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await tf.setBackend('cpu');
  },
};
