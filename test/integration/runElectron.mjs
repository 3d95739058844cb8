// The same integration suite in a desktop VS Code, through @vscode/test-electron — for machines
// that can download VS Code (this project's CI cannot; it uses test/integration/run.mjs).
//   node test/integration/runElectron.mjs            VS Code stable (or VSCODE_VERSION=1.95.0)
// On a Linux machine without a display, run it under xvfb-run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildIntegration } from '../../scripts/vscodeServer/buildIntegration.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

try {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the extension build failed');
  const extensionTestsPath = await buildIntegration();
  const code = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    cachePath: path.join(ROOT, '.cache', 'vscode-test'), // ignored by git, like .cache/vscode-server
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    launchArgs: [
      path.join(ROOT, 'examples'),
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-workspace-trust',
      '--disable-telemetry',
    ],
  });
  process.exit(code);
} catch (error) {
  console.error(`[integration:electron] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
