/**
 * `model-lens mcp`: a stdio Model Context Protocol server that lets any agent ask Model Lens for
 * a file's model summary and shape errors. Both tools answer from the static analysis only (the
 * file is read, never executed), through the same code path as `model-lens summary --json`.
 * stdout carries the protocol: nothing else may be written there while the server runs.
 */
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { runCli } from './cli';
import type { CliIo } from './cli';
import type { JsonSummary } from './cliFormat';
import { version as packageVersion } from '../package.json';

/** What a tool answers: its text parts, and whether it is an error (one line). */
export interface ToolAnswer {
  texts: string[];
  isError: boolean;
}

export const SUMMARIZE_DESCRIPTION =
  'Statically analyses a TensorFlow.js model file (tf.sequential / tf.model; the file is read, never run) ' +
  'and returns every model in it as JSON (layers with output shapes and parameter counts, totals, diagnostics; ' +
  'the same JSON as `model-lens summary FILE --json`) followed by a Keras-style summary table.';

export const CHECK_SHAPES_DESCRIPTION =
  'Statically checks a TensorFlow.js model file for shape errors (mismatched merges, wrong input ranks, ' +
  'convolutions whose output becomes empty, ...) without running it. Returns each error and warning as ' +
  'line:col: severity: message, or "no shape errors".';

/** Runs `model-lens summary` in-process on one file; stdout and stderr are captured. */
function summary(
  file: string,
  assume: Record<string, unknown>,
  json: boolean,
  readFile: (file: string) => string,
): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readFile,
    // One file per call: a folder is reported as one, not expanded.
    readDir: () => undefined,
  };
  const args = ['summary', ...(json ? ['--json'] : [])];
  for (const [key, value] of Object.entries(assume)) args.push('--assume', `${key}=${JSON.stringify(value)}`);
  const status = runCli([...args, '--', file], io);
  return { status, stdout, stderr };
}

/** The CLI's one-line problem, without its `model-lens: ` prefix and usage hint. */
function problem(stderr: string): string {
  const line = stderr.trim().split('\n')[0] ?? '';
  return line.replace(/^model-lens: /, '').replace(/ \(usage: .*$/, '') || 'the analysis failed';
}

function failure(message: string): ToolAnswer {
  return { texts: [message], isError: true };
}

function fileProblem(file: unknown): string | undefined {
  return typeof file === 'string' && file.trim() !== '' ? undefined : 'file: a path to a model file is needed';
}

/** `modelLens_summarize`: the summary's JSON, then its table. */
export function summarizeFile(
  file: string,
  assume: Record<string, unknown> = {},
  readFile: (file: string) => string = defaultRead,
): ToolAnswer {
  const bad = fileProblem(file);
  if (bad) return failure(bad);
  const json = summary(file, assume, true, readFile);
  if (json.status === 2) return failure(problem(json.stderr));
  const table = summary(file, assume, false, readFile);
  return { texts: [json.stdout.trimEnd(), table.stdout.trimEnd()], isError: false };
}

/** The error and warning diagnostics as `line:col: severity: message` lines, or "no shape errors". */
export function shapeErrorsText(
  diagnostics: readonly { line: number; column: number; severity: string; message: string }[],
): string {
  const shown = diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  if (shown.length === 0) return 'no shape errors';
  return shown.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message}`).join('\n');
}

/** `modelLens_checkShapes`: the file's error and warning diagnostics. */
export function checkShapesOfFile(file: string, readFile: (file: string) => string = defaultRead): ToolAnswer {
  const bad = fileProblem(file);
  if (bad) return failure(bad);
  const run = summary(file, {}, true, readFile);
  if (run.status === 2) return failure(problem(run.stderr));
  const result = JSON.parse(run.stdout) as JsonSummary;
  return { texts: [shapeErrorsText(result.diagnostics)], isError: false };
}

function defaultRead(file: string): string {
  return readFileSync(file, 'utf8');
}

function toResult(answer: ToolAnswer): { content: { type: 'text'; text: string }[]; isError?: boolean } {
  return { content: answer.texts.map((text) => ({ type: 'text' as const, text })), ...(answer.isError ? { isError: true } : {}) };
}

/** Any exception becomes a one-line error result: an agent never sees a stack trace. */
function guarded(run: () => ToolAnswer): ToolAnswer {
  try {
    return run();
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return failure(`internal error: ${message}`);
  }
}

/** The MCP server with both tools registered (not yet connected). */
export function createMcpServer(version: string = packageVersion): McpServer {
  const server = new McpServer({ name: 'model-lens', version });
  server.registerTool(
    'modelLens_summarize',
    {
      title: 'Summarize TensorFlow.js model',
      description: SUMMARIZE_DESCRIPTION,
      inputSchema: {
        file: z.string().describe("Path of the model file (.ts/.js), absolute or relative to the server's working folder"),
        assume: z
          .record(z.string(), z.unknown())
          .optional()
          .describe(
            'Values for builder parameters that no call gives, as { "FUNCTION.PARAM": JSON value }, e.g. { "createModel.h": 9 }',
          ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ file, assume }) => toResult(guarded(() => summarizeFile(file, assume ?? {}))),
  );
  server.registerTool(
    'modelLens_checkShapes',
    {
      title: 'Check TensorFlow.js model shapes',
      description: CHECK_SHAPES_DESCRIPTION,
      inputSchema: {
        file: z.string().describe("Path of the model file (.ts/.js), absolute or relative to the server's working folder"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ file }) => toResult(guarded(() => checkShapesOfFile(file))),
  );
  return server;
}

/** `model-lens mcp`: serves the tools over stdin/stdout until stdin closes. */
export async function runMcpServer(version: string = packageVersion): Promise<void> {
  // stdout is the protocol's: stray logging goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const server = createMcpServer(version);
  await server.connect(new StdioServerTransport());
}
