/**
 * Which model a training command means: the lens's arguments (a document and a model's name
 * and line), else the model around the cursor, with a pick when that is ambiguous. Says why
 * when there is none.
 */
import * as vscode from 'vscode';
import type { AnalysisResult, ModelResult } from '../../analysis/types';
import { formatShape } from '../../shared/format';
import type { DocumentAnalysis } from '../documentAnalysis';
import type { Logger } from '../logger';
import { modelAtCursor, modelByNameAndLine } from './modelPicker';
import { modelLineRanges, parseSource } from './sourceModels';

export interface ResolvedModel {
  document: vscode.TextDocument;
  result: AnalysisResult;
  model: ModelResult;
}

/** `(None, 28, 28, 1)`, several as a list, `?` when unknown: a model's shapes in messages and picks. */
export function shapesText(shapes: (number | null)[][] | null): string {
  return shapes ? shapes.map((s) => formatShape(s)).join(', ') : '?';
}

/** The model the command means: lens arguments, else the cursor (a pick when it is ambiguous). */
export async function resolveModel(
  analysis: DocumentAnalysis,
  log: Logger,
  uriArg: unknown,
  nameArg: unknown,
  lineArg: unknown,
): Promise<ResolvedModel | undefined> {
  const name = typeof nameArg === 'string' ? nameArg : undefined;
  const line = typeof lineArg === 'number' ? lineArg : undefined;
  const editor = vscode.window.activeTextEditor;
  let document: vscode.TextDocument | undefined;
  if (typeof uriArg === 'string') document = await openDocument(vscode.Uri.parse(uriArg, true), log);
  else if (uriArg instanceof vscode.Uri && editor?.document.uri.toString() !== uriArg.toString()) {
    document = await openDocument(uriArg, log);
  } else document = editor?.document;
  if (!document) {
    void vscode.window.showInformationMessage(
      'Model Lens: open a TensorFlow.js model file and put the cursor in a model to train it.',
    );
    return undefined;
  }
  const result = analysis.resultFor(document);
  if (!result || result.models.length === 0) {
    void vscode.window.showInformationMessage('Model Lens: no TensorFlow.js model found in this file.');
    return undefined;
  }
  if (name !== undefined || line !== undefined) {
    const model = modelByNameAndLine(result.models, name, line);
    if (!model) {
      void vscode.window.showInformationMessage(`Model Lens: the model "${name ?? line}" is no longer in this file.`);
      return undefined;
    }
    return { document, result, model };
  }
  const cursor = editor && editor.document === document ? editor.selection.active.line + 1 : 1;
  const ranges = modelLineRanges(parseSource(document.fileName, document.getText()), result.models);
  const choice = modelAtCursor(result.models, ranges, cursor);
  if (choice.kind === 'none') return undefined;
  if (choice.kind === 'model') return { document, result, model: choice.model };
  const picked = await vscode.window.showQuickPick(
    choice.candidates.map((model) => ({
      label: model.name,
      description: `line ${model.line} · ${model.kind === 'sequential' ? 'Sequential' : 'Functional'}`,
      detail: `${shapesText(model.inputShapes)} → ${shapesText(model.outputShapes)}`,
      model,
    })),
    { title: 'Model Lens: which model to train?' },
  );
  return picked ? { document, result, model: picked.model } : undefined;
}

async function openDocument(uri: vscode.Uri, log: Logger): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  try {
    return open ?? (await vscode.workspace.openTextDocument(uri));
  } catch (error) {
    log.error(`opening ${uri.toString()}`, error);
    return undefined;
  }
}
