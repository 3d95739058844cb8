/**
 * The GAN loss recorder (webview/probes/ganLosses.ts) in Node, with a measure whose answers the
 * test releases: every epoch's end is measured (after the measurement under way when it comes),
 * measurements within an epoch wait for a multiple of the last one's cost, none runs while
 * another does, a model that is no GAN stops the asking, and the log waits for an answer.
 */
import * as assert from 'node:assert/strict';
import { GanLossRecorder } from '../../webview/probes/ganLosses';
import type { GanLosses } from '../../webview/probes/ganLosses';

const LOSSES: GanLosses = { generator: 0.8, discriminator: 0.6, realScore: 0.55, fakeScore: 0.45, samples: 64 };

/** A measure that answers when the test says (`answer`), counting the requests. */
function pendingMeasure(result: GanLosses | null = LOSSES) {
  const waiting: Array<(m: GanLosses | null) => void> = [];
  let answered = 0;
  return {
    asked: (): number => waiting.length + answered,
    measure: (): Promise<GanLosses | null> => new Promise<GanLosses | null>((resolve) => waiting.push(resolve)),
    answer: async (): Promise<void> => {
      const next = waiting.shift();
      assert.ok(next, 'a measurement was asked for');
      answered++;
      next(result);
      // Let the recorder's callbacks run.
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('GanLossRecorder: a GAN’s losses along a run', () => {
  it('measures every epoch’s end, queued behind the measurement under way', async () => {
    const m = pendingMeasure();
    const recorder = new GanLossRecorder(m.measure);
    recorder.batch(1, 1);
    assert.equal(m.asked(), 1, 'the first batch is measured');
    recorder.batch(1, 2);
    recorder.epochEnd(1, 8);
    assert.equal(m.asked(), 1, 'nothing runs beside a measurement');
    await m.answer();
    assert.equal(m.asked(), 2, 'the epoch end runs once the other has answered');
    await m.answer();
    recorder.epochEnd(2, 8);
    await m.answer();
    const log = await recorder.log();
    assert.deepEqual(
      log?.history.map((p) => `${p.epoch}:${p.batch}`),
      ['1:1', '1:8', '2:8'],
    );
    assert.equal(log?.generator, LOSSES.generator);
  });

  it('spaces measurements within an epoch by many times their cost', async () => {
    const m = pendingMeasure();
    const recorder = new GanLossRecorder(m.measure);
    recorder.batch(1, 1);
    await new Promise((r) => setTimeout(r, 10));
    await m.answer();
    // The last one took about 10 ms: the next is due only after many times that.
    recorder.batch(1, 2);
    assert.equal(m.asked(), 1, 'not due yet');
    await new Promise((r) => setTimeout(r, 1500));
    recorder.batch(1, 3);
    assert.equal(m.asked(), 2, 'due again after a while');
    await m.answer();
  });

  it('stops asking when the model is no GAN’s generator', async () => {
    const m = pendingMeasure(null);
    const recorder = new GanLossRecorder(m.measure);
    recorder.epochEnd(1, 4);
    await m.answer();
    recorder.epochEnd(2, 4);
    recorder.batch(3, 1);
    assert.equal(m.asked(), 1);
    assert.equal(await recorder.log(), null);
  });

  it('lets a reader wait for the answer under way, but not for ever', async () => {
    const m = pendingMeasure();
    const recorder = new GanLossRecorder(m.measure);
    recorder.epochEnd(1, 4);
    const read = recorder.log();
    await m.answer();
    assert.equal((await read)?.history.length, 1, 'the answer is in the log');
    recorder.epochEnd(2, 4);
    const began = Date.now();
    const early = await recorder.log(50);
    assert.ok(Date.now() - began < 1000, 'the reader gave up waiting');
    assert.equal(early?.history.length, 1, 'with what was measured so far');
    await m.answer();
  });
});
