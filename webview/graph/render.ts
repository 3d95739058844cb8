/**
 * Draws a laid-out Model Graph as SVG: nodes (name, type, cost; a coloured stripe per layer
 * family), groups with a header, edges with their shape labels, tooltips (`<title>`) with
 * the exact numbers and reasons. Colours come from classes styled with VS Code's theme
 * variables (graph.css), so every theme applies without a redraw.
 */
import type { GraphEdge, GraphNode } from '../../src/shared/graphMessages';
import { BLOCK_HEADER, GROUP_HEADER, groupHeaders, nodeLines } from './elkGraph';
import type { Box, Layout, VisibleGraph } from './elkGraph';

const SVG = 'http://www.w3.org/2000/svg';

export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

/** The colour family of a layer type (a stripe on its node). */
export function family(type: string): string {
  if (/Conv|Separable|Depthwise/.test(type)) return 'conv';
  if (/LSTM|GRU|RNN|Bidirectional|TimeDistributed/.test(type)) return 'recurrent';
  if (/^(Dense|Embedding)$/.test(type)) return 'dense';
  if (/Pool|Flatten|Reshape|UpSampling|Padding|Cropping|Permute|RepeatVector|Resizing/.test(type)) return 'reshape';
  if (/^(Add|Concatenate|Multiply|Average|Maximum|Minimum|Dot|Subtract)$/.test(type)) return 'merge';
  if (/Normalization|Dropout|Noise/.test(type)) return 'regularize';
  return 'other';
}

const fmt = (n: number | null): string => (n === null ? '?' : n.toLocaleString('en-US'));

/** The tooltip: every exact number and every reason. */
export function nodeTooltip(node: GraphNode): string {
  const lines = [`${node.name} (${node.type})`, `output ${node.outputShape}`];
  if (node.kind !== 'input' && node.kind !== 'output') {
    lines.push(`params ${fmt(node.params)}${node.formula ? ` = ${node.formula}` : ''}`);
    lines.push(`mult-adds ${fmt(node.macs)} per sample`);
  }
  if (node.unknown) lines.push(`unknown: ${node.unknown}`);
  if (node.error) lines.push(`error: ${node.error}`);
  lines.push(`line ${node.line}${node.useLine !== node.line ? ` (used on line ${node.useLine})` : ''} · click to go there`);
  return lines.join('\n');
}

function edgeTooltip(edge: GraphEdge): string {
  return edge.reason ? `${edge.label}: ${edge.reason}` : edge.label;
}

function pathOf(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

function drawNode(node: GraphNode, box: Box, layer: SVGGElement, folded: boolean): SVGGElement {
  const classes = ['node', `kind-${node.kind}`, `family-${family(node.type)}`];
  if (node.error) classes.push('has-error');
  if (node.outputShape === '?') classes.push('unknown');
  if (folded) classes.push('folded');
  const g = svgEl(
    'g',
    { class: classes.join(' '), 'data-id': node.id, transform: `translate(${box.x},${box.y})`, tabindex: 0 },
    layer,
  );
  g.setAttribute('role', 'button');
  svgEl('title', {}, g).textContent = nodeTooltip(node) + (folded ? '\nclick ▸ to open the group' : '');
  svgEl('rect', { class: 'body', width: box.width, height: box.height, rx: 5 }, g);
  if (node.kind === 'layer' || node.kind === 'model')
    svgEl('rect', { class: 'stripe', width: 4, height: box.height - 2, x: 1, y: 1, rx: 2 }, g);
  const [name, second, third] = nodeLines(node);
  const cx = box.width / 2;
  svgEl('text', { class: 'name', x: cx, y: 18, 'text-anchor': 'middle' }, g).textContent = name;
  svgEl('text', { class: 'type', x: cx, y: 33, 'text-anchor': 'middle' }, g).textContent = second;
  svgEl('text', { class: 'cost', x: cx, y: 47, 'text-anchor': 'middle' }, g).textContent = third;
  if (folded) {
    const toggle = svgEl('text', { class: 'toggle', x: 10, y: 18, 'data-toggle': node.id }, g);
    toggle.textContent = '▸';
  }
  return g;
}

function drawGroup(node: GraphNode, box: Box, layer: SVGGElement): SVGGElement {
  const classes = ['group', `kind-${node.kind}`, `family-${family(node.type)}`];
  if (node.error) classes.push('has-error');
  const g = svgEl('g', { class: classes.join(' '), 'data-id': node.id, transform: `translate(${box.x},${box.y})` }, layer);
  svgEl('title', {}, g).textContent = `${nodeTooltip(node)}\nclick ▾ to fold the group`;
  svgEl('rect', { class: 'body', width: box.width, height: box.height, rx: 7 }, g);
  const header = node.kind === 'block' ? BLOCK_HEADER : GROUP_HEADER;
  svgEl('text', { class: 'toggle', x: 8, y: header / 2 + 5, 'data-toggle': node.id }, g).textContent = '▾';
  const text = svgEl('text', { class: 'header', x: 22, y: header / 2 + 5 }, g);
  fitText(text, groupHeaders(node), box.width - 30);
  return g;
}

/**
 * Puts the longest of `choices` that fits in `width` into `text` (the full one is in the group's
 * tooltip); the shortest is cut with an ellipsis if even it does not fit. Measured by the browser,
 * so only where the element is rendered.
 */
function fitText(text: SVGTextElement, choices: readonly string[], width: number): void {
  for (const choice of choices) {
    text.textContent = choice;
    if (!text.isConnected || text.getComputedTextLength() <= width) return;
  }
  const last = choices[choices.length - 1] ?? '';
  for (let n = last.length - 1; n > 0; n--) {
    text.textContent = `${last.slice(0, n)}…`;
    if (text.getComputedTextLength() <= width) return;
  }
}

export interface Drawn {
  /** The `<g>` of each drawn node, by id. */
  nodes: Map<string, SVGGElement>;
}

/** Draws `visible` at `layout` into `root` (emptied first). */
export function drawGraph(root: SVGGElement, visible: VisibleGraph, layout: Layout): Drawn {
  root.replaceChildren();
  const groups = svgEl('g', { class: 'groups' }, root);
  const edges = svgEl('g', { class: 'edges' }, root);
  const nodes = svgEl('g', { class: 'nodes' }, root);
  const drawn = new Map<string, SVGGElement>();
  // Outer groups first, so inner ones paint over them.
  const depth = (n: GraphNode): number => {
    let d = 0;
    for (let p = n.parent; p !== undefined; p = visible.nodes.find((m) => m.id === p)?.parent) d++;
    return d;
  };
  const openGroups = visible.nodes.filter((n) => visible.open.has(n.id)).sort((a, b) => depth(a) - depth(b));
  for (const node of openGroups) {
    const box = layout.nodes.get(node.id);
    if (box) drawn.set(node.id, drawGroup(node, box, groups));
  }
  for (const node of visible.nodes) {
    if (visible.open.has(node.id)) continue;
    const box = layout.nodes.get(node.id);
    if (box) drawn.set(node.id, drawNode(node, box, nodes, visible.folded.has(node.id)));
  }
  for (const edge of visible.edges) {
    const route = layout.edges.get(edge.id);
    if (!route || route.points.length < 2) continue;
    const g = svgEl(
      'g',
      { class: `edge${edge.label === '?' ? ' unknown' : ''}`, 'data-source': edge.source, 'data-target': edge.target },
      edges,
    );
    svgEl('title', {}, g).textContent = edgeTooltip(edge);
    svgEl('path', { d: pathOf(route.points), 'marker-end': 'url(#ml-arrow)' }, g);
    if (route.label) {
      const { x, y, width, height } = route.label;
      svgEl('rect', { class: 'label-bg', x, y: y - 1, width, height: height + 2, rx: 3 }, g);
      svgEl('text', { class: 'label', x: x + width / 2, y: y + height - 3, 'text-anchor': 'middle' }, g).textContent = edge.label;
    }
  }
  return { nodes: drawn };
}

/** The arrowhead every edge uses; added once to the SVG's `<defs>`. */
export function addDefs(svg: SVGSVGElement): void {
  const defs = svgEl('defs', {}, svg);
  const marker = svgEl(
    'marker',
    { id: 'ml-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    defs,
  );
  svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }, marker);
}
