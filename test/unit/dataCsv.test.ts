import * as assert from 'node:assert/strict';
import { csvDataset, parseCsv } from '../../src/data/csv';

const IRIS = `sepal_length,sepal_width,petal_length,petal_width,species
5.1,3.5,1.4,0.2,setosa
7.0,3.2,4.7,1.4,versicolor
6.3,3.3,6.0,2.5,virginica
4.9,3.0,1.4,0.2,setosa
`;

function floats(buffer: ArrayBuffer | undefined): number[] {
  assert.ok(buffer);
  return [...new Float32Array(buffer)];
}

describe('CSV data', () => {
  describe('parseCsv', () => {
    it('detects a header and keeps the data rows', () => {
      const table = parseCsv(IRIS, 'data/iris.csv');
      assert.equal(table.hasHeader, true);
      assert.deepEqual(table.columns, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
      assert.equal(table.rows.length, 4);
      assert.deepEqual(table.rowLines, [2, 3, 4, 5]);
    });

    it('no header when the first row is numeric; columns are numbered', () => {
      const table = parseCsv('1,2,3\n4,5,6\n', 'a.csv');
      assert.equal(table.hasHeader, false);
      assert.deepEqual(table.columns, ['column 1', 'column 2', 'column 3']);
      assert.equal(table.rows.length, 2);
    });

    it('semicolons, tabs, quotes, CRLF, BOM, blank and # comment lines', () => {
      const semi = parseCsv('\uFEFFa;b\r\n1,5;2\r\n\r\n# note\r\n3;4\r\n', 's.csv');
      assert.deepEqual(semi.columns, ['a', 'b']);
      assert.deepEqual(semi.rows, [
        ['1,5', '2'],
        ['3', '4'],
      ]);
      const tabs = parseCsv('x\ty\n1\t2\n', 't.tsv');
      assert.deepEqual(tabs.rows, [['1', '2']]);
      const quoted = parseCsv('name,value\n"Smith, J.",1\n"say ""hi""",2\n', 'q.csv');
      assert.deepEqual(quoted.rows, [
        ['Smith, J.', '1'],
        ['say "hi"', '2'],
      ]);
    });

    it('empty file: names the file', () => {
      assert.throws(() => parseCsv('', 'data/empty.csv'), {
        message: 'data/empty.csv: the file is empty (no rows to train on).',
      });
      assert.throws(() => parseCsv('\n  \n', 'data/blank.csv'), /data\/blank.csv: the file is empty/);
      assert.throws(() => parseCsv('a,b,c\n', 'data/header.csv'), {
        message: 'data/header.csv: the file has a header but no data rows.',
      });
    });

    it('ragged rows: names the file, the line and both column counts', () => {
      assert.throws(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'data/ragged.csv'), {
        message: 'data/ragged.csv, line 3: expected 3 columns (as in the header), found 2.',
      });
      assert.throws(() => parseCsv('1,2\n3,4,5\n', 'r.csv'), {
        message: 'r.csv, line 2: expected 2 columns (as in line 1), found 3.',
      });
    });
  });

  describe('csvDataset', () => {
    it('softmax over k classes: text labels one-hot (sorted), features as xs', () => {
      const d = csvDataset(parseCsv(IRIS, 'data/iris.csv'), { inputShape: [4], outputShape: [3], softmaxClasses: 3 });
      assert.deepEqual(d.xsShape, [4, 4]);
      assert.deepEqual(d.ysShape, [4, 3]);
      assert.deepEqual(
        floats(d.xs)
          .slice(0, 4)
          .map((v) => Math.round(v * 10) / 10),
        [5.1, 3.5, 1.4, 0.2],
      );
      assert.deepEqual(floats(d.ys), [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
      assert.deepEqual([...new Int32Array(d.labels as ArrayBuffer)], [0, 1, 2, 0]);
      assert.equal(d.id, 'csv:data/iris.csv');
      assert.match(d.description, /label "species" \(3 classes\)/);
    });

    it('a chosen label column, by name or index', () => {
      const csv = 'y,a,b\n1,2,3\n0,4,5\n';
      const byName = csvDataset(parseCsv(csv, 'c.csv'), { inputShape: [2], outputShape: [1], labelColumn: 'y' });
      assert.deepEqual(floats(byName.xs), [2, 3, 4, 5]);
      assert.deepEqual(floats(byName.ys), [1, 0]);
      const byIndex = csvDataset(parseCsv(csv, 'c.csv'), { inputShape: [2], outputShape: [1], labelColumn: 0 });
      assert.deepEqual(floats(byIndex.ys), [1, 0]);
      assert.throws(() => csvDataset(parseCsv(csv, 'c.csv'), { inputShape: [2], outputShape: [1], labelColumn: 'z' }), {
        message: 'c.csv: there is no column "z" (columns: y, a, b).',
      });
    });

    it('regression with k outputs takes the last k columns; integer classes are used as they are', () => {
      const d = csvDataset(parseCsv('1,2,3,4\n5,6,7,8\n', 'r.csv'), { inputShape: [2], outputShape: [2] });
      assert.deepEqual(floats(d.xs), [1, 2, 5, 6]);
      assert.deepEqual(floats(d.ys), [3, 4, 7, 8]);
      const classes = csvDataset(parseCsv('1,2,0\n3,4,2\n', 'k.csv'), { inputShape: [2], outputShape: [3], softmaxClasses: 3 });
      assert.deepEqual(floats(classes.ys), [1, 0, 0, 0, 0, 1]);
    });

    it('autoencoder: every column is an input, no ys; rows reshape to the input shape', () => {
      const d = csvDataset(parseCsv('1,2,3,4\n5,6,7,8\n', 'ae.csv'), { inputShape: [2, 2], outputShape: null });
      assert.deepEqual(d.xsShape, [2, 2, 2]);
      assert.equal(d.ys, undefined);
    });

    it('non-numeric cells: names the file, line, column name and number', () => {
      const table = parseCsv('a,b,label\n1,2,0\n3,oops,1\n', 'data/bad.csv');
      assert.throws(() => csvDataset(table, { inputShape: [2], outputShape: [1] }), {
        message: 'data/bad.csv, line 3, column "b" (2): "oops" is not a number.',
      });
      const empty = parseCsv('a,b,label\n1,,0\n', 'data/hole.csv');
      assert.throws(() => csvDataset(empty, { inputShape: [2], outputShape: [1] }), {
        message: 'data/hole.csv, line 2, column "b" (2): the cell is empty.',
      });
    });

    it('shape mismatches: expected and found', () => {
      assert.throws(
        () => csvDataset(parseCsv(IRIS, 'data/iris.csv'), { inputShape: [28, 28, 1], outputShape: [10], softmaxClasses: 10 }),
        {
          message:
            'data/iris.csv: the model expects inputs of shape [28, 28, 1] (784 values per row), but the file has 4 feature columns (sepal_length, sepal_width, petal_length, petal_width).',
        },
      );
      assert.throws(() => csvDataset(parseCsv(IRIS, 'data/iris.csv'), { inputShape: [4], outputShape: [2], softmaxClasses: 2 }), {
        message:
          'data/iris.csv: label column "species" has 3 different values (setosa, versicolor, virginica), but the model\'s softmax has 2 classes.',
      });
      assert.throws(() => csvDataset(parseCsv('1,2,7\n', 'k.csv'), { inputShape: [2], outputShape: [3], softmaxClasses: 3 }), {
        message:
          'k.csv, line 1: label column "column 3" has "7", but the model\'s softmax has 3 classes (expected an integer 0–2).',
      });
    });

    it('two text labels for a single sigmoid unit become 0 and 1', () => {
      const d = csvDataset(parseCsv('a,b,spam\n1,2,no\n3,4,yes\n', 's.csv'), { inputShape: [2], outputShape: [1] });
      assert.deepEqual(floats(d.ys), [0, 1]);
      assert.match(d.description, /no = 0, yes = 1/);
    });
  });
});
