/**
 * Builders at their call sites: a file's functions that no call in it gives values are run
 * with the arguments of their calls in the project's other files (`createModel(HIDDEN)` in
 * train.js). The importers are found among the project's files (bounded walk; a text check
 * first, then their analysis's recorded calls). Node-only: the CLI and the host use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallSite } from '../analysis/evaluator/callSites';
import type { AnalysisResult } from '../analysis/types';

const SOURCE = /\.(?:[cm]?[jt]sx?)$/i;
const SKIPPED = new Set(['node_modules', 'dist', 'out', 'build', 'coverage']);
/** Files looked at in one project: a monorepo's other packages are beyond it. */
const MAX_FILES = 2_000;
/** Importers analysed for one file's call sites. */
const MAX_IMPORTERS = 50;
/** Importers read whatever the time budget. */
const ALWAYS_READ = 3;
const MARKERS = ['package.json', 'tsconfig.json', 'jsconfig.json'];

function exists(file: string, dir = false): boolean {
  try {
    const s = fs.statSync(file);
    return dir ? s.isDirectory() : s.isFile();
  } catch {
    return false;
  }
}

/** The nearest folder above `file` with package.json, tsconfig.json or jsconfig.json; else the file's folder. */
export function projectRoot(file: string): string {
  for (let dir = path.dirname(file); ;) {
    if (MARKERS.some((m) => exists(path.join(dir, m)))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.dirname(file);
    dir = up;
  }
}

/** The project's source files (no node_modules, build output or hidden folders), at most MAX_FILES. */
export function projectSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIPPED.has(e.name)) walk(path.join(dir, e.name));
      } else if (SOURCE.test(e.name) && !/\.d\.[cm]?ts$/i.test(e.name)) out.push(path.join(dir, e.name));
    }
  };
  walk(root);
  return out;
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

export interface CallSiteSearch {
  /** The project's files to look in. */
  files: readonly string[];
  /** Stop looking after this many milliseconds (the editor's thread must not block long); none by default. */
  budgetMs?: number;
  root: string;
  read(file: string): string | undefined;
  /** Analyses an importer (with the module host, so that its calls are recorded). */
  analyze(file: string, text: string): AnalysisResult;
}

/** The calls of `target`'s functions named in `functions`, in the project's other files, by function. */
export function findCallSites(target: string, functions: ReadonlySet<string>, search: CallSiteSearch): Map<string, CallSite[]> {
  const sites = new Map<string, CallSite[]>();
  const stem = path.basename(target).replace(/\.[^.]+$/, '');
  // Only a file with a specifier naming the module (`'./model'`, `"../model.js"`, `'@/lib/model'`) can import it.
  const names = new RegExp(`['"\`](?:[^'"\`]*/)?${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.[cm]?[jt]sx?)?['"\`]`);
  // The nearest files first: a builder's callers are usually beside it.
  const dir = path.dirname(target);
  const distance = (f: string): number =>
    path
      .relative(dir, path.dirname(f))
      .split(path.sep)
      .filter((p) => p !== '').length;
  const candidates = search.files.filter((f) => !samePath(f, target)).sort((a, b) => distance(a) - distance(b));
  let analysed = 0;
  const deadline = search.budgetMs === undefined ? Infinity : Date.now() + search.budgetMs;
  for (const file of candidates) {
    // Fewer calls found is fewer choices, never a wrong number; the nearest importers are always read.
    if (analysed >= MAX_IMPORTERS || (analysed >= ALWAYS_READ && Date.now() > deadline)) break;
    const text = search.read(file);
    if (text === undefined || !names.test(text)) continue;
    analysed++;
    let result: AnalysisResult;
    try {
      result = search.analyze(file, text);
    } catch {
      continue;
    }
    for (const call of result.outgoingCalls ?? []) {
      if (!functions.has(call.function) || !samePath(call.file, target)) continue;
      const list = sites.get(call.function) ?? [];
      list.push({ label: `${path.relative(search.root, file).split(path.sep).join('/')}:${call.line}`, args: call.args });
      sites.set(call.function, list);
    }
  }
  return sites;
}

/** The functions whose parameters the analysis met without a value (from `openParameters`). */
export function functionsWanting(result: AnalysisResult): Set<string> {
  const out = new Set<string>();
  for (const m of result.models) for (const key of m.openParameters ?? []) out.add(key.slice(0, key.lastIndexOf('.')));
  return out;
}

/** The chosen call site per function (`choice` picks among several; 0 by default), with index and count. */
export function chooseCallSites(
  sites: ReadonlyMap<string, CallSite[]>,
  choice: (fn: string) => number = () => 0,
): Record<string, CallSite> {
  const out: Record<string, CallSite> = {};
  for (const [fn, list] of sites) {
    if (list.length === 0) continue;
    const index = ((choice(fn) % list.length) + list.length) % list.length;
    out[fn] = { ...list[index]!, index, count: list.length };
  }
  return out;
}
