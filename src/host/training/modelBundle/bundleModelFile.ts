/**
 * Bundles the user's model file into one ES module the training panel can import, in the
 * calling thread (the extension bundles through bundleWorkerClient.ts, which uses `trackEntry`
 * here and runs the build on a worker thread):
 * - `@tensorflow/tfjs(-layers|-core|-node|-node-gpu)` resolve to a virtual CommonJS module
 *   `module.exports = globalThis.__modelLensTf` (the panel's single tfjs instance);
 * - each analysed model's creating call in the entry file is wrapped in
 *   `globalThis.__modelLensTrack(LINE, <call>)` (trackModels.ts);
 * - Node-only imports (fs, path, child_process...) in the user's files fail with a message
 *   naming the import, the file and the line (inside node_modules they become empty modules,
 *   as browser bundlers do).
 * esbuild runs as WebAssembly without file system access: buildBundle.ts's plugin resolves and
 * reads every file. Nothing is executed. No `vscode` import.
 */
import { readFileSync } from 'node:fs';
import { BundleError, buildBundle, displayPath } from './buildBundle';
import type { BundleOptions, BundleResult } from './buildBundle';
import type { EsbuildApi } from './esbuildWasm';
import { insertModelTracking } from './trackModels';
import type { TrackingResult } from './trackModels';

export { BundleError, TF_GLOBAL, TFJS_PACKAGES, isNodeBuiltin, resolveRelative } from './buildBundle';
export type { BundleOptions, BundleResult } from './buildBundle';

/** The entry's text (the editor's, unsaved changes included, or the file's) with model tracking inserted. */
export function trackEntry(options: BundleOptions): TrackingResult {
  let text: string;
  try {
    text = options.entryText ?? readFileSync(options.entryPath, 'utf8');
  } catch (error) {
    throw new BundleError(`Model Lens cannot read ${displayPath(options, options.entryPath)}: ${(error as Error).message}`);
  }
  return insertModelTracking(options.entryPath, text, options.modelLines);
}

/** Bundles `options.entryPath` for the panel, in this thread (see buildBundle.ts for the errors). */
export async function bundleModelFile(esbuild: EsbuildApi, options: BundleOptions): Promise<BundleResult> {
  return buildBundle(esbuild, options, trackEntry(options));
}
