/**
 * The Model Graph view's data and its protocol with the extension host. Pure types and tiny
 * guards: the host (src/host/graph/) builds a ModelGraph from the analysis, the webview
 * (webview/graph/) lays it out and draws it.
 */

/** `model`: a model used as a layer; `block`: the layers one helper call or loop iteration made. Both hold others. */
export type GraphNodeKind = 'input' | 'output' | 'layer' | 'model' | 'block';

export interface GraphNode {
  /** Stable across edits while the layer keeps its name: positions are kept by id. */
  id: string;
  kind: GraphNodeKind;
  name: string;
  /** tfjs class name (`Conv2D`), `Input` / `Output` for the graph's ends. */
  type: string;
  params: number | null;
  /** Multiply-accumulates per sample (torchinfo's Mult-Adds), null when not known. */
  macs: number | null;
  /** The layer's output as Keras prints it, `?` when unknown. */
  outputShape: string;
  /** Where the layer is made and where it is added or applied (1-based). */
  line: number;
  column: number;
  useLine: number;
  /** The shape error on this layer's line, when there is one. */
  error?: string;
  /** Why the output shape is unknown, when it is. */
  unknown?: string;
  /** Parameter formula (`3×3×1×32 + 32`), when there is one. */
  formula?: string;
  /** The `model` or `block` node this node is drawn inside. */
  parent?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The tensor's shape as Keras prints it, `?` when unknown. */
  label: string;
  /** Why the shape is unknown, when it is. */
  reason?: string;
}

export interface ModelGraph {
  /** The model's name (its variable or builder function). */
  title: string;
  /** Workspace-relative file name, for the header and exported file names. */
  file: string;
  line: number;
  /** One line: kind, layer count, totals. */
  summary: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The model's totals (null where unknown), for the summary table. */
  totals: { params: number | null; trainable: number | null; nonTrainable: number | null; macs: number | null };
  /** What the graph may not show (layers added by code the analysis could not decide on). */
  notes: string[];
}

/** Another model of the same file, to switch to. */
export interface GraphModelChoice {
  title: string;
  line: number;
}

export type HostToGraph =
  | { type: 'graph'; graph: ModelGraph; models: GraphModelChoice[] }
  | {
      type: 'empty';
      message: string;
      /** Offer to open the file as text (a saved model that cannot be read). */ openAsText?: boolean;
    }
  | { type: 'cursor'; line: number };

export type GraphToHost =
  | { type: 'ready' }
  | { type: 'reveal'; line: number; column: number }
  | { type: 'selectModel'; line: number }
  | { type: 'export'; format: 'svg' | 'png'; fileName: string; data: string }
  | { type: 'error'; message: string }
  | { type: 'openAsText' };

export function isGraphToHost(m: unknown): m is GraphToHost {
  if (typeof m !== 'object' || m === null) return false;
  const type = (m as { type?: unknown }).type;
  return (
    type === 'ready' ||
    type === 'reveal' ||
    type === 'selectModel' ||
    type === 'export' ||
    type === 'error' ||
    type === 'openAsText'
  );
}

export function isHostToGraph(m: unknown): m is HostToGraph {
  if (typeof m !== 'object' || m === null) return false;
  const type = (m as { type?: unknown }).type;
  return type === 'graph' || type === 'empty' || type === 'cursor';
}
