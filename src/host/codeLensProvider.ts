/** CodeLenses above models and layers; the descriptors come from the vscode-free lensModel. */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { computeLenses } from './lensModel';
import type { LensDescriptor } from './lensModel';
import type { Logger } from './logger';

export const CODELENS_SETTING = 'modelLens.codeLens.enabled';

function codeLensEnabled(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(CODELENS_SETTING, true) !== false;
}

function toCodeLens(document: vscode.TextDocument, lens: LensDescriptor): vscode.CodeLens {
  const line = Math.min(Math.max(0, lens.line - 1), Math.max(0, document.lineCount - 1));
  const column = Math.min(Math.max(0, lens.column - 1), document.lineAt(line).text.length);
  const range = new vscode.Range(line, column, line, column);
  // A command id of '' renders the title as plain, unclickable text.
  const command: vscode.Command = lens.command
    ? { title: lens.title, command: lens.command.id, arguments: lens.command.args }
    : { title: lens.title, command: '' };
  return new vscode.CodeLens(range, command);
}

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      this.changed,
      analysis.onDidAnalyze(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(CODELENS_SETTING)) this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled()) return [];
    return this.log.guard(`computing CodeLenses for ${document.uri.toString()}`, [], () => {
      const result = this.analysis.resultFor(document);
      if (!result) return [];
      return computeLenses(result, document.uri.toString(), { focusLayers: true }).map((lens) => toCodeLens(document, lens));
    });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
