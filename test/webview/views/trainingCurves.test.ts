/**
 * Browser tier for the panel's training curves (webview/ui/trainingCurves.ts on the views test
 * page): the labels on the y axes of the Loss and Metrics charts.
 *
 *   npx mocha --config test/webview/views/.mocharc.json -g "training curves"
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { call, useViewsPage } from './driver';

/** A run of `epochs` × `batches` whose accuracy climbs from exactly 0 and whose loss falls. */
function run(batches: number, epochs: number): { loss: number[]; metric: number[] } {
  const n = batches * epochs;
  const loss = Array.from({ length: n }, (_, i) => 2.3 - (1.9 * i) / (n - 1));
  const metric = Array.from({ length: n }, (_, i) => (0.9 * i) / (n - 1));
  return { loss, metric };
}

describe('training curves in Chromium', function () {
  this.timeout(120_000);
  let page: Page;
  useViewsPage((p) => (page = p));

  it('labels an accuracy axis that starts at 0 from 0.0% upward, in percent, with several ticks', async () => {
    const ticks = await call(page, 'curveTicks', 'accuracy', 10, 3, run(10, 3));
    assert.strictEqual(ticks.metric[0], '0.0%', `the lowest label: ${ticks.metric.join(', ')}`);
    assert.ok(ticks.metric.length >= 3, `at least three labels: ${ticks.metric.join(', ')}`);
    assert.ok(
      ticks.metric.every((t) => /^\d{1,3}\.\d%$/.test(t)),
      `every label a percentage: ${ticks.metric.join(', ')}`,
    );
    const values = ticks.metric.map((t) => Number(t.slice(0, -1)));
    assert.ok(
      values.every((v, i) => i === 0 || v > values[i - 1]!),
      `labels increase: ${ticks.metric.join(', ')}`,
    );
    assert.ok(values[values.length - 1]! >= 80 && values[values.length - 1]! <= 100, `the top label: ${ticks.metric.join(', ')}`);
  });

  it('gives the loss axis several labels too', async () => {
    const ticks = await call(page, 'curveTicks', 'accuracy', 10, 3, run(10, 3));
    assert.ok(ticks.loss.length >= 3, `at least three labels: ${ticks.loss.join(', ')}`);
    assert.ok(
      ticks.loss.every((t) => Number.isFinite(Number(t))),
      `plain numbers: ${ticks.loss.join(', ')}`,
    );
  });
});
