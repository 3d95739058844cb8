// Builds the Model Graph test page: the page (page/graphPage.mts with the real webview/graph/
// code), the layout worker beside it (graphLayout.js, as in dist/webview/), the stylesheet.
//   node test/webview/graph/buildPage.mjs   → test/webview/graph/dist/
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
export const outDir = join(here, 'dist');

export async function buildPage() {
  mkdirSync(outDir, { recursive: true });
  const browser = { bundle: true, platform: 'browser', target: 'es2022', logLevel: 'warning', sourcemap: 'inline' };
  await Promise.all([
    esbuild.build({
      ...browser,
      format: 'esm',
      entryPoints: [join(here, 'page/graphPage.mts')],
      outfile: join(outDir, 'graphPage.js'),
    }),
    esbuild.build({
      ...browser,
      sourcemap: false,
      format: 'iife',
      entryPoints: [join(root, 'webview/graph/layoutWorker.ts')],
      outfile: join(outDir, 'graphLayout.js'),
    }),
  ]);
  copyFileSync(join(here, 'page/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'webview/graph/graph.css'), join(outDir, 'graph.css'));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPage();
  console.log(`graph test page built in ${outDir}`);
}
