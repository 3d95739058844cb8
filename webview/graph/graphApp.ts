/**
 * The Model Graph page: a toolbar (model, summary, find, fit, zoom, fold, export), the
 * model's errors and notes, and the SVG. Lays out through the worker, keeps positions when an
 * edit leaves the structure as it was, highlights the layers of the editor's cursor line, and
 * reveals a layer's line on click. The host is injected (a Transport), as in the training panel.
 */
import type { GraphModelChoice, GraphNode, GraphToHost, HostToGraph, ModelGraph } from '../../src/shared/graphMessages';
import type { Transport } from '../../src/shared/messages';
import { groupBoxes, initialFolds, readLayout, structureKey, toElk, visibleGraph } from './elkGraph';
import type { Layout, Measure, VisibleGraph } from './elkGraph';
import { standaloneSvg, svgToPng } from './exportImage';
import { StaleLayout } from './layoutClient';
import type { ElkNode } from './elkGraph';
import { addDefs, drawGraph } from './render';
import { summaryTable } from './summaryTable';
import type { Drawn } from './render';
import { Viewport } from './viewport';
import { el } from '../ui/dom';
import { canvasMeasure } from './textMeasure';

/** Lays out an ELK graph (the worker in the webview; the tests may run it elsewhere). */
export type LayoutFn = (graph: ElkNode) => Promise<ElkNode>;

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', title, 'aria-label': title }, label);
  b.addEventListener('click', onClick);
  return b;
}

export class GraphApp {
  private graph: ModelGraph | null = null;
  private models: GraphModelChoice[] = [];
  private folded = new Set<string>();
  private visible: VisibleGraph | null = null;
  private key = '';
  private layout: Layout | null = null;
  private drawn: Drawn | null = null;
  private cursorLine = 0;
  private selected: string | null = null;
  private matches: string[] = [];
  private matchIndex = -1;
  /** Draws so far (the tests wait on it). */
  private version = 0;

  private readonly toolbar = el('header', { class: 'mg-toolbar' });
  private readonly modelSelect = el('select', { class: 'mg-models', 'aria-label': 'Model' });
  private readonly title = el('span', { class: 'mg-title' });
  private readonly summary = el('span', { class: 'mg-summary' });
  private readonly search = el('input', {
    type: 'search',
    class: 'mg-search',
    placeholder: 'Find layer',
    'aria-label': 'Find a layer by name or type',
  });
  private readonly foldButton: HTMLButtonElement;
  private readonly graphTab: HTMLButtonElement;
  private readonly tableTab: HTMLButtonElement;
  private readonly table = el('div', { class: 'mg-table-view', hidden: '' });
  private view: 'graph' | 'table' = 'graph';
  private readonly notes = el('div', { class: 'mg-notes', role: 'status' });
  private readonly status = el('div', { class: 'mg-status', role: 'status' });
  private readonly svg: SVGSVGElement;
  private readonly content: SVGGElement;
  private readonly viewport: Viewport;
  private readonly measure: Measure;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Transport<HostToGraph, GraphToHost>,
    private readonly layoutGraph: LayoutFn,
  ) {
    root.classList.add('mg-root');
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.classList.add('mg-canvas');
    this.svg.setAttribute('role', 'img');
    addDefs(this.svg);
    this.content = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    this.content.classList.add('mg-content');
    this.svg.appendChild(this.content);
    this.viewport = new Viewport(this.svg, this.content);
    this.measure = canvasMeasure(root);

    this.modelSelect.addEventListener('change', () =>
      this.host.post({ type: 'selectModel', line: Number(this.modelSelect.value) }),
    );
    this.search.addEventListener('input', () => this.find(this.search.value, false));
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.find(this.search.value, true, e.shiftKey ? -1 : 1);
      if (e.key === 'Escape') {
        this.search.value = '';
        this.find('', false);
      }
    });
    this.foldButton = button('Fold all', 'Fold every group (models used as layers)', () => this.toggleAllFolds());
    this.graphTab = button('Graph', 'Show the model as a graph', () => this.setView('graph'));
    this.tableTab = button('Table', 'Show the model as a summary table (as model.summary() prints it)', () =>
      this.setView('table'),
    );
    const tabs = el('div', { class: 'mg-tabs', role: 'group', 'aria-label': 'View' });
    tabs.append(this.graphTab, this.tableTab);
    this.graphTab.setAttribute('aria-pressed', 'true');
    this.tableTab.setAttribute('aria-pressed', 'false');
    const heading = el('div', { class: 'mg-heading' });
    heading.append(tabs, this.modelSelect, this.title, this.summary);
    const tools = el('div', { class: 'mg-tools' });
    tools.append(
      this.search,
      button('Fit', 'Fit the whole graph in the view (0)', () => this.fit()),
      button('+', 'Zoom in (+)', () => this.viewport.zoomAt(1.25)),
      button('−', 'Zoom out (-)', () => this.viewport.zoomAt(0.8)),
      this.foldButton,
      button('SVG', 'Export the graph as an SVG file', () => void this.export('svg')),
      button('PNG', 'Export the graph as a PNG image', () => void this.export('png')),
    );
    this.toolbar.append(heading, tools);
    root.append(this.toolbar, this.notes, this.svg, this.table, this.status);

    this.svg.addEventListener('click', (e) => this.onClick(e));
    this.svg.addEventListener('keydown', (e) => {
      const target = (e.target as Element).closest?.('[data-id]');
      if (e.key === 'Enter' && target) this.activate(target.getAttribute('data-id')!);
    });
    document.addEventListener('keydown', (e) => {
      if (e.target === this.search) return;
      if (e.key === '+' || e.key === '=') this.viewport.zoomAt(1.25);
      else if (e.key === '-') this.viewport.zoomAt(0.8);
      else if (e.key === '0') this.fit();
      else if ((e.ctrlKey || e.metaKey) && e.key === 'f') {
        e.preventDefault();
        this.search.focus();
      }
    });
    host.onMessage((m) => this.onMessage(m));
    this.setStatus('Waiting for the model…');
    host.post({ type: 'ready' });
  }

  private onMessage(m: HostToGraph): void {
    if (m.type === 'graph') void this.setGraph(m.graph, m.models);
    else if (m.type === 'empty') this.showEmpty(m.message, m.openAsText === true);
    else if (m.type === 'cursor') this.setCursor(m.line);
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
    this.status.hidden = text === '';
  }

  private setView(view: 'graph' | 'table'): void {
    this.view = view;
    this.graphTab.setAttribute('aria-pressed', String(view === 'graph'));
    this.tableTab.setAttribute('aria-pressed', String(view === 'table'));
    this.svg.style.display = view === 'graph' ? '' : 'none';
    this.table.hidden = view !== 'table';
    for (const el of this.toolbar.querySelectorAll<HTMLElement>('.mg-tools > *'))
      el.style.visibility = view === 'graph' ? '' : 'hidden';
    if (view === 'table') this.renderTable();
  }

  private renderTable(): void {
    const graph = this.graph;
    this.table.replaceChildren(
      graph ? summaryTable(graph, (node) => this.host.post({ type: 'reveal', line: node.line, column: node.column })) : '',
    );
  }

  private showEmpty(message: string, openAsText = false): void {
    this.graph = null;
    this.layout = null;
    this.key = '';
    this.content.replaceChildren();
    this.table.replaceChildren();
    this.title.textContent = '';
    this.summary.textContent = '';
    this.notes.replaceChildren();
    this.modelSelect.hidden = true;
    this.setStatus(message);
    if (openAsText) {
      const open = button('Open as Text', 'Open this file in the text editor', () => this.host.post({ type: 'openAsText' }));
      this.notes.replaceChildren(el('div', { class: 'mg-note' }, message), open);
      this.notes.hidden = false;
      this.setStatus('');
    }
    this.markDrawn(0);
  }

  private async setGraph(graph: ModelGraph, models: GraphModelChoice[]): Promise<void> {
    const started = performance.now();
    const sameModel = this.graph !== null && this.graph.title === graph.title && this.graph.file === graph.file;
    if (!sameModel) {
      this.folded = initialFolds(graph);
      this.selected = null;
    }
    this.graph = graph;
    this.models = models;
    this.renderHeader();
    if (this.view === 'table') this.renderTable();
    await this.relayout(!sameModel, started);
  }

  private async relayout(fit: boolean, started = performance.now()): Promise<void> {
    const graph = this.graph;
    if (!graph) return;
    const visible = visibleGraph(graph, this.folded);
    const key = structureKey(visible);
    this.visible = visible;
    if (key === this.key && this.layout) {
      // Same structure: same positions (no re-layout, no jump); only the texts change.
      this.draw(started);
      return;
    }
    if (visible.nodes.length > 0) this.setStatus(`Laying out ${visible.nodes.length} nodes…`);
    let result: ElkNode;
    try {
      result = await this.layoutGraph(toElk(visible, this.measure));
    } catch (error) {
      if (error instanceof StaleLayout) return;
      const message = error instanceof Error ? error.message : String(error);
      this.setStatus(`The graph could not be laid out: ${message}`, true);
      this.host.post({ type: 'error', message: `graph layout: ${message}` });
      return;
    }
    if (this.visible !== visible) return;
    this.layout = readLayout(result);
    groupBoxes(this.layout, visible);
    this.key = key;
    this.draw(started);
    if (fit) this.viewport.overview(this.layout.width, this.layout.height);
  }

  private draw(started: number): void {
    const visible = this.visible;
    const layout = this.layout;
    if (!visible || !layout) return;
    this.drawn = drawGraph(this.content, visible, layout);
    this.setStatus('');
    this.foldButton.textContent = visible.open.size > 0 ? 'Fold all' : 'Open all';
    this.foldButton.hidden = visible.open.size === 0 && visible.folded.size === 0;
    this.applyHighlights(false);
    if (this.search.value) this.find(this.search.value, false);
    this.markDrawn(performance.now() - started);
  }

  private markDrawn(ms: number): void {
    this.version++;
    this.root.dataset.graphVersion = String(this.version);
    this.root.dataset.drawMs = ms.toFixed(1);
  }

  private renderHeader(): void {
    const graph = this.graph!;
    this.title.textContent = graph.title;
    this.summary.textContent = graph.summary;
    this.modelSelect.replaceChildren(
      ...this.models.map((m) => {
        const o = el('option', { value: String(m.line) }, `${m.title} (line ${m.line})`);
        o.selected = m.line === graph.line;
        return o;
      }),
    );
    this.modelSelect.hidden = this.models.length < 2;
    this.title.hidden = !this.modelSelect.hidden;
    const items: HTMLElement[] = [];
    for (const node of graph.nodes.filter((n) => n.error)) {
      const item = el('button', { type: 'button', class: 'mg-error', title: 'Go to the line' });
      item.textContent = `⚠ line ${node.line}, ${node.name}: ${node.error}`;
      item.addEventListener('click', () => this.host.post({ type: 'reveal', line: node.line, column: node.column }));
      items.push(item);
    }
    for (const note of graph.notes) items.push(el('div', { class: 'mg-note' }, `ⓘ ${note}`));
    this.notes.replaceChildren(...items);
    this.notes.hidden = items.length === 0;
  }

  private fit(): void {
    if (this.layout) this.viewport.fit(this.layout.width, this.layout.height);
  }

  private nodeById(id: string): GraphNode | undefined {
    return this.graph?.nodes.find((n) => n.id === id);
  }

  /** The drawn node standing for `id` (its folded group when it is inside one). */
  private shownId(id: string): string {
    let result = id;
    for (let n = this.nodeById(id); n?.parent !== undefined; n = this.nodeById(n.parent))
      if (this.folded.has(n.parent)) result = n.parent;
    return result;
  }

  private onClick(e: MouseEvent): void {
    if (this.viewport.dragged) {
      this.viewport.dragged = false;
      return;
    }
    const target = e.target as Element;
    const toggle = target.closest('[data-toggle]');
    if (toggle) {
      this.toggleFold(toggle.getAttribute('data-toggle')!);
      return;
    }
    const node = target.closest('[data-id]');
    if (node) this.activate(node.getAttribute('data-id')!);
  }

  /** Selects a node and asks the host to reveal its line. */
  private activate(id: string): void {
    const node = this.nodeById(id);
    if (!node) return;
    this.selected = id;
    this.applyHighlights(false);
    this.host.post({ type: 'reveal', line: node.line, column: node.column });
  }

  private toggleFold(id: string): void {
    if (this.folded.has(id)) this.folded.delete(id);
    else this.folded.add(id);
    void this.relayout(false);
  }

  private toggleAllFolds(): void {
    const graph = this.graph;
    if (!graph) return;
    const groups = graph.nodes.flatMap((n) => (n.parent !== undefined ? [n.parent] : []));
    this.folded = this.visible && this.visible.open.size > 0 ? new Set(groups) : new Set();
    void this.relayout(true);
  }

  private setCursor(line: number): void {
    this.cursorLine = line;
    this.applyHighlights(true);
  }

  /** Classes for the cursor's layers and the selection; pans to the cursor's layer when asked. */
  private applyHighlights(reveal: boolean): void {
    if (!this.drawn || !this.graph) return;
    for (const g of this.drawn.nodes.values()) g.classList.remove('current', 'selected');
    const current = new Set(
      this.graph.nodes
        .filter((n) => n.kind !== 'output' && n.kind !== 'input' && (n.line === this.cursorLine || n.useLine === this.cursorLine))
        .map((n) => this.shownId(n.id)),
    );
    for (const id of current) this.drawn.nodes.get(id)?.classList.add('current');
    if (this.selected) this.drawn.nodes.get(this.shownId(this.selected))?.classList.add('selected');
    if (reveal && current.size > 0 && this.layout) {
      const boxes = [...current].flatMap((id) => this.layout!.nodes.get(id) ?? []);
      if (boxes.length > 0 && !boxes.some((b) => this.viewport.shows(b))) this.viewport.center(boxes[0]!);
    }
  }

  /** Marks layers whose name or type contains `query`; `step` moves to the next (or previous) and centres it. */
  private find(query: string, go: boolean, step = 1): void {
    if (!this.drawn || !this.graph) return;
    const q = query.trim().toLowerCase();
    for (const g of this.drawn.nodes.values()) g.classList.remove('match');
    this.svg.classList.toggle('searching', q !== '');
    this.search.classList.remove('no-match');
    if (q === '') {
      this.matches = [];
      this.matchIndex = -1;
      return;
    }
    const ids = this.graph.nodes
      .filter((n) => n.name.toLowerCase().includes(q) || n.type.toLowerCase().includes(q))
      .map((n) => n.id);
    const shown = [...new Set(ids.map((id) => this.shownId(id)))];
    if (shown.join('|') !== this.matches.join('|')) this.matchIndex = -1;
    this.matches = shown;
    for (const id of shown) this.drawn.nodes.get(id)?.classList.add('match');
    this.search.classList.toggle('no-match', shown.length === 0);
    if (!go || shown.length === 0) return;
    this.matchIndex = (this.matchIndex + step + shown.length) % shown.length;
    const id = shown[this.matchIndex]!;
    const box = this.layout?.nodes.get(id);
    if (box) this.viewport.center(box);
    this.selected = id;
    this.applyHighlights(false);
  }

  private async export(format: 'svg' | 'png'): Promise<void> {
    const graph = this.graph;
    const layout = this.layout;
    if (!graph || !layout) return;
    try {
      const background = getComputedStyle(this.root).getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
      this.svg.classList.remove('searching');
      const text = standaloneSvg(this.svg, this.content, layout.width, layout.height, background);
      if (this.search.value) this.svg.classList.add('searching');
      const data = format === 'svg' ? text : await svgToPng(text, layout.width, layout.height);
      this.host.post({ type: 'export', format, fileName: `${graph.title}.${format}`, data });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.setStatus(`Export failed: ${message}`, true);
      this.host.post({ type: 'error', message: `graph export: ${message}` });
    }
  }
}
