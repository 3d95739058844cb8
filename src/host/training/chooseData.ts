/**
 * The training data the user picks for a model (the data picker's choices, the recommended one
 * first), and why none fits when there is none.
 */
import * as vscode from 'vscode';
import type { ModelResult } from '../../analysis/types';
import type { DataChoice } from '../../data/dataSpecs';
import type { ModelShapeInfo } from '../../data/modelShapeInfo';
import { shapesText } from './resolveModel';

/** Asks which of `choices` to train `model` on; undefined when the user cancels. */
export async function chooseData(model: ModelResult, choices: DataChoice[]): Promise<DataChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice: DataChoice };
  const items: Item[] = choices.map((choice, i) => ({
    label: choice.label,
    detail: choice.detail,
    ...(i === 0 ? { description: 'recommended' } : {}),
    choice,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Model Lens: training data for "${model.name}"`,
    placeHolder: `${shapesText(model.inputShapes)} → ${shapesText(model.outputShapes)}`,
    matchOnDetail: true,
  });
  return picked?.choice;
}

/** Why no data fits, for the message. */
export function noDataReason(info: ModelShapeInfo): string {
  const inputs = info.inputShapes?.length ?? 0;
  const outputs = info.outputShapes?.length ?? 0;
  if (!info.inputShapes || !info.outputShapes) return 'its input or output shape is unknown to the analysis';
  if (inputs !== 1 || outputs !== 1)
    return `it has ${inputs} inputs and ${outputs} outputs; the panel trains models with one of each`;
  return `its shapes ${shapesText(info.inputShapes)} → ${shapesText(info.outputShapes)} are not fully known`;
}
