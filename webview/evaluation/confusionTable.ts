/**
 * A classifier's confusion matrix as a table: rows are the true classes, columns the predicted
 * ones, each cell's shade its share of the row, the diagonal (right answers) in its own colour,
 * and each class's accuracy at the end of its row. Clicking a cell lists its samples, drawn as
 * images when the samples are images.
 */
import type { DatasetArrays } from '../../src/shared/messages';
import { el } from '../ui/dom';
import { drawTile, imageTile } from '../views/canvas';
import { formatPercent } from '../views/viewWidgets';
import { classAccuracy } from './confusion';
import type { ConfusionMatrix } from './confusion';

/** Most samples drawn for one cell. */
const SHOWN_SAMPLES = 60;
/** Side of a sample's thumbnail, CSS pixels. */
const THUMB = 42;

/** Height, width and channels of a sample when the samples are images (28×28 for MNIST's 784 values). */
export function sampleImageShape(dataset: DatasetArrays): [number, number, number] | null {
  const dims = dataset.xsShape.slice(1);
  if (dims.length === 3 && (dims[2] === 1 || dims[2] === 3)) return [dims[0]!, dims[1]!, dims[2]!];
  if (dims.length === 2 && dataset.sampleKind === 'image') return [dims[0]!, dims[1]!, 1];
  if (dims.length === 1 && dims[0] === 784 && dataset.sampleKind !== 'sequence') return [28, 28, 1];
  return null;
}

export function renderConfusion(matrix: ConfusionMatrix, dataset: DatasetArrays): HTMLElement {
  const { classes, counts } = matrix;
  const accuracy = classAccuracy(matrix);
  const details = el('div', { class: 'lp-cm-samples', 'data-testid': 'confusion-samples', hidden: true });
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col', class: 'lp-cm-corner', text: 'true ↓ · predicted →' }),
    ...Array.from({ length: classes }, (_, p) => el('th', { scope: 'col', text: String(p) })),
    el('th', { scope: 'col', text: 'accuracy' }),
  );
  const rows = Array.from({ length: classes }, (_, t) => {
    let rowTotal = 0;
    for (let p = 0; p < classes; p++) rowTotal += counts[t * classes + p]!;
    const cells = Array.from({ length: classes }, (_, p) => {
      const count = counts[t * classes + p]!;
      const cell = el('td', {
        class: t === p ? 'lp-cm-cell lp-cm-diagonal' : 'lp-cm-cell',
        'data-true': t,
        'data-predicted': p,
        'data-count': count,
        tabindex: count > 0 ? 0 : undefined,
        title: `true ${t}, predicted ${p}: ${count} sample${count === 1 ? '' : 's'}`,
        text: String(count),
      });
      cell.style.setProperty('--lp-cm-share', `${Math.round((rowTotal > 0 ? count / rowTotal : 0) * 30)}%`);
      if (count > 0) {
        const open = (): void => {
          for (const other of Array.from(cell.closest('table')?.querySelectorAll('.lp-cm-selected') ?? [])) {
            other.classList.remove('lp-cm-selected');
          }
          cell.classList.add('lp-cm-selected');
          showCell(details, matrix.cells[t * classes + p]!, t, p, dataset);
        };
        cell.addEventListener('click', open);
        cell.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') open();
        });
      }
      return cell;
    });
    const acc = accuracy[t]!;
    return el(
      'tr',
      {},
      el('th', { scope: 'row', text: String(t) }),
      ...cells,
      el('td', { class: 'lp-cm-accuracy', text: Number.isNaN(acc) ? '–' : formatPercent(acc) }),
    );
  });
  const table = el(
    'table',
    { class: 'lp-cm', 'data-testid': 'confusion-matrix' },
    el('thead', {}, head),
    el('tbody', {}, ...rows),
  );
  return el('div', { class: 'lp-cm-wrap' }, el('div', { class: 'lp-cm-scroll' }, table), details);
}

function showCell(details: HTMLElement, samples: readonly number[], t: number, p: number, dataset: DatasetArrays): void {
  details.hidden = false;
  const shown = samples.slice(0, SHOWN_SAMPLES);
  const more = samples.length > shown.length ? ` (the first ${shown.length} shown)` : '';
  const title = el('div', {
    class: 'lp-cm-samples-title',
    text: `True ${t}, predicted ${p}: ${samples.length} sample${samples.length === 1 ? '' : 's'}${more}`,
  });
  const image = sampleImageShape(dataset);
  const items = shown.map((index) => {
    if (image === null) return el('span', { class: 'lp-cm-index', 'data-sample': index, text: `#${index}` });
    const [h, w, c] = image;
    const size = h * w * c;
    const canvas = el('canvas', { class: 'lp-cm-thumb', 'data-sample': index, title: `sample #${index}` });
    drawTile(canvas, imageTile(dataset.xs.subarray(index * size, (index + 1) * size), h, w, c), THUMB, THUMB);
    return canvas;
  });
  details.replaceChildren(title, el('div', { class: 'lp-cm-sample-list' }, ...items));
}
