/**
 * An analysed model as the Model Graph draws it: one node per layer, the graph's inputs and
 * outputs, an edge per tensor labelled with its shape, models used as layers (an `encoder`
 * inside an `autoencoder`) as groups holding their own layers, and each layer's shape error.
 * Pure (no `vscode`): unit tests and the bench call it directly.
 */
import { formatCount, formatShape } from '../../shared/format';
import type { GraphEdge, GraphNode, ModelGraph } from '../../shared/graphMessages';
import type { Diagnostic, LayerResult, ModelResult } from '../../analysis/types';
import { isNestedModelLayer } from '../lensModel';

/** Nested models are expanded up to this depth (a model inside a model inside a model). */
const MAX_NESTING = 4;

interface Builder {
  nodes: GraphNode[];
  edges: GraphEdge[];
  errors: Map<number, string>;
  models: readonly ModelResult[];
}

/** The file's model a nested-model layer stands for (made on the same line and column). */
function nestedModel(layer: LayerResult, models: readonly ModelResult[]): ModelResult | undefined {
  if (!isNestedModelLayer(layer)) return undefined;
  return models.find((m) => m.line === layer.line && m.column === layer.column);
}

function layerNode(layer: LayerResult, id: string, b: Builder, parent: string | undefined): GraphNode {
  const node: GraphNode = {
    id,
    kind: layer.type === 'InputLayer' ? 'input' : 'layer',
    name: layer.name,
    type: layer.type,
    params: layer.params,
    macs: layer.macs ?? null,
    outputShape: formatShape(layer.outputShape),
    line: layer.line,
    column: layer.column,
    useLine: layer.useLine,
  };
  const error = layer.outputShape === null ? (b.errors.get(layer.line) ?? b.errors.get(layer.useLine)) : undefined;
  if (error !== undefined) node.error = error;
  if (layer.outputShape === null && layer.unknownReason) node.unknown = layer.unknownReason;
  if (layer.formula) node.formula = layer.formula;
  if (parent !== undefined) node.parent = parent;
  return node;
}

/**
 * Adds a model's layers under `prefix` and returns, per layer index, the node id its output
 * leaves from (a nested group's own id), and the ids of the nodes that take the model's input.
 */
function addModel(
  model: ModelResult,
  prefix: string,
  parent: string | undefined,
  depth: number,
  b: Builder,
): { ids: string[]; entry: string[] } {
  const ids = model.layers.map((layer) => `${prefix}${layer.name}`);
  const entry: string[] = [];
  const blocks = blockNodes(model, prefix, parent);
  model.layers.forEach((layer, i) => {
    const id = ids[i]!;
    const inner = depth < MAX_NESTING ? nestedModel(layer, b.models) : undefined;
    const block = layer.block ? blocks.get(layer.block.id) : undefined;
    if (block && !b.nodes.includes(block)) b.nodes.push(block);
    const node = layerNode(layer, id, b, block?.id ?? parent);
    if (inner !== undefined && inner !== model) {
      node.kind = 'model';
      b.nodes.push(node);
      addModel(inner, `${id}/`, id, depth + 1, b);
    } else {
      b.nodes.push(node);
    }
    (layer.inputs ?? []).forEach((input, k) => {
      if (input.from < 0) {
        entry.push(id);
        return;
      }
      const source = ids[input.from];
      if (source === undefined) return;
      const edge: GraphEdge = { id: `${source}->${id}#${k}`, source, target: id, label: formatShape(input.shape) };
      if (input.shape === null && input.reason) edge.reason = input.reason;
      b.edges.push(edge);
    });
  });
  return { ids, entry };
}

/** Sum of the layers' counts; null when one is unknown. */
function sum(values: (number | null | undefined)[]): number | null {
  let total = 0;
  for (const v of values) {
    if (v == null) return null;
    total += v;
  }
  return total;
}

/** A group node per repeated block of the model (a helper call, a loop iteration making several layers). */
function blockNodes(model: ModelResult, prefix: string, parent: string | undefined): Map<number, GraphNode> {
  const members = new Map<number, LayerResult[]>();
  for (const layer of model.layers) if (layer.block) members.set(layer.block.id, [...(members.get(layer.block.id) ?? []), layer]);
  const nodes = new Map<number, GraphNode>();
  for (const [id, layers] of members) {
    const block = layers[0]!.block!;
    const comma = block.label.indexOf(', ');
    const node: GraphNode = {
      id: `${prefix}(block ${id})`,
      kind: 'block',
      name: comma > 0 ? block.label.slice(0, comma) : block.label,
      type: comma > 0 ? block.label.slice(comma + 2) : 'block',
      params: sum(layers.map((l) => l.params)),
      macs: sum(layers.map((l) => l.macs)),
      outputShape: formatShape(layers[layers.length - 1]!.outputShape),
      line: block.line,
      column: 1,
      useLine: block.line,
    };
    if (parent !== undefined) node.parent = parent;
    nodes.set(id, node);
  }
  return nodes;
}

function summaryOf(model: ModelResult): string {
  const kind = model.kind === 'sequential' ? 'Sequential' : 'Functional';
  const layers = `${model.layers.length} ${model.layers.length === 1 ? 'layer' : 'layers'}`;
  const macs = model.totalMacs != null ? ` · ${formatCount(model.totalMacs)} mult-adds` : '';
  return `${kind} · ${layers} · ${formatCount(model.totalParams)} params${macs}`;
}

/** The graph of `model`; `models` are the file's other models (for models used as layers). */
export function buildModelGraph(
  model: ModelResult,
  models: readonly ModelResult[],
  diagnostics: readonly Diagnostic[],
  file: string,
): ModelGraph {
  const errors = new Map<number, string>();
  for (const d of diagnostics) if (d.severity === 'error' && !errors.has(d.line)) errors.set(d.line, d.message);
  const b: Builder = { nodes: [], edges: [], errors, models };
  const { ids, entry } = addModel(model, '', undefined, 0, b);
  if (model.kind === 'sequential') {
    // A Sequential's input is implicit in tfjs (no InputLayer in `model.layers`): drawn as its own node.
    const shape = model.inputShapes?.[0] ?? model.layers[0]?.inputShape ?? null;
    b.nodes.unshift({
      id: '(input)',
      kind: 'input',
      name: 'input',
      type: 'Input',
      params: null,
      macs: null,
      outputShape: formatShape(shape),
      line: model.line,
      column: model.column,
      useLine: model.line,
    });
    entry.forEach((target, k) => {
      const first = model.layers[0]?.inputs?.[0];
      const edge: GraphEdge = { id: `(input)->${target}#${k}`, source: '(input)', target, label: formatShape(first?.shape) };
      if (first?.shape == null && first?.reason) edge.reason = first.reason;
      b.edges.push(edge);
    });
  }
  (model.outputs ?? []).forEach((out, k) => {
    const source = ids[out.layer];
    const layer = model.layers[out.layer];
    if (source === undefined || layer === undefined) return;
    const id = `(output ${k + 1})`;
    const shape = Array.isArray(layer.outputShape?.[0])
      ? (layer.outputShape as (number | null)[][])[out.output]
      : layer.outputShape;
    b.nodes.push({
      id,
      kind: 'output',
      name: model.outputs!.length > 1 ? `output ${k + 1}` : 'output',
      type: 'Output',
      params: null,
      macs: null,
      outputShape: formatShape(shape),
      line: layer.line,
      column: layer.column,
      useLine: layer.useLine,
    });
    b.edges.push({ id: `${source}->${id}`, source, target: id, label: formatShape(shape) });
  });
  const notes: string[] = [];
  if (model.incomplete) notes.push(model.incomplete);
  if (model.trainableUnknown) notes.push(model.trainableUnknown);
  const totals = {
    params: model.totalParams,
    trainable: model.trainableParams,
    nonTrainable: model.nonTrainableParams,
    macs: model.totalMacs ?? null,
  };
  return { title: model.name, file, line: model.line, summary: summaryOf(model), nodes: b.nodes, edges: b.edges, totals, notes };
}
