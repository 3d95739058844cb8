/**
 * Reproducible training in the webview tier: tfjs's weight initializers and the trainer's shuffle
 * draw from Math.random, on the page and in the model worker.
 */
import { seededRandom } from '../../../src/shared/random';

/**
 * A line that seeds Math.random with a number derived from `key`. Given as a bundle's prelude
 * (`harness.addModel(…, { prelude })`) it runs wherever the model is built, worker or page, each
 * time the module is imported (once per run), so each run starts from the same weights and
 * batches: a model that learns passes every time, and a failure can be reproduced.
 */
export function seedLine(key: string): string {
  let seed = 2166136261;
  for (const c of key) seed = Math.imul(seed ^ c.charCodeAt(0), 16777619) >>> 0;
  return `Math.random = (${seededRandom.toString()})(${seed});`;
}
