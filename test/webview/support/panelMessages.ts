/**
 * What the webview tier's panel tests share: a train config, and reading the messages the stub
 * host recorded (polling until one arrives).
 */
import type { Page } from 'playwright-core';
import type { TrainConfig } from '../../../src/shared/messages';
import { callApi } from './harness';
import type { BundledModel } from './harness';
import type { RecordedMessage, StartOptions } from './pageApi';

export const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  epochs: 1,
  batchSize: 32,
  loss: 'categoricalCrossentropy',
  optimizer: 'adam',
  learningRate: 0.001,
  metrics: ['accuracy'],
  sources: { loss: 'test' },
  ...overrides,
});

/** Starts the panel on `page` with `model`, WASM or WebGL as it comes, training at once, no views, every batch reported. */
export function startModel(
  page: Page,
  model: BundledModel,
  options: Partial<StartOptions> & Pick<StartOptions, 'datasetUrl'>,
): Promise<void> {
  return callApi(page, 'start', {
    bundleUrl: model.url,
    target: model.target,
    backend: 'auto',
    config: config(),
    autoTrain: true,
    views: 'none',
    progressIntervalMs: 0,
    ...options,
  });
}

export type Progress = Extract<RecordedMessage, { type: 'progress' }>;
export type EpochEnd = Extract<RecordedMessage, { type: 'epochEnd' }>;

export async function messages(page: Page): Promise<RecordedMessage[]> {
  return callApi(page, 'messages');
}

/** Polls the recorded messages until `predicate` holds for one of them. */
export async function waitForMessage(
  page: Page,
  predicate: (m: RecordedMessage) => boolean,
  timeoutMs = 90_000,
): Promise<RecordedMessage> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const all = await messages(page);
    const found = all.find(predicate);
    if (found) return found;
    const error = all.find((m) => m.type === 'error');
    if (error) throw new Error(`the panel reported an error: ${(error as { message: string }).message}`);
    if (Date.now() > end) throw new Error(`timed out; last messages: ${JSON.stringify(all.slice(-4))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `condition` until it holds. */
export async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const isState = (state: string) => (m: RecordedMessage) => m.type === 'state' && m.state === state;
export const progressOf = (all: RecordedMessage[]): Progress[] => all.filter((m): m is Progress => m.type === 'progress');
export const epochsOf = (all: RecordedMessage[]): EpochEnd[] => all.filter((m): m is EpochEnd => m.type === 'epochEnd');
export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function text(page: Page, testid: string): Promise<{ text: string; value: string | undefined }> {
  const el = page.locator(`[data-testid="${testid}"]`).first();
  return { text: (await el.textContent()) ?? '', value: (await el.getAttribute('data-value')) ?? undefined };
}
