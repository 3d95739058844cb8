// Bundles the integration suite (test/integration/suite/index.ts, Mocha and the test files
// included; `vscode` external) into dist/test/integration/index.js, which VS Code loads in the
// extension host as extensionTestsPath.
//   node scripts/vscodeServer/buildIntegration.mjs
// As a module: `await buildIntegration()` → the bundle's absolute path.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INTEGRATION_BUNDLE = path.join(ROOT, 'dist', 'test', 'integration', 'index.js');

export async function buildIntegration() {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['test/integration/suite/index.ts'],
    outfile: INTEGRATION_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['vscode'],
    logLevel: 'warning',
    // Mocha's parallel mode (not used here) resolves worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return INTEGRATION_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildIntegration()
    .then((file) => console.log(`[integration] built ${path.relative(ROOT, file)}`))
    .catch(() => process.exit(1)); // esbuild has printed the errors
}
