/**
 * The training data, page → model worker, in parts. One structured-cloned `train` message with
 * 10,000 MNIST vectors (31 MB) held the page's thread for 61 ms before training began; each part
 * here is a copy of at most DATA_PART_VALUES values (4 MB), moved (transferred, not cloned), one
 * part per task. The worker puts the parts back together in arrays it allocates once.
 */
import type { DatasetArrays } from '../../src/shared/messages';
import { nextTask } from './scheduling';

/** Values per part: 4 MB of float32. */
export const DATA_PART_VALUES = 1 << 20;

export type DataArrayName = 'xs' | 'ys' | 'labels';

/** What a dataset is, without its values: the worker allocates from `lengths`. */
export interface DatasetHeader {
  type: 'dataset';
  /** Numbers this dataset's parts: a part of another dataset is never written into it. */
  seq: number;
  meta: Omit<DatasetArrays, 'xs' | 'ys' | 'labels'>;
  lengths: Partial<Record<DataArrayName, number>>;
}

export interface DataPart {
  type: 'dataPart';
  seq: number;
  array: DataArrayName;
  offset: number;
  values: Float32Array | Int32Array;
}

function arraysOf(dataset: DatasetArrays): Array<[DataArrayName, Float32Array | Int32Array]> {
  const out: Array<[DataArrayName, Float32Array | Int32Array]> = [['xs', dataset.xs]];
  if (dataset.ys !== undefined) out.push(['ys', dataset.ys]);
  if (dataset.labels !== undefined) out.push(['labels', dataset.labels]);
  return out;
}

/**
 * Posts the header, then every part in its own task (`pause` between parts). Resolves false,
 * having posted no more, when `cancelled()` turns true between parts.
 */
export async function sendDataset(
  post: (message: DatasetHeader | DataPart, transfer: ArrayBuffer[]) => void,
  dataset: DatasetArrays,
  options: { seq?: number; cancelled?: () => boolean; pause?: () => Promise<void> } = {},
): Promise<boolean> {
  const { xs: _xs, ys: _ys, labels: _labels, ...meta } = dataset;
  const seq = options.seq ?? 0;
  const arrays = arraysOf(dataset);
  post({ type: 'dataset', seq, meta, lengths: Object.fromEntries(arrays.map(([name, a]) => [name, a.length])) }, []);
  for (const [name, array] of arrays) {
    for (let offset = 0; offset < array.length; offset += DATA_PART_VALUES) {
      await (options.pause ?? nextTask)();
      if (options.cancelled?.() === true) return false;
      const values = array.slice(offset, offset + DATA_PART_VALUES);
      post({ type: 'dataPart', seq, array: name, offset, values }, [values.buffer as ArrayBuffer]);
    }
  }
  return true;
}

/** The worker's side: a header starts a dataset, its parts fill it, `take()` gives it once whole. */
export class DatasetReceiver {
  private header: DatasetHeader | null = null;
  private arrays: Partial<Record<DataArrayName, Float32Array | Int32Array>> = {};
  private received = 0;
  private expected = 0;
  /** What went wrong with the parts of this dataset (told at `take`: parts get no reply). */
  private problem: string | null = null;

  begin(header: DatasetHeader): void {
    this.header = header;
    this.arrays = {};
    this.received = 0;
    this.expected = 0;
    this.problem = null;
    try {
      for (const [name, length] of Object.entries(header.lengths) as Array<[DataArrayName, number]>) {
        this.arrays[name] = name === 'labels' ? new Int32Array(length) : new Float32Array(length);
        this.expected += length;
      }
    } catch (error) {
      this.arrays = {};
      this.problem = `no room for ${Object.values(header.lengths).reduce((a, b) => a + b, 0)} values (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  part(part: DataPart): void {
    if (this.header === null || part.seq !== this.header.seq) return; // a part of an earlier dataset
    if (this.problem !== null) return;
    const target = this.arrays[part.array];
    if (target === undefined || part.offset + part.values.length > target.length) {
      this.problem ??= `a part of ${part.array} (values ${part.offset}–${part.offset + part.values.length}) that the dataset did not announce`;
      return;
    }
    target.set(part.values, part.offset);
    this.received += part.values.length;
  }

  /** The dataset whose parts have all arrived; throws while none has, or when a part was wrong. */
  take(): DatasetArrays {
    if (this.problem !== null) throw new Error(`The training data could not be taken by the model worker: ${this.problem}.`);
    if (this.header === null) throw new Error('No training data has reached the model worker.');
    if (this.received !== this.expected) {
      throw new Error(`The training data reached the model worker incomplete: ${this.received} of ${this.expected} values.`);
    }
    const { xs, ys, labels } = this.arrays;
    return {
      ...this.header.meta,
      xs: xs as Float32Array,
      ...(ys !== undefined ? { ys: ys as Float32Array } : {}),
      ...(labels !== undefined ? { labels: labels as Int32Array } : {}),
    };
  }
}
