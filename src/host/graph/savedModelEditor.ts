/**
 * The editor for saved TensorFlow.js layers models (`model.json`): the model's graph and its
 * summary table (shapes, parameters, mult-adds), read from the JSON topology alone (the weights
 * are not loaded; src/analysis/savedModel.ts). A click on a layer opens the JSON beside, on the
 * line that names it; a graph model or a file that is not a model gets a message and
 * "Open as Text". Follows edits of the JSON. Static: fine in Restricted Mode.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyzeSavedModel } from '../../analysis/savedModel';
import type { HostToGraph } from '../../shared/graphMessages';
import { isGraphToHost } from '../../shared/graphMessages';
import type { Logger } from '../logger';
import { newNonce } from '../training/trainingPanel';
import { saveGraphImage } from './graphExport';
import { graphHtml } from './graphHtml';
import { buildModelGraph } from './graphModel';

export const SAVED_MODEL_VIEW_TYPE = 'modelLens.savedModel';

/** Edits of the JSON are shown after this quiet period. */
const EDIT_DELAY_MS = 300;

export class SavedModelEditorProvider implements vscode.CustomTextEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {}

  static register(extensionUri: vscode.Uri, log: Logger): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(SAVED_MODEL_VIEW_TYPE, new SavedModelEditorProvider(extensionUri, log), {
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = graphHtml({
      cspSource: panel.webview.cspSource,
      nonce: newNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.css')).toString(),
    });
    let ready = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const post = (message: HostToGraph): void => {
      if (ready) void panel.webview.postMessage(message);
    };
    const show = (): void => {
      this.log.guard(`reading the saved model ${document.uri.toString()}`, undefined, () => post(this.message(document)));
    };
    const subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== document || event.contentChanges.length === 0) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(show, EDIT_DELAY_MS);
      }),
      panel.webview.onDidReceiveMessage(async (message: unknown) => {
        if (!isGraphToHost(message)) return;
        if (message.type === 'ready') {
          ready = true;
          show();
        } else if (message.type === 'reveal') {
          const line = Math.max(0, Math.min(document.lineCount, Number(message.line) || 1) - 1);
          const position = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
          await vscode.window.showTextDocument(document, {
            viewColumn: vscode.ViewColumn.Beside,
            preserveFocus: false,
            selection: new vscode.Range(position, position),
          });
        } else if (message.type === 'export') {
          await saveGraphImage(message.format, message.fileName, message.data, document.uri, this.log);
        } else if (message.type === 'openAsText') {
          await vscode.commands.executeCommand('vscode.openWith', document.uri, 'default');
        } else if (message.type === 'error') {
          this.log.info(`Saved model page: ${String(message.message).slice(0, 500)}`);
        }
      }),
    ];
    panel.onDidDispose(() => {
      if (timer) clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    });
  }

  /** The graph of the saved model, or what keeps it from being one. */
  private message(document: vscode.TextDocument): HostToGraph {
    const relative = vscode.workspace.asRelativePath(document.uri, false);
    const reading = analyzeSavedModel(document.fileName, document.getText());
    if ('error' in reading) return { type: 'empty', message: `${relative}: ${reading.error}`, openAsText: true };
    const { model, result } = reading;
    const graph = buildModelGraph(model, result.models, result.diagnostics, relative);
    for (const node of graph.nodes) {
      node.line = reading.jsonLine(node.line);
      node.useLine = reading.jsonLine(node.useLine);
      node.column = 1;
    }
    graph.line = 1;
    graph.title = reading.name ?? path.basename(path.dirname(document.fileName));
    graph.summary = `${graph.summary} · ${reading.format}`;
    return { type: 'graph', graph, models: [] };
  }
}
