/**
 * The commands: `modelLens.trainModel`, `modelLens.saveTrainedModel` and `modelLens.focusLayer`
 * (handled by the TrainingController) and `modelLens.showSummary` (the CLI's summary table of
 * the active file, in a read-only document).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatSummary } from '../cliFormat';
import { isSupportedDocument } from './documentAnalysis';
import type { DocumentAnalysis } from './documentAnalysis';
import {
  FOCUS_LAYER_COMMAND_ID,
  NEXT_CALL_SITE_COMMAND_ID,
  SET_ASSUMPTION_COMMAND_ID,
  SHOW_SUMMARY_COMMAND_ID,
  TRAIN_COMMAND_ID,
} from './lensModel';
import { setAssumption } from './assumptionsCommand';
import { ADD_INPUT_SHAPE_COMMAND_ID, addInputShape } from './quickFixProvider';
import type { Logger } from './logger';
import type { TrainingController } from './training/trainingController';

export const SUMMARY_SCHEME = 'model-lens-summary';
export const SAVE_MODEL_COMMAND_ID = 'modelLens.saveTrainedModel';

function summaryUri(source: vscode.Uri): vscode.Uri {
  const base = path.posix.basename(source.path) || 'untitled';
  return vscode.Uri.from({
    scheme: SUMMARY_SCHEME,
    path: `/${base} (model summary).txt`,
    query: source.toString(),
  });
}

async function findDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const key = uri.toString();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  return open ?? vscode.workspace.openTextDocument(uri);
}

/** Serves the read-only summary documents and refreshes them when their source is re-analysed. */
class SummaryContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    this.subscription = analysis.onDidAnalyze((source) => {
      const key = source.toString();
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme === SUMMARY_SCHEME && doc.uri.query === key) this.changed.fire(doc.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    try {
      const source = vscode.Uri.parse(uri.query, true);
      const document = await findDocument(source);
      const result = this.analysis.analyze(document);
      return formatSummary(result, vscode.workspace.asRelativePath(source, false));
    } catch (error) {
      this.log.error(`building the summary for ${uri.query}`, error);
      return 'Model Lens could not build this summary; see the "Model Lens" output channel.\n';
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

async function showSummary(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isSupportedDocument(editor.document)) {
    await vscode.window.showInformationMessage('Model Lens: open a TypeScript or JavaScript file to see its model summary.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(summaryUri(editor.document.uri));
  await vscode.window.showTextDocument(document, {
    preview: true,
    preserveFocus: false,
    viewColumn: vscode.ViewColumn.Beside,
  });
}

/** Registers the commands and the summary document provider. */
export function registerCommands(analysis: DocumentAnalysis, training: TrainingController, log: Logger): vscode.Disposable[] {
  const guarded =
    <T>(name: string, fn: (...args: unknown[]) => Promise<T>) =>
    async (...args: unknown[]): Promise<T | undefined> => {
      try {
        return await fn(...args);
      } catch (error) {
        log.error(`running ${name}`, error);
        return undefined;
      }
    };
  const summaries = new SummaryContentProvider(analysis, log);
  return [
    summaries,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
    // Lens: `[uri, modelName, line]`; palette: none; editor context menu: the document's Uri.
    vscode.commands.registerCommand(
      TRAIN_COMMAND_ID,
      guarded(TRAIN_COMMAND_ID, (uri, modelName, line) => training.train(uri, modelName, line)),
    ),
    vscode.commands.registerCommand(
      SAVE_MODEL_COMMAND_ID,
      guarded(SAVE_MODEL_COMMAND_ID, () => training.saveTrainedModel()),
    ),
    // Layer lens: `[uri, layerName, line]`.
    vscode.commands.registerCommand(
      FOCUS_LAYER_COMMAND_ID,
      guarded(FOCUS_LAYER_COMMAND_ID, async (uri, layerName, line) => training.focusLayer(uri, layerName, line)),
    ),
    vscode.commands.registerCommand(SHOW_SUMMARY_COMMAND_ID, guarded(SHOW_SUMMARY_COMMAND_ID, showSummary)),
    // Lens: `[uri, function]`.
    vscode.commands.registerCommand(
      NEXT_CALL_SITE_COMMAND_ID,
      guarded(NEXT_CALL_SITE_COMMAND_ID, async (uri, fn) => {
        if (typeof uri === 'string' && typeof fn === 'string') analysis.nextCallSite(vscode.Uri.parse(uri, true), fn);
      }),
    ),
    // Quick fix: `[uri, hint]`.
    vscode.commands.registerCommand(
      ADD_INPUT_SHAPE_COMMAND_ID,
      guarded(ADD_INPUT_SHAPE_COMMAND_ID, (uri, hint) => addInputShape(uri, hint)),
    ),
    // Lens and hover: `[uri | null, keys]`.
    vscode.commands.registerCommand(
      SET_ASSUMPTION_COMMAND_ID,
      guarded(SET_ASSUMPTION_COMMAND_ID, (uri, keys) => setAssumption(uri, keys)),
    ),
  ];
}
