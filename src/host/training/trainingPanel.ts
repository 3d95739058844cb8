/**
 * One training panel: the webview beside the editor that trains one model. The host side of
 * the protocol (src/shared/messages.ts): on `ready` it sends `init` and the `dataset`; when
 * the panel reports `state: ready` it sends `train` once. `progress`/`epochEnd` drive a
 * cancellable progress notification (cancel → `control: stop`); `exportModel` is answered by
 * `savedModel` or `exportFailed`; the panel's Save button sends `saveModel` (→ `onSave`).
 * Nothing the webview sends is evaluated.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type {
  BackendPreference,
  DatasetPayload,
  HostToWebview,
  ModelTarget,
  TrainConfig,
  WebviewToHost,
} from '../../shared/messages';
import type { Logger } from '../logger';
import { formatMetrics } from '../../shared/format';
import { panelHtml } from './panelHtml';

export const TRAINING_VIEW_TYPE = 'modelLens.training';

export interface TrainingPanelOptions {
  extensionUri: vscode.Uri;
  /** The folder of the bundled model file (a local resource root). */
  bundleDir: vscode.Uri;
  bundleFile: vscode.Uri;
  documentUri: vscode.Uri;
  target: ModelTarget;
  config: TrainConfig;
  dataset: DatasetPayload;
  backend: BackendPreference;
  /** The workers setting (0: one per core). */
  workers?: number;
  log: Logger;
  /** The editor column to open in (default: beside the active editor). */
  column?: vscode.ViewColumn;
  /** The panel's Save Model button was pressed. */
  onSave?: (panel: TrainingPanel) => void;
}

export interface SavedModel {
  modelJson: string;
  weightData: ArrayBuffer;
}

/** Identifies a panel: one per model of a document. */
export function panelKey(documentUri: string, modelName: string): string {
  return `${documentUri}#${modelName}`;
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Local resource roots: the built output, media/ and the bundle folder only. */
export function resourceRoots(extensionUri: vscode.Uri, bundleDir: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), bundleDir];
}

/** Text from the page, shown to the user: a string, one paragraph at most. */
const short = (text: unknown): string => String(text).slice(0, 500);

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);

export class TrainingPanel implements vscode.Disposable {
  readonly key: string;
  readonly panel: vscode.WebviewPanel;
  private config: TrainConfig;
  private started = false;
  private disposed = false;
  /** The user cancelled the notification: no new one until training (re)starts. */
  private progressCancelled = false;
  private progress:
    { report: (value: { message?: string; increment?: number }) => void; done: () => void; percent: number } | undefined;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (m: SavedModel) => void; reject: (e: Error) => void }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  /** Fires once, after the panel closed. */
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(private readonly options: TrainingPanelOptions) {
    this.key = panelKey(options.documentUri.toString(), options.target.name);
    this.config = options.config;
    this.panel = vscode.window.createWebviewPanel(
      TRAINING_VIEW_TYPE,
      `Train ${options.target.name}`,
      { viewColumn: options.column ?? vscode.ViewColumn.Beside, preserveFocus: false },
      {
        enableScripts: true,
        // Training runs in the page: hiding the tab must not stop it.
        retainContextWhenHidden: true,
        localResourceRoots: resourceRoots(options.extensionUri, options.bundleDir),
      },
    );
    this.panel.webview.html = this.html();
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  get target(): ModelTarget {
    return this.options.target;
  }

  get documentUri(): vscode.Uri {
    return this.options.documentUri;
  }

  get bundleFile(): vscode.Uri {
    return this.options.bundleFile;
  }

  get currentConfig(): TrainConfig {
    return this.config;
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  focusLayer(layerName: string, line: number): void {
    this.reveal(true);
    this.post({ type: 'focusLayer', layerName, line });
  }

  stop(): void {
    this.post({ type: 'control', action: 'stop' });
  }

  /** Asks the panel for the trained model (`exportModel` → `savedModel`). */
  requestExport(timeoutMs = 60000): Promise<SavedModel> {
    const requestId = this.nextRequestId++;
    return new Promise<SavedModel>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`the training panel of "${this.target.name}" did not send the model within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      this.pending.set(requestId, {
        resolve: (model) => {
          clearTimeout(timer);
          resolve(model);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.post({ type: 'exportModel', requestId });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.endProgress();
    for (const { reject } of this.pending.values()) reject(new Error('the training panel was closed.'));
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.options.extensionUri, 'dist', 'webview');
    const codicons = vscode.Uri.joinPath(dist, 'codicon.css');
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'panel.css')).toString(),
      ...(existsSync(codicons.fsPath) ? { codiconsUri: webview.asWebviewUri(codicons).toString() } : {}),
      title: `Train ${this.options.target.name}`,
    });
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.options.log.error(`posting ${message.type} to the training panel`, error);
    });
  }

  private sendInit(): void {
    const webview = this.panel.webview;
    const wasmBase = webview.asWebviewUri(vscode.Uri.joinPath(this.options.extensionUri, 'dist', 'webview', 'wasm')).toString();
    this.post({
      type: 'init',
      target: this.options.target,
      bundleUrl: webview.asWebviewUri(this.options.bundleFile).toString(),
      wasmBase: wasmBase.endsWith('/') ? wasmBase : `${wasmBase}/`,
      backend: this.options.backend,
      workers: this.options.workers ?? 0,
      config: this.config,
    });
    this.post({ type: 'dataset', dataset: this.options.dataset });
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string') return;
    const message = raw as WebviewToHost;
    switch (message.type) {
      case 'ready':
        this.sendInit();
        break;
      case 'state':
        this.onState(message.state, message.message);
        break;
      case 'progress': {
        // epoch and batch are 1-based, as the panel counts and shows them (webview/training/trainer.ts).
        const [epoch, epochs, batch, batches] = [message.epoch, message.epochs, message.batch, message.batches].map(count) as [
          number,
          number,
          number,
          number,
        ];
        const total = Math.max(1, epochs * Math.max(1, batches));
        const done = Math.min(total, Math.max(0, epoch - 1) * Math.max(1, batches) + batch);
        this.report(
          (100 * done) / total,
          `epoch ${epoch}/${epochs} · batch ${batch}/${batches} · ${formatMetrics(message.loss, message.metrics)}`,
        );
        break;
      }
      case 'epochEnd':
        this.options.log.info(
          `${this.target.name}: epoch ${count(message.epoch)} · ${formatMetrics(message.loss, message.metrics)}`,
        );
        break;
      case 'backend':
        this.options.log.info(`${this.target.name}: backend ${short(message.name)} (${short(message.reason)})`);
        break;
      case 'error':
        void vscode.window.showErrorMessage(`Model Lens (${this.target.name}): ${short(message.message)}`);
        break;
      case 'savedModel': {
        const request = this.pending.get(message.requestId);
        if (!request) break;
        this.pending.delete(message.requestId);
        if (
          typeof message.modelJson !== 'string' ||
          !(message.weightData instanceof ArrayBuffer || ArrayBuffer.isView(message.weightData))
        ) {
          request.reject(new Error('the training panel sent an incomplete model.'));
          break;
        }
        const weights =
          message.weightData instanceof ArrayBuffer
            ? message.weightData
            : (() => {
                const view = message.weightData as unknown as Uint8Array;
                return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
              })();
        request.resolve({ modelJson: message.modelJson, weightData: weights });
        break;
      }
      case 'exportFailed': {
        const request = this.pending.get(message.requestId);
        if (!request) break;
        this.pending.delete(message.requestId);
        request.reject(new Error(short(String(message.message))));
        break;
      }
      case 'saveModel':
        this.options.onSave?.(this);
        break;
      case 'configChanged':
        this.config = message.config;
        break;
    }
  }

  private onState(state: string, text: string | undefined): void {
    switch (state) {
      case 'ready':
        if (!this.started) {
          this.started = true;
          this.post({ type: 'train', config: this.config });
        }
        break;
      case 'training':
        this.progressCancelled = false;
        this.startProgress();
        break;
      case 'paused':
        this.progress?.report({ message: 'paused' });
        break;
      case 'done':
        this.endProgress();
        vscode.window.setStatusBarMessage(`$(check) Model Lens: "${this.target.name}" trained`, 5000);
        break;
      case 'stopped':
        this.endProgress();
        break;
      case 'error':
        this.endProgress();
        if (text) void vscode.window.showErrorMessage(`Model Lens (${this.target.name}): ${short(text)}`);
        break;
    }
  }

  private startProgress(): void {
    if (this.progress || this.disposed) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${this.target.name}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          const cancel = token.onCancellationRequested(() => {
            this.progressCancelled = true;
            this.stop();
            this.endProgress();
          });
          this.progress = {
            report: (value) => progress.report(value),
            done: () => {
              cancel.dispose();
              resolve();
            },
            percent: 0,
          };
        }),
    );
  }

  private report(percent: number, message: string): void {
    if (!this.progress && !this.progressCancelled) this.startProgress();
    const p = this.progress;
    if (!p) return;
    const increment = Math.max(0, percent - p.percent);
    p.percent = Math.max(p.percent, percent);
    p.report({ message, increment });
  }

  private endProgress(): void {
    const p = this.progress;
    this.progress = undefined;
    p?.done();
  }
}
