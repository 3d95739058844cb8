/**
 * The bundling worker thread's entry (built to dist/bundleWorker.js): runs the WebAssembly
 * esbuild off the extension host's thread. Compiling esbuild.wasm and each build block their
 * thread, which in the extension host would freeze every extension. Requests come from
 * bundleWorkerClient.ts; the entry's tracking is done there (it needs TypeScript).
 */
import { parentPort } from 'node:worker_threads';
import { BundleError, buildBundle } from './buildBundle';
import type { BundleRequest, BundleReply } from './bundleWorkerClient';
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
