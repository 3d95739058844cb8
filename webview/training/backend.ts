/**
 * Which tfjs backend trains the model. WebGPU where a hardware GPU adapter is offered, else WebGL
 * on a hardware GPU; where neither is (WebGL missing or on a software rasterizer such as
 * SwiftShader or llvmpipe, slower than WASM) the WASM backend with SIMD, whose binaries come from
 * the extension (`setWasmPaths(init.wasmBase)`). `init.backend` can force one; a forced backend
 * that fails to start falls back, and the reason says so. An automatic WebGPU choice is confirmed
 * by a one-batch check against the backend chosen without it (backendCheck.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendPreference } from '../../src/shared/messages';
import { hasWasmSimd } from './loops/heapLoops';
import { registerWasmTrainingKernels } from './wasmKernels';

export interface BackendChoice {
  /** tfjs backend name: `webgpu`, `webgl`, `wasm` or `cpu`. */
  name: string;
  /** One sentence for the UI and the `backend` message. */
  reason: string;
  /**
   * Set when WebGPU was chosen automatically: the backend (and its reason) to use instead if
   * WebGPU fails the one-batch check.
   */
  fallback?: BackendChoice;
}

export interface WebGpuProbe {
  available: boolean;
  /** The adapter's vendor and architecture ("nvidia ampere"), or why there is none. */
  adapter: string;
  /** A fallback (software) adapter, e.g. SwiftShader: slower than WASM for training. */
  software: boolean;
}

export interface WebGlProbe {
  available: boolean;
  /** Unmasked renderer (WEBGL_debug_renderer_info) when the browser tells, else RENDERER. */
  renderer: string;
  software: boolean;
}

// tfjs-backend-webgpu registers itself as the highest-priority backend, but it starts
// asynchronously: a tf call before setBackend (tf.memory() on a panel closed early) would throw.
// It is only ever chosen by name (selectBackend), so it goes to the lowest priority.
const webGpuFactory = tf.findBackendFactory('webgpu');
if (webGpuFactory !== null) {
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', webGpuFactory, 0);
}

export const BACKEND_LABELS: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

/** Looks at WebGL without keeping a context: available? which renderer? software? */
export function probeWebGl(doc: Document = document): WebGlProbe {
  const canvas = doc.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null) return { available: false, renderer: '', software: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info !== null ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, renderer, software: SOFTWARE_RENDERERS.test(renderer) };
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}
interface NavigatorWithGpu {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null> };
}

/** Asks for a WebGPU adapter (none is kept): is there one, which, a software fallback? */
export async function probeWebGpu(nav: NavigatorWithGpu = navigator as NavigatorWithGpu): Promise<WebGpuProbe> {
  if (nav.gpu === undefined) return { available: false, adapter: 'WebGPU is not available', software: false };
  try {
    const adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) return { available: false, adapter: 'no WebGPU adapter', software: false };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture].filter((s) => s !== undefined && s !== '').join(' ') || 'a GPU';
    const software = (info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false) || SOFTWARE_RENDERERS.test(name);
    return { available: true, adapter: name, software };
  } catch {
    return { available: false, adapter: 'the WebGPU adapter request failed', software: false };
  }
}

/** A short renderer name: "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device…" → "SwiftShader". */
function rendererLabel(renderer: string): string {
  const known = /swiftshader|llvmpipe|softpipe/i.exec(renderer);
  if (known) return known[0].toLowerCase() === 'swiftshader' ? 'SwiftShader' : known[0];
  return renderer.length > 60 ? `${renderer.slice(0, 57)}…` : renderer;
}

/** Where the WASM binaries are: a folder URL, or a URL per file name (the training worker's blob: URLs). */
export type WasmPaths = string | Record<string, string>;

let wasmPathsSet: WasmPaths | null = null;

function configureWasm(wasmPaths: WasmPaths): void {
  const paths = typeof wasmPaths === 'string' && !wasmPaths.endsWith('/') ? `${wasmPaths}/` : wasmPaths;
  if (wasmPathsSet !== paths) {
    // Never the threaded binary, even on a cross-origin isolated page: the training kernels'
    // loops (loops/heapLoops.ts) work on the backend's memory, which only the SIMD (and plain)
    // builds let them reach; the cores are used by data-parallel workers instead.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(paths);
    wasmPathsSet = paths;
  }
  registerWasmTrainingKernels();
}

/**
 * Initialises and activates backend `name`; false when it does not start here. WASM does not
 * without WASM SIMD (`simd`): its training kernels (loops/*.wat) are SIMD code.
 */
export async function trySetBackend(name: string, wasmPaths: WasmPaths, simd: () => boolean = hasWasmSimd): Promise<boolean> {
  if (name === 'wasm' && !simd()) return false;
  if (name === 'wasm') configureWasm(wasmPaths);
  // Shapes as uniforms: one shader program serves every batch (and slice) size, instead of a
  // compile per new shape, which costs seconds on the first batches.
  if (name === 'webgl') tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Chooses, initialises and activates the backend. Never throws: the CPU backend is the last
 * resort and always starts.
 */
export async function selectBackend(
  preference: BackendPreference,
  wasmBase: string,
  probe: () => WebGlProbe = probeWebGl,
  gpuProbe: () => Promise<WebGpuProbe> = probeWebGpu,
  simd: () => boolean = hasWasmSimd,
): Promise<BackendChoice> {
  if (preference !== 'auto') {
    if (await trySetBackend(preference, wasmBase, simd))
      return { name: preference, reason: `${BACKEND_LABELS[preference]} chosen in the settings` };
    const fallback = await selectBackend('auto', wasmBase, probe, gpuProbe, simd);
    return { ...fallback, reason: `${BACKEND_LABELS[preference]} could not start. ${fallback.reason}` };
  }
  const gpu = await gpuProbe();
  if (gpu.available && !gpu.software) {
    // Chosen without WebGPU first, so that a failed check has somewhere to go.
    const fallback = await selectWithoutWebGpu(wasmBase, probe, simd);
    if (await trySetBackend('webgpu', wasmBase)) return { name: 'webgpu', reason: `WebGPU on ${gpu.adapter}`, fallback };
    await trySetBackend(fallback.name, wasmBase, simd);
    return { ...fallback, reason: `WebGPU failed to start; ${fallback.reason}` };
  }
  return selectWithoutWebGpu(wasmBase, probe, simd);
}

async function selectWithoutWebGpu(wasmBase: string, probe: () => WebGlProbe, simd: () => boolean): Promise<BackendChoice> {
  const webgl = probe();
  let why: string;
  if (!webgl.available) why = 'WebGL is not available: using WASM';
  else if (webgl.software) why = `WebGL renderer is ${rendererLabel(webgl.renderer)} (software): using WASM`;
  else if (await trySetBackend('webgl', wasmBase))
    return { name: 'webgl', reason: `WebGL on ${rendererLabel(webgl.renderer) || 'the GPU'}` };
  else why = 'WebGL failed to start: using WASM';
  if (!simd()) {
    await trySetBackend('cpu', wasmBase);
    return {
      name: tf.getBackend(),
      reason: `${why.replace(/: using WASM$/, '')}; this browser's WebAssembly has no SIMD, which the WASM training kernels need: using the CPU backend (slow)`,
    };
  }
  if (await trySetBackend('wasm', wasmBase, simd)) return { name: 'wasm', reason: `${why} (SIMD)` };
  await trySetBackend('cpu', wasmBase);
  return {
    name: tf.getBackend(),
    reason: `${why.replace(/: using WASM$/, '')}; WASM failed to start: using the CPU backend (slow)`,
  };
}
