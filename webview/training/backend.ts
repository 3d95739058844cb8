/**
 * Which tfjs backend trains the model. WebGL by default; where WebGL is missing or runs on a
 * software rasterizer (SwiftShader, llvmpipe: slower than WASM) the WASM backend with SIMD,
 * whose binaries come from the extension (`setWasmPaths(init.wasmBase)`). `init.backend` can
 * force one; a forced backend that fails to start falls back, and the reason says so.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendPreference } from '../../src/shared/messages';
import { registerWasmTrainingKernels } from './wasmKernels';

export interface BackendChoice {
  /** tfjs backend name: `webgl`, `wasm` or `cpu`. */
  name: string;
  /** One sentence for the UI and the `backend` message. */
  reason: string;
}

export interface WebGlProbe {
  available: boolean;
  /** Unmasked renderer (WEBGL_debug_renderer_info) when the browser tells, else RENDERER. */
  renderer: string;
  software: boolean;
}

export const BACKEND_LABELS: Record<string, string> = { webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

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
    // The threaded binary needs cross-origin isolation, which webviews lack: tfjs then picks
    // tfjs-backend-wasm-simd.wasm (or the plain one without SIMD).
    setWasmPaths(paths);
    wasmPathsSet = paths;
  }
  registerWasmTrainingKernels();
}

/** Initialises and activates backend `name`; false when it does not start here. */
export async function trySetBackend(name: string, wasmPaths: WasmPaths): Promise<boolean> {
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
): Promise<BackendChoice> {
  if (preference !== 'auto') {
    if (await trySetBackend(preference, wasmBase))
      return { name: preference, reason: `${BACKEND_LABELS[preference]} chosen in the settings` };
    const fallback = await selectBackend('auto', wasmBase, probe);
    return { name: fallback.name, reason: `${BACKEND_LABELS[preference]} could not start. ${fallback.reason}` };
  }
  const webgl = probe();
  let why: string;
  if (!webgl.available) why = 'WebGL is not available: using WASM';
  else if (webgl.software) why = `WebGL renderer is ${rendererLabel(webgl.renderer)} (software): using WASM`;
  else if (await trySetBackend('webgl', wasmBase))
    return { name: 'webgl', reason: `WebGL on ${rendererLabel(webgl.renderer) || 'the GPU'}` };
  else why = 'WebGL failed to start: using WASM';
  if (await trySetBackend('wasm', wasmBase)) {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { name: 'wasm', reason: simd ? `${why} (SIMD)` : `${why} (no SIMD)` };
  }
  await trySetBackend('cpu', wasmBase);
  return {
    name: tf.getBackend(),
    reason: `${why.replace(/: using WASM$/, '')}; WASM failed to start: using the CPU backend (slow)`,
  };
}
