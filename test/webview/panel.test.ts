/**
 * The webview tier: the built panel (dist/webview, the test page bundle) in headless Chromium
 * with a stub host, trained on real MNIST digits. Run `node scripts/buildWebview.mjs` first.
 * Measured numbers go to test-results/webview/metrics.json (and the screenshots next to it).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { generateForecast } from '../../src/data/syntheticDatasets';
import { loadMnist } from '../../src/data/mnist';
import { formatLoss } from '../../webview/ui/format';
import { callApi, REPO, startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import { seedLine } from './support/seed';
import type { RecordedMessage, StartOptions } from './support/pageApi';
import {
  config,
  epochsOf,
  isState,
  mean,
  messages,
  progressOf,
  startModel,
  text,
  waitForMessage,
  waitUntil,
} from './support/panelMessages';

const RESULTS = path.join(REPO, 'test-results', 'webview');
const metrics: Record<string, unknown> = {};

describe('training panel (webview tier)', function () {
  this.timeout(180_000);
  let h: Harness;
  let page: Page;
  let convnet: BundledModel;
  let mnist512: string;
  let mnist256: string;
  let mnist128: string;
  let mnist64: string;

  const start = (options: Partial<StartOptions> & Pick<StartOptions, 'datasetUrl'>, on: Page = page): Promise<void> =>
    startModel(on, convnet, options);

  before(async () => {
    h = await startHarness();
    convnet = await h.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
    mnist512 = h.addDataset('mnist-512', loadMnist({ count: 512, layout: 'image', targets: 'oneHot' }));
    mnist256 = h.addDataset('mnist-256', loadMnist({ count: 256, layout: 'image', targets: 'oneHot' }));
    mnist128 = h.addDataset('mnist-128', loadMnist({ count: 128, layout: 'image', targets: 'oneHot' }));
    mnist64 = h.addDataset('mnist-64', loadMnist({ count: 64, layout: 'image', targets: 'oneHot' }));
    page = await h.openPage();
    metrics['environment'] = await callApi(page, 'environment');
  });

  after(async () => {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(path.join(RESULTS, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    console.log(`      metrics: ${JSON.stringify(metrics)}`);
    await h?.close();
  });

  it('finds the MNIST convnet by its line: 93,322 parameters', () => {
    assert.equal(convnet.target.name, 'model');
    assert.equal(convnet.target.line, 5);
    const params = convnet.target.layers.reduce((sum, l) => sum + (l.params ?? 0), 0);
    assert.equal(params, 93_322);
  });

  it('(1, 5) trains the convnet one epoch on 512 MNIST digits, automatically on WASM: loss decreases, the UI shows tfjs’s loss', async () => {
    await start({ datasetUrl: mnist512 });
    await waitForMessage(page, isState('done'));
    const all = await messages(page);
    const backend = all.find((m) => m.type === 'backend') as Extract<RecordedMessage, { type: 'backend' }>;
    assert.equal(backend.name, 'wasm');
    assert.match(backend.reason, /SwiftShader \(software\): using WASM/);
    // The workers setting is absent: one worker per core (up to 8), sharing each batch where there are several.
    const cores = await page.evaluate(
      () => (globalThis as unknown as { navigator: { hardwareConcurrency: number } }).navigator.hardwareConcurrency,
    );
    const workers = Math.min(8, cores);
    const where =
      workers > 1
        ? `training on ${workers} worker threads, each computing a share of every batch`
        : 'training on a worker thread';
    const line = (await text(page, 'backend-reason')).text;
    // Sharing is timed both ways over the first batches and kept only where faster.
    assert.ok(
      line.endsWith(`; ${where}`) ||
        /; training on a worker thread \(sharing each batch was slower for this model: .*\)$/.test(line),
      line,
    );
    assert.match((await text(page, 'backend-reason')).text, /SwiftShader/);
    assert.equal((await text(page, 'backend')).text, 'WASM');
    // The worker built the model; the page's copy came in the layers format (no initialisers run here).
    assert.equal(await callApi(page, 'modelSource'), 'layers format');

    const losses = progressOf(all).map((p) => p.loss);
    assert.equal(losses.length, 16, '512 / 32 = 16 batches, each reported (progressIntervalMs 0)');
    const first = mean(losses.slice(0, 4));
    const last = mean(losses.slice(-4));
    assert.ok(last < first * 0.98, `loss should drop: first batches ${first.toFixed(4)}, last ${last.toFixed(4)}`);
    // The UI shows the loss of the last batch as computed in the page (exact value + its rounding).
    const shown = await text(page, 'loss-value');
    assert.equal(shown.value, String(losses.at(-1)));
    assert.equal(shown.text, formatLoss(losses.at(-1)!));
    const epoch = epochsOf(all)[0]!;
    assert.equal((await text(page, 'epoch-loss')).value, String(epoch.loss));
    const speed = Number((await text(page, 'speed')).value);
    metrics['convnetAutoWasm'] = {
      firstBatchesLoss: first,
      lastBatchesLoss: last,
      epochLoss: epoch.loss,
      accuracy: epoch.metrics['accuracy'],
      samplesPerSecond: speed,
    };
  });

  it('(1) shows exactly the loss tfjs computes for the model (learning rate 0, one batch of 64)', async () => {
    await start({ datasetUrl: mnist64, config: config({ batchSize: 64, learningRate: 0 }) });
    await waitForMessage(page, isState('done'));
    const shown = Number((await text(page, 'loss-value')).value);
    const reference = await callApi(page, 'referenceLoss');
    assert.ok(Math.abs(shown - reference) <= 1e-5 * Math.max(1, reference), `panel ${shown} vs tfjs ${reference}`);
    assert.equal((await text(page, 'loss-value')).text, formatLoss(shown));
  });

  it('exports the trained model as model.json + one weight buffer (savedModel)', async () => {
    await callApi(page, 'send', { type: 'exportModel', requestId: 7 });
    const saved = (await waitForMessage(page, (m) => m.type === 'savedModel')) as Extract<
      RecordedMessage,
      { type: 'savedModel' }
    >;
    assert.equal(saved.requestId, 7);
    assert.equal(saved.weightBytes, 93_322 * 4);
    const json = JSON.parse(saved.modelJson) as {
      modelTopology: unknown;
      weightsManifest: { paths: string[]; weights: unknown[] }[];
    };
    assert.ok(json.modelTopology);
    assert.deepEqual(json.weightsManifest[0]!.paths, ['weights.bin']);
    assert.equal(json.weightsManifest[0]!.weights.length, 10);
  });

  it('(2) keeps the tensor count from epoch 1 to epoch 3', async () => {
    await start({ datasetUrl: mnist128, config: config({ epochs: 3 }) });
    await waitForMessage(page, isState('done'));
    const epochs = epochsOf(await messages(page));
    assert.equal(epochs.length, 3);
    const counts = epochs.map((e) => e.memory.numTensors);
    assert.equal(counts[2], counts[0], `tensors after each epoch: ${counts.join(', ')}`);
    assert.equal(epochs[2]!.memory.numBytes, epochs[0]!.memory.numBytes);
    assert.match((await page.locator('.lp-memory-trend').textContent()) ?? '', /steady over 3 epochs/);
    metrics['tensorsAfterEpoch'] = counts;
  });

  it('answers exportModel with exportFailed (and keeps Save disabled) before anything is trained', async () => {
    await start({ datasetUrl: mnist64, autoTrain: false });
    await waitForMessage(page, isState('ready'));
    assert.equal(await page.locator('[data-testid="save"]').getAttribute('disabled'), '');
    await callApi(page, 'send', { type: 'exportModel', requestId: 12 });
    const failed = await waitForMessage(page, (m) => m.type === 'exportFailed');
    assert.deepEqual(failed, {
      type: 'exportFailed',
      requestId: 12,
      message: 'nothing is trained yet: press Train first, then save.',
    });
  });

  it('(3) stopped mid-epoch: frees the optimizer and every intermediate tensor, keeps the trained model to save', async () => {
    await start({ datasetUrl: mnist512 });
    await waitForMessage(page, (m) => m.type === 'progress' && m.batch >= 3);
    const during = await callApi(page, 'memory');
    await callApi(page, 'send', { type: 'control', action: 'stop' });
    await waitForMessage(page, isState('stopped'));
    const all = await messages(page);
    assert.ok(progressOf(all).length < 16, 'stopped before the end of the epoch');
    const after = await callApi(page, 'memory');
    const baseline = await callApi(page, 'baselineTensors');
    const weights = await callApi(page, 'modelWeightTensors');
    assert.equal(weights, 10, 'the convnet has 10 weight tensors');
    assert.equal(
      after.numTensors,
      baseline + weights,
      `${during.numTensors} tensors while training, ${after.numTensors} after stop, ${baseline} before loading + ${weights} weights`,
    );
    // The stopped model can be saved: from the Save button (→ saveModel to the host), then exportModel.
    await page.locator('[data-testid="save"]').click();
    await waitForMessage(page, (m) => m.type === 'saveModel');
    await callApi(page, 'send', { type: 'exportModel', requestId: 11 });
    const saved = (await waitForMessage(page, (m) => m.type === 'savedModel' && m.requestId === 11)) as Extract<
      RecordedMessage,
      { type: 'savedModel' }
    >;
    assert.equal(saved.weightBytes, 93_322 * 4);
    metrics['stop'] = { duringTraining: during.numTensors, afterStop: after.numTensors, baseline, modelWeights: weights };
    // Trained again after the stop: a fresh model (the stopped one freed), on the data the worker kept.
    await callApi(page, 'send', { type: 'train', config: config({ epochs: 1 }) });
    await waitForMessage(page, isState('done'));
    const again = await callApi(page, 'memory');
    assert.equal(await callApi(page, 'baselineTensors'), baseline, 'the stopped model was freed before the new one was built');
    assert.equal(again.numTensors, baseline + weights, `${again.numTensors} tensors after the second run`);
    assert.deepEqual(await callApi(page, 'workerTrainPosts'), ['dataset', 'kept']);
  });

  it('(3) releases every tensor when the page is closed mid-epoch (pagehide)', async () => {
    await start({ datasetUrl: mnist512 });
    await waitForMessage(page, (m) => m.type === 'progress' && m.batch >= 2);
    const baseline = await callApi(page, 'baselineTensors');
    await callApi(page, 'pageHide');
    const end = Date.now() + 10_000;
    let count = (await callApi(page, 'memory')).numTensors;
    while (count !== baseline && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      count = (await callApi(page, 'memory')).numTensors;
    }
    assert.equal(count, baseline);
    metrics['pagehide'] = { afterClose: count, baseline };
  });

  // Long tasks are measured and written to metrics.json here; the ≤ 100 ms goal is judged by
  // `npm run bench:training`, not by a timed test (a busy CI machine must not fail it).
  it('(4, 7) trains the convnet on the forced WASM backend (long tasks measured)', async () => {
    await start({ datasetUrl: mnist512, backend: 'wasm' });
    await waitForMessage(page, (m) => m.type === 'progress' && m.batch >= 1);
    // From here on the kernels are warm (the first batch compiles and sets them up).
    const warmUp = await callApi(page, 'longTasks');
    await callApi(page, 'resetLongTasks');
    await waitForMessage(page, isState('done'));
    const longTasks = await callApi(page, 'longTasks');
    const longFrames = await callApi(page, 'longFrames');
    const all = await messages(page);
    const backend = all.find((m) => m.type === 'backend') as Extract<RecordedMessage, { type: 'backend' }>;
    assert.deepEqual(backend, { type: 'backend', name: 'wasm', reason: 'WASM chosen in the settings' });
    const losses = progressOf(all).map((p) => p.loss);
    const max = Math.max(0, ...longTasks);
    const reports = await callApi(page, 'epochReports');
    metrics['wasmForced'] = {
      samplesPerSecond: Number((await text(page, 'speed')).value),
      timing: reports[0]?.timing,
      maxLongTaskMs: max,
      longTasksOver50ms: longTasks.length,
      maxLongAnimationFrameMs: Math.max(0, ...longFrames),
      warmUpLongTasksMs: warmUp,
    };
    assert.ok(
      mean(losses.slice(-4)) < mean(losses.slice(0, 4)) * 0.98,
      `loss should drop: ${losses.map((l) => l.toFixed(3)).join(' ')}`,
    );
  });

  it('(7) trains to the end on WebGL when it is forced (SwiftShader here; its speed and long tasks printed)', async () => {
    await start({ datasetUrl: mnist64, backend: 'webgl' });
    await waitForMessage(page, (m) => m.type === 'progress' && m.batch >= 1, 120_000);
    await callApi(page, 'resetLongTasks');
    await waitForMessage(page, isState('done'), 120_000);
    const longTasks = await callApi(page, 'longTasks');
    const all = await messages(page);
    const backend = all.find((m) => m.type === 'backend') as Extract<RecordedMessage, { type: 'backend' }>;
    assert.equal(backend.name, 'webgl');
    const samplesPerSecond = Number((await text(page, 'speed')).value);
    assert.ok(samplesPerSecond > 0, `a measured speed on WebGL (${samplesPerSecond})`);
    assert.ok(progressOf(all).length > 0, 'batches ran on WebGL');
    metrics['webglForced'] = { samplesPerSecond, maxLongTaskMs: Math.max(0, ...longTasks), longTasksOver50ms: longTasks.length };
  });

  it('(6) pauses and resumes, from the toolbar and from control messages', async () => {
    // Three epochs of 16 batches: the second pause must land before training ends.
    await start({ datasetUrl: mnist512, config: config({ epochs: 3 }) });
    await waitForMessage(page, (m) => m.type === 'progress' && m.batch >= 2);
    const pauseButton = page.locator('[data-testid="pause"]');
    await pauseButton.click();
    await waitForMessage(page, isState('paused'));
    // Paused mid-epoch, the loss tile and the speed show the epoch so far.
    const at = progressOf(await messages(page)).at(-1)!;
    if (at.batch < at.batches) assert.match((await text(page, 'epoch-loss')).text, new RegExp(`^epoch ${at.epoch} so far: \\d`));
    assert.ok(Number((await text(page, 'speed')).value) > 0, 'a live speed mid-epoch');
    const before = progressOf(await messages(page)).length;
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(progressOf(await messages(page)).length, before, 'no batch runs while paused');
    assert.equal((await pauseButton.textContent())?.trim(), 'Resume');
    assert.equal((await text(page, 'state')).text, 'Paused');
    await callApi(page, 'send', { type: 'control', action: 'resume' });
    await waitUntil(async () => progressOf(await messages(page)).length > before, 'a batch after resume');
    await callApi(page, 'send', { type: 'control', action: 'pause' });
    const states = async (): Promise<string[]> =>
      (await messages(page)).filter((m) => m.type === 'state').map((m) => (m as { state: string }).state);
    await waitUntil(async () => (await states()).filter((s) => s === 'paused').length === 2, 'the second pause');
    await pauseButton.click();
    await waitForMessage(page, isState('done'));
    const sequence = (await states()).filter((s) => s !== 'loading' && s !== 'ready');
    assert.deepEqual(sequence, ['training', 'paused', 'training', 'paused', 'training', 'done']);
    assert.equal(progressOf(await messages(page)).length, 48, 'every batch ran once');
  });

  it('runs the module’s own trainStep (custom loss) and keeps its tensors steady', async () => {
    const custom = await h.addModel('test/webview/fixtures/customStepAutoencoder.ts', 'autoencoder', {
      prelude: seedLine('customStepAutoencoder'),
    });
    const vectors = h.addDataset('mnist-vectors-128', loadMnist({ count: 128, layout: 'vector', targets: 'none' }));
    await start({
      bundleUrl: custom.url,
      target: custom.target,
      datasetUrl: vectors,
      config: config({ epochs: 3, loss: 'meanSquaredError', metrics: [] }),
    });
    await waitForMessage(page, isState('done'));
    const epochs = epochsOf(await messages(page));
    assert.equal(epochs.length, 3);
    assert.ok(epochs[2]!.loss < epochs[0]!.loss, `epoch losses ${epochs.map((e) => e.loss).join(', ')}`);
    assert.equal(epochs[2]!.memory.numTensors, epochs[0]!.memory.numTensors);
    assert.match((await page.locator('.lp-model-source').textContent()) ?? '', /custom trainStep/);
    // The loss and metrics settings do not apply to a trainStep: fixed, and they say why.
    const loss = page.locator('[data-field="loss"]');
    assert.equal(await loss.evaluate((el) => (el as unknown as { disabled: boolean }).disabled), true);
    assert.equal(
      await page.locator('[data-field="epochs"]').evaluate((el) => (el as unknown as { disabled: boolean }).disabled),
      false,
    );
    assert.match((await loss.locator('xpath=..').textContent()) ?? '', /set by the module's trainStep/);
  });

  it('(1) trains a model with a custom layer: the page imports its module too (tfjs cannot read the class back) and has the worker’s weights', async () => {
    const custom = await h.addModel('test/fixtures/webview/customLayer.ts', 'model', { prelude: seedLine('customLayer') });
    const vectors = h.addDataset('mnist-vectors-256', loadMnist({ count: 256, layout: 'vector', targets: 'oneHot' }));
    await start({ bundleUrl: custom.url, target: custom.target, datasetUrl: vectors, autoTrain: false });
    await waitForMessage(page, isState('ready'));
    assert.equal(await callApi(page, 'modelSource'), 'module import');
    await callApi(page, 'send', { type: 'train', config: config({ epochs: 2 }) });
    await waitForMessage(page, isState('done'));
    const losses = progressOf(await messages(page)).map((p) => p.loss);
    assert.equal(losses.length, 16);
    assert.ok(
      mean(losses.slice(-4)) < mean(losses.slice(0, 4)),
      `loss should drop: ${losses.map((l) => l.toFixed(3)).join(' ')}`,
    );
    // The page's copy has the weights the worker reached: its loss on the data is the last epoch's, near enough.
    const epochs = epochsOf(await messages(page));
    const reference = await callApi(page, 'referenceLoss');
    assert.ok(
      Math.abs(reference - epochs[1]!.loss) < 0.25 * epochs[1]!.loss,
      `page copy's loss ${reference} vs the worker's last epoch ${epochs[1]!.loss}`,
    );
    assert.match((await text(page, 'backend-reason')).text, /worker thread/);
    // Trained again on the same data: the worker keeps the dataset it has (not cloned again).
    await callApi(page, 'send', { type: 'train', config: config({ epochs: 1 }) });
    await waitUntil(
      async () => (await messages(page)).filter(isState('done')).length === 2,
      'the second run to finish',
      90_000,
    ).catch(async (e) => {
      console.log(JSON.stringify((await messages(page)).slice(-8)));
      throw e;
    });
    assert.deepEqual(await callApi(page, 'workerTrainPosts'), ['dataset', 'kept']);
    const second = progressOf(await messages(page)).slice(16);
    assert.equal(second.length, 8, 'one more epoch of 256 samples in batches of 32');
    assert.ok(second.every((p) => Number.isFinite(p.loss)));
  });

  it('(3) falls back to the page where the model worker cannot start (no script, a backend that does not start there)', async () => {
    assert.equal(await callApi(page, 'modelWorkerStarts', 'wasm'), true);
    assert.equal(await callApi(page, 'modelWorkerStarts', 'cpu'), true);
    // The panel then loads and trains the model on the page (the path the worker: false test trains).
    assert.equal(await callApi(page, 'modelWorkerStarts', 'no-such-backend'), false);
    const before = h.errors.length;
    assert.equal(await callApi(page, 'modelWorkerStarts', 'wasm', new URL('/nowhere/', h.origin).href), false);
    // The browser logs the 404s of the three files this asks for (the worker script, two WASM
    // binaries); they are the point here, not page errors.
    await waitUntil(async () => h.errors.length - before >= 3, 'the 404s logged', 5_000);
    const logged = h.errors.splice(before);
    assert.ok(
      logged.every((e) => /404/.test(e)),
      `unexpected errors: ${logged.join('; ')}`,
    );
  });

  it('reports a model it cannot find, without a stack trace', async () => {
    await start({ datasetUrl: mnist64, target: { ...convnet.target, name: 'missingModel', line: 99 } });
    let error: Extract<RecordedMessage, { type: 'error' }> | undefined;
    await waitUntil(async () => {
      error = (await messages(page)).find((m): m is Extract<RecordedMessage, { type: 'error' }> => m.type === 'error');
      return error !== undefined;
    }, 'an error message');
    assert.ok(error, 'an error message');
    assert.match(error.message, /Could not find the model "missingModel" \(line 99\)/);
    assert.doesNotMatch(error.message, /\n\s+at /);
    assert.equal(await page.locator('[data-testid="state"]').getAttribute('data-state'), 'error');
  });

  it('mounts the views as tabs, refreshes them throttled (never overlapping) and forwards focusLayer', async () => {
    await start({ datasetUrl: mnist512, views: 'probe', config: config({ epochs: 2 }) });
    await waitForMessage(page, (m) => m.type === 'progress' && m.epoch === 1 && m.batch >= 4);
    // A layer CodeLens sends the analysis's name and line (here: the second conv2d, layer 2).
    const lens = convnet.target.layers[2]!;
    assert.equal(lens.type, 'Conv2D');
    await callApi(page, 'send', { type: 'focusLayer', layerName: lens.name, line: lens.line });
    await waitForMessage(page, isState('done'));
    // The refresh requested at the end runs at once (training is over: no training time to spare).
    await waitUntil(
      async () => {
        const last = (await callApi(page, 'probeView')).refreshes.at(-1);
        return last?.epoch === 2 && last.batch === 16;
      },
      'a refresh with the trained model',
      15_000,
    );
    const log = await callApi(page, 'probeView');
    assert.equal(log.mounted, 1);
    assert.equal(log.maxConcurrent, 1, 'refreshes never overlap');
    assert.equal(log.focused.length, 1);
    const focused = log.refreshes.filter((r) => r.focusedLayer !== null);
    assert.ok(
      focused.length > 0 && focused.every((r) => r.focusedLayer === log.focused[0]),
      'the context carries the focused layer',
    );
    assert.equal(focused[0]!.focusedIndex, 2, 'the run-time layer that the analysis’s layer is');
    assert.ok(
      log.refreshes.every((r) => r.layers === 8),
      'views get the live model',
    );
    // The passes while training are throttled; the last one (after the run) is not.
    const starts = log.refreshes.slice(0, -1).map((r) => r.at);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    assert.ok(
      gaps.every((g) => g >= 990),
      `at most one refresh per second: gaps ${gaps.map((g) => g.toFixed(0)).join(', ')}`,
    );
    const last = log.refreshes.at(-1)!;
    assert.deepEqual([last.epoch, last.batch], [2, 16], 'the trained model is shown at the end');
    assert.equal(await page.locator('vscode-tab-header[data-tab="probe"]').isHidden(), false);
    metrics['probeViewRefreshes'] = log.refreshes.length;
  });

  it('shows the trained model at once when a run ends, however long the throttle would wait', async () => {
    // One pass a minute at most while training: the refresh after the run must not wait for it.
    await start({ datasetUrl: mnist128, views: 'probe', viewRefreshMs: 60_000, config: config({ epochs: 1 }) });
    await waitForMessage(page, isState('done'));
    await waitUntil(
      async () => {
        const last = (await callApi(page, 'probeView')).refreshes.at(-1);
        return last?.epoch === 1 && last.batch === 4;
      },
      'a refresh with the trained model within 10 s of the end',
      10_000,
    );
  });

  it('(3) trains on the page where no worker is used; views read the model in steps and it holds still meanwhile (gates match the LSTM)', async () => {
    const lstm = await h.addModel('test/fixtures/models/lstmForecast.ts', 'model', { prelude: seedLine('lstmForecast') });
    const sines = h.addDataset('sines-384', generateForecast({ count: 384, timesteps: 30, features: 4, ysShape: [7] }));
    const settings = config({ epochs: 3, loss: 'meanSquaredError', metrics: [] });
    await start({
      bundleUrl: lstm.url,
      target: lstm.target,
      datasetUrl: sines,
      views: 'real',
      worker: false,
      viewRefreshMs: 200,
      autoTrain: false,
      config: settings,
    });
    await waitForMessage(page, isState('ready'));
    // Views draw only while visible: the gates tab, which checks its recomputation against the layer.
    await page.locator('vscode-tab-header[data-tab="gates"]').click();
    const drawn = async (): Promise<Array<{ epoch: number; batch: number; error: number }>> =>
      (await callApi(page, 'gateErrors')).filter((g) => g.error !== null && Number.isFinite(g.error));
    await waitUntil(async () => (await drawn()).length > 0, 'the gates of the untrained model');
    await callApi(page, 'send', { type: 'train', config: settings });
    await waitForMessage(page, isState('done'));
    const reason = (await text(page, 'backend-reason')).text;
    assert.doesNotMatch(reason, /worker/, `the page trains: ${reason}`);
    const losses = progressOf(await messages(page)).map((p) => p.loss);
    assert.ok(
      mean(losses.slice(-3)) < mean(losses.slice(0, 3)),
      `loss should drop: ${losses.map((l) => l.toFixed(3)).join(' ')}`,
    );
    // Passes drawn while the page trained are the point: without the hold on the weights, a
    // batch's update between two of a pass's steps breaks the check.
    const gates = await drawn();
    assert.ok(
      gates.some((g) => g.epoch >= 1 && (g.epoch < 3 || g.batch < 12)),
      `a refresh during training: ${JSON.stringify(gates)}`,
    );
    for (const g of gates) assert.ok(g.error <= 1e-4, `gates vs layer at epoch ${g.epoch} batch ${g.batch}: ${g.error}`);
    metrics['pageTrainingGateChecks'] = gates;
  });

  it('runs under the panel’s Content Security Policy with no violations or page errors', async () => {
    assert.deepEqual(await callApi(page, 'cspViolations'), []);
    assert.deepEqual(h.errors, []);
  });

  for (const theme of ['dark', 'light', 'hc-dark', 'hc-light'] as const) {
    it(`looks like a VS Code panel in the ${theme} theme (screenshot with the inspection views)`, async () => {
      const themed = await h.openPage({ theme, width: 900, height: 1400 });
      try {
        const settings = config({ epochs: 2 });
        await start({ datasetUrl: mnist256, views: 'real', config: settings }, themed);
        await waitForMessage(themed, isState('done'));
        await themed.waitForTimeout(1500);
        mkdirSync(RESULTS, { recursive: true });
        await themed.screenshot({ path: path.join(RESULTS, `panel-${theme}.png`), fullPage: true });
        // The Metrics field names its metrics, not a count.
        const face = (await themed.locator('lp-metrics-select [data-role="metrics-face"]').innerText()).trim();
        assert.equal(face, settings.metrics.length > 0 ? settings.metrics.join(', ') : 'none');
        // The Settings header is drawn in the theme's foreground, not a component default.
        // (A string: this file compiles without the DOM library.)
        const colours = (await themed.evaluate(`(() => {
          const title = document.querySelector('.lp-settings-section')?.shadowRoot?.querySelector('.title');
          const probe = document.createElement('span');
          probe.style.color = 'var(--vscode-foreground)';
          document.body.append(probe);
          const fg = getComputedStyle(probe).color;
          probe.remove();
          return { title: title ? getComputedStyle(title).color : null, fg };
        })()`)) as { title: string | null; fg: string };
        assert.equal(colours.title, colours.fg, 'Settings header colour');
        // Stat tiles show their whole text (they wrap rather than cut with an ellipsis).
        const cut = await themed.$$eval('.lp-stat-label, .lp-stat-value, .lp-stat-sub', (els) =>
          els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
        );
        assert.deepEqual(cut, [], 'stat tile text cut');
        // An inspection view's tab, drawn from the trained model when it becomes visible.
        await themed.locator('vscode-tab-header[data-tab="filters"]').click();
        await themed.waitForTimeout(1500);
        await themed.screenshot({ path: path.join(RESULTS, `panel-${theme}-filters.png`), fullPage: true });
        const tabs = await themed.locator('vscode-tab-header:not([hidden])').allTextContents();
        metrics[`tabs-${theme}`] = tabs.map((t) => t.trim());
        assert.ok(tabs.length >= 2, `tabs: ${tabs.join(', ')}`);
        metrics[`viewRefreshes-${theme}`] = await callApi(themed, 'viewRefreshCount');
      } finally {
        await callApi(themed, 'dispose');
        await themed.close();
      }
    });
  }
});
