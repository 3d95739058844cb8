/** The event editor providers (CodeLens, inlay hints) fire to be asked again: after an analysis, or a change of their settings. */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';

export class RefreshEvent implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly event = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(analysis: DocumentAnalysis, settings: readonly string[]) {
    this.subscriptions = [
      this.changed,
      analysis.onDidAnalyze(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (settings.some((s) => event.affectsConfiguration(s))) this.changed.fire();
      }),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
