/**
 * UMAP off the hot path, only on demand: the k nearest neighbours by brute force a few rows at
 * a time (umap-js would compute them in one long synchronous call), handed to umap-js with
 * `setPrecomputedKNN`; then `initializeFit` (now cheap) and `step()` in short time slices
 * (≈8 ms each, yielding to the event loop in between) so training and the UI keep running. The
 * embedding is reported as it settles.
 */
import { UMAP } from 'umap-js';
import { seededRandom } from '../../src/shared/random';

export interface UmapProgress {
  /** Empty while the neighbours are being found. */
  embedding: number[][];
  epoch: number;
  epochs: number;
  done: boolean;
  /** Fraction of the neighbour search done. */
  neighbours: number;
}

/** The k nearest rows to `row` (itself first, at distance 0), Euclidean, by brute force. */
export function nearest(
  codes: Float32Array,
  n: number,
  dim: number,
  row: number,
  k: number,
): { indices: number[]; distances: number[] } {
  const indices: number[] = [row];
  const distances: number[] = [0];
  const base = row * dim;
  for (let j = 0; j < n; j++) {
    if (j === row) continue;
    let d = 0;
    for (let c = 0; c < dim; c++) {
      const e = codes[base + c]! - codes[j * dim + c]!;
      d += e * e;
    }
    d = Math.sqrt(d);
    if (indices.length === k && d >= distances[k - 1]!) continue;
    // Insertion into the sorted list (k is small).
    let p = indices.length === k ? k - 1 : indices.length;
    while (p > 1 && distances[p - 1]! > d) {
      indices[p] = indices[p - 1]!;
      distances[p] = distances[p - 1]!;
      p--;
    }
    indices[p] = j;
    distances[p] = d;
  }
  return { indices, distances };
}

export class UmapRunner {
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  get running(): boolean {
    return this.timer !== null;
  }

  /**
   * Starts a new fit (cancelling any running one). `onProgress` is called after each slice.
   * Needs at least 4 samples (UMAP wants more points than neighbours).
   */
  start(codes: Float32Array, n: number, dim: number, onProgress: (p: UmapProgress) => void, sliceMs = 8): void {
    this.cancel();
    if (n < 4) return;
    const generation = ++this.generation;
    const data: number[][] = [];
    for (let i = 0; i < n; i++) data.push(Array.from(codes.subarray(i * dim, (i + 1) * dim)));
    const k = Math.min(15, Math.max(2, n - 1));
    // 200 epochs (UMAP's choice for large data) rather than umap-js's 500 for small data: the
    // layout has settled by then and each epoch costs ~10 ms per 600 points in umap-js.
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: k,
      minDist: 0.1,
      nEpochs: 200,
      random: seededRandom(42) /* the same codes give the same layout */,
    });
    const knnIndices: number[][] = [];
    const knnDistances: number[][] = [];
    let row = 0;
    let epochs = 0;
    let epoch = 0;
    let lastReport = 0;
    const slice = (): void => {
      if (generation !== this.generation) return;
      const t0 = performance.now();
      if (row < n) {
        while (row < n && performance.now() - t0 < sliceMs) {
          const { indices, distances } = nearest(codes, n, dim, row, k);
          knnIndices.push(indices);
          knnDistances.push(distances);
          row++;
        }
        if (row === n) {
          umap.setPrecomputedKNN(knnIndices, knnDistances);
          epochs = umap.initializeFit(data);
        }
        onProgress({ embedding: [], epoch: 0, epochs: 0, done: false, neighbours: row / n });
      } else {
        while (epoch < epochs && performance.now() - t0 < sliceMs) epoch = umap.step();
        const done = epoch >= epochs;
        // Report (and so redraw) at most every 100 ms, and at the end.
        if (done || performance.now() - lastReport > 100) {
          lastReport = performance.now();
          onProgress({ embedding: umap.getEmbedding(), epoch, epochs, done, neighbours: 1 });
        }
        if (done) {
          this.timer = null;
          return;
        }
      }
      this.timer = setTimeout(slice, 0);
    };
    this.timer = setTimeout(slice, 0);
  }

  cancel(): void {
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
