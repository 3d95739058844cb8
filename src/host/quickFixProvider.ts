/**
 * Quick fixes (Code Actions) for Model Lens's problems: an `inputShape` for the first layer (the
 * user types it), `returnSequences: true` on a recurrent layer feeding another, `padding: 'same'`
 * where an output shrinks to nothing, and a `flatten` before a Dense that gets an image. The
 * changes are computed in quickFixEdits.ts.
 */
import * as vscode from 'vscode';
import type { FixHint } from '../analysis/types';
import { formatShape } from '../shared/format';
import type { DocumentAnalysis } from './documentAnalysis';
import type { Logger } from './logger';
import { flattenChange, optionChange, projectionChange } from './quickFixEdits';
import type { TextChange } from './quickFixEdits';

/** `[uri, hint]`: asks for the input shape, then adds it to the layer at the hint. */
export const ADD_INPUT_SHAPE_COMMAND_ID = 'modelLens.addInputShape';

const TITLES: Record<Exclude<FixHint['kind'], 'inputShape'>, string> = {
  returnSequences: 'Make the recurrent layer before return its sequences (returnSequences: true)',
  paddingSame: "Pad with 'same' (the output keeps its input's size)",
  projectShortcut: "Project the narrower input with a 1×1 convolution to the other's channels",
};

function editOf(document: vscode.TextDocument, change: TextChange): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(
    document.uri,
    new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)),
    change.newText,
  );
  return edit;
}

export class ModelQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return this.log.guard(`computing quick fixes for ${document.uri.toString()}`, [], () => {
      const result = this.analysis.resultFor(document);
      if (!result) return [];
      const actions: vscode.CodeAction[] = [];
      for (const shown of context.diagnostics) {
        if (shown.source !== 'Model Lens') continue;
        const ours = result.diagnostics.find(
          (d) =>
            d.fix &&
            d.line - 1 === shown.range.start.line &&
            d.column - 1 === shown.range.start.character &&
            d.message === shown.message,
        );
        const fix = ours?.fix;
        if (!fix) continue;
        if (fix.kind === 'inputShape') {
          const action = new vscode.CodeAction('Add an inputShape to the first layer…', vscode.CodeActionKind.QuickFix);
          action.command = {
            title: action.title,
            command: ADD_INPUT_SHAPE_COMMAND_ID,
            arguments: [document.uri.toString(), fix],
          };
          action.diagnostics = [shown];
          action.isPreferred = true;
          actions.push(action);
          continue;
        }
        const change =
          fix.kind === 'projectShortcut'
            ? projectionChange(document.fileName, document.getText(), fix)
            : optionChange(document.fileName, document.getText(), fix);
        if (!change) continue;
        const action = new vscode.CodeAction(TITLES[fix.kind], vscode.CodeActionKind.QuickFix);
        action.edit = editOf(document, change);
        action.diagnostics = [shown];
        action.isPreferred = true;
        actions.push(action);
      }
      // A Dense that gets an image (a 4-D input) is valid tfjs, but a classifier wants a vector.
      for (const model of result.models) {
        for (const layer of model.layers) {
          const input = layer.inputShape;
          if (layer.type !== 'Dense' || !input || Array.isArray(input[0]) || input.length < 3) continue;
          if (layer.line - 1 < range.start.line || layer.line - 1 > range.end.line) continue;
          const change = flattenChange(document.fileName, document.getText(), layer.line, layer.column);
          if (!change) continue;
          const action = new vscode.CodeAction(
            `Insert a flatten layer before this Dense (it gets ${formatShape(input)})`,
            vscode.CodeActionKind.QuickFix,
          );
          action.edit = editOf(document, change);
          actions.push(action);
        }
      }
      return actions;
    });
  }
}

/** The command of the inputShape fix: asks for the shape (without the batch axis) and adds it. */
export async function addInputShape(uriArg: unknown, hint: unknown): Promise<void> {
  if (typeof uriArg !== 'string' || hint === null || typeof hint !== 'object') return;
  const uri = vscode.Uri.parse(uriArg, true);
  const document = await vscode.workspace.openTextDocument(uri);
  const answer = await vscode.window.showInputBox({
    title: 'Model Lens: the input shape of the first layer',
    prompt: "One sample's shape, without the batch axis: [784] for a vector, [28, 28, 1] for an image, [30, 4] for a sequence",
    value: '[28, 28, 1]',
    validateInput: (text) => {
      try {
        const v: unknown = JSON.parse(text);
        return Array.isArray(v) && v.length > 0 && v.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))
          ? undefined
          : 'A list of positive whole numbers, e.g. [28, 28, 1]';
      } catch {
        return 'A list of positive whole numbers, e.g. [28, 28, 1]';
      }
    },
  });
  if (answer === undefined) return;
  const change = optionChange(
    document.fileName,
    document.getText(),
    hint as FixHint,
    JSON.stringify(JSON.parse(answer)).replace(/,/g, ', '),
  );
  if (change) await vscode.workspace.applyEdit(editOf(document, change));
}
