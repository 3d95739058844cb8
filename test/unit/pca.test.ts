/**
 * webview/probes/pca.ts against data whose principal axes are known exactly: points on the
 * axes of an ellipsoid (variances known in closed form), rotated by a known rotation. PCA must
 * give back the rotated axes (up to sign), the variances, and projections that undo the
 * rotation; subspaceAngle must give back a known dihedral angle.
 */
import * as assert from 'assert';
import { covariance, cross3, orthonormalBasis, pca, project, subspaceAngle } from '../../webview/probes/pca';

/** A rotation about a unit axis by `deg` degrees (Rodrigues), row-major 3×3. */
function rotation(axis: [number, number, number], deg: number): number[][] {
  const n = Math.hypot(...axis);
  const [x, y, z] = axis.map((v) => v / n) as [number, number, number];
  const t = (deg * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const C = 1 - c;
  return [
    [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
    [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
    [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
  ];
}

/** A d×d orthogonal matrix from Gram–Schmidt on a fixed pseudo-random matrix (columns = basis). */
function orthogonal(d: number, seed: number): number[][] {
  let state = seed;
  const rand = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const cols = orthonormalBasis(Array.from({ length: d }, () => Array.from({ length: d }, rand)));
  assert.strictEqual(cols.length, d);
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => cols[j]![i]!));
}

function column(m: number[][], j: number): number[] {
  return m.map((row) => row[j]!);
}

/**
 * ±a_j along every axis j of the canonical basis, then rotated by R (x ↦ R·x) and shifted by
 * `offset`: the covariance is exactly R·diag(2a_j²/2d)·Rᵀ, so the components are R's columns.
 */
function axisPoints(R: number[][], a: number[], offset: number[]): { data: Float64Array; n: number } {
  const d = a.length;
  const n = 2 * d;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    for (const sign of [1, -1]) {
      const row = (2 * j + (sign > 0 ? 0 : 1)) * d;
      for (let i = 0; i < d; i++) data[row + i] = sign * a[j]! * R[i]![j]! + offset[i]!;
    }
  }
  return { data, n };
}

function absDot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return Math.abs(s);
}

describe('pca: recovers a known rotation', () => {
  it('3-D ellipsoid axes rotated 37° about (1, 2, 3)', () => {
    const R = rotation([1, 2, 3], 37);
    const a = [5, 2, 0.5];
    const { data, n } = axisPoints(R, a, [10, -4, 2]);
    const result = pca(data, n, 3, 3);
    const expectedVar = a.map((v) => (2 * v * v) / n);
    result.variances.forEach((v, j) =>
      assert.ok(Math.abs(v - expectedVar[j]!) < 1e-9, `variance ${j}: ${v} vs ${expectedVar[j]}`),
    );
    result.components.forEach((c, j) =>
      assert.ok(Math.abs(absDot(c, column(R, j)) - 1) < 1e-9, `component ${j} is R's column ${j}`),
    );
    assert.ok(
      Math.abs(result.mean[0]! - 10) < 1e-12 && Math.abs(result.mean[1]! + 4) < 1e-12 && Math.abs(result.mean[2]! - 2) < 1e-12,
    );
    assert.ok(Math.abs(result.totalVariance - expectedVar.reduce((s, v) => s + v, 0)) < 1e-9);
    // Projection undoes the rotation: the first point (+a₀ along R's first column) lands on (±5, 0, 0).
    const coords = project(data, n, 3, result);
    assert.ok(Math.abs(Math.abs(coords[0]!) - 5) < 1e-5 && Math.abs(coords[1]!) < 1e-5 && Math.abs(coords[2]!) < 1e-5);
  });

  it('10-D with a random orthogonal basis, top 4 components', () => {
    const d = 10;
    const R = orthogonal(d, 42);
    const a = [9, 7, 5, 3, 1, 0.9, 0.8, 0.7, 0.6, 0.5];
    const { data, n } = axisPoints(R, a, new Array(d).fill(1));
    const result = pca(data, n, d, 4);
    assert.strictEqual(result.components.length, 4);
    result.components.forEach((c, j) => assert.ok(Math.abs(absDot(c, column(R, j)) - 1) < 1e-8, `component ${j}`));
    // Components are unit length and mutually orthogonal.
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const dot = absDot(result.components[i]!, result.components[j]!);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9);
      }
  });

  it('signs are stable: the largest entry of every component is positive', () => {
    const { data, n } = axisPoints(rotation([0, 0, 1], 200), [3, 1, 0.2], [0, 0, 0]);
    for (const c of pca(data, n, 3, 3).components) {
      const big = [...c].reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      assert.ok(big > 0);
    }
  });

  it('covariance of a rank-deficient set: trailing variances are zero', () => {
    // Points on a line through (1, 1, 1) in direction (1, 2, 2)/3.
    const pts: number[] = [];
    for (let t = -3; t <= 3; t++) pts.push(1 + t / 3, 1 + (2 * t) / 3, 1 + (2 * t) / 3);
    const { cov } = covariance(pts, 7, 3);
    assert.ok(Math.abs(cov[0]! - 4 / 9) < 1e-12);
    const result = pca(pts, 7, 3, 3);
    assert.ok(Math.abs(absDot(result.components[0]!, [1 / 3, 2 / 3, 2 / 3]) - 1) < 1e-9);
    assert.ok(result.variances[1]! < 1e-9 && result.variances[2]! < 1e-9);
  });
});

describe('subspaceAngle', () => {
  it('dihedral angle of two planes in 3-D, for any spanning vectors', () => {
    for (const deg of [0, 10, 37, 60, 90]) {
      const R = rotation([1, 0, 0], deg); // rotates the xy plane about the x axis
      const plane1 = [
        [1, 0, 0],
        [0, 1, 0],
      ];
      const plane2 = [column(R, 0), column(R, 1)].map((v, i) =>
        v.map((x, j) => x * (i + 2) + (i === 1 ? 0.3 * column(R, 0)[j]! : 0)),
      );
      const angle = subspaceAngle(plane1, plane2);
      assert.ok(Math.abs(angle - deg) < 1e-6, `${deg}°: got ${angle}`);
      // Agrees with the angle between the normals.
      const n1 = cross3(plane1[0]!, plane1[1]!);
      const n2 = cross3(plane2[0]!, plane2[1]!);
      const cos = absDot(n1, n2) / (Math.hypot(...n1) * Math.hypot(...n2));
      assert.ok(Math.abs((Math.acos(Math.min(1, cos)) * 180) / Math.PI - deg) < 1e-6);
    }
  });

  it('a plane and itself in another basis: 0°', () => {
    const R = rotation([2, -1, 0.5], 71);
    const u = column(R, 0);
    const v = column(R, 2);
    const mix = u.map((x, i) => 0.6 * x - 0.8 * v[i]!);
    assert.ok(subspaceAngle([u, v], [mix, v]) < 1e-6);
  });
});
