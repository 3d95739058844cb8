/**
 * The training bench's comparison with PyTorch on the same CPU, in the same run: the panel's
 * three models trained by scripts/bench/torchBench.py (Debian's python3-torch, installed here
 * when missing, as the tests install Chromium), alternated with the panel's measurements, and
 * one line per model and backend:
 * `torch-ratio <model> <backend>: panel N samples/s, pytorch M samples/s, ratio R` (then a tail).
 *
 * One long-lived Python process (`torchBench.py --serve`) takes a command per measurement, so a
 * pair (panel, then PyTorch) runs under the same machine load and pays no Python start-up.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export interface TorchRate {
  model: string;
  samplesPerSecond: number;
  threads: number;
}

/** Debian's Python, which python3-torch installs into (a `python3` first on PATH may be another). */
const DEBIAN_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const hasTorch = (python: string): boolean => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** The Python that has PyTorch: the first `python3` on PATH (a GPU machine's own build) or Debian's. */
function torchPython(): string | null {
  return ['python3', DEBIAN_PYTHON].find(hasTorch) ?? null;
}

/** PyTorch itself: there, or installed from Debian's packages; else why not. */
async function ensureTorch(repo: string): Promise<string | null> {
  if (torchPython() !== null) return null;
  try {
    const script = pathToFileURL(path.join(repo, 'scripts', 'vscodeServer', 'ensureDeps.mjs')).href;
    const deps = (await import(script)) as { ensureDebianPackages(names: string[]): void };
    deps.ensureDebianPackages(['python3-torch']);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return hasTorch(DEBIAN_PYTHON) ? null : 'python3-torch is installed but `import torch` fails';
}

/** A running `torchBench.py --serve`: one training measurement per call, in order. */
export class TorchServer {
  private readonly waiting: Array<(line: string | null) => void> = [];
  private readonly lines: string[] = [];
  private stderr = '';
  private ended = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** torch.get_num_threads() before the bench set it: what a plain PyTorch script uses here. */
    public defaultThreads = 1,
    /** The machine's logical cores (os.cpu_count()). */
    public cores = 1,
    public version = '',
    /** The CUDA device's name where PyTorch sees one, else null. */
    public cuda: string | null = null,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => this.deliver(line));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    child.on('close', () => {
      this.ended = true;
      for (const resolve of this.waiting.splice(0)) resolve(null);
    });
  }

  /** Starts the server (installing PyTorch first when missing); a reason where it cannot. */
  static async start(repo: string): Promise<TorchServer | { skipped: string }> {
    const missing = await ensureTorch(repo);
    if (missing !== null) return { skipped: `PyTorch is not available here (${missing})` };
    const child = spawn(torchPython() ?? DEBIAN_PYTHON, [path.join(repo, 'scripts', 'bench', 'torchBench.py'), '--serve'], {
      stdio: 'pipe',
    });
    const server = new TorchServer(child);
    const ready = await server.next();
    if (ready === null || !ready.startsWith('{')) {
      server.close();
      return { skipped: `torchBench.py --serve did not start: ${server.stderr.trim().slice(-300) || ready}` };
    }
    const hello = JSON.parse(ready) as { default_threads: number; cores: number; torch: string; cuda?: string | null };
    server.defaultThreads = hello.default_threads;
    server.cores = hello.cores;
    server.version = hello.torch;
    server.cuda = hello.cuda ?? null;
    return server;
  }

  private deliver(line: string): void {
    const resolve = this.waiting.shift();
    if (resolve) resolve(line);
    else this.lines.push(line);
  }

  private next(): Promise<string | null> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Trains `model` with `threads` threads (on `device`) on at least `samples` samples and for at least `seconds`. */
  async train(
    model: string,
    samples: number,
    seconds: number,
    threads: number,
    device: 'cpu' | 'cuda' = 'cpu',
  ): Promise<TorchRate> {
    if (this.ended) throw new Error(`torchBench.py has exited: ${this.stderr.trim().slice(-300)}`);
    this.child.stdin.write(`${JSON.stringify({ model, samples, seconds, threads, device })}\n`);
    const line = await this.next();
    if (line === null) throw new Error(`torchBench.py has exited: ${this.stderr.trim().slice(-300)}`);
    const answer = JSON.parse(line) as { error?: string; samples_per_second: number; threads: number };
    if (answer.error !== undefined) throw new Error(`torchBench.py: ${answer.error}`);
    return { model, samplesPerSecond: answer.samples_per_second, threads: answer.threads };
  }

  close(): void {
    if (!this.ended) this.child.stdin.end();
  }
}

/** The thread counts to time PyTorch with: the `--torch-threads=` list, else torch's default and then all cores. */
export function torchThreadCounts(arg: string | undefined, server: { defaultThreads: number; cores: number }): number[] {
  const asked = (arg ?? 'default,cores')
    .split(',')
    .map((t) => (t === 'default' ? server.defaultThreads : t === 'cores' ? server.cores : Number(t)))
    .filter((t) => Number.isInteger(t) && t > 0);
  return [...new Set(asked.length > 0 ? asked : [server.defaultThreads])];
}

/** One alternated pair: the panel's samples/s, then PyTorch's per thread count, measured right after. */
export interface TorchPair {
  panel: number;
  torch: Record<number, number>;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The per-pair samples/s, as printed under each model. */
export function torchPairLines(pairs: readonly TorchPair[], threads: readonly number[]): string[] {
  return pairs.map(
    (p, i) =>
      `    pair ${i + 1}: panel ${p.panel.toFixed(1)}` +
      threads
        .map(
          (t) =>
            `, pytorch ${t}t ${p.torch[t]?.toFixed(1) ?? '-'} (ratio ${p.torch[t] ? (p.panel / p.torch[t]).toFixed(2) : '-'})`,
        )
        .join('') +
      ' samples/s',
  );
}

/**
 * The `torch-ratio` line of one model and backend: panel and PyTorch samples/s (medians over the
 * pairs) and R, the median of the pairs' panel / PyTorch ratios, all against the first thread
 * count; the tail names the pairs and threads and gives the ratio for the other thread counts.
 */
export function torchRatioLine(
  model: string,
  backend: string,
  pairs: readonly TorchPair[],
  threads: readonly number[],
  defaultThreads: number,
): string {
  const ratioAt = (t: number): { panel: number; torch: number; ratio: number } | null => {
    const usable = pairs.filter((p) => (p.torch[t] ?? 0) > 0);
    if (usable.length === 0) return null;
    return {
      panel: median(usable.map((p) => p.panel)),
      torch: median(usable.map((p) => p.torch[t]!)),
      ratio: median(usable.map((p) => p.panel / p.torch[t]!)),
    };
  };
  const name = (t: number): string => `${t} thread${t === 1 ? '' : 's'}${t === defaultThreads ? ", torch's default" : ''}`;
  const [main, ...others] = threads;
  const head = main === undefined ? null : ratioAt(main);
  if (main === undefined || head === null) return `torch-ratio ${model} ${backend}: pytorch did not train this model`;
  const rest = others
    .map((t) => ({ t, r: ratioAt(t) }))
    .map(({ t, r }) => (r ? `; with ${name(t)}: pytorch ${r.torch.toFixed(0)} samples/s, ratio ${r.ratio.toFixed(2)}` : ''))
    .join('');
  return (
    `torch-ratio ${model} ${backend}: panel ${head.panel.toFixed(0)} samples/s, pytorch ${head.torch.toFixed(0)} samples/s, ratio ${head.ratio.toFixed(2)}` +
    `  (medians of ${pairs.length} alternated pair${pairs.length === 1 ? '' : 's'}; pytorch ${name(main)}${rest})`
  );
}
