/**
 * Browser tier for the inspection views: the views bundled with tfjs into a test page, small
 * models built and trained in the page (CPU backend), driven through Playwright in headless
 * Chromium. Asserts that the views draw (canvas pixels vary), that the recomputed RNN gates
 * reproduce the layers' hidden states, that the latent plot has one point per sample, and that
 * refreshing leaks no tensors. Saves a screenshot of every view under test-results/views/.
 *
 *   npx mocha --config test/webview/views/.mocharc.json
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { assertDrawn, call, mnistDigits, screenshotViews, useViewsPage } from './driver';
import type { SetupInfo, SetupOptions } from './harnessApi';

const results: string[] = [];

describe('inspection views in Chromium', function () {
  this.timeout(900_000);
  let page: Page;
  useViewsPage((p) => (page = p));

  async function setup(options: SetupOptions): Promise<SetupInfo> {
    const info = await call(page, 'setup', options);
    return info;
  }

  async function screenshot(name: string, info: SetupInfo): Promise<void> {
    await screenshotViews(page, name, info);
  }

  async function leakCheck(label: string): Promise<void> {
    const t = await call(page, 'refresh', 5, 100);
    results.push(`${label}: numTensors ${t.numTensorsBefore} → ${t.numTensorsAfter} over 5 refreshes of every view`);
    assert.strictEqual(t.numTensorsAfter, t.numTensorsBefore, `${label}: tensors leaked`);
  }

  after(() => {
    if (results.length > 0) console.log(`\n  measured:\n${results.map((r) => `    ${r}`).join('\n')}\n`);
  });

  describe('the MNIST convnet on random 28×28 images', () => {
    let info: SetupInfo;
    before(async () => {
      info = await setup({ kind: 'convnet', samples: 16 });
      await call(page, 'train', 1, 8);
    });

    it('applies Filters, Activations and Weights; not Gates or Latent', () => {
      const applies = Object.fromEntries(info.views.map((v) => [v.id, v.applies]));
      assert.deepStrictEqual(applies, {
        filters: true,
        activations: true,
        gates: false,
        latent: false,
        latentGrid: false,
        neighbours: false,
        samples: false,
        weights: true,
      });
    });

    it('leaks no tensors over 5 refreshes of every view (including the first build of the probes)', async () => {
      await leakCheck('convnet');
    });

    it('draws every conv layer’s filters (not blank)', async () => {
      await call(page, 'refresh', 1, 1);
      const stats = await call(page, 'canvasStats', '[data-host="filters"] canvas[data-role="filters"]');
      assert.strictEqual(stats.length, 3);
      assertDrawn(stats, 'filter grid');
      const notes = await call(page, 'texts', '[data-host="filters"] .ml-layer-shape');
      assert.deepStrictEqual(notes, ['kernel 3×3×1×32', 'kernel 3×3×32×64', 'kernel 3×3×64×64']);
    });

    it('draws feature maps (rank-4 outputs) and dense outputs (not blank)', async () => {
      const maps = await call(page, 'canvasStats', '[data-host="activations"] canvas[data-kind="maps"]');
      assert.strictEqual(maps.length, 5, 'conv, pool, conv, pool, conv');
      assertDrawn(maps, 'feature-map grid');
      assertDrawn(await call(page, 'canvasStats', '[data-host="activations"] canvas[data-kind="vector"]'), 'dense output', 2);
    });

    it('shows per-input-channel filters on request', async () => {
      await page.click('[data-host="filters"] .ml-seg:has-text("Per input channel")');
      await call(page, 'refresh', 1, 2);
      const tiles = await call(page, 'attrs', '[data-host="filters"] canvas[data-role="filters"]', 'data-tiles');
      assert.deepStrictEqual(tiles, ['32', String(64 * 16), String(64 * 16)]);
      assertDrawn(await call(page, 'canvasStats', '[data-host="filters"] canvas[data-role="filters"]'), 'per-channel grid');
    });

    it('draws weight and activation histograms with sparsity', async () => {
      assertDrawn(
        await call(page, 'canvasStats', '[data-host="weights"] canvas[data-role="weights-hist"]:not([hidden])'),
        'weights histogram',
        5,
      );
      assertDrawn(
        await call(page, 'canvasStats', '[data-host="weights"] canvas[data-role="acts-hist"]'),
        'activations histogram',
        8,
      );
      const sparsity = (await call(page, 'attrs', '[data-host="weights"] section[data-sparsity]', 'data-sparsity')).map(Number);
      assert.strictEqual(sparsity.length, 8);
      sparsity.forEach((s) => assert.ok(s >= 0 && s <= 1));
      assert.deepStrictEqual(
        await call(page, 'texts', '[data-host="weights"] [data-role="sparse-hint"]'),
        [],
        'no sparse-autoencoder hint for a classifier',
      );
    });

    it('steps through samples (all pickers in step) and probes a digit drawn on the pad', async () => {
      const POS = '[data-host="activations"] .ml-sample-pos, [data-host="weights"] .ml-sample-pos';
      await page.click('[data-host="activations"] button[aria-label="Next sample"]');
      await call(page, 'refresh', 1, 3);
      assert.deepStrictEqual(await call(page, 'texts', POS), ['#1 of 16', '#1 of 16']);
      const before = await call(page, 'texts', '[data-host="activations"] .ml-layer-note');
      await page.click('[data-host="activations"] .ml-picker button:has-text("Draw")');
      const pad = (await page.locator('[data-host="activations"] .ml-pad-canvas').boundingBox())!;
      await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(pad.x + pad.width * 0.45, pad.y + pad.height * 0.8, { steps: 12 });
      await page.mouse.up();
      await call(page, 'refresh', 1, 3);
      assert.deepStrictEqual(await call(page, 'texts', POS), ['drawn digit', 'drawn digit']);
      const after = await call(page, 'texts', '[data-host="activations"] .ml-layer-note');
      assert.notDeepStrictEqual(after, before, 'activations of the drawn digit differ');
      assertDrawn(
        await call(page, 'canvasStats', '[data-host="activations"] canvas[data-kind="maps"]'),
        'feature maps of the drawing',
        5,
      );
      await page.click('[data-host="activations"] .ml-picker button:has-text("Hide pad")');
      await call(page, 'refresh', 1, 3);
      assert.deepStrictEqual(await call(page, 'texts', POS), ['#1 of 16', '#1 of 16']);
    });

    it('skips hidden views (no work while the tab is hidden) and draws them when shown', async () => {
      await call(page, 'show', 'filters');
      const c0 = await call(page, 'renderCounts');
      const c1 = await call(page, 'refreshAsIs', 50);
      assert.strictEqual(c1['filters'], c0['filters']! + 1, 'the visible view rendered');
      assert.strictEqual(c1['activations'], c0['activations'], 'hidden views did nothing');
      assert.strictEqual(c1['weights'], c0['weights']);
      await call(page, 'show', 'weights');
      await page.waitForFunction(
        (n) =>
          (globalThis as unknown as { harness: { renderCounts(): Record<string, number> } }).harness.renderCounts()['weights']! >
          n,
        c1['weights']!,
        { timeout: 10_000 },
      );
      await call(page, 'show', 'all');
    });

    it('focusLayer highlights the layer in every view that shows it', async () => {
      const name = info.layers[0]!.split(':')[0]!;
      const hosts = await call(page, 'focusLayer', name);
      for (const id of ['filters', 'activations', 'weights']) assert.ok(hosts.includes(id), `${id} highlighted ${name}`);
    });

    it('refreshes every view in both filter modes, the averaged one with fewer tiles (costs printed)', async () => {
      const tilesOf = async (): Promise<number> =>
        (await call(page, 'attrs', '[data-host="filters"] canvas[data-role="filters"]', 'data-tiles')).reduce(
          (a, t) => a + Number(t),
          0,
        );
      const perChannel = await call(page, 'refresh', 5, 150);
      const perChannelTiles = await tilesOf();
      results.push(
        `convnet filters view, per-input-channel mode (${perChannelTiles} tiles): ${perChannel.ms['filters']!.toFixed(1)} ms (CPU backend)`,
      );
      await page.click('[data-host="filters"] .ml-seg:has-text("Averaged")');
      const t = await call(page, 'refresh', 5, 200);
      assert.ok(
        (await tilesOf()) < perChannelTiles,
        'averaged filters draw one tile per filter, fewer than one per input channel',
      );
      for (const id of ['filters', 'activations', 'weights']) {
        const ms = t.ms[id];
        assert.ok(ms !== undefined && Number.isFinite(ms) && ms >= 0, `${id} refreshed (${ms} ms)`);
      }
      results.push(
        `convnet refresh cost (median of 5, CPU backend): ${Object.entries(t.ms)
          .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
          .join(', ')}`,
      );
      await screenshot('convnet', info);
    });
  });

  describe('depthwise, separable and transposed convolutions (RGB input)', () => {
    it('draws every kind of conv kernel, no leaks', async () => {
      const info = await setup({ kind: 'convZoo' });
      await call(page, 'refresh', 1, 1);
      const shapes = await call(page, 'texts', '[data-host="filters"] .ml-layer-shape');
      assert.deepStrictEqual(shapes, ['depthwise kernel 3×3×3×2', 'depthwise kernel 3×3×6×1', 'kernel 3×3×4×8']);
      const tiles = await call(page, 'attrs', '[data-host="filters"] canvas[data-role="filters"]', 'data-tiles');
      assert.deepStrictEqual(
        tiles,
        ['6', '6', '4'],
        'depthwise: 3 channels × 2; separable: its 6 depthwise filters; transposed: 4 filters',
      );
      assertDrawn(await call(page, 'canvasStats', '[data-host="filters"] canvas[data-role="filters"]'), 'conv kernel grid', 3);
      assertDrawn(await call(page, 'canvasStats', '[data-host="activations"] canvas[data-kind="maps"]'), 'feature maps', 3);
      await leakCheck('depthwise/separable/transposed convnet');
      await screenshot('convZoo', info);
    });
  });

  describe('Conv1D feeding an LSTM', () => {
    it('draws 1-D kernels and recomputes the LSTM from the conv output, no leaks', async () => {
      const info = await setup({ kind: 'conv1dLstm' });
      await call(page, 'train', 1, 16);
      await call(page, 'refresh', 1, 1);
      assertDrawn(await call(page, 'canvasStats', '[data-host="filters"] canvas[data-role="filters"]'), '1-D kernel grid', 1);
      const errs = (await call(page, 'attrs', '[data-host="gates"] section[data-max-error]', 'data-max-error')).map(Number);
      assert.strictEqual(errs.length, 1);
      assert.ok(errs[0]! < 1e-4, `max |Δh| ${errs[0]}`);
      results.push(`conv1d → LSTM: gate recomputation max |Δh| = ${errs[0]!.toExponential(2)}`);
      await leakCheck('conv1d → LSTM');
      await screenshot('conv1dLstm', info);
    });
  });

  describe('autoencoder made of nested encoder / decoder models', () => {
    it('probes the nested layers, picks encoder/latent as the code, one point per sample, no leaks', async () => {
      const info = await setup({ kind: 'nestedAe', samples: 300 });
      await call(page, 'refresh', 1, 1);
      const paths = await call(page, 'attrs', '[data-host="activations"] section.ml-layer', 'data-path');
      assert.ok(paths.includes('encoder') && paths.includes('encoder/latent') && paths.includes('decoder'), paths.join(', '));
      const auto = await call(page, 'texts', '[data-host="latent"] select option:first-child');
      assert.match(auto[0]!, /auto: encoder\/latent \(8\)/);
      assert.deepStrictEqual(
        await call(page, 'attrs', '[data-host="latent"] canvas[data-role="latent-scatter"]', 'data-points'),
        ['300'],
      );
      assertDrawn(
        await call(page, 'canvasStats', '[data-host="latent"] canvas[data-role="recon-image"]'),
        'reconstruction images',
        2,
      );
      // Overriding the code layer with the dropdown: the decoder's first layer (64 units).
      await page.selectOption('[data-host="latent"] select', {
        label: await page.locator('[data-host="latent"] select option', { hasText: 'decoder/' }).first().innerText(),
      });
      await call(page, 'refresh', 1, 2);
      assert.match((await call(page, 'texts', '[data-host="latent"] .ml-toolbar .ml-hint')).join(' '), /code 64 at decoder\//);
      await leakCheck('nested autoencoder');
      await screenshot('nestedAe', info);
    });
  });

  for (const kind of ['lstm', 'gru', 'bilstm'] as const) {
    describe(`${kind} sequence model`, () => {
      let info: SetupInfo;
      before(async () => {
        info = await setup({ kind });
        await call(page, 'train', 2, 16);
      });

      it('recomputed gates reproduce every RNN layer’s hidden state within 1e-4', async () => {
        assert.ok(info.views.find((v) => v.id === 'gates')!.applies);
        await call(page, 'refresh', 1, 1);
        const errs = (await call(page, 'attrs', '[data-host="gates"] section[data-max-error]', 'data-max-error')).map(Number);
        assert.strictEqual(errs.length, 2, 'two recurrent layers (stacked)');
        errs.forEach((e) => assert.ok(e >= 0 && e < 1e-4, `max |Δh| ${e}`));
        results.push(
          `${kind}: gate recomputation max |h − layer h| = ${Math.max(...errs).toExponential(2)} (per layer: ${errs.map((e) => e.toExponential(1)).join(', ')})`,
        );
        const gates = await call(page, 'canvasStats', '[data-host="gates"] canvas[data-role="gate"]');
        const expected = kind === 'lstm' ? 12 : kind === 'gru' ? 8 : 12 + 4; // bi-LSTM: 2×6, then GRU: 4
        assert.strictEqual(gates.length, expected);
        assertDrawn(gates, 'gate heatmap', expected);
        const ok = await call(page, 'texts', '[data-host="gates"] .ml-check-ok');
        assert.strictEqual(ok.length, 2);
      });

      it('draws sequence activations as heatmaps, each with a legend of its own colour map', async () => {
        assertDrawn(
          await call(page, 'canvasStats', '[data-host="activations"] canvas[data-kind="sequence"]'),
          'sequence heatmap',
          1,
        );
        // Every heatmap's legend names the map it is drawn with: diverging for signed outputs.
        const maps = await page.$$eval('[data-host="activations"] section.ml-layer', (sections) =>
          sections.map((s) => ({
            kind: s.querySelector('canvas')?.getAttribute('data-kind'),
            map: s.querySelector('[data-role="activation-legend"]')?.getAttribute('data-map') ?? null,
            note: s.querySelector('.ml-layer-note')?.textContent ?? '',
          })),
        );
        for (const m of maps.filter((x) => x.kind === 'sequence')) {
          const min = Number(/min (-?[\d.e+-]+)/.exec(m.note)?.[1]);
          assert.strictEqual(m.map, min < 0 ? 'diverging' : 'sequential', `legend of ${m.note}`);
        }
        assert.ok(
          maps.some((m) => m.kind === 'sequence' && m.map === 'diverging'),
          'an LSTM/GRU sequence output is signed',
        );
      });

      it('gates: each legend prints its gate’s range, axes have unit and step ticks, hover shows the value', async () => {
        await call(page, 'show', 'gates');
        await call(page, 'refresh', 1, 2);
        const L = '[data-host="gates"] [data-role="gate-legend"]';
        const [gates, kinds, los, his, texts, ranges] = await Promise.all([
          call(page, 'attrs', '[data-host="gates"] canvas[data-role="gate"]', 'data-gate'),
          call(page, 'attrs', L, 'data-range'),
          call(page, 'attrs', L, 'data-lo'),
          call(page, 'attrs', L, 'data-hi'),
          call(page, 'texts', L),
          call(page, 'texts', '[data-host="gates"] [data-role="gate-range"]'),
        ]);
        const rows = gates.map((gate, i) => ({
          gate,
          kind: kinds[i],
          lo: Number(los[i]),
          hi: Number(his[i]),
          text: texts[i] ?? '',
          range: ranges[i] ?? '',
        }));
        const sigmoid = rows.filter((r) => r.kind === 'unit');
        assert.ok(sigmoid.length >= 2, `gates on their own range: ${JSON.stringify(rows.slice(0, 3))}`);
        for (const r of sigmoid) {
          assert.ok(r.hi - r.lo < 1, `${r.gate}: the scale is the gate's own range, not 0–1 (${r.lo}…${r.hi})`);
          assert.ok(r.text.length > 2 && r.range.startsWith('values '), `${r.gate}: legend "${r.text}", range "${r.range}"`);
        }
        // Trained weights, same layers: the refresh repaints the same nodes with new values (while
        // training, rebuilding every canvas and legend cost frames over 100 ms).
        const G = '[data-host="gates"] canvas[data-role="gate"]';
        await page.$$eval(G, (cs) => cs.forEach((c, i) => c.setAttribute('data-kept', String(i))));
        await call(page, 'train', 1, 16);
        await call(page, 'refresh', 1, 3);
        const kept = await call(page, 'attrs', G, 'data-kept');
        assert.deepStrictEqual(
          kept,
          gates.map((_, i) => String(i)),
          'the gate canvases are repainted in place',
        );
        const rangesAfter = await call(page, 'texts', '[data-host="gates"] [data-role="gate-range"]');
        assert.strictEqual(rangesAfter.length, ranges.length);
        assert.ok(
          rangesAfter.some((r, i) => r !== ranges[i]),
          `the ranges follow the new weights: ${rangesAfter.slice(0, 3).join(' | ')}`,
        );
        assertDrawn(await call(page, 'canvasStats', G), 'repainted gate heatmap', gates.length);
        const unitTicks = await call(page, 'texts', '[data-host="gates"] [data-role="unit-ticks"]');
        assert.strictEqual(unitTicks.length, rows.length, 'every heatmap has unit ticks');
        const firstSteps = await call(page, 'texts', '[data-host="gates"] [data-role="step-ticks"] > span:first-child');
        const lastSteps = await call(page, 'texts', '[data-host="gates"] [data-role="step-ticks"] > span:last-child');
        assert.ok(firstSteps.length >= 2 && firstSteps.every((t) => t === '0'), `first step ticks: ${firstSteps.join(', ')}`);
        assert.ok(
          lastSteps.every((t) => Number(t) > 0),
          `last step ticks: ${lastSteps.join(', ')}`,
        );
        // Hover the first gate heatmap's second cell of the second row.
        const canvas = page.locator('[data-host="gates"] canvas[data-role="gate"]').first();
        const box = (await canvas.boundingBox())!;
        const cols = Number(lastSteps[0]) + 1;
        await page.mouse.move(box.x + (1.5 * box.width) / cols, box.y + box.height * 0.01 + 1);
        const tip = page.locator('[data-host="gates"] [data-role="gate-tooltip"]:not([hidden])');
        await tip.waitFor({ timeout: 5_000 });
        assert.match(await tip.innerText(), /step 1 · unit 0 · -?[\d.e+-]+$/);
        await page.mouse.move(0, 0);
        // Absolute 0–1 on request: every sigmoid gate's legend reads 0 … 1.
        await page.click('[data-host="gates"] .ml-seg:has-text("0–1")');
        const unitLos = await call(page, 'attrs', `${L}[data-range="unit"]`, 'data-lo');
        const unitHis = await call(page, 'attrs', `${L}[data-range="unit"]`, 'data-hi');
        assert.strictEqual(unitLos.length, sigmoid.length);
        assert.ok(
          unitLos.every((v) => v === '0') && unitHis.every((v) => v === '1'),
          `0–1 scale: ${unitLos.join(',')} / ${unitHis.join(',')}`,
        );
        await page.click('[data-host="gates"] .ml-seg:has-text("Own range")');
        await call(page, 'show', 'all');
      });

      it('leaks no tensors over 5 refreshes of every view', async () => {
        await leakCheck(kind);
        await screenshot(kind, info);
      });
    });
  }

  describe('dense autoencoder 784-128-32-128-784 on random data', () => {
    let info: SetupInfo;
    before(async () => {
      info = await setup({ kind: 'denseAe', samples: 600 });
      await call(page, 'train', 1, 64);
    });

    it('finds the 32-unit bottleneck and plots exactly one point per sample', async () => {
      assert.ok(info.views.find((v) => v.id === 'latent')!.applies);
      await call(page, 'refresh', 1, 1);
      const auto = await call(page, 'texts', '[data-host="latent"] select option:first-child');
      assert.match(auto[0]!, /auto: .*\(32\)/);
      const points = await call(page, 'attrs', '[data-host="latent"] canvas[data-role="latent-scatter"]', 'data-points');
      assert.deepStrictEqual(points, ['600']);
      assertDrawn(await call(page, 'canvasStats', '[data-host="latent"] canvas[data-role="latent-scatter"]'), 'latent scatter');
    });

    it('renders input vs reconstruction pairs as images of the samples’ size, side by side', async () => {
      const pairs = (await call(page, 'attrs', '[data-host="latent"] [data-role="recon"]', 'data-pairs')).map(Number);
      assert.strictEqual(pairs.length, 1);
      assert.ok(pairs[0]! >= 4, `pairs: ${pairs[0]}`);
      const images = await call(page, 'canvasStats', '[data-host="latent"] canvas[data-role="recon-image"]');
      assert.strictEqual(images.length, 2 * pairs[0]!, 'an input and a reconstruction per pair');
      images.forEach((s) => assert.deepStrictEqual([s.width, s.height], [28, 28]));
      assertDrawn(images, 'reconstruction images', 2);
      const sides = await call(page, 'attrs', '[data-host="latent"] .ml-recon-pair canvas', 'data-side');
      assert.deepStrictEqual(sides.slice(0, 4), ['input', 'output', 'input', 'output']);
      assert.match(
        (await call(page, 'texts', '[data-host="latent"] [data-role="recon-mse"]'))[0]!,
        /mean squared error over these \d+: [\d.e-]+/,
      );
    });

    it('runs UMAP on demand, still one point per sample', async () => {
      const t0 = Date.now();
      const r = await call(page, 'runUmap', 120_000);
      assert.match(r.status, /UMAP of epoch/);
      assert.strictEqual(r.points, 600);
      results.push(`dense AE: UMAP of 600 codes (32-D) took ${((Date.now() - t0) / 1000).toFixed(1)} s, in slices`);
    });

    it('leaks no tensors over 5 refreshes of every view', async () => {
      await leakCheck('dense autoencoder');
      const t = await call(page, 'refresh', 3, 300);
      results.push(
        `dense AE refresh cost (new epoch each time: re-encodes 600 samples): ${Object.entries(t.ms)
          .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
          .join(', ')}`,
      );
      await screenshot('denseAe', info);
    });
  });

  describe('dense autoencoder on MNIST as the host sends it (flat vectors, sampleKind "vector")', () => {
    it('knows the 784 values are 28×28 digits and draws them as images, in every theme', async () => {
      for (const theme of ['dark', 'light', 'hc-dark', 'hc-light'] as const) {
        const info = await setup({ kind: 'denseAe', samples: 100, digits: mnistDigits(10), hostMnist: true, theme });
        await call(page, 'refresh', 1, 0);
        assert.deepStrictEqual(
          await call(page, 'attrs', '[data-host="latent"] .ml-recon-lines', 'data-pairs'),
          [],
          'no line charts',
        );
        const images = await call(page, 'canvasStats', '[data-host="latent"] canvas[data-role="recon-image"]');
        assert.ok(images.length >= 8, `images: ${images.length}`);
        images.forEach((s) => assert.deepStrictEqual([s.width, s.height], [28, 28]));
        assertDrawn(
          images.filter((_, i) => i % 2 === 0),
          'input digits',
          4,
        );
        await screenshot(`mnistVectors-${theme}`, info);
      }
      // A plain autoencoder gets no sparse-autoencoder hint; one with an L1 activity penalty does.
      assert.deepStrictEqual(await call(page, 'texts', '[data-host="weights"] [data-role="sparse-hint"]'), []);
      await setup({ kind: 'denseAe', samples: 50, digits: mnistDigits(5), hostMnist: true, sparse: true });
      await call(page, 'refresh', 1, 0);
      assert.strictEqual((await call(page, 'texts', '[data-host="weights"] [data-role="sparse-hint"]')).length, 1);
    });
  });

  describe('linear autoencoder 3 → 2 → 3 on 3-D data', () => {
    let info: SetupInfo;
    before(async () => {
      info = await setup({ kind: 'linearAe', samples: 500 });
    });

    it('draws the learnt plane beside the PCA plane and the angle shrinks with training', async () => {
      await call(page, 'refresh', 1, 0);
      const before = Number((await call(page, 'attrs', '[data-host="latent"] .ml-angle', 'data-angle'))[0]);
      await call(page, 'train', 60, 50, 0.03);
      await call(page, 'refresh', 1, 60);
      const after = Number((await call(page, 'attrs', '[data-host="latent"] .ml-angle', 'data-angle'))[0]);
      results.push(
        `linear AE: angle between learnt plane and PCA plane ${before.toFixed(2)}° untrained → ${after.toFixed(2)}° after 60 epochs`,
      );
      assert.ok(after < 5, `angle after training: ${after}`);
      assert.ok(after < before, 'the angle shrinks');
      assertDrawn(await call(page, 'canvasStats', '[data-host="latent"] canvas[data-role="plane3d"]'), '3-D plane view');
      assert.deepStrictEqual(await call(page, 'attrs', '[data-host="latent"] canvas[data-role="plane3d"]', 'data-points'), [
        '500',
      ]);
      // 2-D codes are plotted directly, one point per sample.
      assert.deepStrictEqual(
        await call(page, 'attrs', '[data-host="latent"] canvas[data-role="latent-scatter"]', 'data-points'),
        ['500'],
      );
      const text = await call(page, 'texts', '[data-host="latent"] .ml-card-title');
      assert.ok(text.some((t) => /2-D, as they are/.test(t)));
    });

    it('rotates by dragging', async () => {
      const canvas = page.locator('[data-host="latent"] canvas[data-role="plane3d"]');
      const before = await canvas.screenshot();
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 20, { steps: 5 });
      await page.mouse.up();
      assert.ok(!before.equals(await canvas.screenshot()), 'the view changed');
    });

    it('leaks no tensors over 5 refreshes of every view', async () => {
      await leakCheck('linear autoencoder');
      await screenshot('linearAe', info);
    });
  });

  describe('WASM backend (what the panel uses when WebGL is software-rendered)', () => {
    before(async () => {
      assert.strictEqual(await call(page, 'setBackend', 'wasm'), 'wasm');
    });
    after(async () => {
      await call(page, 'setBackend', 'cpu');
    });

    it('convnet: views draw, refresh cost, no leaks', async () => {
      await setup({ kind: 'convnet', samples: 16 });
      await leakCheck('convnet (wasm)');
      const t = await call(page, 'refresh', 5, 200);
      results.push(
        `convnet refresh cost (median of 5, WASM backend): ${Object.entries(t.ms)
          .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
          .join(', ')}`,
      );
      assertDrawn(await call(page, 'canvasStats', '[data-host="filters"] canvas[data-role="filters"]'), 'filter grid', 3);
      assertDrawn(await call(page, 'canvasStats', '[data-host="activations"] canvas[data-kind="maps"]'), 'feature-map grid', 5);
    });

    it('stacked LSTM and bidirectional: gates match within 1e-4, no leaks', async () => {
      for (const kind of ['lstm', 'bilstm'] as const) {
        await setup({ kind });
        await leakCheck(`${kind} (wasm)`);
        const errs = (await call(page, 'attrs', '[data-host="gates"] section[data-max-error]', 'data-max-error')).map(Number);
        assert.strictEqual(errs.length, 2);
        errs.forEach((e) => assert.ok(e < 1e-4, `max |Δh| ${e}`));
        results.push(`${kind} (wasm): gate recomputation max |Δh| = ${Math.max(...errs).toExponential(2)}`);
      }
    });

    it('dense autoencoder: one point per sample, pairs render, no leaks', async () => {
      await setup({ kind: 'denseAe', samples: 600 });
      await leakCheck('dense autoencoder (wasm)');
      assert.deepStrictEqual(
        await call(page, 'attrs', '[data-host="latent"] canvas[data-role="latent-scatter"]', 'data-points'),
        ['600'],
      );
      const t = await call(page, 'refresh', 3, 300);
      results.push(
        `dense AE refresh cost (WASM, re-encoding 600 samples each time): ${Object.entries(t.ms)
          .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
          .join(', ')}`,
      );
    });
  });

  describe('WebGL backend (SwiftShader here: slow, so only with VIEWS_WEBGL=1)', () => {
    before(function () {
      if (process.env['VIEWS_WEBGL'] !== '1') this.skip();
    });
    after(async () => {
      if (process.env['VIEWS_WEBGL'] === '1') await call(page, 'setBackend', 'cpu');
    });

    it('gates match within 1e-4, the views draw and nothing leaks', async () => {
      assert.strictEqual(await call(page, 'setBackend', 'webgl'), 'webgl');
      for (const kind of ['convnet', 'bilstm', 'denseAe'] as const) {
        await setup({ kind });
        await leakCheck(`${kind} (webgl)`);
        if (kind === 'bilstm') {
          const errs = (await call(page, 'attrs', '[data-host="gates"] section[data-max-error]', 'data-max-error')).map(Number);
          errs.forEach((e) => assert.ok(e < 1e-4, `max |Δh| ${e}`));
          results.push(`bilstm (webgl): gate recomputation max |Δh| = ${Math.max(...errs).toExponential(2)}`);
        }
        if (kind === 'convnet') {
          const t = await call(page, 'refresh', 3, 200);
          results.push(
            `convnet refresh cost (WebGL on SwiftShader): ${Object.entries(t.ms)
              .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
              .join(', ')}`,
          );
        }
      }
    });
  });

  describe('screenshots with MNIST digits', () => {
    const digits = mnistDigits(30);

    it('convnet and dense autoencoder on real digits (dark and light themes)', async function () {
      if (!digits) this.skip();
      // The convnet untrained (its filters are random anyway); the autoencoder trained on WASM.
      let info = await setup({ kind: 'convnet', samples: 300, digits });
      await call(page, 'refresh', 1, 0);
      await screenshot('digits-convnet', info);
      await call(page, 'setBackend', 'wasm');
      try {
        info = await setup({ kind: 'denseAe', samples: 300, digits, theme: 'light' });
        await call(page, 'train', 15, 32);
        await call(page, 'refresh', 1, 15);
        await screenshot('digits-denseAe-light', info);
        assert.deepStrictEqual(
          await call(page, 'attrs', '[data-host="latent"] canvas[data-role="latent-scatter"]', 'data-points'),
          ['300'],
        );
      } finally {
        await call(page, 'setBackend', 'cpu');
      }
    });
  });
});
