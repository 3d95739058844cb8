/**
 * The linear-autoencoder comparison: the plane the decoder spans (its weight columns) beside the
 * PCA plane of the same 3-D data, and the angle between them. A linear autoencoder trained with
 * MSE learns the same subspace as PCA, so the angle should fall towards 0° as it trains.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { ProbedLayer } from '../probes/activationModel';
import { decoderSpan } from '../probes/latentProbe';
import { cross3, orthonormalBasis, pca, subspaceAngle, type PcaResult } from '../probes/pca';
import { sampleCount, spreadIndices } from '../probes/sampleInput';
import type { PlaneScene, ScenePlane } from './planeView';
import type { DatasetArrays } from '../../src/shared/messages';

type Vec3 = [number, number, number];

export interface PlaneComparison {
  scene: PlaneScene;
  angleDeg: number;
  explained: number;
}

const pcaCache = new WeakMap<Float32Array, PcaResult>();

function vec(a: ArrayLike<number>): Vec3 {
  return [a[0]!, a[1]!, a[2]!];
}

export async function comparePlanes(
  tf: typeof tfjs,
  ds: DatasetArrays,
  decoder: ProbedLayer[],
  colors: { pca: string; learnt: string },
  maxPoints = 1500,
): Promise<PlaneComparison> {
  const indices = spreadIndices(sampleCount(ds), maxPoints);
  const n = indices.length;
  const points = new Float32Array(n * 3);
  indices.forEach((idx, k) => points.set(ds.xs.subarray(idx * 3, idx * 3 + 3), k * 3));
  let p = pcaCache.get(ds.xs);
  if (!p) {
    p = pca(ds.xs, sampleCount(ds), 3, 2);
    pcaCache.set(ds.xs, p);
  }
  const { rows, offset } = await decoderSpan(tf, decoder);
  const angleDeg = subspaceAngle([p.components[0]!, p.components[1]!], rows);
  const mean = vec(p.mean);
  // Both planes drawn as discs of the same radius (2σ along the first component).
  const radius = 2 * Math.sqrt(p.variances[0]!);
  const pcaPlane: ScenePlane = {
    label: 'PCA plane',
    color: colors.pca,
    center: mean,
    u: vec(p.components[0]!),
    v: vec(p.components[1]!),
    extentU: radius,
    extentV: radius,
    dashed: true,
  };
  const basis = orthonormalBasis(rows);
  const planes: ScenePlane[] = [];
  if (basis.length === 2) {
    // The learnt plane is affine: {z·W + b}. Centre it where the data mean projects onto it.
    const u = vec(basis[0]!);
    const v = vec(basis[1]!);
    const rel: Vec3 = [mean[0] - offset[0]!, mean[1] - offset[1]!, mean[2] - offset[2]!];
    const a = rel[0] * u[0] + rel[1] * u[1] + rel[2] * u[2];
    const b = rel[0] * v[0] + rel[1] * v[1] + rel[2] * v[2];
    const center: Vec3 = [0, 1, 2].map((k) => offset[k]! + a * u[k]! + b * v[k]!) as Vec3;
    planes.push({ label: 'learnt plane', color: colors.learnt, center, u, v, extentU: radius, extentV: radius });
  }
  planes.push(pcaPlane); // drawn last, dashed: visible even where the two coincide
  const labels = ds.labels ? indices.map((i) => ds.labels![i]) : null;
  const explained = (p.variances[0]! + p.variances[1]!) / (p.totalVariance || 1);
  const normal = cross3(p.components[0]!, p.components[1]!);
  return { scene: { points, n, labels, planes, viewNormal: normal }, angleDeg, explained };
}
