/**
 * Analysis results per document version, and the debounce that re-analyses while the user
 * types. No `vscode` import: the extension adapts its TextDocuments to `AnalyzableDocument`.
 */
import type { AnalysisResult } from '../analysis/types';

export type Analyzer = (fileName: string, text: string) => AnalysisResult;

/** What the cache needs of a document; `getText` is only called on a cache miss. */
export interface AnalyzableDocument {
  /** Stable key of the document (vscode: `uri.toString()`). */
  readonly uri: string;
  /** Increases on every edit (vscode: `TextDocument.version`). */
  readonly version: number;
  /** Passed to the analyzer (decides e.g. TSX parsing). */
  readonly fileName: string;
  getText(): string;
}

export interface AnalysisCacheOptions {
  /** Normally `analyzeSource` from the analysis core (injected: this module stays light). */
  analyzer: Analyzer;
  /** Called when the analyzer throws; the document then counts as having no models. */
  onError?: (error: unknown, document: AnalyzableDocument) => void;
  /** Documents kept (least recently used are dropped first). Default 64. */
  maxEntries?: number;
}

/** A path as the resolver and the editor may both write it (`\\` or `/`). */
function samePath(file: string): string {
  return file.replace(/\\/g, '/');
}

export function emptyResult(fileName: string): AnalysisResult {
  return { file: fileName, models: [], diagnostics: [], importsTfjs: false };
}

interface Entry {
  version: number;
  result: AnalysisResult;
}

/** Caches the latest AnalysisResult of each document, keyed by (uri, version). */
export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  private readonly analyzer: Analyzer;
  private readonly onError: (error: unknown, document: AnalyzableDocument) => void;
  private readonly maxEntries: number;

  constructor(options: AnalysisCacheOptions) {
    this.analyzer = options.analyzer;
    this.onError = options.onError ?? (() => undefined);
    this.maxEntries = Math.max(1, options.maxEntries ?? 64);
  }

  /** The cached result for exactly this version, if any. */
  get(uri: string, version: number): AnalysisResult | undefined {
    const entry = this.entries.get(uri);
    return entry && entry.version === version ? entry.result : undefined;
  }

  /** The most recent result for the document, whatever its version (stale while typing). */
  latest(uri: string): AnalysisResult | undefined {
    return this.entries.get(uri)?.result;
  }

  /** The result for the document's current version, analysing it on a miss. Never throws. */
  getOrAnalyze(document: AnalyzableDocument): AnalysisResult {
    const { uri, version } = document;
    const cached = this.entries.get(uri);
    if (cached && cached.version === version) {
      // Refresh recency.
      this.entries.delete(uri);
      this.entries.set(uri, cached);
      return cached.result;
    }
    let result: AnalysisResult;
    try {
      result = this.analyzer(document.fileName, document.getText());
    } catch (error) {
      try {
        this.onError(error, document);
      } catch {
        // A failing logger must not turn into a user-visible error either.
      }
      result = emptyResult(document.fileName);
    }
    this.entries.delete(uri);
    this.entries.set(uri, { version, result });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return result;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  /**
   * Forgets the results that read `file` through an import (it changed) and returns their
   * documents' keys, so that they are analysed again.
   */
  invalidateDependents(file: string): string[] {
    const stale: string[] = [];
    const key = samePath(file);
    for (const [uri, entry] of this.entries) if (entry.result.dependencies?.some((d) => samePath(d) === key)) stale.push(uri);
    for (const uri of stale) this.entries.delete(uri);
    return stale;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs the last callback scheduled under a key once no new one came for `delayMs`. */
export class Debouncer {
  private readonly pending = new Map<string, unknown>();

  constructor(
    readonly delayMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  schedule(key: string, callback: () => void): void {
    this.cancel(key);
    const handle = this.timers.setTimeout(() => {
      this.pending.delete(key);
      callback();
    }, this.delayMs);
    this.pending.set(key, handle);
  }

  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) {
      this.timers.clearTimeout(handle);
      this.pending.delete(key);
    }
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const handle of this.pending.values()) this.timers.clearTimeout(handle);
    this.pending.clear();
  }
}

/** Debounced re-analysis: what the extension calls on every edit. */
export class Reanalyzer {
  private readonly debouncer: Debouncer;

  constructor(
    private readonly cache: AnalysisCache,
    delayMs = 250,
    timers?: Timers,
  ) {
    this.debouncer = new Debouncer(delayMs, timers);
  }

  /**
   * After the quiet period, analyses the document as it is *then* (`resolve` is called at
   * fire time and may return undefined if the document has gone) and hands the result over.
   */
  schedule(
    uri: string,
    resolve: () => AnalyzableDocument | undefined,
    onResult: (result: AnalysisResult, document: AnalyzableDocument) => void,
  ): void {
    this.debouncer.schedule(uri, () => {
      const document = resolve();
      if (document) onResult(this.cache.getOrAnalyze(document), document);
    });
  }

  cancel(uri: string): void {
    this.debouncer.cancel(uri);
  }

  dispose(): void {
    this.debouncer.dispose();
  }
}
