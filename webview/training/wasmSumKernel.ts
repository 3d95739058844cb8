/**
 * Sum for the WASM backend over leading axes, the reduction of every bias gradient (the sum of
 * dy over batch, rows and columns, leaving the channels): tfjs-backend-wasm first transposes the
 * reduced axes innermost and then sums, several times slower than one pass of row additions on
 * the heap (heapLoops' sumRows). Every other Sum goes to the backend's own kernel.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { address, heapLoops } from './loops/heapLoops';
import type { WasmBackendLike } from './wasmHeap';

/** Below this many floats per row, the row additions gain nothing over the backend's Sum. */
const MIN_ROW = 4;

/** `original` (the backend's Sum) with float32 sums over leading axes done as row additions. */
export function leadingAxesSum(original: KernelFunc): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    const attrs = args.attrs as NamedAttrMap & { axis: number | number[]; keepDims?: boolean };
    const leading = leadingCount(x.shape, attrs.axis);
    if (x.dtype !== 'float32' || leading === null) return original(args);
    const rows = x.shape.slice(0, leading).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(leading);
    const cols = rest.reduce((a, b) => a * b, 1);
    if (cols < MIN_ROW || rows === 0) return original(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const shape = attrs.keepDims === true ? [...x.shape.slice(0, leading).map(() => 1), ...rest] : rest;
    const out = backend.makeOutput(shape, 'float32');
    heapLoops(backend).sumRows(address(backend, out), address(backend, x), rows, cols);
    return out;
  };
  return kernelFunc;
}

/** k when `axis` names exactly the first k axes of `shape` (0 < k < rank), else null. */
function leadingCount(shape: number[], axis: number | number[]): number | null {
  const rank = shape.length;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return null;
  return axes.every((a, i) => a === i) ? axes.length : null;
}
