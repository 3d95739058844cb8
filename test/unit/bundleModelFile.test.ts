import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeSource } from '../../src/analysis/analyze';
import { BundleError, bundleModelFile, isNodeBuiltin } from '../../src/host/training/modelBundle/bundleModelFile';
import { esbuildWasmDirs, loadEsbuild } from '../../src/host/training/modelBundle/esbuildWasm';
import type { EsbuildApi } from '../../src/host/training/modelBundle/esbuildWasm';
import { insertModelTracking } from '../../src/host/training/modelBundle/trackModels';

const ROOT = path.resolve(__dirname, '..', '..');
const MODELS = path.join(ROOT, 'test', 'fixtures', 'models');
const CONVNET = path.join(ROOT, 'examples', 'mnistConvnet.ts');
const BUNDLER = path.join(ROOT, 'test', 'fixtures', 'bundler');

function modelLines(file: string): number[] {
  return analyzeSource(file, readFileSync(file, 'utf8')).models.map((m) => m.line);
}

/** Imports a bundle the way the panel does: tfjs and the tracker on globalThis first. */
async function runBundle(code: string): Promise<{ exports: Record<string, unknown>; tracked: [number, unknown][] }> {
  const tracked: [number, unknown][] = [];
  const g = globalThis as Record<string, unknown>;
  g.__modelLensTf = require('@tensorflow/tfjs');
  g.__modelLensTrack = (line: number, model: unknown) => {
    tracked.push([line, model]);
    return model;
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'model-lens-bundle-'));
  const log = console.log;
  console.log = () => undefined; // the fixtures' own model.summary()
  try {
    const file = path.join(dir, 'bundle.mjs');
    writeFileSync(file, code);
    // A real dynamic import (tsx would otherwise turn it into require).
    const importer = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;
    return { exports: await importer(pathToFileURL(file).href), tracked };
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bundling a model file (bundleModelFile)', () => {
  let esbuild: EsbuildApi;

  before(async function () {
    this.timeout(60000);
    esbuild = await loadEsbuild(esbuildWasmDirs(ROOT));
  });

  describe('insertModelTracking', () => {
    it('wraps the model-creating call on each model line, keeping every line where it was', () => {
      const file = CONVNET;
      const text = readFileSync(file, 'utf8');
      const result = insertModelTracking(file, text, [5]);
      assert.deepEqual(result.tracked, [5]);
      assert.deepEqual(result.missing, []);
      const lines = result.code.split('\n');
      assert.equal(lines.length, text.split('\n').length);
      assert.equal(lines[4], 'const model = globalThis.__modelLensTrack(5, tf.sequential());');
    });

    it('handles multi-line calls, bare `model(` imports and lines without a model call', () => {
      const file = path.join(MODELS, 'word2vecSkipGram.ts');
      const text = readFileSync(file, 'utf8');
      const result = insertModelTracking(file, text, [20, 3]);
      assert.deepEqual(result.tracked, [20]);
      assert.deepEqual(result.missing, [3]);
      assert.match(
        result.code,
        /export const skipGram = globalThis\.__modelLensTrack\(20, model\(\{ inputs: \[target, context\], outputs: prob, name: 'skip_gram' \}\)\);/,
      );
      const ae = path.join(MODELS, 'denseAutoencoder.ts');
      const aeResult = insertModelTracking(ae, readFileSync(ae, 'utf8'), [10, 18, 26]);
      assert.deepEqual(aeResult.tracked, [10, 18, 26]);
      assert.match(
        aeResult.code,
        /export const encoder = globalThis\.__modelLensTrack\(10, tfl\.sequential\(\{\n {2}name: 'encoder',[\s\S]*?\}\)\);\n/,
      );
    });
  });

  it('bundles the MNIST convnet: tracked at its line, tfjs from the panel global, runnable', async () => {
    const file = CONVNET;
    const result = await bundleModelFile(esbuild, { entryPath: file, modelLines: modelLines(file), displayRoot: ROOT });
    assert.deepEqual(result.tracked, [5]);
    assert.match(result.hash, /^[0-9a-f]{16}$/);
    const code = result.code.split('//# sourceMappingURL=')[0] ?? '';
    assert.match(code, /globalThis\.__modelLensTrack\(5, tf\.sequential\(\)\)/);
    assert.match(code, /module\.exports = globalThis\.__modelLensTf;/);
    assert.ok(code.length < 5000, `no tfjs code bundled (${code.length} chars)`);
    assert.match(code, /^export \{\n {2}model,\n {2}train\n\};$/m);
    assert.match(result.code, /\/\/# sourceMappingURL=data:application\/json;base64,/);

    const { exports, tracked } = await runBundle(result.code);
    assert.equal(tracked.length, 1);
    assert.equal(tracked[0]?.[0], 5);
    assert.equal(tracked[0]?.[1], exports.model, 'the tracked model is the exported one');
    const model = exports.model as { layers: unknown[]; outputs: { shape: unknown[] }[] };
    assert.equal(model.layers.length, 8);
    assert.deepEqual(model.outputs[0]?.shape, [null, 10]);
  });

  it('follows relative imports (a .js specifier to a .ts file); their tfjs imports use the shim too', async () => {
    const file = path.join(BUNDLER, 'withHelper.ts');
    const result = await bundleModelFile(esbuild, { entryPath: file, modelLines: [6], displayRoot: ROOT });
    assert.deepEqual(result.tracked, [6]);
    const shims = result.code.match(/module\.exports = globalThis\.__modelLensTf;/g) ?? [];
    assert.equal(shims.length, 2, 'one shim module per tfjs package (tfjs and tfjs-layers)');
    const { exports, tracked } = await runBundle(result.code);
    assert.equal(tracked.length, 0, 'nothing is created until the builder runs');
    const built = (exports.build as () => { layers: unknown[] })();
    assert.equal(tracked[0]?.[0], 6);
    assert.equal(tracked[0]?.[1], built);
    assert.equal(built.layers.length, 3);
  });

  it('bundles the unsaved editor text instead of the file on disk', async () => {
    const file = CONVNET;
    const text = "import * as tf from '@tensorflow/tfjs';\n\nexport const edited = tf.sequential();\n";
    const result = await bundleModelFile(esbuild, { entryPath: file, entryText: text, modelLines: [3] });
    assert.match(result.code, /var edited = globalThis\.__modelLensTrack\(3, tf\.sequential\(\)\);/);
  });

  it('a file importing fs: a clear message naming the import, the file and the line', async () => {
    const file = path.join(BUNDLER, 'usesFs.ts');
    await assert.rejects(bundleModelFile(esbuild, { entryPath: file, modelLines: [7], displayRoot: ROOT }), (error: unknown) => {
      assert.ok(error instanceof BundleError);
      assert.equal(
        error.message,
        'Model Lens cannot train models from test/fixtures/bundler/usesFs.ts: test/fixtures/bundler/usesFs.ts:3 imports "fs", a Node.js-only module that the training panel cannot load. Keep file and process access out of the model file, for example by building the model in a file that imports only TensorFlow.js.',
      );
      return true;
    });
  });

  it('a Node import one file away names that file', async () => {
    const file = path.join(BUNDLER, 'importsHelperWithFs.ts');
    await assert.rejects(bundleModelFile(esbuild, { entryPath: file, modelLines: [5], displayRoot: ROOT }), {
      name: 'BundleError',
      message:
        /^Model Lens cannot train models from test\/fixtures\/bundler\/importsHelperWithFs\.ts: test\/fixtures\/bundler\/readsFiles\.ts:1 imports "node:fs", a Node\.js-only module/,
    });
  });

  it('missing files and packages are named', async () => {
    const file = CONVNET;
    await assert.rejects(
      bundleModelFile(esbuild, { entryPath: file, entryText: "import './nowhere';\n", modelLines: [], displayRoot: ROOT }),
      {
        message:
          'Model Lens cannot train models from examples/mnistConvnet.ts: examples/mnistConvnet.ts:1 imports "./nowhere", which does not exist.',
      },
    );
    await assert.rejects(
      bundleModelFile(esbuild, {
        entryPath: file,
        entryText: "import 'no-such-package-xyz';\n",
        modelLines: [],
        displayRoot: ROOT,
      }),
      { message: /imports the package "no-such-package-xyz", which is not installed/ },
    );
  });

  it('knows Node built-ins', () => {
    assert.equal(isNodeBuiltin('fs'), true);
    assert.equal(isNodeBuiltin('fs/promises'), true);
    assert.equal(isNodeBuiltin('node:path'), true);
    assert.equal(isNodeBuiltin('child_process'), true);
    assert.equal(isNodeBuiltin('@tensorflow/tfjs'), false);
    assert.equal(isNodeBuiltin('lodash'), false);
  });
});
