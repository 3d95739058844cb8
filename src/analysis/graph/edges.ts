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

/** Every node reachable from the model's outputs (the walk made when it was built, if its outputs are still those). */
function reachableNodes(model: ModelBuilder): GraphNode[] {
  if (model.reached !== null && model.reached.outputs === model.outputs) return model.reached.nodes.slice();
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
  return visited;
}

function functionalEdges(model: ModelBuilder): ModelEdges {
  const layers = model.layers;
  const index = new Map<GraphLayer, number>();
  const inputs: LayerInput[][] = [];
  for (let i = 0; i < layers.length; i++) {
    index.set(layers[i]!, i);
    inputs.push([]);
  }
  const visited = reachableNodes(model);
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

/** The innermost frame both chains run inside (null: none, the top level). */
function commonFrame(a: BlockFrame | null, b: BlockFrame | null): BlockFrame | null {
  while (a !== null && b !== null && a !== b) {
    if (a.depth >= b.depth) a = a.parent;
    else b = b.parent;
  }
  return a === b ? a : null;
}

/** The frame of `chain` at `depth` (1 for the outermost), if the chain is that deep. */
function frameAt(chain: BlockFrame | null | undefined, depth: number): BlockFrame | undefined {
  if (chain === null || chain === undefined || chain.depth < depth) return undefined;
  let f: BlockFrame = chain;
  while (f.depth > depth) f = f.parent!;
  return f;
}

/**
 * Per layer, the block it belongs to: the first call or loop iteration below those all the
 * model's layers share (the builder's own), when it made two layers or more of the model.
 */
export function modelBlocks(model: ModelBuilder): (LayerResult['block'] | undefined)[] {
  const layers = model.layers;
  // The frames every recorded layer shares (undefined: no layer's frames are recorded).
  let shared: BlockFrame | null | undefined;
  for (const l of layers) {
    if (l.blocks === undefined) continue;
    shared = shared === undefined ? l.blocks : commonFrame(shared, l.blocks);
  }
  const below = (shared?.depth ?? 0) + 1;
  const frames = layers.map((l) => frameAt(l.blocks, below));
  const sizes = new Map<BlockFrame, number>();
  for (const f of frames) if (f) sizes.set(f, (sizes.get(f) ?? 0) + 1);
  const labels = new Map<BlockFrame, string>();
  return frames.map((f) => {
    if (!f || sizes.get(f)! < 2) return undefined;
    let label = labels.get(f);
    if (label === undefined) {
      const where = f.file !== undefined ? ` in ${f.file.replace(/^.*[\\/]/, '')}` : '';
      label = f.fn === 'for' || f.fn === 'while' ? `${f.fn} loop, line ${f.line}${where}` : `${f.fn}(), line ${f.line}${where}`;
      labels.set(f, label);
    }
    return { id: f.id, label, line: f.line };
  });
}

export function modelEdges(model: ModelBuilder): ModelEdges {
  return model.kind === 'sequential' ? sequentialEdges(model) : functionalEdges(model);
}
