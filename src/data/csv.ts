/**
 * The user's CSV files as training data: parsing (quotes, `,` `;` or tab, header detection),
 * numeric feature columns, a label column (the last one, or one the user picks) and the
 * mapping onto the model's input and output shapes. Every error names the file, and the row
 * and column where there is one. Pure: no `vscode`, no Node APIs.
 */
import type { DatasetArrays, DatasetPayload } from '../shared/messages';
import { describeShape, oneHot, product, toPayload } from './payload';

export interface CsvTable {
  file: string;
  /** Column names: the header row's, else `column 1`, `column 2`... */
  columns: string[];
  hasHeader: boolean;
  /** Data rows as raw (trimmed, unquoted) cells. */
  rows: string[][];
  /** 1-based line in the file of each data row, for messages. */
  rowLines: number[];
}

/** Data rows to read at most (the rest of a big file is ignored). */
export const MAX_CSV_ROWS = 20000;

function detectDelimiter(firstLine: string): string {
  const candidates = [',', ';', '\t'];
  let best = ',';
  let bestCount = 0;
  for (const c of candidates) {
    const count = firstLine.split(c).length - 1;
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}

/** Splits one physical line into cells (double quotes, `""` escapes); multi-line cells are not supported. */
function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

export function isNumericCell(cell: string): boolean {
  return cell !== '' && Number.isFinite(Number(cell));
}

/**
 * Parses CSV text. Throws on an empty file and on ragged rows:
 * `data/iris.csv, line 7: expected 5 columns (as in the header), found 4.`
 */
export function parseCsv(text: string, file: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const content: { cells: string[]; line: number }[] = [];
  let delimiter: string | undefined;
  for (let i = 0; i < lines.length && content.length <= MAX_CSV_ROWS; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    delimiter ??= detectDelimiter(line);
    content.push({ cells: splitLine(line, delimiter), line: i + 1 });
  }
  const first = content[0];
  if (!first) throw new Error(`${file}: the file is empty (no rows to train on).`);
  const hasHeader = looksLikeHeader(first.cells, content[1]?.cells);
  const width = first.cells.length;
  const data = hasHeader ? content.slice(1) : content;
  if (data.length === 0) throw new Error(`${file}: the file has a header but no data rows.`);
  for (const row of data) {
    if (row.cells.length !== width) {
      const reference = hasHeader ? 'as in the header' : `as in line ${first.line}`;
      throw new Error(`${file}, line ${row.line}: expected ${width} columns (${reference}), found ${row.cells.length}.`);
    }
  }
  const columns = hasHeader
    ? first.cells.map((name, i) => name || `column ${i + 1}`)
    : first.cells.map((_, i) => `column ${i + 1}`);
  return { file, columns, hasHeader, rows: data.map((r) => r.cells), rowLines: data.map((r) => r.line) };
}

/** A header when the first row has a non-numeric cell over a numeric one, or is all text. */
function looksLikeHeader(first: readonly string[], second: readonly string[] | undefined): boolean {
  if (first.every(isNumericCell)) return false;
  if (!second) return true;
  if (first.every((cell) => !isNumericCell(cell))) return true;
  return first.some((cell, i) => !isNumericCell(cell) && isNumericCell(second[i] ?? ''));
}

/** What the model wants, for mapping the table onto it. */
export interface CsvTargetSpec {
  /** Per-sample input shape (without the batch dimension). */
  inputShape: number[];
  /** Per-sample output shape, or null for an autoencoder (targets = inputs). */
  outputShape: number[] | null;
  /** Softmax over k classes: the label column is one-hot encoded. */
  softmaxClasses?: number;
  /** Column used as label (index or name); defaults to the last column. */
  labelColumn?: number | string;
}

function columnIndex(table: CsvTable, column: number | string): number {
  if (typeof column === 'number') {
    if (column < 0 || column >= table.columns.length) {
      throw new Error(`${table.file}: there is no column ${column + 1} (the file has ${table.columns.length}).`);
    }
    return column;
  }
  const index = table.columns.indexOf(column);
  if (index < 0) throw new Error(`${table.file}: there is no column "${column}" (columns: ${table.columns.join(', ')}).`);
  return index;
}

function numberAt(table: CsvTable, row: number, column: number): number {
  const cell = table.rows[row]?.[column] ?? '';
  if (!isNumericCell(cell)) {
    const where = `${table.file}, line ${table.rowLines[row]}, column "${table.columns[column]}" (${column + 1})`;
    throw new Error(cell === '' ? `${where}: the cell is empty.` : `${where}: "${cell}" is not a number.`);
  }
  return Number(cell);
}

/** Class ids for a label column: integers used as they are, text labels numbered in sorted order. */
function classIds(
  table: CsvTable,
  column: number,
  classes: number,
  model = `the model's softmax has ${classes} classes`,
): { ids: Int32Array; names: string[] } {
  const cells = table.rows.map((r) => r[column] ?? '');
  const name = `label column "${table.columns[column]}"`;
  if (cells.every(isNumericCell)) {
    const ids = Int32Array.from(cells, Number);
    cells.forEach((cell, row) => {
      const value = Number(cell);
      if (!Number.isInteger(value) || value < 0 || value >= classes) {
        throw new Error(
          `${table.file}, line ${table.rowLines[row]}: ${name} has "${cell}", but ${model} (expected an integer 0–${classes - 1}).`,
        );
      }
    });
    return { ids, names: Array.from({ length: classes }, (_, i) => String(i)) };
  }
  const names = [...new Set(cells)].sort();
  if (names.length > classes) {
    throw new Error(
      `${table.file}: ${name} has ${names.length} different values (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}), but ${model}.`,
    );
  }
  return { ids: Int32Array.from(cells, (cell) => names.indexOf(cell)), names };
}

/**
 * Maps a parsed table onto the model: the feature columns become xs reshaped to the input
 * shape; the label column (or, for a non-softmax output of k > 1 values, the last k columns)
 * becomes ys. Mismatches name the file, the expected and the found shape.
 */
export function csvDataset(table: CsvTable, spec: CsvTargetSpec): DatasetPayload {
  const n = table.rows.length;
  const width = table.columns.length;
  const perSample = product(spec.inputShape);
  const targetColumns: number[] = [];
  if (spec.outputShape !== null) {
    const outputSize = product(spec.outputShape);
    if (spec.softmaxClasses !== undefined || outputSize === 1 || spec.labelColumn !== undefined) {
      targetColumns.push(columnIndex(table, spec.labelColumn ?? width - 1));
    } else {
      for (let c = width - outputSize; c < width; c++) targetColumns.push(c);
      if (targetColumns[0] === undefined || targetColumns[0] < 1) {
        throw new Error(`${table.file}: the model outputs ${outputSize} values per row, but the file has only ${width} columns.`);
      }
    }
  }
  const features = table.columns.map((_, i) => i).filter((i) => !targetColumns.includes(i));
  if (features.length !== perSample) {
    const names = features.map((i) => table.columns[i]).join(', ');
    throw new Error(
      `${table.file}: the model expects inputs of shape [${spec.inputShape.join(', ')}] (${perSample} values per row), but the file has ${features.length} feature columns (${names}).`,
    );
  }
  const xs = new Float32Array(n * perSample);
  for (let r = 0; r < n; r++) {
    features.forEach((c, k) => {
      xs[r * perSample + k] = numberAt(table, r, c);
    });
  }
  const parts: DatasetArrays = {
    id: `csv:${table.file}`,
    description: `${table.file}, ${describeShape([n, ...spec.inputShape])}`,
    xs,
    xsShape: [n, ...spec.inputShape],
    sampleKind: spec.inputShape.length >= 3 ? 'image' : spec.inputShape.length === 2 ? 'sequence' : 'vector',
  };
  if (spec.outputShape !== null) {
    if (spec.softmaxClasses !== undefined) {
      const column = targetColumns[0] ?? width - 1;
      const { ids, names } = classIds(table, column, spec.softmaxClasses);
      parts.ys = oneHot(ids, spec.softmaxClasses);
      parts.ysShape = [n, spec.softmaxClasses];
      parts.labels = ids;
      parts.description += `, label "${table.columns[column]}" (${names.length} classes)`;
    } else if (product(spec.outputShape) === 1 && !table.rows.every((r) => isNumericCell(r[targetColumns[0] ?? 0] ?? ''))) {
      // A text label for a single sigmoid/linear unit: two values become 0 and 1.
      const column = targetColumns[0] ?? width - 1;
      const { ids, names } = classIds(table, column, 2, 'the model has a single output unit (2 classes at most)');
      parts.ys = Float32Array.from(ids);
      parts.ysShape = [n, ...spec.outputShape];
      parts.labels = ids;
      parts.description += `, label "${table.columns[column]}" (${names.map((name, i) => `${name} = ${i}`).join(', ')})`;
    } else {
      const outputSize = product(spec.outputShape);
      const ys = new Float32Array(n * outputSize);
      for (let r = 0; r < n; r++) {
        targetColumns.forEach((c, k) => {
          ys[r * outputSize + k] = numberAt(table, r, c);
        });
      }
      parts.ys = ys;
      parts.ysShape = [n, ...spec.outputShape];
      parts.description += `, target ${targetColumns.map((c) => `"${table.columns[c]}"`).join(', ')}`;
    }
  }
  return toPayload(parts);
}
