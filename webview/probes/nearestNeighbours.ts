/**
 * Nearest neighbours in latent space (pure, unit-tested): the `k` samples whose codes are
 * closest (Euclidean distance) to one sample's code, closest first, the sample itself left out.
 */

export interface Neighbour {
  /** Row of the codes (the caller maps it to a dataset index). */
  row: number;
  distance: number;
}

/** The `k` rows of `codes` (n × dim) nearest to row `query`, sorted by distance (then by row). */
export function nearestNeighbours(codes: Float32Array, n: number, dim: number, query: number, k: number): Neighbour[] {
  const q = codes.subarray(query * dim, (query + 1) * dim);
  const all: Neighbour[] = [];
  for (let i = 0; i < n; i++) {
    if (i === query) continue;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const e = codes[i * dim + d]! - q[d]!;
      s += e * e;
    }
    all.push({ row: i, distance: Math.sqrt(s) });
  }
  all.sort((a, b) => a.distance - b.distance || a.row - b.row);
  return all.slice(0, Math.max(0, k));
}
