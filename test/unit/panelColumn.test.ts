/** Where Train opens a new panel: one training column, whatever is trained after what. */
import * as assert from 'node:assert/strict';
import { BESIDE, trainingColumn } from '../../src/host/training/panelColumn';

describe('trainingColumn: one editor column for the training panels', () => {
  it('beside the active editor when no training panel is open (VS Code’s ViewColumn.Beside)', () => {
    assert.equal(BESIDE, -2);
    assert.equal(trainingColumn([]), BESIDE);
    assert.equal(trainingColumn([undefined, undefined]), BESIDE);
  });

  it('the last active panel’s column first, then any other training panel’s', () => {
    assert.equal(trainingColumn([2, 3]), 2);
    assert.equal(trainingColumn([undefined, 3, 2]), 3);
  });

  it('three models trained in a row: each new panel joins the first one’s column', () => {
    const open: number[] = [];
    for (let i = 0; i < 3; i++) {
      const column = trainingColumn([open.at(-1), ...open]);
      // VS Code puts a Beside panel in the column right of the editor (column 1 here).
      open.push(column === BESIDE ? 2 : column);
    }
    assert.deepEqual(open, [2, 2, 2]);
  });

  it('ignores columns that are not editor columns (Active -1, Beside -2, 0, fractions)', () => {
    assert.equal(trainingColumn([-1, -2, 0, 1.5, 4]), 4);
  });
});
