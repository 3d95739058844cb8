/**
 * Model Lens: Train Model, Save Trained Model and the layer-lens focus, end to end on the host:
 * which model (cursor, lens arguments or a pick), workspace trust, the model's errors (a model
 * with one is refused with its line: modelErrors), which data (dataPicker + datasetLoader), the
 * bundle of the user's file (bundler, written under the extension's storage), the starting
 * configuration (trainDefaults) and the panels, one per model, all in one editor column
 * (panelColumn). Panels restored after a reload show that training stopped (restoredHtml).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisResult, Diagnostic, ModelResult } from '../../analysis/types';
import { modelShapeInfo, pickData } from '../../data/dataPicker';
import type { DataChoice, ModelShapeInfo } from '../../data/dataPicker';
import type { BackendPreference, ModelTarget } from '../../shared/messages';
import type { DocumentAnalysis } from '../documentAnalysis';
import { TRAIN_COMMAND_ID } from '../lensModel';
import type { Logger } from '../logger';
import { BundleError } from './bundler';
import { BundleThread } from './bundleThread';
import { loadDataset } from './datasetLoader';
import { esbuildWasmDirs } from './esbuildWasm';
import { layerInfos } from './layerInfo';
import { errorRefusal, modelErrors, revealLabel } from './modelErrors';
import { modelAtCursor, modelByNameAndLine } from './modelPicker';
import { trainingColumn } from './panelColumn';
import { RESTORED_MESSAGE, restoredPanelHtml } from './restoredHtml';
import { saveTrainedModel } from './saveModel';
import { modelLineRanges, outputActivation, parseSource } from './sourceModels';
import { trainDefaults } from './trainDefaults';
import { newNonce, panelKey, TRAINING_VIEW_TYPE, TrainingPanel } from './trainingPanel';

export const BACKEND_SETTING = 'modelLens.training.backend';
/** Context key: a training panel is open (shows Save Trained Model in the palette). */
export const HAS_PANEL_CONTEXT = 'modelLens.hasTrainingPanel';
const BACKENDS: readonly BackendPreference[] = ['auto', 'webgl', 'wasm', 'cpu'];

export const UNTRUSTED_MESSAGE =
  "Model Lens: training runs your model file's code, which Restricted Mode does not allow. Trust this workspace to train models (the lenses keep working).";

/**
 * What `modelLens.trainModel` did (its command result, for tests and other extensions): a panel
 * opened, an open one was revealed, Restricted Mode refused, the model has an error diagnostic
 * (the message names and reveals its line), the user cancelled (or no model was found: the
 * message says why), no data fits, or opening failed (the message says why).
 */
export type TrainCommandResult = 'started' | 'revealed' | 'restricted' | 'has-errors' | 'cancelled' | 'no-data' | 'failed';

interface ResolvedModel {
  document: vscode.TextDocument;
  result: AnalysisResult;
  model: ModelResult;
}

function userMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.startsWith('Model Lens') ? text : `Model Lens: ${text}`;
}

function shapeText(shapes: (number | null)[][] | null): string {
  if (!shapes) return '?';
  return shapes.map((s) => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')})`).join(', ');
}

/** Why no data fits, for the message. */
function noDataReason(info: ModelShapeInfo): string {
  const inputs = info.inputShapes?.length ?? 0;
  const outputs = info.outputShapes?.length ?? 0;
  if (!info.inputShapes || !info.outputShapes) return 'its input or output shape is unknown to the analysis';
  if (inputs !== 1 || outputs !== 1)
    return `it has ${inputs} inputs and ${outputs} outputs; the panel trains models with one of each`;
  return `its shapes ${shapeText(info.inputShapes)} → ${shapeText(info.outputShapes)} are not fully known`;
}

export class TrainingController implements vscode.Disposable {
  private readonly panels = new Map<string, TrainingPanel>();
  private readonly restored = new Set<vscode.WebviewPanel>();
  /** Models whose Train is between the data pick and the panel (a second Train waits for it). */
  private readonly starting = new Set<string>();
  private lastActive: TrainingPanel | undefined;
  /** esbuild on a worker thread (started on the first Train). */
  private readonly bundler: BundleThread;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    const root = context.extensionUri.fsPath;
    this.bundler = new BundleThread(path.join(root, 'dist', 'bundleWorker.js'), esbuildWasmDirs(root));
  }

  /** The panel serializer (restored panels say that training stopped). */
  register(): vscode.Disposable[] {
    return [
      vscode.window.registerWebviewPanelSerializer(TRAINING_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    ];
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    for (const panel of [...this.restored]) panel.dispose();
    this.bundler.dispose();
  }

  // ---- Train ---------------------------------------------------------------------------------------

  /** Lens arguments `[uri, modelName, line]`; from the palette or the context menu none (or a Uri). */
  async train(uriArg?: unknown, nameArg?: unknown, lineArg?: unknown): Promise<TrainCommandResult> {
    const resolved = await this.resolveModel(uriArg, nameArg, lineArg);
    if (!resolved) return 'cancelled';
    const { document, result, model } = resolved;
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      // Not awaited: the command returns while the message is up.
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, manage).then((action) => {
        if (action === manage) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return 'restricted';
    }
    const ranges = modelLineRanges(parseSource(document.fileName, document.getText()), result.models);
    const errors = modelErrors(model, result.models, result.diagnostics, ranges[result.models.indexOf(model)]);
    if (errors.length > 0) {
      this.refuseErrors(document, model, errors);
      return 'has-errors';
    }
    const key = panelKey(document.uri.toString(), model.name);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      return 'revealed';
    }
    if (this.starting.has(key)) return 'cancelled';
    this.starting.add(key);
    try {
      return await this.start(document, result, model);
    } finally {
      this.starting.delete(key);
    }
  }

  private async start(document: vscode.TextDocument, result: AnalysisResult, model: ModelResult): Promise<TrainCommandResult> {
    const source = parseSource(document.fileName, document.getText());
    const activation = outputActivation(source, model, result.models);
    const info = modelShapeInfo(model, result.models, activation);
    const choices = pickData(info);
    if (choices.length === 0) {
      void vscode.window.showErrorMessage(`Model Lens: no training data fits "${model.name}": ${noDataReason(info)}.`);
      return 'no-data';
    }
    const choice = await this.pickData(model, choices);
    if (!choice) return 'cancelled';
    try {
      const dataset = await loadDataset(choice);
      if (!dataset) return 'cancelled';
      const bundle = await this.bundle(document, result);
      if (!bundle.tracked.includes(model.line)) {
        throw new Error(
          `Model Lens could not find the sequential(...) or model(...) call that creates "${model.name}" on line ${model.line}.`,
        );
      }
      const backend = vscode.workspace.getConfiguration().get<string>(BACKEND_SETTING, 'auto');
      const target: ModelTarget = {
        name: model.name,
        line: model.line,
        kind: model.kind,
        layers: layerInfos(model, result.models),
        file: vscode.workspace.asRelativePath(document.uri, false),
        ...(model.builderCall ? { builderCall: model.builderCall } : {}),
      };
      const panel = new TrainingPanel({
        extensionUri: this.context.extensionUri,
        bundleDir: this.bundleDir(),
        bundleFile: bundle.file,
        documentUri: document.uri,
        target,
        config: trainDefaults({
          hints: model.training,
          outputActivation: activation,
          inputShape: model.inputShapes?.[0]?.slice(1) ?? null,
          outputShape: model.outputShapes?.[0]?.slice(1) ?? null,
        }),
        dataset,
        backend: BACKENDS.includes(backend as BackendPreference) ? (backend as BackendPreference) : 'auto',
        log: this.log,
        column: this.panelColumn(),
        onSave: (panel) => void saveTrainedModel([panel], this.log, panel),
      });
      this.adopt(panel);
      this.closeRestored(target);
      void this.pruneBundles();
      return 'started';
    } catch (error) {
      if (!(error instanceof BundleError)) this.log.error(`training ${model.name}`, error);
      void vscode.window.showErrorMessage(userMessage(error));
      return 'failed';
    }
  }

  /** The training panels' editor column (one column for all of them), else beside the editor. */
  private panelColumn(): vscode.ViewColumn {
    const columns = [
      this.lastActive?.panel.viewColumn,
      ...[...this.panels.values()].map((p) => p.panel.viewColumn),
      ...[...this.restored].map((p) => p.viewColumn),
    ];
    return trainingColumn(columns) as vscode.ViewColumn;
  }

  /** Says which error stops the model, scrolls its line into view, and offers to go there. */
  private refuseErrors(document: vscode.TextDocument, model: ModelResult, errors: Diagnostic[]): void {
    const error = errors[0] as Diagnostic;
    const range = new vscode.Range(
      error.line - 1,
      Math.max(0, error.column - 1),
      error.endLine - 1,
      Math.max(0, error.endColumn - 1),
    );
    const shown = vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
    // The line's start: revealing the whole range would scroll a narrow editor sideways.
    const start = new vscode.Range(range.start, range.start);
    for (const editor of shown) editor.revealRange(start, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const action = revealLabel(error);
    // Not awaited: the command returns while the message is up.
    void vscode.window.showErrorMessage(errorRefusal(model, errors), action).then(async (picked) => {
      if (picked !== action) return;
      const column = shown[0]?.viewColumn;
      await vscode.window.showTextDocument(document, {
        selection: range,
        preserveFocus: false,
        ...(column !== undefined ? { viewColumn: column } : {}),
      });
    });
  }

  private adopt(panel: TrainingPanel): void {
    this.panels.set(panel.key, panel);
    this.lastActive = panel;
    const view = panel.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = panel;
    });
    panel.onDidDispose(() => {
      view.dispose();
      if (this.panels.get(panel.key) === panel) this.panels.delete(panel.key);
      if (this.lastActive === panel) this.lastActive = undefined;
      this.updateContext();
    });
    this.updateContext();
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', HAS_PANEL_CONTEXT, this.panels.size > 0);
  }

  private async pickData(model: ModelResult, choices: DataChoice[]): Promise<DataChoice | undefined> {
    type Item = vscode.QuickPickItem & { choice: DataChoice };
    const items: Item[] = choices.map((choice, i) => ({
      label: choice.label,
      detail: choice.detail,
      ...(i === 0 ? { description: 'recommended' } : {}),
      choice,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Model Lens: training data for "${model.name}"`,
      placeHolder: `${shapeText(model.inputShapes)} → ${shapeText(model.outputShapes)}`,
      matchOnDetail: true,
    });
    return picked?.choice;
  }

  /** The model the command means: lens arguments, else the cursor (a pick when it is ambiguous). */
  private async resolveModel(uriArg: unknown, nameArg: unknown, lineArg: unknown): Promise<ResolvedModel | undefined> {
    const name = typeof nameArg === 'string' ? nameArg : undefined;
    const line = typeof lineArg === 'number' ? lineArg : undefined;
    const editor = vscode.window.activeTextEditor;
    let document: vscode.TextDocument | undefined;
    if (typeof uriArg === 'string') document = await this.openDocument(vscode.Uri.parse(uriArg, true));
    else if (uriArg instanceof vscode.Uri && editor?.document.uri.toString() !== uriArg.toString()) {
      document = await this.openDocument(uriArg);
    } else document = editor?.document;
    if (!document) {
      void vscode.window.showInformationMessage(
        'Model Lens: open a TensorFlow.js model file and put the cursor in a model to train it.',
      );
      return undefined;
    }
    const result = this.analysis.resultFor(document);
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
        detail: `${shapeText(model.inputShapes)} → ${shapeText(model.outputShapes)}`,
        model,
      })),
      { title: 'Model Lens: which model to train?' },
    );
    return picked ? { document, result, model: picked.model } : undefined;
  }

  private async openDocument(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    try {
      return open ?? (await vscode.workspace.openTextDocument(uri));
    } catch (error) {
      this.log.error(`opening ${uri.toString()}`, error);
      return undefined;
    }
  }

  // ---- the bundle ----------------------------------------------------------------------------------

  private bundleDir(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'bundles');
  }

  private async bundle(document: vscode.TextDocument, result: AnalysisResult): Promise<{ file: vscode.Uri; tracked: number[] }> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const entryPath =
      document.uri.scheme === 'file'
        ? document.uri.fsPath
        : path.join(folder?.uri.fsPath ?? os.tmpdir(), path.basename(document.fileName) || 'model.ts');
    const bundled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Model Lens: bundling ${path.basename(entryPath)}` },
      async () => {
        return this.bundler.bundle({
          entryPath: /\.[cm]?[jt]sx?$/i.test(entryPath) ? entryPath : `${entryPath}.ts`,
          entryText: document.getText(),
          modelLines: result.models.map((m) => m.line),
          ...(folder ? { displayRoot: folder.uri.fsPath } : {}),
        });
      },
    );
    for (const warning of bundled.warnings) this.log.info(`bundling ${entryPath}: ${warning}`);
    const dir = this.bundleDir();
    await vscode.workspace.fs.createDirectory(dir);
    const file = vscode.Uri.joinPath(dir, `${bundled.hash}.mjs`);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(bundled.code));
    return { file, tracked: bundled.tracked };
  }

  /** Deletes bundles no open panel uses. */
  private async pruneBundles(): Promise<void> {
    const inUse = new Set([...this.panels.values()].map((p) => p.bundleFile.toString()));
    try {
      const dir = this.bundleDir();
      for (const [name] of await vscode.workspace.fs.readDirectory(dir)) {
        const file = vscode.Uri.joinPath(dir, name);
        if (name.endsWith('.mjs') && !inUse.has(file.toString())) await vscode.workspace.fs.delete(file);
      }
    } catch (error) {
      this.log.error('pruning old training bundles', error);
    }
  }

  // ---- focus a layer ---------------------------------------------------------------------------------

  /** Layer lens arguments `[uri, layerName, line]`: focus the layer in that document's open panel. */
  focusLayer(uriArg?: unknown, layerArg?: unknown, lineArg?: unknown): void {
    const uri = typeof uriArg === 'string' ? uriArg : uriArg instanceof vscode.Uri ? uriArg.toString() : undefined;
    const layerName = typeof layerArg === 'string' ? layerArg : undefined;
    const line = typeof lineArg === 'number' ? lineArg : undefined;
    if (!uri || (layerName === undefined && line === undefined)) return;
    const panels = [...this.panels.values()].filter((p) => p.documentUri.toString() === uri);
    const panel =
      panels.find((p) => p.target.layers.some((l) => l.name === layerName)) ??
      panels.find((p) => p.target.layers.some((l) => l.line === line));
    if (!panel) {
      vscode.window.setStatusBarMessage(`Model Lens: ▶ Train the model to inspect ${layerName ?? 'this layer'}`, 5000);
      return;
    }
    const layer = panel.target.layers.find((l) => l.name === layerName) ?? panel.target.layers.find((l) => l.line === line);
    panel.focusLayer(layer?.name ?? layerName ?? '', line ?? layer?.line ?? 0);
  }

  // ---- save --------------------------------------------------------------------------------------------

  async saveTrainedModel(): Promise<void> {
    await saveTrainedModel([...this.panels.values()], this.log, this.lastActive);
  }

  // ---- restored panels ---------------------------------------------------------------------------------

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const target = readTarget(state) ?? readTitle(panel.title);
    let trainCommandUri: string | undefined;
    if (target?.file !== undefined && target.line !== undefined) {
      const uri = await this.findWorkspaceFile(target.file);
      if (uri) {
        const args = encodeURIComponent(JSON.stringify([uri.toString(), target.name, target.line]));
        trainCommandUri = `command:${TRAIN_COMMAND_ID}?${args}`;
      }
    }
    panel.webview.options = { enableScripts: false, enableCommandUris: [TRAIN_COMMAND_ID], localResourceRoots: [] };
    panel.webview.html = restoredPanelHtml({
      nonce: newNonce(),
      ...(target?.name ? { modelName: target.name } : {}),
      ...(target?.file ? { file: target.file } : {}),
      ...(trainCommandUri ? { trainCommandUri } : {}),
    });
    this.restored.add(panel);
    panel.onDidDispose(() => this.restored.delete(panel));
    this.log.info(`restored a training panel${target?.name ? ` for ${target.name}` : ''}: ${RESTORED_MESSAGE}`);
  }

  private closeRestored(target: ModelTarget): void {
    for (const panel of [...this.restored]) {
      if (panel.title === `Train ${target.name}`) panel.dispose();
    }
  }

  private async findWorkspaceFile(relativePath: string): Promise<vscode.Uri | undefined> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, relativePath);
      try {
        await vscode.workspace.fs.stat(uri);
        return uri;
      } catch {
        // not in this folder
      }
    }
    return undefined;
  }
}

/** The model a restored panel trained, from the state the page saved (`{ target }`), if any. */
interface RestoredTarget {
  name: string;
  line?: number;
  file?: string;
}

function readTarget(state: unknown): RestoredTarget | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const candidate = (state as { target?: unknown }).target ?? state;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { name, line, file } = candidate as { name?: unknown; line?: unknown; file?: unknown };
  if (typeof name !== 'string') return undefined;
  return {
    name,
    ...(typeof line === 'number' ? { line } : {}),
    ...(typeof file === 'string' ? { file } : {}),
  };
}

function readTitle(title: string): RestoredTarget | undefined {
  const match = /^Train (.+)$/.exec(title);
  return match?.[1] ? { name: match[1] } : undefined;
}
