// Builds the views test page: bundles page/harness.mts (the views + tfjs + its WASM backend +
// umap-js) with
// esbuild for the browser and copies index.html, webview/views/*.css and the .wasm files.
//   node test/webview/views/buildPage.mjs        → test/webview/views/dist/
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
export const outDir = join(here, 'dist');

export async function buildPage() {
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, 'page/harness.mts')],
    outfile: join(outDir, 'harness.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  copyFileSync(join(here, 'page/index.html'), join(outDir, 'index.html'));
  // Every view sheet (views.css, generative.css…), as the panel's build bundles them.
  for (const f of readdirSync(join(root, 'webview/views')).filter((n) => n.endsWith('.css')))
    copyFileSync(join(root, 'webview/views', f), join(outDir, f));
  // The WASM backend's binaries, fetched at run time (setWasmPaths points at this folder).
  const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(outDir, f));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPage();
  console.log(`views test page built in ${outDir}`);
}
