/**
 * `model-lens summary <file|folder>... [--json] [--project DIR]`: the command-line face of the
 * analysis core. Imports of the project's own files are read (never executed), as in the editor.
 * Exit status: 0 fine, 1 a file has error diagnostics, 2 bad usage / unreadable file /
 * internal failure. Problems are reported as one line on stderr, never as a stack trace.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeSource } from './analysis/analyze';
import type { AnalysisResult } from './analysis/types';
import { formatJson, formatJsonList, formatSummary, hasErrorDiagnostics } from './cliFormat';
import { projectModuleHost } from './node/projectFiles';
import { chooseCallSites, findCallSites, functionsWanting, projectRoot, projectSourceFiles } from './node/callSites';

export const USAGE =
  'usage: model-lens summary <file|folder>... [--json] [--project DIR] [--assume FUNCTION.PARAM=JSON]... | model-lens mcp';

export const HELP = `Model Lens: static summaries of TensorFlow.js models (nothing is executed).

Usage:
  model-lens summary <file|folder>... [--json] [--project DIR] [--assume FUNCTION.PARAM=JSON]...
  model-lens mcp

Prints every model defined in each file as a Keras-style summary table (layer, output shape,
parameter count), followed by the file's diagnostics as file:line:col: severity: message.
A folder stands for the model files in it that import TensorFlow.js (node_modules, build
output and hidden folders left out). Values imported from the project's own files (relative
imports, require, tsconfig/jsconfig paths) are read statically, never executed.

Options:
  --json           print the analysis as JSON: { file, models, diagnostics } for one file,
                   a list of those for several
  --project DIR    the project folder: its tsconfig.json / jsconfig.json resolves imports
                   and its .vscode/settings.json gives modelLens.assumptions (default: the
                   nearest folder above each file with package.json, tsconfig.json or
                   jsconfig.json)
  --assume F.P=V   a value for parameter P of function F that no call gives, as JSON
                   (e.g. --assume createModel.h=9); repeatable; wins over the settings
  -h, --help       show this help

\`model-lens mcp\` serves the same analysis to agents as a Model Context Protocol server on
stdin/stdout (tools modelLens_summarize and modelLens_checkShapes; for an MCP client's config:
command "npx", args ["model-lens", "mcp"]).

Exit status: 0 no errors, 1 error diagnostics found, 2 bad usage or unreadable file.
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  /** The entries of a folder, or undefined when `path` is not one. */
  readDir?(path: string): { name: string; isDirectory: boolean }[] | undefined;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (file) => readFileSync(file, 'utf8'),
  readDir: (dir) => {
    try {
      if (!statSync(dir).isDirectory()) return undefined;
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};

class UsageError extends Error {}

interface SummaryArgs {
  kind: 'summary';
  paths: string[];
  json: boolean;
  project: string | undefined;
  assume: Record<string, unknown>;
}

/** `createModel.h=9` → ['createModel.h', 9]. */
function parseAssumption(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!/^[\w$]+(?:\.[\w$]+)+$/.test(key)) throw new UsageError(`--assume needs FUNCTION.PARAM=JSON, got '${text}'`);
  try {
    return [key, JSON.parse(text.slice(eq + 1))];
  } catch {
    throw new UsageError(`--assume ${key}: '${text.slice(eq + 1)}' is not JSON (a string needs quotes: '"relu"')`);
  }
}

type ParsedArgs = SummaryArgs | { kind: 'help' } | { kind: 'mcp' };

function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { kind: 'help' };
  const positional: string[] = [];
  let json = false;
  let project: string | undefined;
  const assume: Record<string, unknown> = {};
  let optionsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!optionsDone && arg === '--') optionsDone = true;
    else if (!optionsDone && arg === '--json') json = true;
    else if (!optionsDone && arg === '--project') {
      project = argv[++i];
      if (project === undefined) throw new UsageError('--project needs a folder');
    } else if (!optionsDone && arg === '--assume') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError('--assume needs FUNCTION.PARAM=JSON');
      const [key, v] = parseAssumption(value);
      assume[key] = v;
    } else if (!optionsDone && arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option '${arg}'`);
    } else positional.push(arg);
  }
  const [command, ...paths] = positional;
  if (command === undefined) throw new UsageError('missing command');
  if (command === 'mcp') {
    if (paths.length > 0 || json || project !== undefined || Object.keys(assume).length > 0)
      throw new UsageError('mcp takes no arguments');
    return { kind: 'mcp' };
  }
  if (command !== 'summary') throw new UsageError(`unknown command '${command}'`);
  if (paths.length === 0) throw new UsageError('missing <file>');
  return { kind: 'summary', paths, json, project, assume };
}

const MODEL_FILE = /\.(?:[cm]?[jt]sx?)$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'out', 'build', 'coverage']);

/** The files `paths` stand for: files as given, folders as the model files under them. */
function expandPaths(paths: readonly string[], io: CliIo): { file: string; fromFolder: boolean }[] {
  const out: { file: string; fromFolder: boolean }[] = [];
  const walk = (dir: string, entries: { name: string; isDirectory: boolean }[]): void => {
    for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory) {
        if (e.name.startsWith('.') || SKIPPED_FOLDERS.has(e.name)) continue;
        const inner = io.readDir?.(full);
        if (inner) walk(full, inner);
      } else if (MODEL_FILE.test(e.name) && !/\.d\.[cm]?ts$/i.test(e.name)) out.push({ file: full, fromFolder: true });
    }
  };
  for (const p of paths) {
    const entries = io.readDir?.(p);
    if (entries) walk(p, entries);
    else out.push({ file: p, fromFolder: false });
  }
  return out;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function readError(file: string, error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOENT':
      return `no such file: ${file}`;
    case 'EISDIR':
      return `${file} is a directory, not a file`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${file}`;
    default:
      return `cannot read ${file}: ${messageOf(error)}`;
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}

function readOrUndefined(io: CliIo, file: string): string | undefined {
  try {
    return io.readFile(file);
  } catch {
    return undefined;
  }
}

/** `modelLens.assumptions` of the project's `.vscode/settings.json` (JSON with comments), as the editor reads it. */
function settingsAssumptions(root: string, io: CliIo): Record<string, unknown> {
  let text: string;
  try {
    text = io.readFile(path.join(root, '.vscode', 'settings.json'));
  } catch {
    return {};
  }
  const parsed = ts.parseConfigFileTextToJson('settings.json', text).config as Record<string, unknown> | undefined;
  const value = parsed?.['modelLens.assumptions'];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Runs the CLI and returns its exit status; all output goes through `io`. */
export function runCli(argv: readonly string[], io: CliIo = processIo, analyze: typeof analyzeSource = analyzeSource): number {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr(`model-lens: ${messageOf(error)} (${USAGE}; see --help)\n`);
    return 2;
  }
  if (args.kind === 'help') {
    io.stdout(HELP);
    return 0;
  }
  if (args.kind === 'mcp') {
    io.stderr('model-lens: mcp serves the Model Context Protocol on stdin/stdout: run it as `model-lens mcp`\n');
    return 2;
  }
  const files = expandPaths(args.paths, io);
  const modules = projectModuleHost(undefined, args.project === undefined ? undefined : path.resolve(args.project));
  const results: { file: string; result: AnalysisResult }[] = [];
  const sourceFiles: Record<string, string[]> = {};
  for (const { file, fromFolder } of files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (error) {
      io.stderr(`model-lens: ${readError(file, error)}\n`);
      return 2;
    }
    try {
      const absolute = path.resolve(file);
      const root = args.project === undefined ? projectRoot(absolute) : path.resolve(args.project);
      const assumptions = { ...settingsAssumptions(root, io), ...args.assume };
      let result = analyze(absolute, text, { modules, assumptions });
      // Builders this file never calls: shown for their first call in the project's other files.
      const wanting = functionsWanting(result);
      if (wanting.size > 0) {
        const files = (sourceFiles[root] ??= projectSourceFiles(root));
        const sites = findCallSites(absolute, wanting, {
          files,
          root,
          read: (f) => readOrUndefined(io, f),
          analyze: (f, t) => analyze(f, t, { modules, assumptions }),
        });
        if (sites.size > 0) result = analyze(absolute, text, { modules, assumptions, callSites: chooseCallSites(sites) });
      }
      // A folder stands for its model files: the others are left out.
      if (!fromFolder || result.importsTfjs) results.push({ file, result: { ...result, file } });
    } catch (error) {
      io.stderr(`model-lens: internal error while analysing ${file}: ${messageOf(error)}\n`);
      return 2;
    }
  }
  // A stated value nothing used (a typo, a parameter every call gives) would change nothing silently.
  const used = new Set(results.flatMap((r) => r.result.assumptionsUsed ?? []));
  for (const key of Object.keys(args.assume).filter((k) => !used.has(k))) {
    const dot = key.lastIndexOf('.');
    io.stderr(
      `model-lens: --assume ${key} was not used: no model in the files analysed depends on a parameter \`${key.slice(dot + 1)}\` of \`${key.slice(0, dot)}\` that no call gives\n`,
    );
  }
  // One file named: its object, as always; several, or a folder: a list.
  const single = files.length === 1 && !files[0]!.fromFolder;
  if (args.json) io.stdout(single ? formatJson(results[0]!.result) : formatJsonList(results.map((r) => r.result)));
  else if (results.length === 0) io.stdout(`No TensorFlow.js model files found in ${args.paths.join(', ')}.\n`);
  else io.stdout(results.map((r) => (results.length > 1 ? `${r.file}\n\n` : '') + formatSummary(r.result, r.file)).join('\n'));
  return results.some((r) => hasErrorDiagnostics(r.result)) ? 1 : 0;
}

/** Entry point used by bin/model-lens.js. Sets `process.exitCode` so that stdout is flushed. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  // `model-lens summary big.ts | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error) => {
    if (errorCode(error) === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  if (argv[0] === 'mcp' && argv.length === 1) {
    // The MCP server answers on stdin/stdout until the client closes stdin. Loaded on demand:
    // the SDK stays out of `summary`'s start-up time.
    import('./mcpServer')
      .then(({ runMcpServer }) => runMcpServer())
      .catch((error: unknown) => {
        process.stderr.write(`model-lens: mcp: ${messageOf(error)}\n`);
        process.exitCode = 2;
      });
    return;
  }
  process.exitCode = runCli(argv);
}

if (require.main === module) main();
