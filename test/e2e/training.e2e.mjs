// The training panel in a real VS Code (code-server 4.139 = VS Code 1.139, headless Chromium),
// driven as a person would. The steps, in order:
//   convnetSteps.mjs     open examples/mnistConvnet.ts, cursor in the model, F1 → Model Lens: Train
//                        Model, Enter on MNIST digits, watch the loss move, click a layer's lens and
//                        see its filters, the Filters tab, Stop and Train again, close the panel
//                        and see training stop;
//   windowSteps.mjs      no webview errors, the notification agrees with the panel, a panel across a
//                        window reload, ▶ Train on a broken model, three models keep one column;
//   evaluationSteps.mjs  the convnet with validation (both curves, a confusion matrix of the
//                        held-out digits), the LSTM's predictions against the targets;
//   generativeSteps.mjs  the dense autoencoder's reconstructions as images, the VAE's latent grid,
//                        the GAN's sample grid and its two losses;
//   themes.mjs           those views again in a dark, a high-contrast dark and a high-contrast
//                        light theme (training-16a-validation-curves-dark.png, …-hc-dark, …-hc-light).
// Shared helpers: panel.mjs (frames, read-outs, pixels, notifications), runs.mjs (training an
// example and a short run with the panel's Settings).
//
//   node test/e2e/training.e2e.mjs [--no-build]
//
// Screenshots: test-results/e2e/training-NN-step.png; the browser console (all frames, the
// webview's included, plus failed requests) in training-console.log, code-server's output in
// training-server.log, the extension's "Model Lens" output channel in training-extension.log.
// Other runs' files in test-results/e2e/ are left alone.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { convnetSteps } from './convnetSteps.mjs';
import { evaluationSteps } from './evaluationSteps.mjs';
import { generativeSteps } from './generativeSteps.mjs';
import { findFile } from './panel.mjs';
import { themeSteps } from './themes.mjs';
import { windowSteps } from './windowSteps.mjs';
import { ROOT, runSteps } from './workbench.mjs';

export const steps = [...convnetSteps, ...windowSteps, ...evaluationSteps, ...generativeSteps, ...themeSteps];

const buildScript = readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8');
process.exitCode = await runSteps('Model Lens training panel in VS Code (e2e)', steps, {
  name: 'training',
  // scripts/build.mjs does not build the webview yet: build it here until it does.
  build: buildScript.includes('buildWebview') ? [] : [[path.join(ROOT, 'scripts', 'buildWebview.mjs')]],
  collect: async ({ server, results, prefix }) => {
    const log = findFile(server.tempDir, 'Model Lens.log');
    if (log) copyFileSync(log, path.join(results, `${prefix}extension.log`));
  },
});
