/**
 * The `languageModelTools` of package.json: VS Code's agent mode asks Model Lens for a file's
 * model summary (`modelLens_summarize`) and shape errors (`modelLens_checkShapes`). The same
 * tools as `model-lens mcp`, answered from the static analysis only (the file is read, never
 * run), with the open document's unsaved text when the file is open.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisResult } from '../analysis/types';
import { formatJson, formatSummary } from '../cliFormat';
import { statedAssumptions } from './assumptionsCommand';
import { ProjectAnalyzer } from './projectAnalyzer';

export const SUMMARIZE_TOOL = 'modelLens_summarize';
export const CHECK_SHAPES_TOOL = 'modelLens_checkShapes';

interface SummarizeInput {
  file: string;
  assume?: Record<string, unknown>;
}

interface CheckShapesInput {
  file: string;
}

/** An open document by file path. */
function openDocument(fileName: string): vscode.TextDocument | undefined {
  const wanted = path.normalize(fileName);
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && path.normalize(d.fileName) === wanted);
}

function existsOnDisk(fileName: string): boolean {
  try {
    statSync(fileName);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path `file` stands for: as given, else relative to a workspace folder (the first that has it). */
function resolveFile(file: string): string {
  if (file.startsWith('file://')) return vscode.Uri.parse(file).fsPath;
  if (path.isAbsolute(file)) return path.normalize(file);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const candidates = folders.map((f) => path.join(f.uri.fsPath, file));
  return candidates.find((c) => openDocument(c) !== undefined || existsOnDisk(c)) ?? candidates[0] ?? path.resolve(file);
}

/** The file's text: the open document's when open, else the disk's; a one-line error otherwise. */
function readText(fileName: string, shown: string): string {
  const open = openDocument(fileName);
  if (open) return open.getText();
  try {
    return readFileSync(fileName, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT') throw new Error(`no such file: ${shown}`, { cause: error });
    if (code === 'EISDIR') throw new Error(`${shown} is a directory, not a file`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`permission denied: ${shown}`, { cause: error });
    throw new Error(`cannot read ${shown}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, {
      cause: error,
    });
  }
}

/** Analyses `file` as the editor does, with `assume` over the folder's `modelLens.assumptions`. */
function analyzeFile(file: unknown, assume: Record<string, unknown> = {}): AnalysisResult {
  if (typeof file !== 'string' || file.trim() === '') throw new Error('file: a path to a model file is needed');
  const fileName = resolveFile(file);
  const text = readText(fileName, file);
  const project = new ProjectAnalyzer({
    openText: (f) => openDocument(f)?.getText(),
    assumptions: (f) => ({ ...statedAssumptions(f === undefined ? undefined : vscode.Uri.file(f)), ...assume }),
  });
  try {
    return { ...project.analyze(fileName, text), file };
  } catch (error) {
    throw new Error(
      `internal error while analysing ${file}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      { cause: error },
    );
  }
}

/** The error and warning diagnostics as `line:col: severity: message` lines, or "no shape errors". */
export function shapeErrorsText(result: AnalysisResult): string {
  const shown = result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  if (shown.length === 0) return 'no shape errors';
  return shown.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message}`).join('\n');
}

function textResult(...texts: string[]): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult(texts.map((t) => new vscode.LanguageModelTextPart(t)));
}

const summarizeTool: vscode.LanguageModelTool<SummarizeInput> = {
  prepareInvocation: ({ input }) => ({ invocationMessage: `Summarizing the models in ${input.file}` }),
  invoke: ({ input }) => {
    const result = analyzeFile(input.file, input.assume ?? {});
    // The JSON of `model-lens summary FILE --json`, then its table.
    return textResult(formatJson(result).trimEnd(), formatSummary(result, input.file).trimEnd());
  },
};

const checkShapesTool: vscode.LanguageModelTool<CheckShapesInput> = {
  prepareInvocation: ({ input }) => ({ invocationMessage: `Checking the shapes in ${input.file}` }),
  invoke: ({ input }) => textResult(shapeErrorsText(analyzeFile(input.file))),
};

/** Registers both tools (none where the editor has no language model tools API). */
export function registerLanguageModelTools(): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return [vscode.lm.registerTool(SUMMARIZE_TOOL, summarizeTool), vscode.lm.registerTool(CHECK_SHAPES_TOOL, checkShapesTool)];
}
