// The same integration suite in a desktop VS Code, through @vscode/test-electron — for machines
// that can download VS Code (this project's CI cannot; it uses test/integration/run.mjs).
//   node test/integration/runElectron.mjs            VS Code stable (or VSCODE_VERSION=1.95.0)
// On a Linux machine without a display, run it under xvfb-run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildIntegration } from '../../scripts/vscodeServer/buildIntegration.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

try {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the extension build failed');
  const extensionTestsPath = await buildIntegration();
  let failed = 0;
  // The two passes of run.mjs: trust off, then Restricted Mode (trust on, in a fresh user-data
  // folder whose settings never prompt, so examples/ stays untrusted).
  for (const pass of ['trusted', 'restricted']) {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'model-lens-electron-'));
    mkdirSync(path.join(userData, 'User'));
    writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify({ 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }),
    );
    const code = await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      cachePath: path.join(ROOT, '.cache', 'vscode-test'), // ignored by git, like .cache/vscode-server
      extensionDevelopmentPath: ROOT,
      extensionTestsPath,
      extensionTestsEnv: { MODEL_LENS_TEST_PASS: pass },
      launchArgs: [
        path.join(ROOT, 'examples'),
        '--user-data-dir',
        userData,
        '--skip-welcome',
        '--skip-release-notes',
        ...(pass === 'trusted' ? ['--disable-workspace-trust'] : []),
        '--disable-telemetry',
      ],
    });
    rmSync(userData, { recursive: true, force: true });
    if (code !== 0) failed = code;
  }
  process.exit(failed);
} catch (error) {
  console.error(`[integration:electron] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
