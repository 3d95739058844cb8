/**
 * The panel's backend: chosen at init (backend.ts), confirmed by the one-batch check before the
 * first run when WebGPU was chosen automatically (backendCheck.ts), and announced to the panel's
 * backend line and to the host.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendPreference, DatasetArrays, TrainConfig, WebviewToHost } from '../../src/shared/messages';
import { selectBackend } from '../training/backend';
import type { BackendChoice, WebGlProbe } from '../training/backend';
import { confirmBackend } from '../training/backendCheck';
import type { PanelLayout } from './layout';

export class PanelBackend {
  private choice: BackendChoice | null = null;

  constructor(
    private readonly layout: PanelLayout,
    private readonly post: (message: WebviewToHost) => void,
  ) {}

  /** Chooses and starts the backend on the page; its name is what the worker starts too. */
  async select(preference: BackendPreference, wasmBase: string, probe?: () => WebGlProbe): Promise<string> {
    this.announce(await selectBackend(preference, wasmBase, probe));
    return this.choice!.name;
  }

  /** Whether a check is due: WebGPU chosen automatically and not yet confirmed. */
  get unconfirmed(): boolean {
    return this.choice?.fallback !== undefined;
  }

  /**
   * The one-batch check and speed trial of an automatic WebGPU choice on `model` (with the run's
   * batch size and optimizer); true when the backend changed (the caller moves the session to `name`).
   */
  async confirm(
    model: tf.LayersModel,
    dataset: DatasetArrays,
    config: Pick<TrainConfig, 'batchSize' | 'optimizer' | 'learningRate'>,
    wasmBase: string,
  ): Promise<boolean> {
    const chosen = this.choice;
    if (chosen?.fallback === undefined) return false;
    const optimizer = { name: config.optimizer, learningRate: config.learningRate };
    this.announce(await confirmBackend(chosen, model, dataset, config.batchSize, wasmBase, { optimizer }));
    return this.choice!.name !== chosen.name;
  }

  get name(): string | null {
    return this.choice?.name ?? null;
  }

  /**
   * The backend line, saying where training runs: on the page (`workers` 0), a worker thread, or
   * several sharing each batch; `why` tells why fewer than asked.
   */
  show(workers: number, why = ''): void {
    const choice = this.choice;
    if (choice === null) return;
    const where =
      workers === 0
        ? ''
        : workers === 1
          ? '; training on a worker thread'
          : `; training on ${workers} worker threads, each computing a share of every batch`;
    this.layout.setBackend(choice.name, `${choice.reason}${where}${why === '' ? '' : ` (${why})`}`);
  }

  private announce(choice: BackendChoice): void {
    this.choice = choice;
    this.layout.setBackend(choice.name, choice.reason);
    this.post({ type: 'backend', name: choice.name, reason: choice.reason });
  }
}

/**
 * The workers setting as a count: 0 (or none) is one per core the browser reports, at most
 * AUTO_WORKERS (each worker holds a copy of the model and the data; a batch of 32 is never
 * shared finer than that).
 */
export function workerCount(setting: number | undefined): number {
  return setting !== undefined && setting > 0 ? setting : Math.min(AUTO_WORKERS, Math.max(1, navigator.hardwareConcurrency || 1));
}

const AUTO_WORKERS = 8;
