/**
 * Every fixture model file, analysed statically by `analyzeSource` and run for
 * real through TensorFlow.js by the oracle: the two must agree.
 *
 * - models/*: same models (lines, kind, name from fixtures.json), same layers in
 *   tfjs's `model.layers` order (type, line, outputShape, params, trainable
 *   params), same totals, and no error diagnostics.
 * - broken/*: tfjs (or the oracle's Keras checks) must find at least one error,
 *   and the analyzer must report an error diagnostic on each such line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import { runOracle } from '../support/oracle';
import { describeDiagnostics, errorLines, projectModel } from '../support/modelComparison';
import { FIXTURES, fixtureFiles, fixturePath, isBrokenFixture } from '../support/fixtureFiles';

interface FixtureRow {
  file: string;
  system: string;
  modelNames?: string[];
  note?: string;
}

const rows = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fixtures.json'), 'utf8')) as FixtureRow[];

describe('fixtures: analyzer vs real tfjs (oracle)', function () {
  it('fixtures.json has exactly one row per fixture file', function () {
    const listed = rows.map((r) => r.file);
    assert.deepEqual(
      [...listed].sort(),
      fixtureFiles().sort(),
      'fixtures.json rows vs fixture files (test/fixtures/{models,broken}, examples)',
    );
    assert.equal(new Set(listed).size, listed.length, 'duplicate rows in fixtures.json');
    for (const row of rows) {
      if (!isBrokenFixture(row.file)) {
        assert.ok(Array.isArray(row.modelNames) && row.modelNames.length > 0, `${row.file}: modelNames missing`);
      }
    }
  });

  for (const row of rows) {
    const broken = isBrokenFixture(row.file);
    it(`${row.file}: ${row.system}`, function () {
      const file = fixturePath(row.file);
      const text = fs.readFileSync(file, 'utf8');
      const oracle = runOracle(file, { text });
      const analyzed = analyzeSource(file, text);

      if (broken) {
        assert.ok(oracle.errors.length > 0, `${row.file} is meant to be broken, but tfjs (and the oracle's checks) accept it`);
        const lines = errorLines(analyzed);
        for (const err of oracle.errors) {
          assert.ok(err.line !== null, `tfjs error without a fixture line: ${err.message}`);
          assert.ok(
            lines.includes(err.line),
            `expected an error diagnostic on line ${err.line} (tfjs${err.silent ? ', silent' : ''}: ${err.message});` +
              ` the analyzer reported:\n${describeDiagnostics(analyzed)}`,
          );
        }
        return;
      }

      // The fixture itself must be valid for tfjs, and the table must match it.
      assert.deepEqual(oracle.errors, [], `${row.file} is not a valid model file for tfjs: ${JSON.stringify(oracle.errors)}`);
      const names = row.modelNames ?? [];
      assert.equal(oracle.models.length, names.length, `fixtures.json modelNames vs models tfjs created in ${row.file}`);

      // No error diagnostics on a valid file.
      const errs = analyzed.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errs, [], `unexpected error diagnostics:\n${describeDiagnostics(analyzed)}`);

      // Same models, same lines.
      const models = [...analyzed.models].sort((a, b) => a.line - b.line);
      assert.deepEqual(
        models.map((m) => m.line),
        oracle.models.map((m) => m.line),
        'model creation lines (analyzer vs tfjs)',
      );
      assert.deepEqual(
        models.map((m) => m.name),
        names,
        'model names (analyzer vs fixtures.json)',
      );

      // Each model in full.
      models.forEach((m, i) => {
        assert.deepEqual(
          projectModel(m),
          projectModel(oracle.models[i]),
          `model "${names[i]}" (line ${m.line}): analyzer (actual) vs tfjs (expected)`,
        );
      });
    });
  }
});
