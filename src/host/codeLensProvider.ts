/** CodeLenses above models and layers; the descriptors come from the vscode-free lensModel. */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { computeLenses } from './lensModel';
import type { LensDescriptor } from './lensModel';
import type { Logger } from './logger';
import { RefreshEvent } from './refreshEvent';
import { DISPLAY_SETTING, displayMode } from './inlayHintsProvider';
import { showsCodeLenses } from './inlayHintsModel';

export const CODELENS_SETTING = 'modelLens.codeLens.enabled';

function codeLensEnabled(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(CODELENS_SETTING, true) !== false && showsCodeLenses(displayMode());
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
  private readonly refresh: RefreshEvent;
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    this.refresh = new RefreshEvent(analysis, [CODELENS_SETTING, DISPLAY_SETTING]);
    this.onDidChangeCodeLenses = this.refresh.event;
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
    this.refresh.dispose();
  }
}
