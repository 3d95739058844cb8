/**
 * `modelLens.showModelGraph`: from the `⎇ Graph` lens (`[uri, modelName, line]`), the editor
 * title button (`[uri]`) or the Command Palette (no arguments: the active editor's model at
 * the cursor).
 */
import * as vscode from 'vscode';
import { isSupportedDocument } from '../documentAnalysis';
import type { DocumentAnalysis } from '../documentAnalysis';
import { modelAtLine } from './graphTarget';
import { SHOW_GRAPH_COMMAND_ID } from '../lensModel';
import type { ModelGraphPanel } from './graphPanel';

async function documentFor(uri: unknown): Promise<vscode.TextDocument | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (uri === undefined) return editor?.document;
  const parsed = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri, true) : undefined;
  if (!parsed) return editor?.document;
  const key = parsed.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ?? vscode.workspace.openTextDocument(parsed);
}

export function registerGraphCommand(analysis: DocumentAnalysis, panel: ModelGraphPanel): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_GRAPH_COMMAND_ID, async (uri?: unknown, name?: unknown, line?: unknown) => {
    const document = await documentFor(uri);
    if (!document || !isSupportedDocument(document)) {
      void vscode.window.showInformationMessage(
        'Model Lens: open a TypeScript or JavaScript file that builds a model to see its graph.',
      );
      return;
    }
    const result = analysis.resultFor(document);
    const relative = vscode.workspace.asRelativePath(document.uri, false);
    if (!result || result.models.length === 0) {
      void vscode.window.showInformationMessage(
        `Model Lens: no model in ${relative} (a tf.sequential() or tf.model() call, or a builder that returns one).`,
      );
      return;
    }
    if (typeof name === 'string' && typeof line === 'number') {
      panel.show(document, { name, line });
      return;
    }
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const model = modelAtLine(result.models, editor ? editor.selection.active.line + 1 : 1)!;
    panel.show(document, { name: model.name, line: model.line });
  });
}
