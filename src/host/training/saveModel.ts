/**
 * Model Lens: Save Trained Model: the trained model of a training panel as `model.json` +
 * `weights.bin` (tfjs layers format) in a workspace folder the user picks (default
 * `trained/<modelName>/`, then under the folder saved to last). The panel answers
 * `exportModel` with `savedModel`.
 */
import * as vscode from 'vscode';
import type { Logger } from '../logger';
import { defaultExportFolder, exportParent, MODEL_JSON, prepareModelFiles, WEIGHTS_BIN } from './savedModelFiles';

/** Where the last save went, per workspace (set by the extension at activation). */
let saveFolders: vscode.Memento | undefined;
const LAST_PARENT_KEY = 'modelLens.lastSaveParent';

/** Gives the save command the workspace's memory of the folder saved to last. */
export function rememberSaveFolders(state: vscode.Memento): void {
  saveFolders = state;
}
import type { TrainingPanel } from './trainingPanel';

async function choosePanel(open: readonly TrainingPanel[], recent?: TrainingPanel): Promise<TrainingPanel | undefined> {
  const active =
    open.find((p) => p.panel.active) ??
    (recent && open.includes(recent) ? recent : undefined) ??
    (open.length === 1 ? open[0] : undefined);
  if (active) return active;
  if (open.length === 0) {
    void vscode.window.showInformationMessage('Model Lens: no model is training; ▶ Train a model first, then save it.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    open.map((panel) => ({ label: panel.target.name, description: panel.target.file, panel })),
    { title: 'Model Lens: save which trained model?' },
  );
  return picked?.panel;
}

/** Model Lens: Save Trained Model (the active panel, else the last one focused): asks the panel (`exportModel` → `savedModel`) and writes the files. */
export async function saveTrainedModel(open: readonly TrainingPanel[], log: Logger, recent?: TrainingPanel): Promise<void> {
  const panel = await choosePanel(open, recent);
  if (!panel) return;
  const folder = vscode.workspace.getWorkspaceFolder(panel.documentUri) ?? vscode.workspace.workspaceFolders?.[0];
  let dir: vscode.Uri | undefined;
  let shown: string;
  if (folder) {
    const relativeDir = await vscode.window.showInputBox({
      title: `Model Lens: save the trained "${panel.target.name}"`,
      prompt: `Folder in ${folder.name} for ${MODEL_JSON} and ${WEIGHTS_BIN}`,
      value: defaultExportFolder(panel.target.name, saveFolders?.get<string>(LAST_PARENT_KEY)),
      validateInput: (value) => {
        const v = value.trim().replace(/\\/g, '/');
        if (!v) return 'Enter a folder, e.g. trained/model';
        if (v.startsWith('/') || /^[a-z]:/i.test(v) || v.split('/').includes('..')) return 'Use a folder inside the workspace';
        return undefined;
      },
    });
    if (relativeDir === undefined) return;
    const parts = relativeDir
      .trim()
      .replace(/\\/g, '/')
      .split('/')
      .filter((p) => p && p !== '.');
    dir = vscode.Uri.joinPath(folder.uri, ...parts);
    shown = parts.join('/');
    void saveFolders?.update(LAST_PARENT_KEY, exportParent(shown));
  } else {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      title: 'Folder for the trained model',
    });
    dir = picked?.[0];
    if (!dir) return;
    shown = dir.fsPath;
  }
  try {
    const saved = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Model Lens: saving "${panel.target.name}"` },
      () => panel.requestExport(),
    );
    const files = prepareModelFiles(saved.modelJson, saved.weightData);
    await vscode.workspace.fs.createDirectory(dir);
    const modelFile = vscode.Uri.joinPath(dir, MODEL_JSON);
    await vscode.workspace.fs.writeFile(modelFile, new TextEncoder().encode(files.modelJson));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, WEIGHTS_BIN), files.weights);
    const reveal = 'Reveal in Explorer';
    const view = 'Open Saved Model';
    void vscode.window
      .showInformationMessage(
        `Model Lens: saved "${panel.target.name}" to ${shown}/${MODEL_JSON} and ${WEIGHTS_BIN}.`,
        view,
        reveal,
      )
      .then((action) => {
        if (action === reveal) void vscode.commands.executeCommand('revealInExplorer', modelFile);
        // The saved model.json in Model Lens's own editor: its graph and summary, read back from the file.
        if (action === view) void vscode.commands.executeCommand('vscode.openWith', modelFile, 'modelLens.savedModel');
      });
  } catch (error) {
    log.error(`saving ${panel.target.name}`, error);
    void vscode.window.showErrorMessage(
      `Model Lens: could not save "${panel.target.name}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
