/**
 * The symbolic layer graph: layer instances, the nodes created when they are applied, and the
 * tensors flowing between them. Mirrors tfjs-layers' `Layer` / `Node` / `SymbolicTensor`
 * bookkeeping closely enough to reproduce `model.layers` order and parameter counts, but holds
 * only shapes: no weights are ever allocated.
 */
import type { LayerConfig, LayerRef, LayerSpec } from '../layers/layerSpec';
import type { OutputShape, Shape } from '../types';
import type { SourceSpot } from '../diagnostics';

/**
 * A call of one of the user's functions, or one iteration of a loop, that was running when a
 * layer was made: the Model Graph groups the layers one call or iteration makes (a helper
 * called for each block, a loop body) and folds them.
 */
export interface BlockFrame {
  /** Unique per call or iteration in one analysis. */
  readonly id: number;
  /** The function's name, or `for` / `while` for a loop iteration. */
  readonly fn: string;
  /** Line of the call, or of the loop statement (1-based). */
  readonly line: number;
  /** The iteration (0-based), for a loop. */
  readonly iteration?: number;
  /** The module the call or loop is in, when not the analysed file. */
  readonly file?: string;
}

/** Parameter counts of a built layer; null fields when unknown. */
export interface BuiltParams {
  trainable: number | null;
  nonTrainable: number | null;
  formula: string | null;
}

let nextId = 1;
export function newId(): number {
  return nextId++;
}

/** Something that can be applied to tensors: a plain layer or a whole model. */
export interface GraphLayer {
  readonly id: number;
  readonly className: string;
  name: string;
  readonly spot: SourceSpot;
  inboundNodes: GraphNode[];
  /** Line where the layer was first added/applied. */
  useSpot: SourceSpot | null;
  /** Shapes from the first application. */
  inputShape: OutputShape | null;
  outputShape: OutputShape | null;
  params: BuiltParams | null;
  unknownReason?: string;
  /** tfjs's `layer.trainable` flag. */
  trainable: boolean;
  /** Trainable / non-trainable parameter counts as tfjs's weight getters would give now. */
  counts(): { trainable: number; nonTrainable: number } | null;
  /** The calls and loop iterations running when the layer was made, outermost first. */
  blocks?: readonly BlockFrame[];
}

export class LayerInstance implements GraphLayer, LayerRef {
  readonly kind = 'layerRef' as const;
  readonly id = newId();
  readonly className: string;
  inboundNodes: GraphNode[] = [];
  useSpot: SourceSpot | null = null;
  inputShape: OutputShape | null = null;
  outputShape: OutputShape | null = null;
  params: BuiltParams | null = null;
  unknownReason?: string;
  trainable: boolean;
  /** Whether the weights went to the trainable list when built (`trainable: false` option). */
  builtTrainable = true;
  /** Per-weight flags, switched by an enclosing model's `trainable` setter. */
  weightsTrainable = true;
  /** Set when code the analysis could not decide on may change the layer (its `trainable` flag). */
  uncertain?: string;
  /** Multiply-accumulates per sample at the first application (see layers/macs.ts); null when not known. */
  macs: number | null = null;
  blocks?: readonly BlockFrame[];
  constructor(
    readonly spec: LayerSpec,
    readonly config: LayerConfig,
    public name: string,
    readonly spot: SourceSpot,
  ) {
    this.className = spec.className;
    this.trainable = config['trainable'] !== false;
  }

  setTrainable(value: boolean): void {
    this.trainable = value;
    this.weightsTrainable = value;
  }

  counts(): { trainable: number; nonTrainable: number } | null {
    const p = this.params;
    if (p === null || p.trainable === null || p.nonTrainable === null || this.uncertain !== undefined) return null;
    const base = this.builtTrainable ? p.trainable : 0;
    const trainable = this.trainable && this.weightsTrainable ? base : 0;
    return { trainable, nonTrainable: p.trainable + p.nonTrainable - trainable };
  }
}

/** One application of a layer: inbound tensors → outbound tensors. */
export class GraphNode {
  readonly id = newId();
  readonly outputs: SymTensor[] = [];
  constructor(
    readonly layer: GraphLayer,
    readonly inputs: SymTensor[],
  ) {
    layer.inboundNodes.push(this);
  }
}

/** A symbolic tensor. `shape` null means not statically known (see `unknownReason`). */
export class SymTensor {
  constructor(
    readonly shape: Shape | null,
    readonly node: GraphNode,
    readonly index: number,
    readonly unknownReason?: string,
  ) {
    node.outputs.push(this);
  }
}

/**
 * `model.layers` of a functional model, ordered exactly as tfjs's Container does: nodes are
 * visited depth-first from the outputs, layers grouped by depth (deepest first) and ordered
 * within a depth by first visit.
 */
export function orderFunctionalLayers(outputs: readonly SymTensor[]): GraphLayer[] {
  const layerIndices = new Map<number, number>();
  const finished = new Set<GraphNode>();
  const inDecreasingDepth: GraphNode[] = [];
  const visit = (root: SymTensor): void => {
    // Iterative post-order DFS (2,000-layer files must not overflow the stack).
    const stack: { node: GraphNode; next: number }[] = [];
    const inProgress = new Set<GraphNode>();
    const enter = (node: GraphNode): void => {
      if (finished.has(node) || inProgress.has(node)) return;
      if (!layerIndices.has(node.layer.id)) layerIndices.set(node.layer.id, layerIndices.size);
      inProgress.add(node);
      stack.push({ node, next: 0 });
    };
    enter(root.node);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.inputs.length) {
        const input = top.node.inputs[top.next++]!;
        enter(input.node);
      } else {
        stack.pop();
        inProgress.delete(top.node);
        finished.add(top.node);
        inDecreasingDepth.push(top.node);
      }
    }
  };
  for (const out of outputs) visit(out);

  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<GraphLayer, number>();
  for (let i = inDecreasingDepth.length - 1; i >= 0; i--) {
    const node = inDecreasingDepth[i]!;
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const input of node.inputs) {
      const prev = nodeDepth.get(input.node) ?? 0;
      nodeDepth.set(input.node, Math.max(depth + 1, prev));
    }
  }
  const layers = [...layerDepth.keys()];
  layers.sort((a, b) => {
    const d = layerDepth.get(b)! - layerDepth.get(a)!;
    return d !== 0 ? d : layerIndices.get(a.id)! - layerIndices.get(b.id)!;
  });
  return layers;
}

/** A layer the analysis cannot model (a custom layer class, an unsupported factory). */
export class UnknownLayer implements GraphLayer {
  readonly id = newId();
  blocks?: readonly BlockFrame[];
  inboundNodes: GraphNode[] = [];
  useSpot: SourceSpot | null = null;
  inputShape: OutputShape | null = null;
  outputShape: OutputShape | null = null;
  params: BuiltParams | null = null;
  trainable = true;
  constructor(
    readonly className: string,
    public name: string,
    readonly spot: SourceSpot,
    readonly unknownReason: string,
  ) {}
  counts(): null {
    return null;
  }
}
