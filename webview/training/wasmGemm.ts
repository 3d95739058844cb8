/**
 * Matrix products of float32 tensors on the WASM backend's heap with gemm.wat (loops/heapLoops.ts):
 * faster than the backend's XNNPACK product for training's shapes, and transposes cost nothing
 * on the left operand (strides) and one tiled transpose of the right one.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { address, heapLoops } from './loops/heapLoops';
import type { WasmBackendLike } from './wasmHeap';

const FLOAT = 4;

/**
 * a · b as BatchMatMul computes it ([..., M, K] · [..., K, N], transposes as its attributes,
 * batch dimensions equal or one side's all 1), or null where that does not apply (another
 * dtype, other broadcasting): the caller then uses the backend's own product.
 */
export function heapMatMul(
  backend: WasmBackendLike,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const batch = batchPlan(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (batch === null) return null;
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const M = transposeA ? ca : ra;
  const K = transposeA ? ra : ca;
  const N = transposeB ? rb : cb;
  if ((transposeB ? cb : rb) !== K) return null;
  const loops = heapLoops(backend);
  const out = backend.makeOutput([...batch.shape, M, N], 'float32');
  // B's rows must hold its N floats together: a transposed B is transposed first.
  const bRows = transposeB ? backend.makeOutput([batch.countB, K, N], 'float32') : b;
  try {
    // Addresses after every allocation (an allocation may move the heap).
    const [outAt, aAt, bAt] = [address(backend, out), address(backend, a), address(backend, b)];
    const rowsAt = address(backend, bRows);
    if (transposeB)
      for (let i = 0; i < batch.countB; i++) loops.transpose(rowsAt + i * K * N * FLOAT, bAt + i * K * N * FLOAT, N, K);
    const [sAm, sAk] = transposeA ? [FLOAT, M * FLOAT] : [K * FLOAT, FLOAT];
    for (let i = 0; i < batch.count; i++) {
      const aMatrix = aAt + (batch.countA === 1 ? 0 : i) * M * K * FLOAT;
      const bMatrix = rowsAt + (batch.countB === 1 ? 0 : i) * K * N * FLOAT;
      loops.gemm(outAt + i * M * N * FLOAT, aMatrix, bMatrix, M, K, N, sAm, sAk, N * FLOAT, N * FLOAT, 0);
    }
  } finally {
    if (bRows !== b) backend.disposeData(bRows.dataId);
  }
  return out;
}

interface BatchPlan {
  /** The product's batch dimensions. */
  shape: number[];
  count: number;
  countA: number;
  countB: number;
}

/** Equal batch dimensions, or one side's all 1 (broadcast); null for any other broadcasting. */
function batchPlan(batchA: number[], batchB: number[]): BatchPlan | null {
  const countA = batchA.reduce((p, d) => p * d, 1);
  const countB = batchB.reduce((p, d) => p * d, 1);
  const rank = Math.max(batchA.length, batchB.length);
  const padded = (dims: number[]): number[] => [...Array<number>(rank - dims.length).fill(1), ...dims];
  const [pa, pb] = [padded(batchA), padded(batchB)];
  if (countA === countB && pa.every((d, i) => d === pb[i])) return { shape: pa, count: countA, countA, countB };
  if (countA === 1) return { shape: pb, count: countB, countA, countB };
  if (countB === 1) return { shape: pa, count: countA, countA, countB };
  return null;
}
