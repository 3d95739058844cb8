/**
 * Training panels restored after a window reload (VS Code's panel serializer): a static page
 * that says training stopped, with a Train again link to the model the panel trained (from the
 * state the page saved, else the panel's title). Closed when that model is trained again.
 */
import * as vscode from 'vscode';
import type { ModelTarget } from '../../shared/messages';
import { TRAIN_COMMAND_ID } from '../lensModel';
import type { Logger } from '../logger';
import { RESTORED_MESSAGE, restoredPanelHtml } from './restoredHtml';
import { newNonce } from './trainingPanel';

/** The model a restored panel trained, from the state the page saved (`{ target }`), if any. */
interface RestoredTarget {
  name: string;
  line?: number;
  file?: string;
}

export class RestoredPanels {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(private readonly log: Logger) {}

  /** The restored panels' editor columns. */
  get columns(): (vscode.ViewColumn | undefined)[] {
    return [...this.panels].map((p) => p.viewColumn);
  }

  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const target = readTarget(state) ?? readTitle(panel.title);
    let trainCommandUri: string | undefined;
    if (target?.file !== undefined && target.line !== undefined) {
      const uri = await findWorkspaceFile(target.file);
      if (uri) {
        const args = encodeURIComponent(JSON.stringify([uri.toString(), target.name, target.line]));
        trainCommandUri = `command:${TRAIN_COMMAND_ID}?${args}`;
      }
    }
    panel.webview.options = { enableScripts: false, enableCommandUris: [TRAIN_COMMAND_ID], localResourceRoots: [] };
    panel.webview.html = restoredPanelHtml({
      nonce: newNonce(),
      ...(target?.name ? { modelName: target.name } : {}),
      ...(target?.file ? { file: target.file } : {}),
      ...(trainCommandUri ? { trainCommandUri } : {}),
    });
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    this.log.info(`restored a training panel${target?.name ? ` for ${target.name}` : ''}: ${RESTORED_MESSAGE}`);
  }

  /** Closes the restored panels of the model `target` (a new panel trains it now). */
  closeFor(target: ModelTarget): void {
    for (const panel of [...this.panels]) {
      if (panel.title === `Train ${target.name}`) panel.dispose();
    }
  }

  dispose(): void {
    for (const panel of [...this.panels]) panel.dispose();
  }
}

async function findWorkspaceFile(relativePath: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, relativePath);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function readTarget(state: unknown): RestoredTarget | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const candidate = (state as { target?: unknown }).target ?? state;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { name, line, file } = candidate as { name?: unknown; line?: unknown; file?: unknown };
  if (typeof name !== 'string') return undefined;
  return {
    name,
    ...(typeof line === 'number' ? { line } : {}),
    ...(typeof file === 'string' ? { file } : {}),
  };
}

function readTitle(title: string): RestoredTarget | undefined {
  const match = /^Train (.+)$/.exec(title);
  return match?.[1] ? { name: match[1] } : undefined;
}
