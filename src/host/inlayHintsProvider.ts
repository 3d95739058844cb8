/** Inlay hints with each layer's output shape and count (see inlayHintsModel.ts). */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { computeInlayHints, showsInlayHints } from './inlayHintsModel';
import type { DisplayMode } from './inlayHintsModel';
import { SET_ASSUMPTION_COMMAND_ID } from './lensModel';
import type { Logger } from './logger';
import { RefreshEvent } from './refreshEvent';

export const DISPLAY_SETTING = 'modelLens.display';

/** `modelLens.display`: CodeLenses (the default), inlay hints, or both. */
export function displayMode(): DisplayMode {
  const mode = vscode.workspace.getConfiguration().get<string>(DISPLAY_SETTING, 'codeLens');
  return mode === 'inlayHints' || mode === 'both' ? mode : 'codeLens';
}

export class ModelInlayHintsProvider implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly refresh: RefreshEvent;
  readonly onDidChangeInlayHints: vscode.Event<void>;

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    this.refresh = new RefreshEvent(analysis, [DISPLAY_SETTING]);
    this.onDidChangeInlayHints = this.refresh.event;
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!showsInlayHints(displayMode())) return [];
    return this.log.guard(`computing inlay hints for ${document.uri.toString()}`, [], () => {
      const result = this.analysis.resultFor(document);
      if (!result) return [];
      const hints: vscode.InlayHint[] = [];
      for (const h of computeInlayHints(result)) {
        const line = Math.min(Math.max(0, h.line - 1), document.lineCount - 1);
        const position = new vscode.Position(line, Math.min(Math.max(0, h.column - 1), document.lineAt(line).text.length));
        if (!range.contains(position)) continue;
        const hint = new vscode.InlayHint(position, h.label, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        const tooltip = new vscode.MarkdownString(h.tooltip);
        tooltip.isTrusted = { enabledCommands: [SET_ASSUMPTION_COMMAND_ID] };
        hint.tooltip = tooltip;
        hints.push(hint);
      }
      return hints;
    });
  }

  dispose(): void {
    this.refresh.dispose();
  }
}
