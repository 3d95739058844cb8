/**
 * A small PCA for the latent-space view: the covariance matrix, then the leading
 * eigenvectors by power iteration with deflation. Pure numbers in, numbers out (no tfjs, no
 * DOM), so it is unit-tested in Node. Sizes it is meant for: a few thousand samples of a
 * latent code of a few to a few hundred dimensions (the cost is n·d² for the covariance plus
 * k·iterations·d² for the eigenvectors).
 */

export interface PcaResult {
  /** Per-dimension mean of the data (length d). */
  mean: Float64Array;
  /** k unit vectors of length d, by decreasing variance, signs fixed (see `fixSign`). */
  components: Float64Array[];
  /** Variance along each component (eigenvalues of the covariance, population normalised). */
  variances: number[];
  /** Sum of the variances of all d dimensions (the covariance's trace). */
  totalVariance: number;
}

export interface PcaOptions {
  /** Power-iteration cap per component (default 500). */
  maxIterations?: number;
  /** Stop when the direction moves less than this (1 − |cos|, default 1e-12). */
  tolerance?: number;
}

/** Mean and covariance (population: divided by n) of n row-major samples of dimension d. */
export function covariance(data: ArrayLike<number>, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  if (data.length < n * d) throw new Error(`need ${n}×${d} values, got ${data.length}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(n, 1);
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const off = a * d;
      for (let b = a; b < d; b++) cov[off + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / Math.max(n, 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { mean, cov };
}

/** Flips v so that its largest-magnitude entry is positive: stable signs between refreshes. */
export function fixSign(v: Float64Array): Float64Array {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]!) > Math.abs(v[best]!)) best = j;
  if (v[best]! < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j]!;
  return v;
}

function normalize(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j]! /= norm;
  return norm;
}

/** The k leading eigenpairs of a symmetric positive semi-definite d×d matrix. */
export function topEigenvectors(
  matrix: Float64Array,
  d: number,
  k: number,
  options: PcaOptions = {},
): { vectors: Float64Array[]; values: number[] } {
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-12;
  const m = Float64Array.from(matrix); // deflated in place
  const vectors: Float64Array[] = [];
  const values: number[] = [];
  const next = new Float64Array(d);
  for (let c = 0; c < Math.min(k, d); c++) {
    // Deterministic start that is unlikely to be orthogonal to any eigenvector.
    const v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = 1 + ((j * 7919 + c * 104729) % 97) / 97;
    for (const u of vectors) orthogonalize(v, u);
    if (normalize(v) === 0) v[c] = 1;
    let lambda = 0;
    for (let it = 0; it < maxIterations; it++) {
      for (let a = 0; a < d; a++) {
        let s = 0;
        const off = a * d;
        for (let b = 0; b < d; b++) s += m[off + b]! * v[b]!;
        next[a] = s;
      }
      // Keep the iterate out of the span already found (guards against round-off).
      for (const u of vectors) orthogonalize(next, u);
      lambda = normalize(next);
      if (lambda === 0) break; // the remaining spectrum is zero: any orthogonal direction will do
      let dot = 0;
      for (let j = 0; j < d; j++) dot += next[j]! * v[j]!;
      v.set(next);
      if (1 - Math.abs(dot) < tolerance) break;
    }
    fixSign(v);
    vectors.push(v);
    values.push(lambda);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m[a * d + b]! -= lambda * v[a]! * v[b]!;
  }
  return { vectors, values };
}

function orthogonalize(v: Float64Array, u: Float64Array): void {
  let dot = 0;
  for (let j = 0; j < v.length; j++) dot += v[j]! * u[j]!;
  for (let j = 0; j < v.length; j++) v[j]! -= dot * u[j]!;
}

/** PCA of n row-major samples of dimension d, keeping k components. */
export function pca(data: ArrayLike<number>, n: number, d: number, k: number, options: PcaOptions = {}): PcaResult {
  const { mean, cov } = covariance(data, n, d);
  return pcaFromCovariance(mean, cov, d, k, options);
}

/** PCA from a precomputed mean and covariance (e.g. computed on the GPU for large d). */
export function pcaFromCovariance(
  mean: Float64Array,
  cov: Float64Array,
  d: number,
  k: number,
  options: PcaOptions = {},
): PcaResult {
  let totalVariance = 0;
  for (let j = 0; j < d; j++) totalVariance += cov[j * d + j]!;
  const { vectors, values } = topEigenvectors(cov, d, k, options);
  return { mean, components: vectors, variances: values, totalVariance };
}

/** Projects n samples onto the components: n×k row-major coordinates (centred on the mean). */
export function project(data: ArrayLike<number>, n: number, d: number, result: PcaResult): Float32Array {
  const k = result.components.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const comp = result.components[c]!;
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j]! - result.mean[j]!) * comp[j]!;
      out[i * k + c] = s;
    }
  }
  return out;
}

/**
 * The largest principal angle (degrees, 0–90) between the subspaces spanned by two sets of
 * vectors of the same dimension. For two planes in 3-D it is the dihedral angle between them.
 */
export function subspaceAngle(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  const qa = orthonormalBasis(a);
  const qb = orthonormalBasis(b);
  if (qa.length === 0 || qb.length === 0) return NaN;
  // M = Qaᵀ Qb; the cosines of the principal angles are its singular values. The largest
  // angle belongs to the smallest singular value: sqrt of the smallest eigenvalue of MᵀM.
  const p = qa.length;
  const q = qb.length;
  const mtm = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let r = 0; r < p; r++) s += dot(qa[r]!, qb[i]!) * dot(qa[r]!, qb[j]!);
      mtm[i * q + j] = s;
    }
  }
  const { values } = topEigenvectors(mtm, q, q, { maxIterations: 2000, tolerance: 1e-15 });
  const smallest = p < q ? 0 : Math.max(0, Math.min(...values));
  const cos = Math.min(1, Math.sqrt(smallest));
  return (Math.acos(cos) * 180) / Math.PI;
}

/** Gram–Schmidt; drops vectors that are (numerically) dependent on the earlier ones. */
export function orthonormalBasis(vectors: ArrayLike<number>[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const w = Float64Array.from(v as ArrayLike<number>);
    const scale = Math.sqrt(dot(w, w));
    for (const u of out) orthogonalize(w, u);
    const norm = normalize(w);
    if (norm > 1e-9 * Math.max(scale, 1e-30)) out.push(w);
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/** The cross product of two 3-vectors. */
export function cross3(a: ArrayLike<number>, b: ArrayLike<number>): [number, number, number] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}
