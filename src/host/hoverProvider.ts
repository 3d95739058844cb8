/** Hover on a layer's (or model's) line: shapes in → out and the parameter formula. */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { SET_ASSUMPTION_COMMAND_ID, hoverMarkdownAt } from './lensModel';
import type { Logger } from './logger';

export class ModelHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    return this.log.guard(`computing hover for ${document.uri.toString()}`, undefined, () => {
      const result = this.analysis.resultFor(document);
      if (!result) return undefined;
      const markdown = hoverMarkdownAt(result, position.line + 1);
      if (markdown === null) return undefined;
      const line = document.lineAt(position.line);
      const range = new vscode.Range(position.line, line.firstNonWhitespaceCharacterIndex, position.line, line.text.length);
      const content = new vscode.MarkdownString(markdown);
      // Its only link states a parameter's value (`modelLens.setAssumption`).
      content.isTrusted = { enabledCommands: [SET_ASSUMPTION_COMMAND_ID] };
      return new vscode.Hover(content, range);
    });
  }
}
