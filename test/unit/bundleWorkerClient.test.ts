/**
 * Bundling on a worker thread (src/host/training/modelBundle/bundleWorkerClient.ts): the same bundle and the same
 * messages as in the extension host's thread, and a fallback to that thread when the worker
 * file is missing or the thread dies.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuildNative from 'esbuild';
import { BundleError, bundleModelFile } from '../../src/host/training/modelBundle/bundleModelFile';
import { BundleWorkerClient } from '../../src/host/training/modelBundle/bundleWorkerClient';
import { esbuildWasmDirs, loadEsbuild } from '../../src/host/training/modelBundle/esbuildWasm';

const ROOT = path.resolve(__dirname, '..', '..');
const CONVNET = path.join(ROOT, 'examples', 'mnistConvnet.ts');
const USES_FS = path.join(ROOT, 'test', 'fixtures', 'bundler', 'usesFs.ts');

describe('bundling on a worker thread', function () {
  this.timeout(60_000);
  let dir: string;
  let workerFile: string;
  const threads: BundleWorkerClient[] = [];
  const thread = (file: string): BundleWorkerClient => {
    const t = new BundleWorkerClient(file, esbuildWasmDirs(ROOT));
    threads.push(t);
    return t;
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'model-lens-worker-'));
    // The worker as scripts/build.mjs builds it (dist/bundleWorker.js), built here from the source.
    workerFile = path.join(dir, 'bundleWorker.js');
    esbuildNative.buildSync({
      entryPoints: [path.join(ROOT, 'src/host/training/modelBundle/bundleWorkerMain.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: workerFile,
      logLevel: 'silent',
    });
  });

  after(() => {
    for (const t of threads) t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the bundle the extension host would make, made on the worker', async () => {
    const options = { entryPath: CONVNET, modelLines: [5], displayRoot: ROOT };
    const t = thread(workerFile);
    const [onWorker, again] = [
      await t.bundle(options),
      await t.bundle({
        ...options,
        entryText: "import * as tf from '@tensorflow/tfjs';\nexport const m = tf.sequential();\n",
        modelLines: [2],
      }),
    ];
    assert.equal(t.onWorker, true);
    const here = await bundleModelFile(await loadEsbuild(esbuildWasmDirs(ROOT)), options);
    assert.equal(onWorker.code, here.code);
    assert.equal(onWorker.hash, here.hash);
    assert.deepEqual(onWorker.tracked, [5]);
    assert.match(again.code, /var m = globalThis\.__modelLensTrack\(2, tf\.sequential\(\)\);/, 'the editor text, not the file');
  });

  it('passes the user-facing messages back as BundleErrors', async () => {
    await assert.rejects(
      thread(workerFile).bundle({ entryPath: USES_FS, modelLines: [7], displayRoot: ROOT }),
      (error: unknown) => {
        assert.ok(error instanceof BundleError);
        assert.match(
          error.message,
          /^Model Lens cannot train models from test\/fixtures\/bundler\/usesFs\.ts: test\/fixtures\/bundler\/usesFs\.ts:3 imports "fs"/,
        );
        return true;
      },
    );
  });

  it('bundles in this thread when the worker file is missing', async () => {
    const t = thread(path.join(dir, 'missing.js'));
    const result = await t.bundle({ entryPath: CONVNET, modelLines: [5] });
    assert.equal(t.onWorker, false);
    assert.deepEqual(result.tracked, [5]);
  });

  it('finishes a request in this thread when the worker dies', async () => {
    const dying = path.join(dir, 'dying.js');
    writeFileSync(dying, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const t = thread(dying);
    const result = await t.bundle({ entryPath: CONVNET, modelLines: [5] });
    assert.equal(t.onWorker, false);
    assert.deepEqual(result.tracked, [5]);
  });
});
