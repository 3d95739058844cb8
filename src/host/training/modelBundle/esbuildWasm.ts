/**
 * esbuild for the extension host, as WebAssembly: the packaged extension carries no native
 * binary. esbuild-wasm's Node entry spawns `node` (which an editor need not have on PATH), so
 * its browser build runs in-process instead (`worker: false`), evaluated once with `self`
 * bound to the Node global (so nothing is added to the shared extension-host global).
 * Loaded lazily on the first Train, once. No `vscode` import.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export type EsbuildApi = Pick<typeof import('esbuild-wasm'), 'build' | 'version'>;

/** Where to look for `esbuild.wasm` + `browser.js` (or `lib/browser.js`): the packaged copy first. */
export function esbuildWasmDirs(extensionRoot: string): string[] {
  return [path.join(extensionRoot, 'dist', 'esbuild-wasm'), path.join(extensionRoot, 'node_modules', 'esbuild-wasm')];
}

interface WasmFiles {
  script: string;
  wasm: string;
}

function findFiles(dirs: readonly string[]): WasmFiles | undefined {
  for (const dir of dirs) {
    const wasm = path.join(dir, 'esbuild.wasm');
    for (const script of [path.join(dir, 'browser.js'), path.join(dir, 'lib', 'browser.js')]) {
      if (existsSync(wasm) && existsSync(script)) return { script, wasm };
    }
  }
  return undefined;
}

let loading: Promise<EsbuildApi> | undefined;

async function load(dirs: readonly string[]): Promise<EsbuildApi> {
  const files = findFiles(dirs);
  if (!files) {
    throw new Error(`Model Lens could not find its bundler (esbuild.wasm) in ${dirs.join(' or ')}; reinstall the extension.`);
  }
  const code = readFileSync(files.script, 'utf8');
  const module = { exports: {} as Record<string, unknown> };
  // The browser build expects a `self` global; it gets the Node global as a parameter instead.
  new Function('module', 'exports', 'self', code)(module, module.exports, globalThis);
  const api = module.exports as unknown as typeof import('esbuild-wasm');
  // The root tsconfig has no DOM lib: WebAssembly is typed here, not declared as a value.
  const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WebAssembly.Module } }).WebAssembly;
  const wasmModule = new wasm.Module(readFileSync(files.wasm));
  await api.initialize({ wasmModule, worker: false });
  return api;
}

/** The initialised esbuild (initialised on the first call; a failed start is retried next time). */
export function loadEsbuild(dirs: readonly string[]): Promise<EsbuildApi> {
  if (!loading) {
    loading = load(dirs);
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
