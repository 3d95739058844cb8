import * as assert from 'node:assert/strict';
import { formatMetrics } from '../../src/shared/format';
import { formatBytes, formatCount, formatLoss, formatMetric, formatRate } from '../../webview/ui/format';

describe("the panel's number formats (webview/ui/format)", () => {
  it("formatCount gives toLocaleString('en-US')'s text without Intl", () => {
    const values = [
      0,
      -0,
      7,
      999,
      1000,
      12_345,
      93_322,
      1_000_000,
      123_456_789,
      -4_096,
      -999,
      2 ** 31,
      2 ** 53 - 1,
      2 ** 70,
      0.5,
      1234.5,
    ];
    for (const n of values) assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  });

  it('formatRate rounds from 100 samples/s up, keeps a decimal below', () => {
    assert.equal(formatRate(1234.56), '1,235');
    assert.equal(formatRate(99.44), '99.4');
    assert.equal(formatRate(Number.NaN), '–');
  });

  it('formatLoss keeps four significant digits; formatBytes picks the unit', () => {
    assert.equal(formatLoss(0.231549), '0.2315');
    assert.equal(formatLoss(3.14159e-5), '3.142e-5');
    assert.equal(formatBytes(365 * 1024), '365 KB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5.00 MB');
  });
});

describe('the progress notification reads as the panel does (src/shared/format)', () => {
  it('formats the loss and an accuracy as the panel’s read-outs, and leaves out what is not a number', () => {
    assert.equal(
      formatMetrics(2.27812, { accuracy: 0.34375 }),
      `loss ${formatLoss(2.27812)} · accuracy ${formatMetric('accuracy', 0.34375)}`,
    );
    assert.equal(formatMetrics(2.27812, { accuracy: 0.34375 }), 'loss 2.278 · accuracy 34.4%');
    assert.equal(formatMetrics(Number.NaN, { mse: 0.000012345, acc: 'x' }), 'mse 1.234e-5');
    assert.equal(formatMetrics(undefined, null), '');
  });
});
