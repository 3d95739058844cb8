/**
 * Prepares `npm run bench:gpu` in .cache/bench: Dawn's Node bindings (the `webgpu` npm package,
 * only this platform's binary kept), tfjs-backend-wasm's binaries, and scripts/benchGpu.ts
 * bundled into one ES module that loads them from beside itself. The folder then runs with a
 * bare Node (`node .cache/bench/benchGpu.mjs`), on a GPU machine that has no node_modules.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

/** Dawn's bindings, pinned: the bench reports what this version's WebGPU does. */
const WEBGPU = 'webgpu@0.6.2';
const out = path.resolve('.cache', 'bench');
const dawnDir = path.join(out, 'node_modules', 'webgpu');

function installDawn() {
  const platform = `${process.platform === 'darwin' ? 'darwin' : process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
  if (existsSync(path.join(dawnDir, 'dist', platform, 'dawn.node'))) return;
  mkdirSync(out, { recursive: true });
  const packed = execFileSync('npm', ['pack', WEBGPU, '--silent', '--pack-destination', out], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  rmSync(dawnDir, { recursive: true, force: true });
  mkdirSync(dawnDir, { recursive: true });
  execFileSync('tar', ['xzf', path.join(out, packed), '-C', dawnDir, '--strip-components=1']);
  rmSync(path.join(out, packed));
  // Every platform's binary is in the package (~100 MB): only this one's is needed.
  for (const entry of readdirSync(path.join(dawnDir, 'dist'))) {
    if (entry !== platform) rmSync(path.join(dawnDir, 'dist', entry), { recursive: true, force: true });
  }
  if (!existsSync(path.join(dawnDir, 'dist', platform, 'dawn.node'))) throw new Error(`${WEBGPU} has no binary for ${platform}`);
}

function copyWasm() {
  const from = path.resolve('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  mkdirSync(path.join(out, 'wasm'), { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.wasm')))
    cpSync(path.join(from, file), path.join(out, 'wasm', file));
}

installDawn();
copyWasm();
await build({
  entryPoints: ['scripts/benchGpu.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: path.join(out, 'benchGpu.mjs'),
  external: ['webgpu'],
  // The bundled CommonJS packages (tfjs's Node builds) call require for Node's own modules and read __dirname.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
  logLevel: 'warning',
});
