/**
 * How the editor analyses a file of a project: imports read with the open documents' unsaved
 * text first, the values the user stated, and builders this file never calls shown for their
 * calls in the project's other files (the chosen one per builder; the lens switches). No
 * `vscode` import: the extension passes what it needs.
 */
import * as path from 'node:path';
import { analyzeSource } from '../analysis/analyze';
import type { Assumptions } from '../analysis/evaluator/assumptions';
import type { AnalysisResult } from '../analysis/types';
import { chooseCallSites, findCallSites, functionsWanting, projectRoot, projectSourceFiles } from '../node/callSites';
import { projectFileView, projectModuleHost } from '../node/projectFiles';

/** The editor's share of time for looking for a builder's callers, per analysis. */
const CALL_SITE_BUDGET_MS = 20;

export interface ProjectEnvironment {
  /** An open document's text, by file path. */
  openText(file: string): string | undefined;
  /** The values stated for a file (its folder's `modelLens.assumptions`). */
  assumptions(file: string | undefined): Assumptions;
}

export class ProjectAnalyzer {
  /** The project's source files, per project root (forgotten when files are created or deleted). */
  private readonly sourceFiles = new Map<string, string[]>();
  /** Which of a builder's calls is shown: `file#function` → index. */
  private readonly choices = new Map<string, number>();

  constructor(private readonly env: ProjectEnvironment) {}

  analyze(fileName: string, text: string): AnalysisResult {
    const onDisk = path.isAbsolute(fileName);
    const assumptions = this.env.assumptions(onDisk ? fileName : undefined);
    if (!onDisk) return analyzeSource(fileName, text, { assumptions });
    const modules = projectModuleHost((f) => this.env.openText(f));
    const result = analyzeSource(fileName, text, { modules, assumptions });
    const wanting = functionsWanting(result);
    if (wanting.size === 0) return result;
    const root = projectRoot(fileName);
    let files = this.sourceFiles.get(root);
    if (!files) this.sourceFiles.set(root, (files = projectSourceFiles(root)));
    const view = projectFileView((f) => this.env.openText(f));
    const sites = findCallSites(fileName, wanting, {
      files,
      root,
      budgetMs: CALL_SITE_BUDGET_MS,
      read: (f) => view.readFile(f),
      analyze: (f, t) => analyzeSource(f, t, { modules, assumptions }),
    });
    if (sites.size === 0) return result;
    const shown = analyzeSource(fileName, text, {
      modules,
      assumptions,
      callSites: chooseCallSites(sites, (fn) => this.choices.get(`${fileName}#${fn}`) ?? 0),
    });
    // An edit of a caller changes what is shown here.
    const callers = [...sites.values()].flat().map((s) => path.join(root, s.label.slice(0, s.label.lastIndexOf(':'))));
    shown.dependencies = [...new Set([...(shown.dependencies ?? []), ...callers])];
    return shown;
  }

  /** Shows the builder `fn` of `fileName` for its next call. */
  nextCallSite(fileName: string, fn: string): void {
    const key = `${fileName}#${fn}`;
    this.choices.set(key, (this.choices.get(key) ?? 0) + 1);
  }

  /** Files were created or deleted: the project's file lists are read again. */
  filesChanged(): void {
    this.sourceFiles.clear();
  }
}
