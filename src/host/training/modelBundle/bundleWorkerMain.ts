/**
 * The bundling worker thread (dist/bundleWorker.js): runs the WebAssembly esbuild off the
 * extension host's thread. Compiling esbuild.wasm and each build block their thread for up to
 * a few hundred milliseconds, which in the extension host would freeze every extension.
 * Requests come from bundleThread.ts; the entry's tracking is done there (it needs TypeScript).
 */
import { parentPort } from 'node:worker_threads';
import { BundleError, buildBundle } from './bundleBuild';
import type { BundleRequest, BundleReply } from './bundleThread';
import { loadEsbuild } from './esbuildWasm';

parentPort?.on('message', (request: BundleRequest) => {
  void (async () => {
    let reply: BundleReply;
    try {
      const esbuild = await loadEsbuild(request.dirs);
      reply = { id: request.id, result: await buildBundle(esbuild, request.options, request.tracking) };
    } catch (error) {
      reply = {
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
        userError: error instanceof BundleError,
      };
    }
    parentPort?.postMessage(reply);
  })();
});
