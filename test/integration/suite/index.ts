/**
 * Entry of the integration suite, run INSIDE the VS Code extension host (code-server's remote
 * extension host through test/integration/run.mjs, or a desktop VS Code through
 * test/integration/runElectron.mjs). VS Code loads the bundle (dist/test/integration/index.js)
 * and awaits `run()`; a rejection fails the run.
 *
 * The bundle contains Mocha and the test files: they are required here, after Mocha has put
 * `describe`/`it` on the global object, instead of being found by a glob at run time.
 *
 * Output: Mocha's spec reporter writes to the extension host's console (a desktop VS Code
 * prints it on the runner's stdout; code-server's workbench logs it in the browser). When
 * MODEL_LENS_TEST_OUTPUT names a file, every reporter line is also appended there, so that
 * run.mjs can print the report exactly as written.
 */
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';
import Mocha from 'mocha';

/**
 * Test modules, in order, for the pass named by MODEL_LENS_TEST_PASS (run.mjs: `trusted`, the
 * default, or `restricted`, a workspace in Restricted Mode). Each registers its suites with the
 * global `describe`/`it`.
 */
function loadTests(pass: string): void {
  if (pass === 'restricted') require('./restricted.test');
  else require('./modelLens.test');
}

/** Sends the reporter's lines to the console and, when `file` is set, to that file too. */
function teeReporterOutput(file: string | undefined): (...data: unknown[]) => void {
  const toConsole = Mocha.reporters.Base.consoleLog;
  const write = (...data: unknown[]): void => {
    toConsole(...data);
    if (!file) return;
    try {
      appendFileSync(file, `${format(...data)}\n`);
    } catch {
      // The console still has it.
    }
  };
  Mocha.reporters.Base.consoleLog = write;
  return write;
}

export function run(): Promise<void> {
  const log = teeReporterOutput(process.env.MODEL_LENS_TEST_OUTPUT || undefined);
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  mocha.suite.emit('pre-require', globalThis, 'model-lens-integration', mocha);
  loadTests(process.env.MODEL_LENS_TEST_PASS ?? 'trusted');
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        log(`integration suite ran in ${seconds} s`);
        // A plain closing line, `N passed, N failed` (+ skipped), whatever the reporter.
        log(`integration: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
