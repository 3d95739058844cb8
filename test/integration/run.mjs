// `npm run test:integration`: the integration suite (test/integration/suite) inside a real
// VS Code — code-server 4.139 (VS Code 1.139) opened in headless Chromium.
//
//   1. builds the extension (scripts/build.mjs) and the suite bundle (dist/test/integration/index.js)
//   2. installs Node 24 + code-server + chromium if needed (scripts/vscodeServer/ensureDeps.mjs)
//   3. for each pass (trusted, then Restricted Mode): starts code-server, opens the workbench with
//      Model Lens in development mode and the suite as extensionTestsPath (URL `payload`; the pass
//      name in MODEL_LENS_TEST_PASS), examples/ as the folder
//   4. waits for the workbench to call codeAutomationExit(code) when the suite is done
//   5. prints the suite's report, stops everything; exits non-zero if a pass failed
//
// Options: --no-build (use the existing dist/), --timeout=SECONDS (default 180).
// Artifacts (browser console, server log, workbench logs, a screenshot): test-results/integration/<pass>/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { launchBrowser, newWorkbenchPage } from '../../scripts/vscodeServer/browser.mjs';
import { buildIntegration } from '../../scripts/vscodeServer/buildIntegration.mjs';
import { ensureDeps } from '../../scripts/vscodeServer/ensureDeps.mjs';
import { readIfPresent, startServer, workbenchUrl } from '../../scripts/vscodeServer/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS = path.join(ROOT, 'test-results', 'integration');
const timeoutArg = process.argv.find((arg) => arg.startsWith('--timeout='));
const TIMEOUT_MS = (timeoutArg ? Number(timeoutArg.slice('--timeout='.length)) : 180) * 1000;

const say = (message) => console.log(`[integration] ${message}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** A browser console message as text: VS Code's `%c LEVEL`, `color: …` prefix dropped. */
async function consoleText(message) {
  let args;
  try {
    args = await Promise.all(message.args().map((arg) => arg.jsonValue()));
  } catch {
    return message.text();
  }
  if (args.length === 0) return message.text();
  if (typeof args[0] === 'string' && args[0].startsWith('%c')) {
    const level = args[0].slice(2).trim();
    args = args.slice(2); // '%c LEVEL', 'color: …'
    if (level && typeof args[0] === 'string') args[0] = `${level} ${args[0]}`;
  }
  return format(...args);
}

/**
 * The suite's passes: each starts its own code-server. `trusted` (workspace trust off, as most
 * users have it) runs the main tests; `restricted` opens examples/ in Restricted Mode (trust on,
 * folder never trusted) and checks that the lenses still work and training is refused.
 */
const PASSES = [
  { name: 'trusted', workspaceTrust: false },
  { name: 'restricted', workspaceTrust: true },
];

async function main() {
  const started = Date.now();
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });

  if (!process.argv.includes('--no-build')) {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the extension build failed');
  }
  const suite = await buildIntegration();
  if (!existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');
  const deps = await ensureDeps({ browser: true });
  say(`prepared in ${seconds(started)}`);

  let exitCode = 0;
  for (const pass of PASSES) {
    const code = await runPass(pass, deps, suite);
    if (code !== 0) exitCode = code;
  }
  say(`${exitCode === 0 ? 'PASSED' : 'FAILED'} in ${seconds(started)} (total)`);
  return exitCode;
}

/** One pass: a fresh code-server, the workbench with the suite, its report; artifacts in RESULTS/<pass>/. */
async function runPass(pass, deps, suite) {
  const results = path.join(RESULTS, pass.name);
  mkdirSync(results, { recursive: true });
  const serverStarted = Date.now();
  const server = await startServer({ ...deps, workspaceTrust: pass.workspaceTrust });
  say(`${pass.name}: code-server ${server.url} up in ${seconds(serverStarted)}`);
  const reportFile = path.join(server.tempDir, 'suite-output.log');
  const consoleLines = [];
  let browser;
  let exitCode = 1;
  let printed = 0;
  const printNewReport = () => {
    const text = readIfPresent(reportFile);
    if (text.length > printed) {
      process.stdout.write(text.slice(printed));
      printed = text.length;
    }
  };
  const poll = setInterval(printNewReport, 250);
  try {
    browser = await launchBrowser(deps.chromium);
    const page = await newWorkbenchPage(browser, {
      onConsole: (message) => {
        const type = message.type();
        // Keep the order; texts resolve asynchronously.
        const entry = { type, text: '' };
        consoleLines.push(entry);
        Promise.resolve(consoleText(message)).then(
          (text) => (entry.text = text),
          () => (entry.text = message.text()),
        );
      },
    });
    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    // The workbench calls this when the extension host that ran the suite exits.
    await page.exposeFunction('codeAutomationExit', (code, logs) => finish({ code, logs }));
    const url = workbenchUrl(server, {
      folder: path.join(ROOT, 'examples'),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      payload: [
        ['extensionEnvironment', JSON.stringify({ MODEL_LENS_TEST_OUTPUT: reportFile, MODEL_LENS_TEST_PASS: pass.name })],
      ],
    });
    const suiteStarted = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    let timer;
    const outcome = await Promise.race([
      finished,
      new Promise((resolve) => (timer = setTimeout(() => resolve(undefined), TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    printNewReport();
    await page.screenshot({ path: path.join(results, 'workbench.png') }).catch(() => undefined);
    if (!outcome) {
      say(`TIMED OUT after ${TIMEOUT_MS / 1000} s waiting for the suite to finish`);
    } else {
      exitCode = typeof outcome.code === 'number' ? outcome.code : 1;
      for (const { relativePath, contents } of outcome.logs ?? []) {
        const file = path.join(results, 'workbench-logs', relativePath);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, contents);
      }
      say(`${pass.name}: suite finished with exit code ${exitCode} after ${seconds(suiteStarted)} in the workbench`);
    }
    if (printed === 0) {
      // No report file (e.g. the suite never started): the extension host's console reached the
      // browser console; show what it logged.
      say('no report from the suite; the browser console said:');
      for (const { type, text } of consoleLines) if (type !== 'debug') console.log(`  [${type}] ${text}`);
    }
  } finally {
    clearInterval(poll);
    writeFileSync(
      path.join(results, 'browser-console.log'),
      consoleLines.map(({ type, text }) => `[${type}] ${text}`).join('\n') + '\n',
    );
    writeFileSync(path.join(results, 'server.log'), server.log());
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
  if (exitCode !== 0) {
    const errors = consoleLines.filter(
      ({ type, text }) => type === 'error' && /Extension Host|model-lens|Model Lens|Error:/i.test(text),
    );
    if (errors.length > 0) {
      say('browser console errors:');
      for (const { text } of errors.slice(-20)) console.log(`  ${text.split('\n').slice(0, 6).join('\n  ')}`);
    }
    say(`logs: ${path.relative(ROOT, results)}/ (browser-console.log, server.log, workbench-logs/, workbench.png)`);
  }
  say(`${pass.name}: ${exitCode === 0 ? 'passed' : 'FAILED'}`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[integration] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
