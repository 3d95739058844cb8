/**
 * The model as Keras's `model.summary()` prints it, one row per layer of the model (a model
 * used as a layer is one row), with torchinfo's Mult-Adds beside: name (type), output shape,
 * parameters, mult-adds, and the totals. Clicking a row reveals the layer's line.
 */
import type { GraphNode, ModelGraph } from '../../src/shared/graphMessages';

const fmt = (n: number | null): string => (n === null ? '?' : n.toLocaleString('en-US'));

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

/** The table for `graph`; `onRow` is called with the layer of a clicked row. */
export function summaryTable(graph: ModelGraph, onRow: (node: GraphNode) => void): HTMLElement {
  const table = document.createElement('table');
  table.className = 'mg-table';
  const head = table.createTHead().insertRow();
  for (const [label, cls] of [
    ['Layer (type)', ''],
    ['Output shape', ''],
    ['Param #', 'num'],
    ['Mult-adds', 'num'],
  ] as const)
    head.appendChild(cell('th', label, cls || undefined));
  const body = table.createTBody();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  /** A layer of the model itself: not inside a model used as a layer (blocks are only drawing). */
  const ownLayer = (node: GraphNode): boolean => {
    for (let p = node.parent; p !== undefined; p = byId.get(p)?.parent) if (byId.get(p)?.kind !== 'block') return false;
    return node.kind !== 'output' && node.kind !== 'block' && node.id !== '(input)';
  };
  for (const node of graph.nodes) {
    if (!ownLayer(node)) continue;
    const row = body.insertRow();
    row.tabIndex = 0;
    row.dataset['id'] = node.id;
    if (node.error) row.classList.add('has-error');
    row.title = node.error ?? node.unknown ?? `line ${node.line}: click to go there`;
    row.append(
      cell('td', `${node.name} (${node.type})`),
      cell('td', node.outputShape, 'shape'),
      cell('td', fmt(node.params), 'num'),
      cell('td', fmt(node.macs), 'num'),
    );
    row.addEventListener('click', () => onRow(node));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') onRow(node);
    });
  }
  const foot = table.createTFoot();
  const totals: [string, number | null][] = [
    ['Total params', graph.totals.params],
    ['Trainable params', graph.totals.trainable],
    ['Non-trainable params', graph.totals.nonTrainable],
    ['Total mult-adds (per sample)', graph.totals.macs],
  ];
  for (const [label, value] of totals) {
    const row = foot.insertRow();
    const name = cell('td', `${label}: ${fmt(value)}`);
    name.colSpan = 4;
    row.appendChild(name);
  }
  const wrap = document.createElement('div');
  wrap.className = 'mg-table-wrap';
  wrap.appendChild(table);
  return wrap;
}
