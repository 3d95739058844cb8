// Builds the training panel's webview with esbuild:
//   webview/main.ts          → dist/webview/panel.js  (browser ESM; minified with production,
//                                                      source maps otherwise)
//   webview/modelWorkerMain.ts → dist/webview/modelWorker.js (the model worker, classic script)
//   webview/panel.css (+ webview/views/*.css) → dist/webview/panel.css
//   webview/graph/graphMain.ts, layoutWorker.ts, graph.css → dist/webview/graph.js, graphLayout.js, graph.css
//                                                      (the Model Graph page)
//   tfjs WASM binaries       → dist/webview/wasm/      (setWasmPaths(init.wasmBase))
//   codicons                 → dist/webview/codicon.css + codicon.ttf (button icons)
//   test pages (not with production) → dist/test/webview/*.js (the webview test tier, the bench)
//
//   node scripts/buildWebview.mjs [--production] [--watch]
//   import { buildWebview } from './buildWebview.mjs'; await buildWebview({ production, watch });
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// The threaded binary is never asked for (webview/training/backend.ts).
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
const TEST_PAGES = ['test/webview/page/testPage.mts', 'test/webview/page/benchPage.mts'];

/** The panel's stylesheet plus any stylesheet the views ship, as one CSS entry. */
function cssEntry() {
  const viewsDir = path.join(root, 'webview', 'views');
  const viewSheets = existsSync(viewsDir)
    ? readdirSync(viewsDir)
        .filter((f) => f.endsWith('.css'))
        .sort()
    : [];
  return {
    contents: ['@import "./panel.css";', ...viewSheets.map((f) => `@import "./views/${f}";`)].join('\n'),
    resolveDir: path.join(root, 'webview'),
    sourcefile: 'panel-bundle.css',
    loader: 'css',
  };
}

function copyAssets() {
  const wasmDir = path.join(root, 'dist', 'webview', 'wasm');
  mkdirSync(wasmDir, { recursive: true });
  const wasmSource = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  for (const file of WASM_FILES) copyFileSync(path.join(wasmSource, file), path.join(wasmDir, file));
  // The codicon font ships with @vscode-elements/elements (its dependency @vscode/codicons).
  const elements = path.dirname(require.resolve('@vscode-elements/elements/package.json'));
  const codicons = path.dirname(createRequire(path.join(elements, 'package.json')).resolve('@vscode/codicons/dist/codicon.css'));
  for (const file of ['codicon.css', 'codicon.ttf'])
    copyFileSync(path.join(codicons, file), path.join(root, 'dist', 'webview', file));
}

/**
 * @param {{ production?: boolean, watch?: boolean, tests?: boolean, plugins?: import('esbuild').Plugin[] }} [options]
 *   tests: build the test and bench pages too (default: unless production);
 *   plugins: added to every target (build.mjs's watch status)
 * @returns {Promise<{ dispose(): Promise<void> }>} a handle that stops watching
 */
export async function buildWebview({ production = false, watch = false, tests = !production, plugins = [] } = {}) {
  /** @type {import('esbuild').BuildOptions} */
  const browser = {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'info',
    absWorkingDir: root,
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    // `import(bundleUrl)` of the user's model stays a run-time import.
    supported: { 'dynamic-import': true },
  };
  /** @type {import('esbuild').BuildOptions[]} */
  const targets = [
    { ...browser, entryPoints: ['webview/main.ts'], outfile: 'dist/webview/panel.js' },
    // The model worker: started from a blob of this file as a classic worker (see modelWorkerClient.ts).
    { ...browser, format: 'iife', entryPoints: ['webview/modelWorkerMain.ts'], outfile: 'dist/webview/modelWorker.js' },
    { ...browser, stdin: cssEntry(), outfile: 'dist/webview/panel.css', sourcemap: false },
    // The Model Graph page, its layout worker (ELK, started from a blob like the training worker) and its stylesheet.
    { ...browser, entryPoints: ['webview/graph/graphMain.ts'], outfile: 'dist/webview/graph.js' },
    { ...browser, format: 'iife', entryPoints: ['webview/graph/layoutWorker.ts'], outfile: 'dist/webview/graphLayout.js' },
    { ...browser, entryPoints: ['webview/graph/graph.css'], outfile: 'dist/webview/graph.css', sourcemap: false },
  ];
  if (tests) {
    for (const page of TEST_PAGES.filter((p) => existsSync(path.join(root, p)))) {
      targets.push({
        ...browser,
        minify: false,
        sourcemap: 'linked',
        entryPoints: [page],
        outfile: `dist/test/webview/${path.basename(page).replace(/\.mts$/, '.js')}`,
      });
    }
  }
  if (production) {
    for (const t of targets) rmSync(path.join(root, `${t.outfile}.map`), { force: true });
    rmSync(path.join(root, 'dist', 'test', 'webview'), { recursive: true, force: true });
  }
  copyAssets();
  const contexts = await Promise.all(targets.map((t) => esbuild.context({ ...t, plugins })));
  const dispose = () => Promise.all(contexts.map((c) => c.dispose())).then(() => undefined);
  try {
    if (watch) {
      await Promise.all(contexts.map((c) => c.watch()));
      return { dispose };
    }
    await Promise.all(contexts.map((c) => c.rebuild()));
  } catch (error) {
    await dispose();
    throw error;
  }
  await dispose();
  return { dispose: async () => {} };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const watch = process.argv.includes('--watch');
  try {
    const handle = await buildWebview({ production: process.argv.includes('--production'), watch });
    if (watch) {
      console.log('[webview] watching…');
      const stop = () => handle.dispose().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
  } catch {
    // esbuild has printed the errors.
    process.exit(1);
  }
}
