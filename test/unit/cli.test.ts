import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli';
import type { CliIo } from '../../src/cli';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'model-lens.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function modelLens(args: string[], launcher = bin): Run {
  const run = spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8', cwd: root });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function assertOneCleanLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], /^model-lens: /);
  assert.doesNotMatch(stderr, /\bat .*:\d+:\d+/, 'no stack trace');
}

const MODEL_FILE = `import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3 }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
`;

describe('model-lens CLI (bin/model-lens.js)', () => {
  let dir: string;
  let file: string;

  before(function () {
    if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
      // Normally `npm test` builds first; build here when mocha runs on its own.
      const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(build.status, 0, build.stderr);
    }
    dir = mkdtempSync(path.join(tmpdir(), 'model-lens-cli-'));
    file = path.join(dir, 'mnist.ts');
    writeFileSync(file, MODEL_FILE);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with one line on bad usage', () => {
    for (const args of [[], ['summarise', file], ['summary'], ['summary', file, '--verbose'], ['summary', file, 'extra']]) {
      const run = modelLens(args);
      assert.equal(run.status, 2, `args ${JSON.stringify(args)}`);
      assertOneCleanLine(run.stderr);
      assert.equal(run.stdout, '');
    }
  });

  it('exits 2 with one line and no stack trace for a missing file', () => {
    const missing = path.join(dir, 'nope.ts');
    const run = modelLens(['summary', missing]);
    assert.equal(run.status, 2);
    assertOneCleanLine(run.stderr);
    assert.ok(run.stderr.includes(missing));
    assert.equal(run.stdout, '');
  });

  it("reads a folder as its model files, with values imported from the project's other files", () => {
    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, 'src', 'config'), { recursive: true });
    mkdirSync(path.join(project, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      '{ "compilerOptions": { "baseUrl": ".", "paths": { "@config/*": ["src/config/*"] } } }',
    );
    writeFileSync(path.join(project, 'src', 'config', 'sizes.ts'), 'export const HIDDEN = 9;\n');
    writeFileSync(path.join(project, 'src', 'helpers.js'), 'exports.twice = (n) => 2 * n;\n');
    writeFileSync(
      path.join(project, 'src', 'model.ts'),
      `import * as tf from '@tensorflow/tfjs';
import { HIDDEN } from '@config/sizes';
const { twice } = require('./helpers');
export const model = tf.sequential();
model.add(tf.layers.dense({ units: HIDDEN, inputShape: [4] }));
model.add(tf.layers.dense({ units: twice(HIDDEN) }));
`,
    );
    writeFileSync(
      path.join(project, 'node_modules', 'pkg', 'index.ts'),
      "import * as tf from '@tensorflow/tfjs';\nexport const x = tf.sequential();\n",
    );
    const text = modelLens(['summary', project]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /dense_2 \(Dense\) +\(None, 18\) +180/);
    assert.doesNotMatch(text.stdout, /node_modules|sizes\.ts|helpers\.js/);
    const json = modelLens(['summary', '--json', project, file]);
    const list = JSON.parse(json.stdout) as { file: string; models: { totalParams: number }[] }[];
    assert.deepEqual(
      list.map((r) => path.basename(r.file)),
      ['model.ts', 'mnist.ts'],
    );
    assert.equal(list[0]!.models[0]!.totalParams, 45 + 180);
    // --project: another folder's tsconfig decides how imports resolve.
    const elsewhere = modelLens(['summary', '--project', dir, path.join(project, 'src', 'model.ts')]);
    assert.match(elsewhere.stdout, /Total params: \?/);
  });

  it('prints help with --help and exits 0', () => {
    const run = modelLens(['--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /model-lens summary <file\|folder>\.\.\. \[--json\] \[--project DIR\]/);
  });

  it('prints parseable JSON with file, models and diagnostics', () => {
    const run = modelLens(['summary', file, '--json']);
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(json.file, file);
    assert.ok(Array.isArray(json.models));
    assert.ok(Array.isArray(json.diagnostics));
    assert.deepEqual(Object.keys(json), ['file', 'models', 'diagnostics']);
  });

  it('prints a text summary', () => {
    const run = modelLens(['summary', file]);
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    assert.ok(run.stdout.length > 0);
    assert.doesNotMatch(run.stdout, /\bat .*:\d+:\d+\)/);
  });

  it('asks for `npm run build` when dist/cli.js is missing', () => {
    const fake = path.join(dir, 'pkg');
    mkdirSync(path.join(fake, 'bin'), { recursive: true });
    copyFileSync(bin, path.join(fake, 'bin', 'model-lens.js'));
    const run = modelLens(['summary', file], path.join(fake, 'bin', 'model-lens.js'));
    assert.equal(run.status, 2);
    assertOneCleanLine(run.stderr);
    assert.match(run.stderr, /run `npm run build` first/);
  });
});

describe('runCli (in process)', () => {
  function io(files: Record<string, string> = {}) {
    const out = { stdout: '', stderr: '' };
    const fake: CliIo = {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      readFile: (p) => {
        if (p in files) return files[p];
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      },
    };
    return { out, fake };
  }

  const result = (severity: 'error' | 'warning') => () => ({
    file: 'a.ts',
    models: [],
    diagnostics: [{ line: 2, column: 3, endLine: 2, endColumn: 5, severity, message: 'oops' }],
    importsTfjs: true,
  });

  it('exits 1 when there is an error diagnostic, 0 for warnings only', () => {
    const a = io({ 'a.ts': '' });
    assert.equal(runCli(['summary', 'a.ts'], a.fake, result('error')), 1);
    assert.match(a.out.stdout, /^a\.ts:2:3: error: oops$/m);
    const b = io({ 'a.ts': '' });
    assert.equal(runCli(['summary', 'a.ts'], b.fake, result('warning')), 0);
    const c = io({ 'a.ts': '' });
    assert.equal(runCli(['summary', '--json', 'a.ts'], c.fake, result('error')), 1);
    assert.equal((JSON.parse(c.out.stdout) as { diagnostics: unknown[] }).diagnostics.length, 1);
  });

  it('reports an analyzer crash as one line, exit 2', () => {
    const a = io({ 'a.ts': '' });
    const status = runCli(['summary', 'a.ts'], a.fake, () => {
      throw new Error('boom\nsecond line');
    });
    assert.equal(status, 2);
    assert.equal(a.out.stderr, 'model-lens: internal error while analysing a.ts: boom\n');
  });

  it('accepts a file name starting with - after --', () => {
    const a = io({ '-odd.ts': '' });
    assert.equal(runCli(['summary', '--', '-odd.ts'], a.fake, result('warning')), 0);
  });
});
