/**
 * Which tensors flow into each layer of a model: the edges of the model's dataflow graph
 * (the Model Graph view draws them). A Sequential is a chain; a functional model's edges are
 * the inbound tensors of the nodes reachable from its outputs, as tfjs's Container walks them.
 */
import type { LayerInput, LayerOutputRef, LayerResult, Shape } from '../types';
import type { BlockFrame, GraphLayer, GraphNode, SymTensor } from './layerGraph';
import type { ModelBuilder } from './modelBuilder';

export interface ModelEdges {
  /** Per layer of `model.layers`, the tensors it takes (in the order it takes them). */
  inputs: LayerInput[][];
  /** The model's outputs: which layer's which output each is. */
  outputs: LayerOutputRef[];
}

function firstShape(shape: GraphLayer['inputShape']): Shape | null {
  if (shape === null) return null;
  return Array.isArray(shape[0]) ? (shape[0] as Shape) : (shape as Shape);
}

function sequentialEdges(model: ModelBuilder): ModelEdges {
  const inputs = model.layers.map((layer, i): LayerInput[] => {
    const shape = firstShape(layer.inputShape);
    const edge: LayerInput = { from: i - 1, output: 0, shape };
    if (shape === null) edge.reason = layer.unknownReason ?? 'its input shape is unknown';
    return [edge];
  });
  const outputs = model.layers.length > 0 ? [{ layer: model.layers.length - 1, output: 0 }] : [];
  return { inputs, outputs };
}

function functionalEdges(model: ModelBuilder): ModelEdges {
  const index = new Map<GraphLayer, number>(model.layers.map((layer, i) => [layer, i]));
  const inputs: LayerInput[][] = model.layers.map(() => []);
  const seen = new Set<GraphNode>();
  const stack: GraphNode[] = model.outputs.map((t) => t.node);
  const visited: GraphNode[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    visited.push(node);
    for (const t of node.inputs) stack.push(t.node);
  }
  // Nodes by id: the order they were created in, so a shared layer's inputs read in call order.
  visited.sort((a, b) => a.id - b.id);
  for (const node of visited) {
    const target = index.get(node.layer);
    if (target === undefined) continue;
    for (const t of node.inputs) inputs[target]!.push(edgeFrom(t, index));
  }
  const outputs = model.outputs.flatMap((t): LayerOutputRef[] => {
    const layer = index.get(t.node.layer);
    return layer === undefined ? [] : [{ layer, output: t.index }];
  });
  return { inputs, outputs };
}

function edgeFrom(t: SymTensor, index: Map<GraphLayer, number>): LayerInput {
  const edge: LayerInput = { from: index.get(t.node.layer) ?? -1, output: t.index, shape: t.shape };
  if (t.shape === null) edge.reason = t.unknownReason?.replace(/^broken:/, '') ?? 'not known statically';
  return edge;
}

/**
 * Per layer, the block it belongs to: the first call or loop iteration below those all the
 * model's layers share (the builder's own), when it made two layers or more of the model.
 */
export function modelBlocks(model: ModelBuilder): (LayerResult['block'] | undefined)[] {
  const stacks = model.layers.map((l) => l.blocks);
  const known = stacks.filter((s): s is readonly BlockFrame[] => s !== undefined);
  let prefix = 0;
  while (known.length > 0 && known.every((s) => s.length > prefix && s[prefix]!.id === known[0]![prefix]!.id)) prefix++;
  const frames = stacks.map((s) => s?.[prefix]);
  const sizes = new Map<number, number>();
  for (const f of frames) if (f) sizes.set(f.id, (sizes.get(f.id) ?? 0) + 1);
  return frames.map((f) => {
    if (!f || (sizes.get(f.id) ?? 0) < 2) return undefined;
    const where = f.file !== undefined ? ` in ${f.file.replace(/^.*[\\/]/, '')}` : '';
    const label =
      f.fn === 'for' || f.fn === 'while' ? `${f.fn} loop, line ${f.line}${where}` : `${f.fn}(), line ${f.line}${where}`;
    return { id: f.id, label, line: f.line };
  });
}

export function modelEdges(model: ModelBuilder): ModelEdges {
  return model.kind === 'sequential' ? sequentialEdges(model) : functionalEdges(model);
}
