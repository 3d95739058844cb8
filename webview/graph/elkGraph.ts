/**
 * The part of the Model Graph that is drawn (groups folded or open) as an ELK graph: sizes
 * from the measured labels, groups as compound nodes, every coordinate absolute
 * (`elk.json.*Coords: ROOT`). Also reads ELK's answer back into a flat Layout.
 */
import type { GraphEdge, GraphNode, ModelGraph } from '../../src/shared/graphMessages';

/** The subset of ELK's JSON graph this view writes and reads. */
export interface ElkLabel {
  text: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
}
export interface ElkPoint {
  x: number;
  y: number;
}
export interface ElkEdge {
  id: string;
  sources: string[];
  targets: string[];
  labels?: ElkLabel[];
  sections?: { startPoint: ElkPoint; endPoint: ElkPoint; bendPoints?: ElkPoint[] }[];
}
export interface ElkNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNode[];
  edges?: ElkEdge[];
  layoutOptions?: Record<string, string>;
}

/** Text widths in pixels (the page measures with its own fonts). */
export interface Measure {
  text(s: string, bold?: boolean): number;
  /** Width of one edge label (a monospace shape). */
  label(s: string): number;
}

export const NODE_HEIGHT = 54;
export const GROUP_HEADER = 30;
export const LABEL_HEIGHT = 14;
const NODE_PAD_X = 14;
const MIN_NODE_WIDTH = 110;

/** Above this many drawn nodes the layout trades some polish for speed. */
export const LARGE_GRAPH = 80;
/** Above this many layers in all, groups start folded. */
export const FOLD_GROUPS_ABOVE = 150;

export interface VisibleGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Groups drawn open (their children drawn inside). */
  open: Set<string>;
  /** Nodes (folded groups included) with children, drawn folded. */
  folded: Set<string>;
}

/** The lines a node shows: name, type (or shape for the graph's ends), cost. */
export function nodeLines(node: GraphNode): [string, string, string] {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  if (node.kind === 'input' || node.kind === 'output')
    return [node.name, node.outputShape, node.name === node.kind ? '' : node.kind];
  const params = node.params === null ? '? params' : `${fmt(node.params)} ${node.params === 1 ? 'param' : 'params'}`;
  const cost = node.error ? 'shape error' : node.macs === null ? params : `${params} · ${compact(node.macs)} MACs`;
  return [node.name, node.type, cost];
}

/** `194.7K`, `2.79M`: mult-adds in a node's small print (the tooltip has the exact count). */
export function compact(n: number): string {
  if (n < 1000) return String(n);
  const units = ['K', 'M', 'G', 'T'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${units[i]}`;
}

/** The group's header: name, kind and size. */
export function groupHeader(node: GraphNode): string {
  return groupHeaders(node)[0]!;
}

/** The group's header from longest to shortest, for a box too narrow for the full one. */
export function groupHeaders(node: GraphNode): string[] {
  const params = node.params === null ? '? params' : `${node.params.toLocaleString('en-US')} params`;
  return [`${node.name} · ${node.type} · ${params}`, `${node.name} · ${params}`, node.name];
}

/** Which nodes are drawn: children of a folded group are not; their edges attach to the group. */
export function visibleGraph(graph: ModelGraph, folded: ReadonlySet<string>): VisibleGraph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const hasChildren = new Set(graph.nodes.flatMap((n) => (n.parent !== undefined ? [n.parent] : [])));
  /** The drawn node standing for `id`: itself, or its outermost folded ancestor. */
  const shown = (id: string): string => {
    let result = id;
    for (let n = byId.get(id); n?.parent !== undefined; n = byId.get(n.parent)) if (folded.has(n.parent)) result = n.parent;
    return result;
  };
  const nodes = graph.nodes.filter((n) => shown(n.id) === n.id);
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const e of graph.edges) {
    const source = shown(e.source);
    const target = shown(e.target);
    if (source === target) continue;
    const key = `${source}->${target}:${e.label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(source === e.source && target === e.target ? e : { ...e, id: `${e.id}~`, source, target });
  }
  const open = new Set([...hasChildren].filter((id) => !folded.has(id) && shown(id) === id));
  const foldedShown = new Set([...hasChildren].filter((id) => folded.has(id) && shown(id) === id));
  return { nodes, edges, open, folded: foldedShown };
}

/** Groups that start folded: every group of a large model, none of a small one. */
export function initialFolds(graph: ModelGraph): Set<string> {
  const groups = new Set(graph.nodes.flatMap((n) => (n.parent !== undefined ? [n.parent] : [])));
  return graph.nodes.length > FOLD_GROUPS_ABOVE ? groups : new Set();
}

export function nodeWidth(node: GraphNode, measure: Measure, folded: boolean): number {
  const [name, second, third] = nodeLines(node);
  const toggle = folded ? 16 : 0;
  return Math.ceil(
    Math.max(MIN_NODE_WIDTH, measure.text(name, true) + toggle, measure.text(second), measure.text(third)) + 2 * NODE_PAD_X,
  );
}

function layoutOptions(large: boolean, blocks: boolean): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    'elk.json.edgeCoords': 'ROOT',
    'elk.json.shapeCoords': 'ROOT',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    // Blocks are drawn around their layers: room for their headers between layers.
    'elk.layered.spacing.nodeNodeBetweenLayers': blocks ? '44' : '28',
    'elk.spacing.nodeNode': '24',
    'elk.spacing.edgeLabel': '4',
    // With blocks, an edge's shape label keeps clear of the header of a block below it.
    'elk.layered.spacing.edgeNodeBetweenLayers': blocks ? String(14 + BLOCK_HEADER + BLOCK_PAD) : '14',
    'elk.edgeLabels.placement': 'CENTER',
    'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    ...(large ? { 'elk.layered.thoroughness': '1' } : {}),
  };
}

/** The ELK input for what is drawn. */
/**
 * The ELK input for what is drawn. A model used as a layer, drawn open, is an ELK compound
 * node; an open block (a helper call, a loop pass) is not: its layers are laid out with the
 * rest (compound nodes cost ELK far more) and the block is drawn around them (groupBoxes).
 */
export function toElk(visible: VisibleGraph, measure: Measure): ElkNode {
  const elkNodes = new Map<string, ElkNode>();
  const byId = new Map(visible.nodes.map((n) => [n.id, n]));
  const hasBlocks = visible.nodes.some((n) => n.kind === 'block' && visible.open.has(n.id));
  const root: ElkNode = {
    id: '(root)',
    children: [],
    edges: [],
    layoutOptions: layoutOptions(visible.nodes.length > LARGE_GRAPH, hasBlocks),
  };
  const compound = (node: GraphNode): boolean => visible.open.has(node.id) && node.kind !== 'block';
  for (const node of visible.nodes) {
    if (visible.open.has(node.id) && !compound(node)) continue;
    const elk: ElkNode = compound(node)
      ? {
          id: node.id,
          children: [],
          layoutOptions: {
            'elk.padding': `[top=${GROUP_HEADER + 8},left=12,bottom=12,right=12]`,
            // Wide enough for its header.
            'elk.nodeSize.constraints': 'MINIMUM_SIZE',
            'elk.nodeSize.minimum': `(${Math.ceil(measure.text(groupHeader(node), true) + 44)}, ${GROUP_HEADER + 40})`,
          },
        }
      : { id: node.id, width: nodeWidth(node, measure, visible.folded.has(node.id)), height: NODE_HEIGHT };
    elkNodes.set(node.id, elk);
  }
  /** The ELK container of a node: its nearest ancestor that is a compound node, else the root. */
  const container = (node: GraphNode): ElkNode => {
    for (let p = node.parent; p !== undefined; p = byId.get(p)?.parent) {
      const found = elkNodes.get(p);
      if (found) return found;
    }
    return root;
  };
  for (const node of visible.nodes) {
    const elk = elkNodes.get(node.id);
    if (elk) container(node).children!.push(elk);
  }
  root.edges = visible.edges.map((e) => ({
    id: e.id,
    sources: [e.source],
    targets: [e.target],
    labels: [{ text: e.label, width: Math.ceil(measure.label(e.label)) + 6, height: LABEL_HEIGHT }],
  }));
  return root;
}

/** Room around an open block's layers, and for its header above them. */
export const BLOCK_PAD = 10;
export const BLOCK_HEADER = 18;

/** Boxes for the open blocks, around their members (inner blocks first), added to `layout`. */
export function groupBoxes(layout: Layout, visible: VisibleGraph): void {
  const blocks = visible.nodes.filter((n) => n.kind === 'block' && visible.open.has(n.id));
  const depth = (id: string | undefined): number => {
    let d = 0;
    for (let p = id; p !== undefined; p = visible.nodes.find((n) => n.id === p)?.parent) d++;
    return d;
  };
  blocks.sort((a, b) => depth(b.id) - depth(a.id));
  for (const block of blocks) {
    const members = visible.nodes.filter((n) => n.parent === block.id).flatMap((n) => layout.nodes.get(n.id) ?? []);
    if (members.length === 0) continue;
    const left = Math.min(...members.map((b) => b.x)) - BLOCK_PAD;
    const top = Math.min(...members.map((b) => b.y)) - BLOCK_PAD - BLOCK_HEADER;
    const right = Math.max(...members.map((b) => b.x + b.width)) + BLOCK_PAD;
    const bottom = Math.max(...members.map((b) => b.y + b.height)) + BLOCK_PAD;
    layout.nodes.set(block.id, { x: left, y: top, width: right - left, height: bottom - top });
  }
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  edges: Map<string, { points: ElkPoint[]; label: Box | null }>;
}

/** ELK's answer, flattened (coordinates are absolute: see toElk). */
export function readLayout(result: ElkNode): Layout {
  const nodes = new Map<string, Box>();
  const edges = new Map<string, { points: ElkPoint[]; label: Box | null }>();
  const visit = (n: ElkNode): void => {
    for (const c of n.children ?? []) {
      nodes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 });
      visit(c);
    }
    for (const e of n.edges ?? []) {
      const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
      const l = e.labels?.[0];
      edges.set(e.id, {
        points,
        label: l && l.x !== undefined && l.y !== undefined ? { x: l.x, y: l.y, width: l.width, height: l.height } : null,
      });
    }
  };
  visit(result);
  return { width: result.width ?? 0, height: result.height ?? 0, nodes, edges };
}

/** What decides the layout: drawn nodes, their nesting and edges. Same signature → same positions. */
export function structureKey(visible: VisibleGraph): string {
  const nodes = visible.nodes.map((n) => `${n.id}<${n.parent ?? ''}${visible.open.has(n.id) ? '+' : ''}`).join('|');
  const edges = visible.edges.map((e) => `${e.source}>${e.target}`).join('|');
  return `${nodes}#${edges}`;
}
