/**
 * Model Lens extension entry. Thin: everything that does not need `vscode` lives in
 * vscode-free modules (analysis core, host/lensModel, host/analysisCache, cliFormat).
 */
import { ModelQuickFixProvider } from './host/quickFixProvider';
import { ModelInlayHintsProvider } from './host/inlayHintsProvider';
import { affectsAssumptions } from './host/assumptionsCommand';
import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { registerLanguageModelTools } from './host/languageModelTools';
import { ModelCodeLensProvider } from './host/codeLensProvider';
import { DOCUMENT_SELECTOR, DocumentAnalysis } from './host/documentAnalysis';
import { ModelHoverProvider } from './host/hoverProvider';
import { Logger } from './host/logger';
import { TrainingController } from './host/training/trainingController';
import { ModelGraphPanel } from './host/graph/graphPanel';
import { registerGraphCommand } from './host/graph/graphCommand';
import { SavedModelEditorProvider } from './host/graph/savedModelEditor';
import { rememberSaveFolders } from './host/training/saveModel';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Model Lens');
  const log = new Logger(channel);
  const analysis = new DocumentAnalysis(log);
  const codeLenses = new ModelCodeLensProvider(analysis, log);
  const inlayHints = new ModelInlayHintsProvider(analysis, log);
  const training = new TrainingController(context, analysis, log);
  const graph = new ModelGraphPanel(context.extensionUri, analysis, log);
  rememberSaveFolders(context.workspaceState);

  context.subscriptions.push(
    channel,
    analysis,
    codeLenses,
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, codeLenses),
    vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, new ModelHoverProvider(analysis, log)),
    inlayHints,
    vscode.languages.registerInlayHintsProvider(DOCUMENT_SELECTOR, inlayHints),
    vscode.languages.registerCodeActionsProvider(
      DOCUMENT_SELECTOR,
      new ModelQuickFixProvider(analysis, log),
      ModelQuickFixProvider.metadata,
    ),
    vscode.workspace.onDidOpenTextDocument((document) => analysis.refresh(document)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length === 0) return;
      analysis.scheduleRefresh(event.document);
      if (event.document.uri.scheme !== 'file') return;
      // An unsaved edit of a tsconfig/jsconfig changes how imports resolve once saved (the
      // watcher then refreshes); an edit of a source file refreshes its importers now.
      analysis.dependencyChanged(event.document.fileName);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => analysis.close(document)),
    ...watchSourceFiles(
      (fileName) => analysis.dependencyChanged(fileName),
      () => analysis.projectChanged(),
      () => analysis.filesChanged(),
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsAssumptions(event)) analysis.assumptionsChanged();
    }),
    training,
    ...training.register(),
    ...registerCommands(analysis, training, log),
    ...registerLanguageModelTools(),
    graph,
    registerGraphCommand(analysis, graph),
    SavedModelEditorProvider.register(context.extensionUri, log),
  );

  // The files open when the window opened: one per turn, so activation never holds the host.
  analysis.refreshInTurns(vscode.workspace.textDocuments);
  log.info('activated');
}

/** Folders whose files are built, installed or cached, never the project's own sources. */
const NOT_SOURCES = /[\\/](node_modules|dist|out|\.git|\.cache)[\\/]/;
/** Files that decide how every import resolves. */
const PROJECT_CONFIG = /[\\/](tsconfig(\.[\w-]+)?|jsconfig)\.json$/;

/**
 * Source and config files changed on disk (a `git pull`, another editor): their importers are
 * analysed again; a created or deleted file, or an edited tsconfig/jsconfig, can change how any
 * import resolves, so every open document is.
 */
function watchSourceFiles(
  changed: (fileName: string) => void,
  projectChanged: () => void,
  createdOrDeleted: () => void,
): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts,json}');
  const onChange = (uri: vscode.Uri): void => {
    if (uri.scheme !== 'file' || NOT_SOURCES.test(uri.fsPath)) return;
    if (PROJECT_CONFIG.test(uri.fsPath)) projectChanged();
    else changed(uri.fsPath);
  };
  const onCreateOrDelete = (uri: vscode.Uri): void => {
    if (uri.scheme !== 'file' || NOT_SOURCES.test(uri.fsPath)) return;
    createdOrDeleted();
    onChange(uri);
  };
  return [watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onCreateOrDelete), watcher.onDidDelete(onCreateOrDelete)];
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
