/**
 * Axes and hover read-out for the Gates view's unit × time-step heatmaps: unit ticks on the
 * left (unit 0 at the top), time-step ticks under the last heatmap of a block, and a tooltip
 * naming the gate, step, unit and value under the cursor.
 */
import { el } from '../ui/dom';
import { formatNumber } from './viewWidgets';

export interface GateGrid {
  units: number;
  steps: number;
  /** CSS pixels per time step (column) and per unit (row). */
  cellW: number;
  cellH: number;
}

/** Tick positions: 0, the last index, and evenly spaced ones at least `minGap` pixels apart. */
export function tickIndices(count: number, cell: number, minGap: number): number[] {
  if (count <= 0) return [];
  const every = Math.max(1, Math.ceil(minGap / Math.max(cell, 1)));
  const ticks: number[] = [];
  for (let i = 0; i < count; i += every) ticks.push(i);
  const last = count - 1;
  // Keep the last index labelled; drop a tick that would crowd it.
  if (ticks[ticks.length - 1] !== last) {
    if (ticks.length > 1 && (last - ticks[ticks.length - 1]!) * cell < minGap) ticks.pop();
    ticks.push(last);
  }
  return ticks;
}

/** The heatmap with its unit ticks on the left and, when asked, time-step ticks below. */
export function gateAxes(canvas: HTMLCanvasElement, g: GateGrid & { timeTicks: boolean }): HTMLElement {
  const height = g.units * g.cellH;
  const width = g.steps * g.cellW;
  const yTicks = el('div', { class: 'ml-gate-yticks', 'data-role': 'unit-ticks', 'aria-hidden': 'true' });
  yTicks.style.height = `${height}px`;
  for (const u of tickIndices(g.units, g.cellH, 14)) {
    const t = el('span', { text: String(u) });
    t.style.top = `${(u + 0.5) * g.cellH}px`;
    yTicks.append(t);
  }
  const plot = el('div', { class: 'ml-gate-plot' }, el('span', { class: 'ml-gate-axis-name', text: 'unit' }), yTicks, canvas);
  if (g.timeTicks) {
    const xTicks = el('div', { class: 'ml-gate-xticks', 'data-role': 'step-ticks', 'aria-hidden': 'true' });
    xTicks.style.width = `${width}px`;
    for (const s of tickIndices(g.steps, g.cellW, 26)) {
      const t = el('span', { text: String(s) });
      t.style.left = `${(s + 0.5) * g.cellW}px`;
      xTicks.append(t);
    }
    plot.append(
      el('span'),
      el('span'),
      el('div', { class: 'ml-gate-xaxis' }, xTicks, el('span', { class: 'ml-gate-axis-name', text: 'time step →' })),
    );
  }
  return plot;
}

/**
 * Shows `tooltip` with the gate, step, unit and value under the cursor while it is over `canvas`.
 * Returns the setter of the values it reads: a repaint hands it the new sample's (an open
 * read-out follows).
 */
export function gateTooltip(
  canvas: HTMLCanvasElement,
  tooltip: HTMLElement,
  g: GateGrid & { gate: string },
): (values: Float32Array) => void {
  let values = new Float32Array(0);
  let at: { step: number; unit: number } | null = null;
  const write = (): void => {
    if (at === null || values.length === 0) return;
    tooltip.textContent = `${g.gate} · step ${at.step} · unit ${at.unit} · ${formatNumber(values[at.unit * g.steps + at.step]!)}`;
  };
  canvas.addEventListener('mousemove', (e) => {
    const box = canvas.getBoundingClientRect();
    const step = Math.floor((e.clientX - box.left) / g.cellW);
    const unit = Math.floor((e.clientY - box.top) / g.cellH);
    if (step < 0 || step >= g.steps || unit < 0 || unit >= g.units) {
      at = null;
      tooltip.hidden = true;
      return;
    }
    at = { step, unit };
    write();
    tooltip.dataset['step'] = String(step);
    tooltip.dataset['unit'] = String(unit);
    tooltip.hidden = false;
    const host = tooltip.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
    tooltip.style.left = `${e.clientX - host.left + 12}px`;
    tooltip.style.top = `${e.clientY - host.top + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    at = null;
    tooltip.hidden = true;
  });
  return (next) => {
    // The values are a view into data replaced on the next refresh: keep this sample's copy.
    values = next.slice();
    if (!tooltip.hidden) write();
  };
}
