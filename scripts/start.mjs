// `npm start`: Model Lens in a real VS Code, in your browser, as users have it.
//   builds the extension, installs Node 24 + code-server on first use (.cache/vscode-server/),
//   starts code-server on 127.0.0.1 with Model Lens installed from this working tree (listed,
//   in place, in a fresh extensions folder's extensions.json: not in development mode, and
//   without the smoke-test driver the e2e tests use, which hides notifications) and examples/
//   open, prints the URL, and runs until Ctrl+C. The logs stay in .cache/npm-start/ after it stops.
// After a change: `npm run build` (or `npm run watch` in another terminal), then reload the
// browser tab (F1 → Developer: Reload Window).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './vscodeServer/ensureDeps.mjs';
import { startServer, workbenchUrl } from './vscodeServer/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] npm run build failed');
  process.exit(build.status ?? 1);
}

const deps = await ensureDeps({ browser: false });
const LOG_DIR = path.join(ROOT, '.cache', 'npm-start');
const server = await startServer({
  ...deps,
  echo: process.argv.includes('--verbose'),
  testDriver: false,
  installExtensions: [ROOT],
  logDir: LOG_DIR,
});
const url = workbenchUrl(server, { folder: path.join(ROOT, 'examples') });

console.log('');
console.log('Model Lens is running in VS Code (code-server) — open this URL in a browser:');
console.log('');
console.log(`  ${url}`);
console.log('');
console.log(`Logs (kept after Ctrl+C, replaced by the next npm start): ${path.relative(ROOT, LOG_DIR)}/`);
console.log(`  server.log  code-server's output (--verbose echoes it here)`);
console.log(`  vscode/     VS Code's logs; Model Lens's output channel: vscode/exthost*/**/*Model Lens.log`);
console.log('Press Ctrl+C to stop.');

// server.mjs stops code-server (its whole process group) on SIGINT/SIGTERM and then exits.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopping = true;
    console.log('\n[start] stopping code-server…');
  });
}
// `npm start` does not pass a signal sent to npm itself on to this process: when the parent
// goes away (npm or the shell was killed), stop as if Ctrl+C had been pressed.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
process.on('exit', (code) => console.log(`[start] stopped (exit ${code})`));

const { code, signal } = await server.exited;
if (stopping) await new Promise(() => {}); // server.mjs finishes the stop and exits
console.error(`[start] code-server exited by itself (${code ?? signal}); see the log above or rerun with --verbose`);
await server.stop();
process.exit(1);
