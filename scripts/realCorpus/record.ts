/**
 * Records what the REAL TensorFlow.js builds for every file of the real-code
 * corpus (test/fixtures/real/<owner>__<repo>/cases.json), so that
 * test/unit/realCorpus.test.ts can hold the static analysis to it.
 *
 *   npx tsx scripts/realCorpus/record.ts            # every repo folder
 *   npx tsx scripts/realCorpus/record.ts owner__repo # one folder
 *   npx tsx scripts/realCorpus/record.ts --check     # record, but write nothing: exit 1 if any file differs
 *
 * Per file, cases.json says how the program runs it; this script fills in `models`:
 *  - `driver`: code appended to the file (its own lines keep their numbers) that
 *    calls the file's builders with the arguments the program passes (see `how`);
 *  - `modules`: stand-ins, by import specifier, for the repo modules and packages
 *    the file imports (CommonJS source; only the tfjs calls matter);
 *  - `callExports`: whether the oracle also calls exported zero-argument
 *    functions the file never calls (default false here: the driver says what runs);
 *  - `allowErrors`: substrings of errors that are expected (e.g. a data file that is
 *    not there, or a bug of the program that tfjs throws on); any other error fails
 *    the recording. Those thrown at a line of the file are written to `tfjsErrors`:
 *    there the analysis may report an error too (it is tfjs's, not a false one).
 *
 * `fit`, `fitDataset`, `evaluate` and `save` are replaced by no-ops while a file
 * runs: training never changes shapes or counts, and it would take minutes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { runOracle, type OracleModel } from '../../test/support/oracle';
import { projectModel } from '../../test/support/modelComparison';

export interface ExpectedLayer {
  type: string;
  line: number | null;
  outputShape: unknown;
  params: number | null;
  trainableParams: number | null;
}

export interface ExpectedModel {
  line: number;
  kind: 'sequential' | 'functional';
  layers: readonly ExpectedLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  how: string;
}

export interface CaseFile {
  path: string;
  source: string;
  how: string;
  driver?: string;
  modules?: Record<string, string>;
  callExports?: boolean;
  allowErrors?: string[];
  /** Errors tfjs threw at lines of the file (written by this script; only allowed ones are). */
  tfjsErrors?: { line: number; message: string }[];
  models: ExpectedModel[];
}

export interface RepoCases {
  repo: string;
  commit: string;
  licence: string;
  files: CaseFile[];
}

export const REAL_DIR = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'real');

/** `@tensorflow/tfjs-node` (and -gpu) stand-in: the tfjs proxy, with a `default` for `import tf from`. */
export const TFJS_NODE_STUB = [
  "const t = require('@tensorflow/tfjs');",
  'const o = {};',
  "for (const k of Object.keys(t)) if (k !== 'default') Object.defineProperty(o, k, { enumerable: true, get: () => t[k] });",
  "Object.defineProperty(o, '__esModule', { value: true });",
  "Object.defineProperty(o, 'default', { enumerable: true, value: t });",
  'module.exports = o;',
].join('\n');

const NODE_IDS = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

function withTfjsNode(modules: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of NODE_IDS) out[id] = TFJS_NODE_STUB;
  return { ...out, ...(modules ?? {}) };
}

type AnyFn = (...args: unknown[]) => unknown;

/** Training and saving become no-ops (shapes and counts never depend on them). */
function patchTraining(): () => void {
  const proto = tf.LayersModel.prototype as unknown as Record<string, AnyFn>;
  const saved: [string, AnyFn][] = [];
  const fakeHistory = { history: { loss: [0], acc: [0], val_loss: [0] }, epoch: [0] };
  for (const name of ['fit', 'fitDataset', 'save']) {
    saved.push([name, proto[name]]);
    proto[name] = () => Promise.resolve(name === 'save' ? {} : fakeHistory);
  }
  return () => {
    for (const [name, fn] of saved) proto[name] = fn;
  };
}

function expectedModels(models: OracleModel[], how: string): ExpectedModel[] {
  return models.map((m) => ({ ...projectModel(m), how }));
}

export function recordFile(
  repoDir: string,
  c: CaseFile,
): { models: ExpectedModel[]; tfjsErrors: { line: number; message: string }[]; problems: string[]; output: string[] } {
  const file = path.join(repoDir, c.path);
  const text = fs.readFileSync(file, 'utf8');
  const unpatch = patchTraining();
  let result;
  try {
    result = runOracle(file, {
      text,
      driver: c.driver,
      modules: withTfjsNode(c.modules),
      callExports: c.callExports ?? false,
    });
  } finally {
    unpatch();
  }
  const problems: string[] = [];
  const fileLines = text.split('\n').length;
  const tfjsErrors: { line: number; message: string }[] = [];
  for (const e of result.errors) {
    if ((c.allowErrors ?? []).some((s) => e.message.includes(s))) {
      if (e.line !== null && e.line <= fileLines) tfjsErrors.push({ line: e.line, message: e.message });
      continue;
    }
    problems.push(`line ${e.line}${e.silent ? ' (silent)' : ''}: ${e.message}`);
  }
  // Models the driver itself builds (lines past the file's end) are inputs, not expectations.
  const models = result.models.filter((m) => m.line <= fileLines);
  if (models.length === 0) problems.push('tfjs built no model');
  return { models: expectedModels(models, c.how), tfjsErrors, problems, output: result.output };
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const only = args.filter((a) => !a.startsWith('--'));
  const dirs = fs
    .readdirSync(REAL_DIR)
    .filter((d) => fs.existsSync(path.join(REAL_DIR, d, 'cases.json')))
    .filter((d) => only.length === 0 || only.includes(d))
    .sort();
  let failed = 0;
  let differs = 0;
  for (const d of dirs) {
    const repoDir = path.join(REAL_DIR, d);
    const casesPath = path.join(repoDir, 'cases.json');
    const before = fs.readFileSync(casesPath, 'utf8');
    const cases = JSON.parse(before) as RepoCases;
    for (const c of cases.files) {
      const { models, tfjsErrors, problems, output } = recordFile(repoDir, c);
      const tag = `${d}/${c.path}`;
      if (problems.length > 0) {
        failed++;
        console.error(`FAIL ${tag}\n  ${problems.join('\n  ')}`);
        if (process.env.REAL_CORPUS_VERBOSE) console.error(`  output:\n    ${output.join('\n    ')}`);
        continue;
      }
      c.models = models;
      if (tfjsErrors.length > 0) c.tfjsErrors = tfjsErrors;
      else delete c.tfjsErrors;
      console.log(
        `ok   ${tag}: ${models.map((m) => `line ${m.line} ${m.kind} ${m.layers.length} layers ${m.totalParams} params`).join('; ')}`,
      );
    }
    const after = JSON.stringify(cases, null, 2) + '\n';
    if (after !== before) {
      differs++;
      if (check) console.error(`DIFF ${d}/cases.json`);
      else fs.writeFileSync(casesPath, after);
    }
  }
  console.log(`${dirs.length} repos, ${failed} files failed${check ? `, ${differs} cases.json differ` : ''}`);
  // Files start timers and promises (training loops, readline): do not wait for them.
  process.exit(failed > 0 || (check && differs > 0) ? 1 : 0);
}

process.on('unhandledRejection', () => undefined);

if (require.main === module) main();
