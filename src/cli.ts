/**
 * `model-lens summary <file> [--json]`: the command-line face of the analysis core.
 * Exit status: 0 fine, 1 the file has error diagnostics, 2 bad usage / unreadable file /
 * internal failure. Problems are reported as one line on stderr, never as a stack trace.
 */
import { readFileSync } from 'node:fs';
import { analyzeSource } from './analysis/analyze';
import { formatJson, formatSummary, hasErrorDiagnostics } from './cliFormat';

export const USAGE = 'usage: model-lens summary <file> [--json]';

export const HELP = `Model Lens: static summaries of TensorFlow.js models (nothing is executed).

Usage:
  model-lens summary <file> [--json]

Prints every model defined in <file> as a Keras-style summary table (layer, output shape,
parameter count), followed by the file's diagnostics as file:line:col: severity: message.

Options:
  --json      print the analysis as JSON: { file, models, diagnostics }
  -h, --help  show this help

Exit status: 0 no errors, 1 error diagnostics found, 2 bad usage or unreadable file.
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
};

class UsageError extends Error {}

interface SummaryArgs {
  kind: 'summary';
  file: string;
  json: boolean;
}

type ParsedArgs = SummaryArgs | { kind: 'help' };

function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { kind: 'help' };
  const positional: string[] = [];
  let json = false;
  let optionsDone = false;
  for (const arg of argv) {
    if (!optionsDone && arg === '--') optionsDone = true;
    else if (!optionsDone && arg === '--json') json = true;
    else if (!optionsDone && arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option '${arg}'`);
    } else positional.push(arg);
  }
  const [command, file, ...extra] = positional;
  if (command === undefined) throw new UsageError('missing command');
  if (command !== 'summary') throw new UsageError(`unknown command '${command}'`);
  if (file === undefined) throw new UsageError('missing <file>');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  return { kind: 'summary', file, json };
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

/** Runs the CLI and returns its exit status; all output goes through `io`. */
export function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  analyze: typeof analyzeSource = analyzeSource,
): number {
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
  let text: string;
  try {
    text = io.readFile(args.file);
  } catch (error) {
    io.stderr(`model-lens: ${readError(args.file, error)}\n`);
    return 2;
  }
  try {
    const result = analyze(args.file, text);
    io.stdout(args.json ? formatJson(result) : formatSummary(result, args.file));
    return hasErrorDiagnostics(result) ? 1 : 0;
  } catch (error) {
    io.stderr(`model-lens: internal error while analysing ${args.file}: ${messageOf(error)}\n`);
    return 2;
  }
}

/** Entry point used by bin/model-lens.js. Sets `process.exitCode` so that stdout is flushed. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  // `model-lens summary big.ts | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error) => {
    if (errorCode(error) === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  process.exitCode = runCli(argv);
}

if (require.main === module) main();
