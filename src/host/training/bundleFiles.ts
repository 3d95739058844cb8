/**
 * The model bundles on disk: the user's document bundled for the panel (on the bundling worker
 * thread, see modelBundle/), written as `<hash>.mjs` under the extension's storage, where the
 * panel loads it from, and deleted once no open panel uses it.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisResult } from '../../analysis/types';
import type { Logger } from '../logger';
import { BundleWorkerClient } from './modelBundle/bundleWorkerClient';
import { esbuildWasmDirs } from './modelBundle/esbuildWasm';

export class BundleFiles implements vscode.Disposable {
  /** esbuild on a worker thread (started on the first Train). */
  private readonly bundler: BundleWorkerClient;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    const root = context.extensionUri.fsPath;
    this.bundler = new BundleWorkerClient(path.join(root, 'dist', 'bundleWorker.js'), esbuildWasmDirs(root));
  }

  /** The folder the bundles are written to (a panel's local resource root). */
  get dir(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'bundles');
  }

  /** Bundles `document` (its editor text) and writes the bundle; the model lines it tracks. */
  async write(document: vscode.TextDocument, result: AnalysisResult): Promise<{ file: vscode.Uri; tracked: number[] }> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const entryPath =
      document.uri.scheme === 'file'
        ? document.uri.fsPath
        : path.join(folder?.uri.fsPath ?? os.tmpdir(), path.basename(document.fileName) || 'model.ts');
    const bundled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Model Lens: bundling ${path.basename(entryPath)}` },
      async () => {
        return this.bundler.bundle({
          entryPath: /\.[cm]?[jt]sx?$/i.test(entryPath) ? entryPath : `${entryPath}.ts`,
          entryText: document.getText(),
          modelLines: result.models.map((m) => m.line),
          ...(folder ? { displayRoot: folder.uri.fsPath } : {}),
        });
      },
    );
    for (const warning of bundled.warnings) this.log.info(`bundling ${entryPath}: ${warning}`);
    const dir = this.dir;
    await vscode.workspace.fs.createDirectory(dir);
    const file = vscode.Uri.joinPath(dir, `${bundled.hash}.mjs`);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(bundled.code));
    return { file, tracked: bundled.tracked };
  }

  /** Deletes the bundles not in `inUse` (the files of the open panels). */
  async prune(inUse: ReadonlySet<string>): Promise<void> {
    try {
      const dir = this.dir;
      for (const [name] of await vscode.workspace.fs.readDirectory(dir)) {
        const file = vscode.Uri.joinPath(dir, name);
        if (name.endsWith('.mjs') && !inUse.has(file.toString())) await vscode.workspace.fs.delete(file);
      }
    } catch (error) {
      this.log.error('pruning old training bundles', error);
    }
  }

  dispose(): void {
    this.bundler.dispose();
  }
}
