/**
 * `npm run bench:examples`: how long does the panel take to train an example with the
 * defaults it starts with (trainDefaults from the file's compile/fit, the host's recommended
 * data at its full size: all 10,000 MNIST digits), every view live, on WASM (or --backend)? For the
 * examples whose comments promise a picture after training (dense, overcomplete and denoising
 * autoencoders, VAE, GAN): wall time, loss per epoch (and validation loss), then a screenshot
 * of the view the comment points at under test-results/webview/example-<file>-<model>-<theme>.png
 * (and of the other views it promises, -<tab>.png). --views=none trains without views and
 * --samples=N uses N digits (to tell training time from the views' share).
 * A report, not a gate.
 *
 *   npm run bench:examples -- [--only=denseAutoencoder,gan] [--epochs=N] [--theme=dark|light] [--backend=wasm|auto|webgl|cpu]
 *     [--views=real|none] [--samples=N]
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describeExample, exampleDataset } from '../test/webview/support/examplesData';
import { REPO, callApi, startHarness } from '../test/webview/support/harness';
import { epochsOf, isState, waitForMessage } from '../test/webview/support/panelMessages';
import { seedLine } from '../test/webview/support/seed';

interface Case {
  file: string;
  model: string;
  /** The tab the example's comment points at. */
  tab: string;
  /** Other tabs it promises a picture in (screenshotted after the run too). */
  more?: string[];
}

const CASES: Case[] = [
  { file: 'examples/denseAutoencoder.ts', model: 'autoencoder', tab: 'latent' },
  { file: 'examples/overcompleteAutoencoder.ts', model: 'overcomplete', tab: 'latent' },
  { file: 'examples/denoisingAutoencoder.ts', model: 'gaussianDenoiser', tab: 'latent' },
  { file: 'examples/variationalAutoencoder.ts', model: 'vae', tab: 'latent', more: ['latentGrid'] },
  { file: 'examples/gan.ts', model: 'generator', tab: 'samples' },
];

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = arg('only');
const epochsOverride = arg('epochs') === undefined ? undefined : Number(arg('epochs'));
const theme = (arg('theme') ?? 'dark') as 'dark' | 'light';
const backend = (arg('backend') ?? 'wasm') as 'auto' | 'wasm' | 'webgl' | 'cpu';
const views = (arg('views') ?? 'real') as 'real' | 'none';
const samples = Number(arg('samples') ?? 10_000);
const RESULTS = path.join(REPO, 'test-results', 'webview');

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const h = await startHarness();
  const lines: string[] = [];
  try {
    for (const c of CASES.filter((x) => !only || only.split(',').some((o) => x.file.includes(o)))) {
      const example = describeExample(REPO, c.file);
      const m = example.models.find((x) => x.model.name === c.model);
      if (!m?.choice) throw new Error(`${c.file}#${c.model}: no model or no data`);
      const key = `${path.basename(c.file)}#${c.model}`;
      const bundle = await h.addModel(c.file, c.model, { prelude: seedLine(key), allModels: true });
      const dataset = exampleDataset(m.choice, samples);
      const datasetUrl = h.addDataset(key, dataset);
      const config = epochsOverride ? { ...m.config, epochs: epochsOverride } : m.config;
      const page = await h.openPage({ width: 1200, height: 1000, theme });
      const started = Date.now();
      await callApi(page, 'start', {
        bundleUrl: bundle.url,
        target: bundle.target,
        backend,
        config,
        datasetUrl,
        autoTrain: true,
        views,
      });
      await waitForMessage(page, isState('training'), 120_000);
      const trainingAt = Date.now();
      if (views === 'real') {
        const tab = page.locator(`vscode-tab-header[data-tab="${c.tab}"]`);
        await tab.waitFor({ state: 'visible', timeout: 60_000 });
        await tab.click();
      }
      // When each epoch's end arrives (polled), to tell start-up from training time.
      const epochAt: number[] = [];
      for (const end = Date.now() + 900_000; ;) {
        const all = await callApi(page, 'messages');
        while (epochAt.length < epochsOf(all).length) epochAt.push(Date.now());
        if (all.some(isState('done'))) break;
        if (all.some((x) => x.type === 'error')) throw new Error(`${key}: the panel reported an error`);
        if (Date.now() > end) throw new Error(`${key}: not done in time`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const seconds = (Date.now() - started) / 1000;
      const all = await callApi(page, 'messages');
      const epochs = epochsOf(all);
      const epochSeconds = epochAt.map((t, i) => ((t - (i === 0 ? trainingAt : epochAt[i - 1]!)) / 1000).toFixed(1));
      const used = all.find((x) => x.type === 'backend') as { name?: string } | undefined;
      // The screenshot shows the trained model: a views pass that started after the run ended.
      const doneAt = Date.now();
      if (views === 'real') {
        const passes = await callApi(page, 'viewRefreshCount');
        const until = Date.now() + 180_000;
        while ((await callApi(page, 'viewRefreshCount')) <= passes && Date.now() < until)
          await new Promise((r) => setTimeout(r, 250));
        await new Promise((r) => setTimeout(r, 2000));
      }
      const viewsSeconds = ((Date.now() - doneAt) / 1000).toFixed(1);
      const shot = path.join(RESULTS, `example-${path.basename(c.file, '.ts')}-${c.model}-${theme}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      for (const more of views === 'real' ? (c.more ?? []) : []) {
        // A tab shown after the run draws from the trained model at once.
        await page.locator(`vscode-tab-header[data-tab="${more}"]`).click();
        await new Promise((r) => setTimeout(r, 5000));
        await page.screenshot({ path: shot.replace(/\.png$/, `-${more}.png`), fullPage: true });
      }
      const losses = epochs.map((e) => `${e.loss.toFixed(4)}${e.validation ? `/${e.validation.loss.toFixed(4)}` : ''}`);
      const line =
        `${key}: ${dataset.xsShape[0]} × ${m.choice.id}, epochs ${config.epochs} (${config.sources.epochs}), batch ${config.batchSize}, ` +
        `backend ${used?.name ?? '?'}: ${seconds.toFixed(1)} s (start-up ${((trainingAt - started) / 1000).toFixed(1)} s, ` +
        `epochs ${epochSeconds.join(' ')} s, final views ${viewsSeconds} s); loss/val per epoch ${losses.join(' ')} → ${path.relative(REPO, shot)}`;
      console.log(line);
      lines.push(line);
      await page.close();
    }
  } finally {
    await h.close();
  }
  console.log(`\n${lines.join('\n')}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
