/**
 * The Model Graph panel beside the editor: one panel, showing one model of one document.
 * Follows the document's analysis (each re-analysis posts the new graph), the editor's cursor
 * (the layers of its line are highlighted) and the active editor (a file with models takes
 * the panel over); reveals a layer's line when the page asks, and writes exported images.
 * Static: it shows the analysis only and runs no workspace code (fine in Restricted Mode).
 */
import * as vscode from 'vscode';
import type { GraphModelChoice, HostToGraph } from '../../shared/graphMessages';
import { isGraphToHost } from '../../shared/graphMessages';
import type { DocumentAnalysis } from '../documentAnalysis';
import type { Logger } from '../logger';
import { newNonce } from '../training/trainingPanel';
import { saveGraphImage } from './graphExport';
import { graphHtml } from './graphHtml';
import { buildModelGraph } from './graphModel';
import { findModel, modelAtLine } from './graphTarget';
import type { GraphTarget } from './graphTarget';

export const GRAPH_VIEW_TYPE = 'modelLens.graph';

/** Cursor moves are sent at most this often. */
const CURSOR_DELAY_MS = 60;

export class ModelGraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private target: GraphTarget | undefined;
  private ready = false;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private panelSubscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      analysis.onDidAnalyze((uri) => {
        if (this.panel && this.document && uri.toString() === this.document.uri.toString()) this.postGraph();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => this.onSelection(event)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.onActiveEditor(editor)),
    );
  }

  /** Shows the graph of the model `name` on `line` of `document` (or of the model at the cursor). */
  show(document: vscode.TextDocument, target: GraphTarget): void {
    this.document = document;
    this.target = target;
    if (!this.panel) this.create();
    else this.panel.reveal(undefined, true);
    this.postGraph();
  }

  private create(): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      'Model Graph',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist] },
    );
    panel.webview.html = graphHtml({
      cspSource: panel.webview.cspSource,
      nonce: newNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.css')).toString(),
    });
    this.panel = panel;
    this.ready = false;
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => {
        for (const s of this.panelSubscriptions) s.dispose();
        this.panelSubscriptions = [];
        this.panel = undefined;
        this.ready = false;
      }),
    ];
  }

  private post(message: HostToGraph): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private postGraph(): void {
    const document = this.document;
    const target = this.target;
    if (!this.panel || !this.ready || !document || !target) return;
    this.log.guard('drawing the model graph', undefined, () => {
      const relative = vscode.workspace.asRelativePath(document.uri, false);
      const result = this.analysis.resultFor(document);
      const model = result ? findModel(result.models, target) : undefined;
      if (!result || !model) {
        this.panel!.title = 'Model Graph';
        this.post({
          type: 'empty',
          message: result
            ? `No model in ${relative} any more: the graph comes back when the file builds one.`
            : `${relative} does not import TensorFlow.js: no model to draw.`,
        });
        return;
      }
      this.target = { name: model.name, line: model.line };
      this.panel!.title = `Graph: ${model.name}`;
      const models: GraphModelChoice[] = result.models.map((m) => ({ title: m.name, line: m.line }));
      this.post({ type: 'graph', graph: buildModelGraph(model, result.models, result.diagnostics, relative), models });
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
      if (editor) this.post({ type: 'cursor', line: editor.selection.active.line + 1 });
    });
  }

  private onSelection(event: vscode.TextEditorSelectionChangeEvent): void {
    if (!this.panel || event.textEditor.document !== this.document) return;
    const line = event.selections[0]!.active.line + 1;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => this.post({ type: 'cursor', line }), CURSOR_DELAY_MS);
  }

  /** Another file with models in the editor: the graph follows it (a file without keeps the graph). */
  private onActiveEditor(editor: vscode.TextEditor | undefined): void {
    if (!this.panel || !editor || editor.document === this.document) return;
    const result = this.analysis.resultFor(editor.document);
    if (!result || result.models.length === 0) return;
    const model = modelAtLine(result.models, editor.selection.active.line + 1)!;
    this.document = editor.document;
    this.target = { name: model.name, line: model.line };
    this.postGraph();
  }

  private async receive(message: unknown): Promise<void> {
    if (!isGraphToHost(message)) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postGraph();
        return;
      case 'reveal':
        await this.reveal(message.line, message.column);
        return;
      case 'selectModel': {
        const result = this.document && this.analysis.resultFor(this.document);
        const model = result?.models.find((m) => m.line === message.line);
        if (model) {
          this.target = { name: model.name, line: model.line };
          this.postGraph();
        }
        return;
      }
      case 'export':
        await saveGraphImage(message.format, message.fileName, message.data, this.document?.uri, this.log);
        return;
      case 'error':
        this.log.info(`Model Graph page: ${String(message.message).slice(0, 500)}`);
        return;
      case 'openAsText':
        return;
    }
  }

  /** Puts the editor's cursor on a layer's line (the editor beside the graph, else a new one). */
  private async reveal(line: number, column: number): Promise<void> {
    const document = this.document;
    if (!document || !Number.isInteger(line) || line < 1) return;
    const position = new vscode.Position(Math.min(line, document.lineCount) - 1, Math.max(0, (Number(column) || 1) - 1));
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
      selection: new vscode.Range(position, position),
    });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
