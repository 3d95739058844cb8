import * as assert from 'node:assert/strict';
import type { DatasetArrays } from '../../src/shared/messages';
import { DATA_PART_VALUES, DatasetReceiver, sendDataset } from '../../webview/training/datasetTransfer';
import type { DataPart, DatasetHeader } from '../../webview/training/datasetTransfer';

function dataset(samples: number, features: number): DatasetArrays {
  const xs = new Float32Array(samples * features).map((_, i) => i * 0.5);
  const ys = new Float32Array(samples * 3).map((_, i) => -i);
  const labels = new Int32Array(samples).map((_, i) => i % 10);
  return {
    id: 'test',
    description: 'test data',
    xs,
    xsShape: [samples, features],
    ys,
    ysShape: [samples, 3],
    labels,
    inputNoise: 0.2,
    sampleKind: 'vector',
  };
}

/** Sends like the page does, each message through structuredClone with its transfer list (as postMessage). */
async function roundTrip(data: DatasetArrays, receiver: DatasetReceiver, cancelAfter = Infinity, seq = 1) {
  const posted: Array<DatasetHeader | DataPart> = [];
  let pauses = 0;
  const sent = await sendDataset(
    (message, transfer) => {
      const moved = structuredClone(message, { transfer });
      posted.push(moved);
      if (moved.type === 'dataset') receiver.begin(moved);
      else receiver.part(moved);
    },
    data,
    { seq, pause: async () => void pauses++, cancelled: () => posted.length > cancelAfter },
  );
  return { sent, posted, pauses };
}

describe('training data to the model worker in parts (datasetTransfer)', () => {
  it('arrives whole, in parts of at most DATA_PART_VALUES moved values, one task each, leaving the page its arrays', async () => {
    const data = dataset(1000, 2621); // xs: 2.5 parts
    const receiver = new DatasetReceiver();
    const { sent, posted, pauses } = await roundTrip(data, receiver);
    assert.equal(sent, true);
    const parts = posted.filter((m): m is DataPart => m.type === 'dataPart');
    assert.deepEqual(
      parts.map((p) => p.array),
      ['xs', 'xs', 'xs', 'ys', 'labels'],
    );
    assert.ok(parts.every((p) => p.values.length <= DATA_PART_VALUES));
    assert.equal(pauses, parts.length, 'a new task before each part');
    assert.equal(data.xs.length, 1000 * 2621, "the page's arrays are not detached");
    const got = receiver.take();
    assert.deepEqual(got, data);
    assert.ok(got.labels instanceof Int32Array);
  });

  it('sends an autoencoder’s xs alone (no ys, no labels)', async () => {
    const { ys: _ys, ysShape: _s, labels: _l, ...xsOnly } = dataset(64, 784);
    const receiver = new DatasetReceiver();
    await roundTrip(xsOnly, receiver);
    const got = receiver.take();
    assert.deepEqual(got, xsOnly);
    assert.equal('ys' in got, false);
  });

  it('stops posting when cancelled between parts; the worker then refuses to train on it', async () => {
    const receiver = new DatasetReceiver();
    const { sent, posted } = await roundTrip(dataset(1000, 2621), receiver, 2);
    assert.equal(sent, false);
    assert.equal(posted.length, 3, 'header and two parts');
    assert.throws(() => receiver.take(), /incomplete: 2097152 of 2625000 values/);
  });

  const header = (seq: number, lengths: DatasetHeader['lengths']): DatasetHeader => ({
    type: 'dataset',
    seq,
    meta: { id: 'a', description: '', xsShape: [2, 2], sampleKind: 'vector' },
    lengths,
  });

  it('tells a part no dataset announced, memory it cannot allocate, and no data at all', () => {
    const receiver = new DatasetReceiver();
    assert.throws(() => receiver.take(), /No training data has reached the model worker/);
    receiver.begin(header(1, { xs: 4 }));
    receiver.part({ type: 'dataPart', seq: 1, array: 'ys', offset: 0, values: new Float32Array(4) });
    assert.throws(() => receiver.take(), /could not be taken by the model worker: a part of ys/);
    receiver.begin(header(2, { xs: 2 ** 40 }));
    assert.throws(() => receiver.take(), /could not be taken by the model worker: no room for 1099511627776 values/);
  });

  it('a new dataset replaces the last one; a late part of the last one is not written into it', async () => {
    const receiver = new DatasetReceiver();
    await roundTrip(dataset(10, 4), receiver, Infinity, 1);
    const second = dataset(20, 2);
    await roundTrip(second, receiver, Infinity, 2);
    receiver.part({ type: 'dataPart', seq: 1, array: 'xs', offset: 0, values: new Float32Array(40).fill(9) });
    assert.deepEqual(receiver.take(), second);
    // A part of the first dataset arriving while the second is incomplete does not complete it.
    receiver.begin(header(3, { xs: 4 }));
    receiver.part({ type: 'dataPart', seq: 2, array: 'xs', offset: 0, values: new Float32Array(4) });
    assert.throws(() => receiver.take(), /incomplete: 0 of 4 values/);
  });
});
