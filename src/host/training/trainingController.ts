/**
 * Model Lens: Train Model, Save Trained Model and the layer-lens focus, end to end on the host:
 * which model (resolveModel: cursor, lens arguments or a pick), workspace trust, the model's
 * errors (a model with one is refused with its line: modelErrors), which data (dataPicker,
 * chooseData, datasetLoader), the bundle of the user's file (bundleFiles), the starting
 * configuration (trainDefaults) and the panels, one per model, all in one editor column
 * (panelColumn). Panels restored after a reload show that training stopped (restoredPanels).
 */
import * as vscode from 'vscode';
import type { AnalysisResult, Diagnostic, ModelResult } from '../../analysis/types';
import { pickData } from '../../data/dataPicker';
import { modelShapeInfo } from '../../data/modelShapeInfo';
import type { BackendPreference, ModelTarget } from '../../shared/messages';
import type { DocumentAnalysis } from '../documentAnalysis';
import type { Logger } from '../logger';
import { BundleFiles } from './bundleFiles';
import { chooseData, noDataReason } from './chooseData';
import { loadDataset } from './datasetLoader';
import { layerInfos } from './layerInfo';
import { BundleError } from './modelBundle/buildBundle';
import { errorRefusal, modelErrors, revealLabel } from './modelErrors';
import { trainingColumn } from './panelColumn';
import { resolveModel } from './resolveModel';
import { RestoredPanels } from './restoredPanels';
import { saveTrainedModel } from './saveModel';
import { modelLineRanges, outputActivation, parseSource } from './sourceModels';
import { trainDefaults } from './trainDefaults';
import { panelKey, TRAINING_VIEW_TYPE, TrainingPanel } from './trainingPanel';

export const BACKEND_SETTING = 'modelLens.training.backend';
export const WORKERS_SETTING = 'modelLens.training.workers';
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

function userMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.startsWith('Model Lens') ? text : `Model Lens: ${text}`;
}

export class TrainingController implements vscode.Disposable {
  private readonly panels = new Map<string, TrainingPanel>();
  private readonly restored: RestoredPanels;
  /** Models whose Train is between the data pick and the panel (a second Train waits for it). */
  private readonly starting = new Set<string>();
  private lastActive: TrainingPanel | undefined;
  private readonly bundles: BundleFiles;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly analysis: DocumentAnalysis,
    private readonly log: Logger,
  ) {
    this.restored = new RestoredPanels(log);
    this.bundles = new BundleFiles(context, log);
  }

  /** The panel serializer (restored panels say that training stopped). */
  register(): vscode.Disposable[] {
    return [
      vscode.window.registerWebviewPanelSerializer(TRAINING_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restored.restore(panel, state),
      }),
    ];
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.restored.dispose();
    this.bundles.dispose();
  }

  // ---- Train ---------------------------------------------------------------------------------------

  /** Lens arguments `[uri, modelName, line]`; from the palette or the context menu none (or a Uri). */
  async train(uriArg?: unknown, nameArg?: unknown, lineArg?: unknown): Promise<TrainCommandResult> {
    const resolved = await resolveModel(this.analysis, this.log, uriArg, nameArg, lineArg);
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
    const choice = await chooseData(model, choices);
    if (!choice) return 'cancelled';
    try {
      const dataset = await loadDataset(choice);
      if (!dataset) return 'cancelled';
      const bundle = await this.bundles.write(document, result);
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
        bundleDir: this.bundles.dir,
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
        workers: workersSetting(vscode.workspace.getConfiguration().get<unknown>(WORKERS_SETTING, 0)),
        log: this.log,
        column: this.panelColumn(),
        onSave: (panel) => void saveTrainedModel([panel], this.log, panel),
      });
      this.adopt(panel);
      this.restored.closeFor(target);
      void this.bundles.prune(new Set([...this.panels.values()].map((p) => p.bundleFile.toString())));
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
      ...this.restored.columns,
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
}

/** The workers setting as a count (0: one per core); anything else than a whole number ≥ 0 counts as 0. */
export function workersSetting(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, 64) : 0;
}
