/**
 * Pure text/JSON forms of an AnalysisResult, shared by the CLI (`model-lens summary`) and the
 * extension's "Show Model Summary" command. No I/O, no `vscode`.
 */
import { describeAssumption, formatCount, formatShape, isShapeList } from './shared/format';
import { isEmptySequential } from './analysis/results';
import type { AnalysisResult, Diagnostic, ModelResult, OutputShape, Severity, Shape } from './analysis/types';

/** Keras's default column layout (line length 65): name, output shape, param count. */
const MIN_NAME_WIDTH = 29;
const MIN_SHAPE_WIDTH = 26;
const MIN_PARAM_WIDTH = 10;
/** Columns are widened so that at least this many spaces separate them. */
const COLUMN_GAP = 2;

export function modelKindLabel(kind: ModelResult['kind']): 'Sequential' | 'Functional' {
  return kind === 'sequential' ? 'Sequential' : 'Functional';
}

/** A per-layer count as Keras prints it in the table (no thousands separators); `?` if unknown. */
function rowCount(n: number | null): string {
  return n == null ? '?' : String(n);
}

/** One model as Keras's `model.summary()` prints it (lines joined with `\n`, no trailing newline). */
/** ` · for train.js:6 (1 of 2 calls) · assuming h = 9`: what the numbers rest on beyond this file. */
function assumingText(model: ModelResult): string {
  const site = model.callSite
    ? ` · for ${model.callSite.label}${model.callSite.count > 1 ? ` (${model.callSite.index + 1} of ${model.callSite.count} calls)` : ''}`
    : '';
  const assumed =
    model.assumptions && model.assumptions.length > 0
      ? ` · assuming ${model.assumptions.map((a) => describeAssumption(a.key, a.value)).join(', ')}`
      : '';
  return site + assumed;
}

/** The parameters whose values would make the unknown part known, and how to state them. */
function openParametersText(model: ModelResult): string[] {
  if (!model.openParameters || model.openParameters.length === 0) return [];
  return [
    `Not known without a value for: ${model.openParameters.join(', ')} (state one with --assume ${model.openParameters[0]}=JSON)`,
  ];
}

export function formatModelTable(model: ModelResult): string {
  const header: [string, string, string, string] = [' Layer (type)', 'Output Shape', 'Param #', 'Mult-Adds'];
  const rows: [string, string, string, string][] = model.layers.map((layer) => [
    ` ${layer.name} (${layer.type})`,
    formatShape(layer.outputShape),
    rowCount(layer.params),
    formatCount(layer.macs ?? null),
  ]);
  const all = [header, ...rows];
  const nameWidth = Math.max(MIN_NAME_WIDTH, ...all.map((r) => r[0].length + COLUMN_GAP));
  const shapeWidth = Math.max(MIN_SHAPE_WIDTH, ...all.map((r) => r[1].length + COLUMN_GAP));
  const paramWidth = Math.max(MIN_PARAM_WIDTH, ...all.map((r) => r[2].length + COLUMN_GAP));
  const macsWidth = Math.max(...all.map((r) => r[3].length));
  const width = nameWidth + shapeWidth + paramWidth + macsWidth;
  const row = (r: [string, string, string, string]): string =>
    r[0].padEnd(nameWidth) + r[1].padEnd(shapeWidth) + r[2].padEnd(paramWidth) + r[3];
  const thin = '_'.repeat(width);
  const thick = '='.repeat(width);
  return [
    `Model: "${model.name}" (${modelKindLabel(model.kind)}, line ${model.line})${assumingText(model)}`,
    thin,
    row(header),
    thick,
    ...rows.map(row),
    thick,
    `Total params: ${formatCount(model.totalParams)}`,
    `Trainable params: ${formatCount(model.trainableParams)}`,
    `Non-trainable params: ${formatCount(model.nonTrainableParams)}`,
    `Total mult-adds (per sample): ${formatCount(model.totalMacs)}`,
    ...(model.incomplete ? [`Incomplete: ${model.incomplete}`] : []),
    ...(isEmptySequential(model) ? ['No layers yet: tfjs cannot build (or count) an empty Sequential model'] : []),
    ...openParametersText(model),
    thin,
  ].join('\n');
}

/** `file:line:col: severity: message`. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}

/**
 * The whole `model-lens summary` text: every model's table (blank line between them), then the
 * diagnostics sorted by position. `file` is how diagnostics name the file (defaults to
 * `result.file`). Ends with a newline.
 */
export function formatSummary(result: AnalysisResult, file: string = result.file): string {
  const blocks: string[] = [];
  if (result.models.length === 0) {
    blocks.push(
      result.importsTfjs
        ? `No TensorFlow.js models found in ${file}.`
        : `No TensorFlow.js models found in ${file} (it does not import @tensorflow/tfjs).`,
    );
  } else {
    for (const model of result.models) blocks.push(formatModelTable(model));
  }
  if (result.diagnostics.length > 0) {
    blocks.push(
      [...result.diagnostics]
        .sort(byPosition)
        .map((d) => formatDiagnostic(file, d))
        .join('\n'),
    );
  }
  return blocks.join('\n\n') + '\n';
}

export function hasErrorDiagnostics(result: AnalysisResult): boolean {
  return result.diagnostics.some((d) => d.severity === 'error');
}

// ---- JSON projection ---------------------------------------------------------------------

export interface JsonLayer {
  name: string;
  type: string;
  line: number;
  outputShape: OutputShape | null;
  params: number | null;
  trainableParams: number | null;
  /** Multiply-accumulates per sample (torchinfo's Mult-Adds convention). */
  macs: number | null;
  /** Float32 output elements × 4 per sample. */
  outputBytes: number | null;
}

export interface JsonModel {
  name: string;
  line: number;
  kind: 'sequential' | 'functional';
  layers: JsonLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  totalMacs: number | null;
  paramBytes: number | null;
  /** Why layers may be missing from `layers` (code the analysis could not decide on); null when complete. */
  incomplete: string | null;
}

export interface JsonDiagnostic {
  line: number;
  column: number;
  severity: Severity;
  message: string;
}

export interface JsonSummary {
  file: string;
  models: JsonModel[];
  diagnostics: JsonDiagnostic[];
}

function copyShape(shape: OutputShape | null): OutputShape | null {
  if (shape == null) return null;
  if (isShapeList(shape)) return shape.map((s) => [...s]);
  return [...(shape as Shape)];
}

/**
 * The stable public JSON shape: exactly these keys, in this order; internal fields dropped.
 * Unknown values are `null` (never omitted).
 */
export function toJsonSummary(result: AnalysisResult): JsonSummary {
  return {
    file: result.file,
    models: result.models.map((m) => ({
      name: m.name,
      line: m.line,
      kind: m.kind,
      layers: m.layers.map((l) => ({
        name: l.name,
        type: l.type,
        line: l.line,
        outputShape: copyShape(l.outputShape),
        params: l.params ?? null,
        trainableParams: l.trainableParams ?? null,
        macs: l.macs ?? null,
        outputBytes: l.outputBytes ?? null,
      })),
      totalParams: m.totalParams ?? null,
      trainableParams: m.trainableParams ?? null,
      nonTrainableParams: m.nonTrainableParams ?? null,
      totalMacs: m.totalMacs ?? null,
      paramBytes: m.paramBytes ?? null,
      incomplete: m.incomplete ?? null,
    })),
    diagnostics: result.diagnostics.map((d) => ({
      line: d.line,
      column: d.column,
      severity: d.severity,
      message: d.message,
    })),
  };
}

function isInline(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object' || isInline(v));
}

/** Like `JSON.stringify(value, null, 2)`, but arrays of scalars (shapes) stay on one line. */
function prettyJson(value: unknown, indent = ''): string {
  if (isInline(value)) {
    return `[${(value as unknown[]).map((v) => prettyJson(v)).join(', ')}]`;
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `toJsonSummary` pretty-printed (2 spaces, shapes on one line), with a trailing newline. */
export function formatJson(result: AnalysisResult): string {
  return prettyJson(toJsonSummary(result)) + '\n';
}

/** Several files' summaries as one JSON list. */
export function formatJsonList(results: readonly AnalysisResult[]): string {
  return prettyJson(results.map(toJsonSummary)) + '\n';
}
