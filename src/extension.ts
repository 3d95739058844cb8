/**
 * Model Lens extension entry. Thin: everything that does not need `vscode` lives in
 * vscode-free modules (analysis core, host/lensModel, host/analysisCache, cliFormat).
 */
import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { ModelCodeLensProvider } from './host/codeLensProvider';
import { DOCUMENT_SELECTOR, DocumentAnalysis } from './host/documentAnalysis';
import { ModelHoverProvider } from './host/hoverProvider';
import { Logger } from './host/logger';
import { TrainingController } from './host/training/trainingController';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Model Lens');
  const log = new Logger(channel);
  const analysis = new DocumentAnalysis(log);
  const codeLenses = new ModelCodeLensProvider(analysis, log);
  const training = new TrainingController(context, analysis, log);

  context.subscriptions.push(
    channel,
    analysis,
    codeLenses,
    vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, codeLenses),
    vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, new ModelHoverProvider(analysis, log)),
    vscode.workspace.onDidOpenTextDocument((document) => analysis.refresh(document)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) analysis.scheduleRefresh(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => analysis.close(document)),
    training,
    ...training.register(),
    ...registerCommands(analysis, training, log),
  );

  for (const document of vscode.workspace.textDocuments) analysis.refresh(document);
  log.info('activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
