/**
 * The extension's view of analysis: adapts TextDocuments to the vscode-free AnalysisCache,
 * re-analyses (debounced) while the user types, and keeps the `model-lens` diagnostics in sync.
 */
import * as vscode from 'vscode';
import { ProjectAnalyzer } from './projectAnalyzer';
import { statedAssumptions } from './assumptionsCommand';
import type { AnalysisResult, Diagnostic } from '../analysis/types';
import { AnalysisCache, Reanalyzer } from './analysisCache';
import type { AnalyzableDocument } from './analysisCache';
import type { Logger } from './logger';

export const SUPPORTED_LANGUAGES: readonly string[] = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = SUPPORTED_LANGUAGES.map((language) => ({
  language,
}));

/** A batch of analyses that takes longer than this shows a progress indication. */
const PROGRESS_AFTER_MS = 1000;

/** Quiet period after the last keystroke before diagnostics and lenses are refreshed. */
export const REANALYSIS_DELAY_MS = 250;

const EXTENSION_BY_LANGUAGE: Record<string, string> = {
  typescript: '.ts',
  javascript: '.js',
  typescriptreact: '.tsx',
  javascriptreact: '.jsx',
};

export function isSupportedDocument(document: vscode.TextDocument): boolean {
  return SUPPORTED_LANGUAGES.includes(document.languageId);
}

/** The file name given to the analyzer; untitled documents get an extension from their language. */
function analysisFileName(document: vscode.TextDocument): string {
  const name = document.fileName;
  if (/\.[cm]?[jt]sx?$/i.test(name)) return name;
  return name + (EXTENSION_BY_LANGUAGE[document.languageId] ?? '.ts');
}

/** An open document's text, by file path (what the analysis reads of an imported file first). */
function openDocumentText(fileName: string): string | undefined {
  const wanted = fileName.replace(/\\/g, '/');
  const document = vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme === 'file' && d.fileName.replace(/\\/g, '/') === wanted,
  );
  return document?.getText();
}

function toAnalyzable(document: vscode.TextDocument): AnalyzableDocument {
  return {
    uri: document.uri.toString(),
    version: document.version,
    fileName: analysisFileName(document),
    getText: () => document.getText(),
  };
}

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Core diagnostics (1-based line/column, end inclusive-exclusive) → vscode (0-based). */
export function toVscodeDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const startLine = Math.max(0, d.line - 1);
  const startCol = Math.max(0, d.column - 1);
  let endLine = Math.max(0, (d.endLine ?? d.line) - 1);
  let endCol = Math.max(0, (d.endColumn ?? d.column) - 1);
  if (endLine < startLine || (endLine === startLine && endCol < startCol)) {
    endLine = startLine;
    endCol = startCol;
  }
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(startLine, startCol, endLine, endCol),
    d.message,
    SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Model Lens';
  return diagnostic;
}

export class DocumentAnalysis implements vscode.Disposable {
  private readonly cache: AnalysisCache;
  private readonly reanalyzer: Reanalyzer;
  private readonly diagnostics: vscode.DiagnosticCollection;
  private readonly analyzed = new vscode.EventEmitter<vscode.Uri>();
  private projectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Fires after a (debounced or explicit) refresh of a document's analysis. */
  readonly onDidAnalyze = this.analyzed.event;

  private readonly project = new ProjectAnalyzer({
    openText: openDocumentText,
    assumptions: (file) => statedAssumptions(file === undefined ? undefined : vscode.Uri.file(file)),
  });

  constructor(private readonly log: Logger) {
    this.cache = new AnalysisCache({
      // Imports of the project's files are read with the open documents' unsaved text first.
      analyzer: (fileName, text) => this.project.analyze(fileName, text),
      onError: (error, document) => log.error(`analysing ${document.fileName}`, error),
    });
    this.reanalyzer = new Reanalyzer(this.cache, REANALYSIS_DELAY_MS);
    this.diagnostics = vscode.languages.createDiagnosticCollection('model-lens');
  }

  /** The current version's result, whatever the file imports (used by the summary). */
  analyze(document: vscode.TextDocument): AnalysisResult {
    return this.cache.getOrAnalyze(toAnalyzable(document));
  }

  /**
   * The result to show lenses/hovers/diagnostics for, or undefined when the document is not
   * a supported language or does not import TensorFlow.js.
   */
  resultFor(document: vscode.TextDocument): AnalysisResult | undefined {
    if (!isSupportedDocument(document)) return undefined;
    const result = this.analyze(document);
    return result.importsTfjs ? result : undefined;
  }

  /** Analyse now and publish diagnostics (document opened, extension activated). */
  refresh(document: vscode.TextDocument): void {
    if (!isSupportedDocument(document)) return;
    this.log.guard(`refreshing ${document.uri.toString()}`, undefined, () => {
      this.publish(document.uri, this.resultFor(document));
      this.analyzed.fire(document.uri);
    });
  }

  /**
   * Analyses `documents` one per turn of the event loop (the window opened with files open, a
   * project-wide change): the extension host is never held for more than one file's analysis,
   * and a status-bar progress shows when the whole takes longer than a second.
   */
  refreshInTurns(documents: readonly vscode.TextDocument[]): void {
    const queue = documents.filter((d) => !d.isClosed && isSupportedDocument(d));
    if (queue.length === 0) return;
    const started = Date.now();
    let progress: { done(): void } | undefined;
    const next = (): void => {
      const document = queue.shift();
      if (document) {
        if (!document.isClosed) this.refresh(document);
        if (!progress && queue.length > 0 && Date.now() - started > PROGRESS_AFTER_MS) progress = this.showProgress(queue);
        setImmediate(next);
      } else {
        progress?.done();
      }
    };
    setImmediate(next);
  }

  private showProgress(queue: readonly vscode.TextDocument[]): { done(): void } {
    let finish: () => void = () => undefined;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Model Lens: analysing ${queue.length + 1} files` },
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    return { done: () => finish() };
  }

  /** Re-analyse once the user stops typing for REANALYSIS_DELAY_MS. */
  scheduleRefresh(document: vscode.TextDocument): void {
    if (!isSupportedDocument(document)) return;
    const uri = document.uri;
    const key = uri.toString();
    this.reanalyzer.schedule(
      key,
      () => {
        const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
        return current && !current.isClosed ? toAnalyzable(current) : undefined;
      },
      (result) => {
        this.log.guard(`publishing diagnostics for ${key}`, undefined, () => {
          this.publish(uri, result.importsTfjs ? result : undefined);
          this.analyzed.fire(uri);
        });
      },
    );
  }

  /**
   * A file changed (edited in an open document, or on disk): the open documents that import it
   * are analysed again, after the same quiet period as typing.
   */
  dependencyChanged(fileName: string): void {
    for (const key of this.cache.invalidateDependents(fileName)) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (document && !document.isClosed) this.scheduleRefresh(document);
    }
  }

  /** Shows the builder `fn` of the document for its next call in the project. */
  nextCallSite(uri: vscode.Uri, fn: string): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document) return;
    this.project.nextCallSite(analysisFileName(document), fn);
    this.cache.delete(uri.toString());
    this.refresh(document);
  }

  /** Files were created or deleted in the workspace. */
  filesChanged(): void {
    this.project.filesChanged();
    this.projectChanged();
  }

  /**
   * Something every import may depend on changed (a file created or deleted, a tsconfig.json /
   * jsconfig.json edited): every open document is analysed again, once the burst of changes
   * is over (a `git checkout` touches many files).
   */
  projectChanged(): void {
    if (this.projectTimer) clearTimeout(this.projectTimer);
    this.projectTimer = setTimeout(() => {
      this.projectTimer = undefined;
      this.cache.clear();
      this.refreshInTurns(vscode.workspace.textDocuments);
    }, REANALYSIS_DELAY_MS);
  }

  /** The stated values changed: every open document is analysed again. */
  assumptionsChanged(): void {
    this.cache.clear();
    for (const document of vscode.workspace.textDocuments) if (!document.isClosed) this.refresh(document);
  }

  /** Document closed: forget it and clear its diagnostics. */
  close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.reanalyzer.cancel(key);
    this.cache.delete(key);
    this.diagnostics.delete(document.uri);
  }

  dispose(): void {
    if (this.projectTimer) clearTimeout(this.projectTimer);
    this.reanalyzer.dispose();
    this.cache.clear();
    this.diagnostics.dispose();
    this.analyzed.dispose();
  }

  private publish(uri: vscode.Uri, result: AnalysisResult | undefined): void {
    if (!result || result.diagnostics.length === 0) this.diagnostics.delete(uri);
    else this.diagnostics.set(uri, result.diagnostics.map(toVscodeDiagnostic));
  }
}
