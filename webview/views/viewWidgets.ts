/**
 * The pieces the views are built of: the per-layer section (heading with name, class and
 * shape), layer focusing, number formatting, empty states, segmented toggles, colour legends.
 * Elements are made with `el` (../ui/dom.ts).
 */
import { el } from '../ui/dom';

/** A section for one layer: a heading (name · class · shape · note) and a body. */
export interface LayerSection {
  root: HTMLElement;
  body: HTMLElement;
  note: HTMLElement;
}

export function layerSection(name: string, path: string, className: string, detail: string, depth = 0): LayerSection {
  const note = el('span', { class: 'ml-layer-note' });
  const heading = el(
    'div',
    { class: 'ml-layer-heading' },
    el('span', { class: 'ml-layer-name', text: path, title: path }),
    el('span', { class: 'ml-badge', text: className }),
    el('span', { class: 'ml-layer-shape', text: detail }),
    note,
  );
  const body = el('div', { class: 'ml-layer-body' });
  const root = el('section', { class: 'ml-layer', 'data-layer': name, 'data-path': path }, heading, body);
  if (depth > 0) root.style.marginLeft = `${depth * 16}px`;
  return { root, body, note };
}

/**
 * Highlights every section of `layerName` (matching name or path) inside `container`, scrolls the
 * first into view, and clears the previous highlight. Returns whether one was found.
 */
export function focusLayerIn(container: HTMLElement, layerName: string | null, scroll = true): boolean {
  for (const old of Array.from(container.querySelectorAll('.ml-focused'))) old.classList.remove('ml-focused');
  if (!layerName) return false;
  const sections = Array.from(container.querySelectorAll<HTMLElement>('[data-layer]')).filter(
    (s) => s.dataset['layer'] === layerName || s.dataset['path'] === layerName,
  );
  for (const s of sections) s.classList.add('ml-focused');
  const first = sections.find((s) => s.classList.contains('ml-layer')) ?? sections[0];
  if (first && scroll && typeof first.scrollIntoView === 'function')
    first.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  return sections.length > 0;
}

export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.map((d) => (d < 0 ? '?' : String(d))).join('×');
}

/** 3 significant digits, compact for big and small magnitudes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

export function formatPercent(v: number): string {
  return `${(v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0)}%`;
}

/** A short message in place of content ("This model has no convolution layers"). */
export function emptyState(message: string): HTMLElement {
  return el('div', { class: 'ml-empty', text: message });
}

/** A segmented toggle (two or more options); calls `onChange` with the chosen value. */
export function segmented<T extends string>(
  label: string,
  options: { value: T; label: string }[],
  initial: T,
  onChange: (value: T) => void,
): HTMLElement {
  const group = el('div', { class: 'ml-segmented', role: 'radiogroup', 'aria-label': label });
  const buttons = options.map((o) => {
    const b = el('button', {
      type: 'button',
      class: 'ml-seg',
      role: 'radio',
      'aria-checked': String(o.value === initial),
      'data-value': o.value,
      text: o.label,
    });
    b.addEventListener('click', () => {
      for (const other of buttons) other.setAttribute('aria-checked', String(other === b));
      onChange(o.value);
    });
    return b;
  });
  group.append(...buttons);
  return el('label', { class: 'ml-field' }, el('span', { class: 'ml-field-label', text: label }), group);
}

/** Shows `value` as chosen in a `segmented` control (when the state changes elsewhere). */
export function setSegmented(control: HTMLElement, value: string): void {
  for (const b of Array.from(control.querySelectorAll<HTMLElement>('.ml-seg')))
    b.setAttribute('aria-checked', String(b.dataset['value'] === value));
}

/** Legend for a colour map: `lo` – gradient – `hi` (the midpoint value as the bar's tooltip). */
export function gradientLegend(gradient: string, lo: string, mid: string | null, hi: string): HTMLElement {
  const legend = el('span', { class: 'ml-legend' }, el('span'), el('span', { class: 'ml-legend-bar' }), el('span'));
  setGradientLegend(legend, gradient, lo, mid, hi);
  return legend;
}

/** Rewrites a `gradientLegend`'s map and range in place (a view repainting its heatmaps keeps its nodes). */
export function setGradientLegend(legend: HTMLElement, gradient: string, lo: string, mid: string | null, hi: string): void {
  const [loText, bar, hiText] = Array.from(legend.children) as HTMLElement[];
  if (loText!.textContent !== lo) loText!.textContent = lo;
  if (hiText!.textContent !== hi) hiText!.textContent = hi;
  if (bar!.style.background !== gradient) bar!.style.background = gradient;
  if (mid !== null) bar!.title = `middle: ${mid}`;
  else bar!.removeAttribute('title');
}
