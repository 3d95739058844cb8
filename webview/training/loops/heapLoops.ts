/**
 * The loops of heapLoops.wat and depthwise.wat and the product of gemm.wat, instantiated on the
 * WASM backend's own memory, so that they read and write its tensors in place. Pointers are byte addresses on that
 * heap (`address`); counts are in floats, strides in floats for the loops and in bytes for gemm.
 * One instance per memory.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../wasmHeap';
import { DEPTHWISE, GEMM, GEMM_RELAXED, HEAP_LOOPS } from './heapLoopsBinary';

/** A convolution's geometry as the patch loops take it (element strides of x / dx). */
export type ConvGeometry = [
  b0: number,
  b1: number,
  outHeight: number,
  outWidth: number,
  inHeight: number,
  inWidth: number,
  inChannels: number,
  filterHeight: number,
  filterWidth: number,
  strideHeight: number,
  strideWidth: number,
  dilationHeight: number,
  dilationWidth: number,
  top: number,
  left: number,
  sB: number,
  sH: number,
  sW: number,
  sC: number,
];

/** A depthwise convolution's geometry (NHWC; M outputs per input channel). */
export type DepthwiseGeometry = [
  B: number,
  H: number,
  W: number,
  C: number,
  M: number,
  OH: number,
  OW: number,
  FH: number,
  FW: number,
  SH: number,
  SW: number,
  DH: number,
  DW: number,
  top: number,
  left: number,
];

/** A pooling's geometry: FH and FW are the effective (dilated) window sizes. */
export type PoolGeometry = [
  B: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
  FH: number,
  FW: number,
  SH: number,
  SW: number,
  DH: number,
  DW: number,
  top: number,
  left: number,
];

export interface HeapLoops {
  /** src [rows, cols] → dst [cols, rows]. */
  transpose(dst: number, src: number, rows: number, cols: number): void;
  /** dst[c] = Σ_r src[r, c] over src [rows, cols]. */
  sumRows(dst: number, src: number, rows: number, cols: number): void;
  /** Patches as rows (b, oh, ow) of columns (kh, kw, c), zeros in the padding. */
  im2colRows(dst: number, x: number, ...geometry: ConvGeometry): void;
  /** Adds im2colRows-shaped columns back onto their input positions. */
  col2im(cols: number, dx: number, ...geometry: ConvGeometry): void;
  /** NHWC max pooling gradient to each window's first tap equal to its maximum y (dx zeroed first). */
  maxPoolGrad(dx: number, x: number, y: number, dy: number, ...geometry: PoolGeometry): void;
  /** dw [FH, FW, C, M] of a depthwise convolution from x and dy (dw zeroed first). */
  depthwiseFilterGrad(dw: number, x: number, dy: number, ...geometry: DepthwiseGeometry): void;
  /** dx of a depthwise convolution from dy and the filter w (dx zeroed first). */
  depthwiseInputGrad(dx: number, w: number, dy: number, ...geometry: DepthwiseGeometry): void;
  /**
   * C[M, N] = A · B, or C += A · B when `add` is 1. A(m, k) at a + m·sAm + k·sAk, B's row k at
   * b + k·sBk with its N floats together, C's row m at c + m·ldc (strides in bytes).
   */
  gemm(
    c: number,
    a: number,
    b: number,
    M: number,
    K: number,
    N: number,
    sAm: number,
    sAk: number,
    sBk: number,
    ldc: number,
    add: 0 | 1,
  ): void;
  /** Whether gemm runs on relaxed SIMD's fused multiply-add (else a multiply and an add). */
  readonly relaxedSimd: boolean;
}

/** The part of the WebAssembly API used here (the root project's types have no DOM library). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => { buffer: ArrayBufferLike };
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const instances = new WeakMap<object, Map<boolean, HeapLoops>>();
let simdSupported: boolean | undefined;
let relaxedSupported: boolean | undefined;

/** Whether this engine runs WASM SIMD, which every loop here needs (the relaxed product aside). */
export function hasWasmSimd(): boolean {
  simdSupported ??= wasm.validate(decodeBase64(HEAP_LOOPS));
  return simdSupported;
}

/** Whether this engine runs relaxed SIMD (Chromium 114+, Node 22+). */
export function hasRelaxedSimd(): boolean {
  relaxedSupported ??= wasm.validate(decodeBase64(GEMM_RELAXED));
  return relaxedSupported;
}

/** The loops on `backend`'s memory (instantiated on first use). */
export function heapLoops(backend: WasmBackendLike): HeapLoops {
  return heapLoopsOn((backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory);
}

/**
 * The loops on a WebAssembly.Memory (a plain one, as tfjs's SIMD build has); gemm on relaxed
 * SIMD where the engine has it, unless `relaxedSimd` is false.
 */
export function heapLoopsOn(memory: unknown, relaxedSimd = hasRelaxedSimd()): HeapLoops {
  if (!(memory instanceof wasm.Memory)) {
    throw new Error("the WASM backend's memory is not reachable (tfjs-backend-wasm's module no longer exports it)");
  }
  const relaxed = relaxedSimd && hasRelaxedSimd();
  let variants = instances.get(memory);
  if (variants === undefined) instances.set(memory, (variants = new Map()));
  let loops = variants.get(relaxed);
  if (loops === undefined) {
    const imports = { env: { memory } };
    const instance = (base64: string): unknown => new wasm.Instance(new wasm.Module(decodeBase64(base64)), imports).exports;
    type Depthwise = 'depthwiseFilterGrad' | 'depthwiseInputGrad';
    loops = {
      ...(instance(HEAP_LOOPS) as Omit<HeapLoops, 'gemm' | 'relaxedSimd' | Depthwise>),
      ...(instance(DEPTHWISE) as Pick<HeapLoops, Depthwise>),
      gemm: (instance(relaxed ? GEMM_RELAXED : GEMM) as Pick<HeapLoops, 'gemm'>).gemm,
      relaxedSimd: relaxed,
    };
    variants.set(relaxed, loops);
  }
  return loops;
}

/** The byte address of a tensor's data on the backend's heap. */
export function address(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.typedArrayFromHeap(t).byteOffset;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
