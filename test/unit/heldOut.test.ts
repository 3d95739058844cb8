/**
 * The training panel's held-out samples (webview/training/heldOut.ts), its early stopping
 * decision, and the confusion counting of its evaluation (webview/evaluation/confusion.ts).
 */
import * as assert from 'assert';
import { shouldStopEarly, splitSamples, usedSamples, validationCount } from '../../webview/training/heldOut';
import { classAccuracy, classesOf, confusionMatrix } from '../../webview/evaluation/confusion';

describe('held-out samples and early stopping (training panel)', () => {
  it('holds out as many samples as tfjs’s validationSplit', () => {
    // tfjs: splitAt = floor(n · (1 − split)); the rest is validation.
    assert.equal(validationCount(10_000, 0.1), 1000);
    assert.equal(validationCount(1024, 0.2), 205);
    assert.equal(validationCount(512, 0.1), 52);
    assert.equal(validationCount(100, 0), 0);
    assert.equal(validationCount(100, undefined), 0);
    assert.equal(validationCount(100, 1), 0, 'a split of 1 leaves nothing to train on: none');
    assert.equal(validationCount(2, 0.9), 1, 'one sample always stays to train on');
    assert.equal(validationCount(1, 0.5), 0);
  });

  it('splits into disjoint sorted sets covering the samples, the same each time', () => {
    const split = splitSamples(1000, 0.25);
    assert.equal(split.validation.length, 250);
    assert.equal(split.train.length, 750);
    const all = new Set([...split.train, ...split.validation]);
    assert.equal(all.size, 1000);
    assert.ok([...all].every((i) => i >= 0 && i < 1000));
    assert.ok(split.validation.every((v, i, a) => i === 0 || a[i - 1]! < v));
    assert.deepEqual([...splitSamples(1000, 0.25).validation], [...split.validation]);
    // A seeded random choice: not the last quarter (the built-in data is ordered by class).
    assert.notDeepEqual(
      [...split.validation],
      Array.from({ length: 250 }, (_, i) => 750 + i),
    );
    assert.deepEqual([...splitSamples(5, 0).train], [0, 1, 2, 3, 4]);
  });

  it('uses the requested number of samples, else all', () => {
    assert.equal(usedSamples(10_000, undefined), 10_000);
    assert.equal(usedSamples(10_000, 2048), 2048);
    assert.equal(usedSamples(100, 5000), 100);
    assert.equal(usedSamples(100, 0), 100);
    assert.equal(usedSamples(100, 2.5), 100);
  });

  it('stops once the best validation loss is `patience` epochs old', () => {
    assert.equal(shouldStopEarly([1, 0.9, 0.8], 2), false);
    assert.equal(shouldStopEarly([1, 0.9, 0.95], 2), false);
    assert.equal(shouldStopEarly([1, 0.9, 0.95, 0.91], 2), true);
    assert.equal(shouldStopEarly([1, 1], 1), true, 'equal is no improvement');
    assert.equal(shouldStopEarly([1, 2, 3], 0), false, 'patience 0: off');
    assert.equal(shouldStopEarly([1, 2, 3], undefined), false);
    assert.equal(shouldStopEarly([], 1), false);
  });
});

describe('confusion matrix (training panel evaluation)', () => {
  it('predicts by arg max, or by 0.5 for one sigmoid unit', () => {
    assert.deepEqual([...classesOf([0.1, 0.7, 0.2, 0.5, 0.1, 0.4], 2, 3)], [1, 0]);
    assert.deepEqual([...classesOf([0.2, 0.5, 0.9], 3, 1)], [0, 1, 1]);
  });

  it('counts true × predicted, keeps each cell’s samples, sums to the samples', () => {
    const truth = [0, 0, 1, 1, 2, 2, 2];
    const predicted = [0, 1, 1, 1, 2, 0, 2];
    const indices = [10, 11, 12, 13, 14, 15, 16];
    const m = confusionMatrix(truth, predicted, 3, indices);
    assert.deepEqual([...m.counts], [1, 1, 0, 0, 2, 0, 1, 0, 2]);
    assert.equal(
      m.counts.reduce((a, b) => a + b, 0),
      truth.length,
    );
    assert.equal(m.correct, 5);
    assert.equal(m.counts[0]! + m.counts[4]! + m.counts[8]!, m.correct);
    assert.deepEqual(m.cells[1], [11]);
    assert.deepEqual(m.cells[6], [15]);
    const accuracy = classAccuracy(m);
    assert.deepEqual(
      accuracy.map((a) => a.toFixed(3)),
      ['0.500', '1.000', '0.667'],
    );
    assert.ok(Number.isNaN(classAccuracy(confusionMatrix([0], [0], 2, [0]))[1]!));
  });
});
