/**
 * What the editor shows for an AnalysisResult, as plain data: CodeLens descriptors and hover
 * markdown. No `vscode` import, so unit tests and the benchmark can use it directly.
 * Lines and columns are 1-based, like the analysis core's.
 */
import { describeAssumption, formatCount, formatShape } from '../shared/format';
import { modelErrors } from './training/modelErrors';
import { isEmptySequential } from '../analysis/results';
import type { AnalysisResult, LayerResult, ModelResult, Shape } from '../analysis/types';

export const TRAIN_COMMAND_ID = 'modelLens.trainModel';
export const SHOW_SUMMARY_COMMAND_ID = 'modelLens.showSummary';
/** Layer lens click: `[uri, layerName, line]`; focuses the layer in the model's training panel. */
export const FOCUS_LAYER_COMMAND_ID = 'modelLens.focusLayer';
/** `[uri, function]`: shows the builder for its next call in the project's other files. */
export const NEXT_CALL_SITE_COMMAND_ID = 'modelLens.nextCallSite';
/** `[uri, keys]`: asks a value for one of the parameters `keys` (`FUNCTION.PARAM`), or changes/removes one stated. */
export const SET_ASSUMPTION_COMMAND_ID = 'modelLens.setAssumption';
/** `[uri, modelName, line]`: opens the model's graph beside the editor. */
export const SHOW_GRAPH_COMMAND_ID = 'modelLens.showModelGraph';

/** Layer types that are whole models used as a layer: they get the nested model's own lens. */
export const NESTED_MODEL_TYPES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);

export interface LensCommand {
  id: string;
  args: unknown[];
}

export interface LensDescriptor {
  /** 1-based line the lens sits above. */
  line: number;
  /** 1-based column of the thing the lens describes. */
  column: number;
  title: string;
  /** Absent for an informational lens (nothing happens on click). */
  command?: LensCommand;
}

/** Beyond this many distinct layer titles on one line the lens says "… +N more". */
const MAX_LAYERS_PER_LENS = 6;
/** A hover lists at most this many layers. */
const MAX_LAYERS_PER_HOVER = 8;
/** Lens titles must stay one short line: long unknown-reasons are cut. */
const MAX_REASON_LENGTH = 100;

export function paramsText(n: number | null | undefined): string {
  return `${formatCount(n)} ${n === 1 ? 'param' : 'params'}`;
}

function shortReason(reason: string | undefined): string {
  const firstLine = (reason ?? '').split('\n')[0]?.trim() ?? '';
  return firstLine.length > MAX_REASON_LENGTH ? firstLine.slice(0, MAX_REASON_LENGTH - 1) + '…' : firstLine;
}

export function isNestedModelLayer(layer: LayerResult): boolean {
  return NESTED_MODEL_TYPES.has(layer.type);
}

/** `(None, 26, 26, 32) · 320 params`, or `? · unknown: <reason>` when the shape is unknown. */
export function layerLensTitle(layer: LayerResult): string {
  if (layer.outputShape == null) {
    const reason = shortReason(layer.unknownReason);
    return reason ? `? · unknown: ${reason}` : '? · unknown';
  }
  return `${formatShape(layer.outputShape)} · ${paramsText(layer.params)}`;
}

/** `Sequential · 93,322 params (93,322 trainable)`. */
export function modelLensTitle(model: ModelResult): string {
  const kind = model.kind === 'sequential' ? 'Sequential' : 'Functional';
  const trainable =
    model.totalParams != null && model.trainableParams != null ? ` (${formatCount(model.trainableParams)} trainable)` : '';
  const incomplete = model.incomplete ? ` · incomplete: ${shortReason(model.incomplete)}` : '';
  if (isEmptySequential(model)) return `${kind} · no layers yet (tfjs cannot build an empty model)${assumingText(model)}`;
  return `${kind} · ${paramsText(model.totalParams)}${trainable}${incomplete}${assumingText(model)}`;
}

/** ` · for train.js:6 · assuming h = 9`: what the model's numbers rest on beyond this file. */
function assumingText(model: ModelResult): string {
  const site = model.callSite ? ` · for ${model.callSite.label}` : '';
  const assumed =
    model.assumptions && model.assumptions.length > 0
      ? ` · assuming ${model.assumptions.map((a) => describeAssumption(a.key, a.value)).join(', ')}`
      : '';
  return site + assumed;
}

/** `Set a value for \`h\`…` / `Set values for h, w…`: the lens that states a parameter. */
export function setValueTitle(keys: readonly string[]): string {
  const names = keys.map((k) => k.slice(k.lastIndexOf('.') + 1));
  return names.length === 1 ? `Set a value for ${names[0]}…` : `Set values for ${names.join(', ')}…`;
}

/** Layers of all models, each layer once (a shared layer appears in several models). */
function uniqueLayers(result: AnalysisResult): LayerResult[] {
  const seen = new Set<string>();
  const out: LayerResult[] = [];
  for (const model of result.models) {
    for (const layer of model.layers) {
      const key = `${layer.name}@${layer.line}:${layer.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(layer);
    }
  }
  return out;
}

/**
 * Titles of the layers created on one line, joined with ` | `. A line run several times (a loop,
 * a helper called from several models) repeats identical titles: those are shown once as
 * `title ×N`. At most MAX_LAYERS_PER_LENS distinct titles, then `… +N more`.
 */
function joinLayerTitles(layers: readonly LayerResult[]): string {
  const counts = new Map<string, number>();
  for (const layer of layers) {
    const title = layerLensTitle(layer);
    counts.set(title, (counts.get(title) ?? 0) + 1);
  }
  const titles = [...counts].map(([title, n]) => (n > 1 ? `${title} ×${n}` : title));
  const shown = titles.slice(0, MAX_LAYERS_PER_LENS);
  if (titles.length > shown.length) shown.push(`… +${titles.length - shown.length} more`);
  return shown.join(' | ');
}

export interface LensOptions {
  /**
   * Layer lenses run `modelLens.focusLayer` with `[uri, layerName, line]` (the first layer on
   * the line), which focuses the layer in an open training panel. Off: informational lenses.
   */
  focusLayers?: boolean;
}

/**
 * The CodeLenses of one file: per model an info lens and a `▶ Train` lens (command
 * `modelLens.trainModel` with `[uri, modelName, line]`), and per source line that creates
 * layers one lens whose title joins those layers' titles (see joinLayerTitles). Sorted by line.
 */
export function computeLenses(result: AnalysisResult, uri: string, options: LensOptions = {}): LensDescriptor[] {
  const lenses: LensDescriptor[] = [];
  for (const model of result.models) {
    lenses.push({ line: model.line, column: model.column, title: modelLensTitle(model) });
    // A model with an error on its lines cannot train: the lens says where (clicking explains and reveals it).
    const firstError = modelErrors(model, result.models, result.diagnostics)[0];
    lenses.push({
      line: model.line,
      column: model.column,
      title: firstError ? `▶ Train (fix line ${firstError.line} first)` : '▶ Train',
      command: { id: TRAIN_COMMAND_ID, args: [uri, model.name, model.line] },
    });
    lenses.push({
      line: model.line,
      column: model.column,
      title: '⎇ Graph',
      command: { id: SHOW_GRAPH_COMMAND_ID, args: [uri, model.name, model.line] },
    });
    if (model.callSite && model.callSite.count > 1) {
      const { index, count } = model.callSite;
      lenses.push({
        line: model.line,
        column: model.column,
        title: `Show for another call (${index + 1} of ${count})`,
        command: { id: NEXT_CALL_SITE_COMMAND_ID, args: [uri, model.callSite.function] },
      });
    }
    if (model.openParameters && model.openParameters.length > 0) {
      lenses.push({
        line: model.line,
        column: model.column,
        title: setValueTitle(model.openParameters),
        command: { id: SET_ASSUMPTION_COMMAND_ID, args: [uri, model.openParameters] },
      });
    }
    if (model.assumptions && model.assumptions.length > 0) {
      lenses.push({
        line: model.line,
        column: model.column,
        title: 'Change assumed values…',
        command: { id: SET_ASSUMPTION_COMMAND_ID, args: [uri, model.assumptions.map((a) => a.key)] },
      });
    }
  }
  const byLine = new Map<number, LayerResult[]>();
  for (const layer of uniqueLayers(result)) {
    if (isNestedModelLayer(layer)) continue;
    const group = byLine.get(layer.line);
    if (group) group.push(layer);
    else byLine.set(layer.line, [layer]);
  }
  for (const [line, layers] of byLine) {
    const column = Math.min(...layers.map((l) => l.column));
    const lens: LensDescriptor = { line, column, title: joinLayerTitles(layers) };
    if (options.focusLayers) lens.command = { id: FOCUS_LAYER_COMMAND_ID, args: [uri, layers[0]?.name, line] };
    lenses.push(lens);
  }
  // Stable: on one line, model lenses (pushed first) stay before the layer lens.
  return lenses.sort((a, b) => a.line - b.line);
}

// ---- hovers ------------------------------------------------------------------------------

/** Escapes markdown metacharacters that could break the hover; `_` is left alone (names). */
function md(text: string): string {
  return text.replace(/[\\`*[\]<>]/g, '\\$&');
}

function shapesText(shapes: Shape[] | null): string {
  if (shapes == null) return '?';
  return shapes.length === 1 ? formatShape(shapes[0]) : formatShape(shapes);
}

/** `84.5 KiB`: a size per sample. */
export function bytesText(bytes: number | null): string {
  if (bytes === null) return '?';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function splitText(trainable: number, nonTrainable: number): string {
  return `Trainable: ${formatCount(trainable)} · Non-trainable: ${formatCount(nonTrainable)}`;
}

/**
 * Markdown for one layer: `**conv2d_1** (Conv2D)`, `(None, 28, 28, 1) → (None, 26, 26, 32)`,
 * `3×3×1×32 + 32 = 320`, and the trainable split when some weights are non-trainable.
 */
export function layerHoverMarkdown(layer: LayerResult): string {
  const parts = [`**${md(layer.name)}** (${md(layer.type)})`];
  parts.push(`\`${formatShape(layer.inputShape)} → ${formatShape(layer.outputShape)}\``);
  if (layer.outputShape == null) {
    const reason = (layer.unknownReason ?? '').trim();
    parts.push(reason ? `Output shape unknown: ${md(reason)}` : 'Output shape unknown.');
  }
  if (layer.params == null) {
    parts.push(layer.paramsUnknownReason ? `Parameters unknown: ${md(layer.paramsUnknownReason)}` : 'Parameters: unknown');
  } else if (layer.formula) {
    parts.push(`Parameters: \`${layer.formula} = ${formatCount(layer.params)}\``);
  } else {
    parts.push(`Parameters: ${formatCount(layer.params)}`);
  }
  if (layer.params != null && layer.trainableParams != null) {
    const nonTrainable = layer.params - layer.trainableParams;
    if (nonTrainable > 0) parts.push(splitText(layer.trainableParams, nonTrainable));
  }
  if (layer.macs !== undefined || layer.outputBytes !== undefined) {
    parts.push(`Cost per sample: ${formatCount(layer.macs ?? null)} mult-adds · output ${bytesText(layer.outputBytes ?? null)}`);
  }
  return parts.join('\n\n');
}

/** Markdown for a model: kind, total params, inputs → outputs, trainable split. */
export function modelHoverMarkdown(model: ModelResult): string {
  const kind = model.kind === 'sequential' ? 'Sequential' : 'Functional';
  const layerCount = `${model.layers.length} ${model.layers.length === 1 ? 'layer' : 'layers'}`;
  const parts = [`**${md(model.name)}** (${kind}) · ${paramsText(model.totalParams)} · ${layerCount}`];
  parts.push(`\`${shapesText(model.inputShapes)} → ${shapesText(model.outputShapes)}\``);
  if (model.trainableParams != null && model.nonTrainableParams != null) {
    parts.push(splitText(model.trainableParams, model.nonTrainableParams));
  }
  if (model.incomplete)
    parts.push(`Incomplete: ${md(model.incomplete)}; the layers shown are those known, and the totals are unknown.`);
  if (model.totalMacs !== undefined)
    parts.push(`Cost per sample: ${formatCount(model.totalMacs)} mult-adds · parameters ${bytesText(model.paramBytes ?? null)}`);
  if (model.assumptions && model.assumptions.length > 0) {
    parts.push(
      `Assuming ${model.assumptions.map((a) => `\`${md(describeAssumption(a.key, a.value))}\``).join(', ')} (values you stated in \`modelLens.assumptions\`).`,
    );
  }
  if (model.openParameters && model.openParameters.length > 0) {
    const args = encodeURIComponent(JSON.stringify([null, model.openParameters]));
    parts.push(
      `Unknown without a value for ${model.openParameters.map((k) => `\`${md(k)}\``).join(', ')}: [${md(setValueTitle(model.openParameters))}](command:${SET_ASSUMPTION_COMMAND_ID}?${args})`,
    );
  }
  return parts.join('\n\n');
}

/**
 * Hover markdown for a 1-based line: the models declared there and the layers created or
 * applied there (a nested model used as a layer only where it is used), separated by rules.
 * `null` when nothing is on that line.
 */
export function hoverMarkdownAt(result: AnalysisResult, line: number): string | null {
  const parts: string[] = [];
  for (const model of result.models) {
    if (model.line === line) parts.push(modelHoverMarkdown(model));
  }
  const layers = uniqueLayers(result).filter(
    (layer) => (layer.line === line && !isNestedModelLayer(layer)) || layer.useLine === line,
  );
  for (const layer of layers.slice(0, MAX_LAYERS_PER_HOVER)) parts.push(layerHoverMarkdown(layer));
  if (layers.length > MAX_LAYERS_PER_HOVER) {
    parts.push(`… and ${layers.length - MAX_LAYERS_PER_HOVER} more layers on this line`);
  }
  return parts.length > 0 ? parts.join('\n\n---\n\n') : null;
}
