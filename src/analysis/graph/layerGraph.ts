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
  /** The module the call or loop is in, when not the analysed file. */
  readonly file?: string;
  /** The call or iteration this one runs inside; null for an outermost one. */
  readonly parent: BlockFrame | null;
  /** How many frames are open with this one, itself included (1 for an outermost one). */
  readonly depth: number;
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
  /**
   * The innermost call or loop iteration running when the layer was made (its `parent`s are the
   * ones around it); null when made at the top level, undefined when not recorded.
   */
  blocks?: BlockFrame | null;
  /**
   * Made by an imported module's code: the analysed file's innermost call into that code
   * running then (`encoderBlock(x, 64)`), where the layer is shown when the file does not use it itself.
   */
  rootCallSpot?: SourceSpot;
}

export class LayerInstance implements GraphLayer, LayerRef {
  readonly kind = 'layerRef' as const;
  readonly id = newId();
  readonly className: string;
  inboundNodes: GraphNode[] = [];
  useSpot: SourceSpot | null = null;
  rootCallSpot?: SourceSpot;
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
  blocks?: BlockFrame | null;
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
 * within a depth by first visit. Every node reached is pushed onto `reached`.
 */
export function orderFunctionalLayers(outputs: readonly SymTensor[], reached: GraphNode[] = []): GraphLayer[] {
  const layerIndices = new Map<GraphLayer, number>();
  const finished = new Set<GraphNode>();
  // Nodes entered and not yet finished: empty again after each output's walk.
  const inProgress = new Set<GraphNode>();
  const inDecreasingDepth = reached;
  // Iterative post-order DFS (2,000-layer files must not overflow the stack): a node and its next input.
  const stackNodes: GraphNode[] = [];
  const stackNext: number[] = [];
  const enter = (node: GraphNode): void => {
    if (finished.has(node) || inProgress.has(node)) return;
    if (!layerIndices.has(node.layer)) layerIndices.set(node.layer, layerIndices.size);
    inProgress.add(node);
    stackNodes.push(node);
    stackNext.push(0);
  };
  for (const out of outputs) {
    enter(out.node);
    while (stackNodes.length > 0) {
      const top = stackNodes.length - 1;
      const node = stackNodes[top]!;
      const next = stackNext[top]!;
      if (next < node.inputs.length) {
        stackNext[top] = next + 1;
        enter(node.inputs[next]!.node);
      } else {
        stackNodes.pop();
        stackNext.pop();
        inProgress.delete(node);
        finished.add(node);
        inDecreasingDepth.push(node);
      }
    }
  }

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
    return d !== 0 ? d : layerIndices.get(a)! - layerIndices.get(b)!;
  });
  return layers;
}

/** A layer the analysis cannot model (a custom layer class, an unsupported factory). */
export class UnknownLayer implements GraphLayer {
  readonly id = newId();
  blocks?: BlockFrame | null;
  inboundNodes: GraphNode[] = [];
  useSpot: SourceSpot | null = null;
  rootCallSpot?: SourceSpot;
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
