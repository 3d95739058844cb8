/**
 * The training bench's comparison with PyTorch on the same CPU, in the same run: the panel's
 * three models trained by scripts/bench/torchBench.py (Debian's python3-torch, installed here
 * when missing, as the tests install Chromium), and one line per model and backend:
 * `torch-ratio <model> <backend>: panel N samples/s, pytorch M samples/s, ratio R`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface TorchRate {
  model: string;
  samplesPerSecond: number;
  threads: number;
}

export type TorchOutcome = { rates: TorchRate[] } | { skipped: string };

/** Debian's Python, which python3-torch installs into (a `python3` first on PATH may be another). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const hasTorch = (): boolean => spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** PyTorch itself: there, or installed from Debian's packages; else why not. */
async function ensureTorch(repo: string): Promise<string | null> {
  if (hasTorch()) return null;
  try {
    const script = pathToFileURL(path.join(repo, 'scripts', 'vscodeServer', 'ensureDeps.mjs')).href;
    const deps = (await import(script)) as { ensureDebianPackages(names: string[]): void };
    deps.ensureDebianPackages(['python3-torch']);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return hasTorch() ? null : 'python3-torch is installed but `import torch` fails';
}

/** Trains `models` with PyTorch for about `seconds` each. */
export async function torchRates(repo: string, models: string[], seconds: number): Promise<TorchOutcome> {
  const missing = await ensureTorch(repo);
  if (missing !== null) return { skipped: `PyTorch is not available here (${missing})` };
  const run = spawnSync(
    PYTHON,
    [path.join(repo, 'scripts', 'bench', 'torchBench.py'), '--models', models.join(','), '--seconds', String(seconds)],
    { encoding: 'utf8', timeout: 10 * 60_000 },
  );
  if (run.status !== 0)
    return { skipped: `torchBench.py failed: ${(run.stderr || run.error?.message || '').trim().slice(-300)}` };
  const rates = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { model: string; samples_per_second: number; threads: number })
    .map((r) => ({ model: r.model, samplesPerSecond: r.samples_per_second, threads: r.threads }));
  return { rates };
}

/** One `torch-ratio` line per panel measurement (model × backend), or the reason there are none. */
export function torchRatioLines(
  panel: readonly { model: string; backend: string; panelSamplesPerSecond: number }[],
  outcome: TorchOutcome,
): string[] {
  if ('skipped' in outcome) return [`torch-ratio: skipped: ${outcome.skipped}`];
  return panel.flatMap((m) => {
    const torch = outcome.rates.find((r) => r.model === m.model);
    if (!torch) return [`torch-ratio ${m.model} ${m.backend}: pytorch did not train this model`];
    const ratio = m.panelSamplesPerSecond / torch.samplesPerSecond;
    return [
      `torch-ratio ${m.model} ${m.backend}: panel ${m.panelSamplesPerSecond.toFixed(0)} samples/s, pytorch ${torch.samplesPerSecond.toFixed(0)} samples/s (${torch.threads} threads), ratio ${ratio.toFixed(2)}`,
    ];
  });
}
