/**
 * The real-code corpus: model files written by others to run (test/fixtures/real,
 * one folder per GitHub repository, files stored unchanged), analysed statically
 * and held to what the real TensorFlow.js builds when the program runs them
 * (recorded in each folder's cases.json by scripts/realCorpus/record.ts).
 *
 * The product's rule: a shape or count we show is exactly what tfjs computes, or
 * unknown (null). So, per file:
 *  - every model tfjs built must be reported at the same line (else "missing"), but in a
 *    file whose cases.json says why its tfjs cannot be known (`unshown`), while the analysis
 *    says so too (an information diagnostic): "not shown with the reason said";
 *  - a non-null type, line, output shape or count that differs from tfjs is "wrong"
 *    (also a total shown while its layers differ, and a layer list of another length,
 *    unless the model is shown wholly unknown: no layers, no totals);
 *  - null is allowed ("unknown"), and so is a layer of type "Unknown" (the analysis's
 *    stand-in for a layer it cannot read) and a model marked `incomplete` whose known
 *    layers are layers tfjs built, in tfjs's order; where tfjs threw while building a
 *    model (a bug of the program, recorded in `tfjsErrors`), the layers the analysis lists
 *    from that line on may be ones tfjs never made, if they show no shape and no count;
 *  - any error diagnostic is a "false error" (every corpus file builds in tfjs), except
 *    where tfjs throws too: at a line of `tfjsErrors` (recorded: an allowed error the
 *    run met) or of `programErrors` (a bug of the program in code the recorded run does
 *    not reach, e.g. after an `await`: stated by hand with the message tfjs throws, which
 *    the diagnostic must quote). Those are counted as "true errors";
 *  - models the analysis reports that tfjs did not build are printed, not failed.
 * A summary line (exact / unknown / wrong / missing / false errors) is printed at the end.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import { projectModuleHost } from '../../src/node/projectFiles';
import type { LayerResult, ModelResult } from '../../src/analysis/types';

interface ExpectedLayer {
  type: string;
  line: number | null;
  outputShape: unknown;
  params: number | null;
  trainableParams: number | null;
}

interface ExpectedModel {
  line: number;
  kind: string;
  layers: ExpectedLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  how: string;
}

interface CaseFile {
  path: string;
  source: string;
  models: ExpectedModel[];
  tfjsErrors?: { line: number; message: string }[];
  programErrors?: { line: number; tfjs: string; why: string }[];
  /**
   * Why the file's models cannot be shown (stated by hand: tfjs itself is not known statically
   * there). Its missing models are allowed only while the analysis says so in the file.
   */
  unshown?: string;
}

interface RepoCases {
  repo: string;
  commit: string;
  licence: string;
  files: CaseFile[];
}

const REAL = path.resolve(__dirname, '..', 'fixtures', 'real');

function loadRepos(): { dir: string; cases: RepoCases }[] {
  return fs
    .readdirSync(REAL)
    .filter((d) => fs.existsSync(path.join(REAL, d, 'cases.json')))
    .sort()
    .map((d) => ({ dir: d, cases: JSON.parse(fs.readFileSync(path.join(REAL, d, 'cases.json'), 'utf8')) as RepoCases }));
}

/** The type the analysis gives a layer it cannot read (its `unknownReason` says why). */
const UNKNOWN_LAYER = 'Unknown';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown): string => JSON.stringify(v);

type Verdict = 'exact' | 'unknown' | 'wrong' | 'missing';

interface ModelCheck {
  verdict: Verdict;
  problems: string[];
}

/**
 * Compares one analysed model with what tfjs built. `thrownAt`: the first line where tfjs threw
 * while the program ran (recorded `tfjsErrors`): layers the program would add after it never
 * exist, so the analysis may list them if it shows nothing of them (no shape, no count).
 */
function checkModel(actual: ModelResult, expected: ExpectedModel, thrownAt: number | null): ModelCheck {
  const problems: string[] = [];
  let unknown = false;
  const value = (what: string, got: unknown, want: unknown): void => {
    if (got === null || got === undefined) {
      unknown = true;
      return;
    }
    if (want === null || want === undefined) return; // tfjs itself could not say (e.g. no call site in the file)
    if (!same(got, want)) problems.push(`${what}: analysis ${show(got)}, tfjs ${show(want)}`);
  };

  if (actual.kind !== expected.kind) problems.push(`kind: analysis ${actual.kind}, tfjs ${expected.kind}`);

  const totalsUnknown = actual.totalParams === null && actual.trainableParams === null && actual.nonTrainableParams === null;
  // Set (by the analysis) when code it could not decide on may add layers: `layers` lists the known ones.
  const incomplete = (actual as { incomplete?: string }).incomplete;
  const layer = (got: LayerResult, want: ExpectedLayer): void => {
    const at = `layer ${want.type} (line ${want.line})`;
    if (got.type === UNKNOWN_LAYER) {
      unknown = true; // the analysis's stand-in for a layer it cannot read: no type, no line claimed
    } else {
      value(`${at} type`, got.type, want.type);
      value(`${at} line`, got.line, want.line);
    }
    value(`${at} outputShape`, got.outputShape, want.outputShape);
    value(`${at} params`, got.params, want.params);
    value(`${at} trainableParams`, got.trainableParams, want.trainableParams);
  };
  if (actual.layers.length === 0 && totalsUnknown) {
    unknown = true; // shown wholly unknown
  } else if (incomplete !== undefined) {
    // Only part of the layer list is known: each known layer must be one tfjs built, in the same order.
    unknown = true;
    let j = 0;
    for (const got of actual.layers) {
      if (got.type === UNKNOWN_LAYER) continue;
      const matches = (want: ExpectedLayer): boolean => (want.line === null ? want.type === got.type : want.line === got.line);
      while (j < expected.layers.length && !matches(expected.layers[j])) j++;
      if (j === expected.layers.length) {
        problems.push(
          `layer ${got.type} (line ${got.line}): tfjs built no such layer at this place in the model (incomplete: ${incomplete})`,
        );
        break;
      }
      layer(got, expected.layers[j]);
      j++;
    }
  } else if (
    thrownAt !== null &&
    actual.layers.length > expected.layers.length &&
    actual.layers.slice(expected.layers.length).every((l) => l.line >= thrownAt && l.outputShape === null && l.params === null)
  ) {
    unknown = true;
    expected.layers.forEach((want, i) => layer(actual.layers[i]!, want));
  } else if (actual.layers.length !== expected.layers.length) {
    problems.push(
      `layer count: analysis ${actual.layers.length} [${actual.layers.map((l) => l.type).join(', ')}], ` +
        `tfjs ${expected.layers.length} [${expected.layers.map((l) => l.type).join(', ')}]`,
    );
  } else {
    expected.layers.forEach((want, i) => layer(actual.layers[i], want));
  }
  value('totalParams', actual.totalParams, expected.totalParams);
  value('trainableParams', actual.trainableParams, expected.trainableParams);
  value('nonTrainableParams', actual.nonTrainableParams, expected.nonTrainableParams);

  if (problems.length > 0) return { verdict: 'wrong', problems };
  return { verdict: unknown ? 'unknown' : 'exact', problems };
}

const tally = {
  files: 0,
  models: 0,
  exact: 0,
  unknown: 0,
  wrong: 0,
  missing: 0,
  unshown: 0,
  falseErrors: 0,
  trueErrors: 0,
  extra: 0,
};

/** The analysis's information that a file's tfjs is not known, so its models are not shown. */
const SAYS_UNSHOWN = /looks like TensorFlow\.js but is not known statically/;
const extras: string[] = [];

describe('real-code corpus: analysis vs what tfjs builds (test/fixtures/real)', function () {
  const repos = loadRepos();

  it('has at least 30 files from at least 8 repositories, each with its licence note and commit', function () {
    const files = repos.reduce((n, r) => n + r.cases.files.length, 0);
    assert.ok(repos.length >= 8, `${repos.length} repositories`);
    assert.ok(files >= 30, `${files} files`);
    for (const { dir, cases } of repos) {
      assert.match(cases.commit, /^[0-9a-f]{40}$/, `${dir}: commit`);
      assert.equal(dir, cases.repo.replace('/', '__'), `${dir}: folder name vs repo`);
      assert.ok(fs.existsSync(path.join(REAL, dir, 'LICENSE')), `${dir}: LICENSE (or a note) missing`);
      for (const f of cases.files)
        assert.ok(f.models.length > 0, `${dir}/${f.path}: no recorded model (run scripts/realCorpus/record.ts)`);
    }
  });

  for (const { dir, cases } of repos) {
    for (const file of cases.files) {
      it(`${dir}/${file.path}`, function () {
        const stored = path.join(REAL, dir, file.path);
        const text = fs.readFileSync(stored, 'utf8');
        // As the CLI reads a file: with its project's other files (those stored here) reachable.
        const analysis = analyzeSource(stored, text, { modules: projectModuleHost() });
        tally.files++;
        const failures: string[] = [];

        // Where tfjs throws too: recorded, or stated for code the recorded run does not reach.
        const tfjsThrows = (line: number, message: string): boolean =>
          (file.tfjsErrors ?? []).some((e) => e.line === line) ||
          (file.programErrors ?? []).some((e) => e.line === line && message.includes(e.tfjs));
        for (const d of analysis.diagnostics) {
          if (d.severity !== 'error') continue;
          if (tfjsThrows(d.line, d.message)) {
            tally.trueErrors++;
            continue;
          }
          tally.falseErrors++;
          failures.push(`false error at ${d.line}:${d.column}: ${d.message}`);
        }

        const expectedLines = new Set(file.models.map((m) => m.line));
        for (const expected of file.models) {
          tally.models++;
          const actual = analysis.models.find((m) => m.line === expected.line);
          if (!actual) {
            if (file.unshown !== undefined && analysis.diagnostics.some((d) => SAYS_UNSHOWN.test(d.message))) {
              tally.unshown++;
              continue;
            }
            tally.missing++;
            failures.push(
              `missing: tfjs builds a ${expected.kind} model at line ${expected.line} (${expected.layers.length} layers, ` +
                `${expected.totalParams} params; ${expected.how}); analysis reports models at lines ` +
                `[${analysis.models.map((m) => m.line).join(', ')}]`,
            );
            continue;
          }
          const thrownAt = file.tfjsErrors?.length ? Math.min(...file.tfjsErrors.map((e) => e.line)) : null;
          const { verdict, problems } = checkModel(actual, expected, thrownAt);
          tally[verdict]++;
          for (const p of problems) failures.push(`wrong, model at line ${expected.line}: ${p}`);
        }

        for (const m of analysis.models) {
          if (expectedLines.has(m.line)) continue;
          tally.extra++;
          extras.push(
            `${dir}/${file.path}:${m.line} ${m.kind} "${m.name}": ${m.layers.length} layers, ` +
              `params ${m.totalParams} (tfjs built no model at this line when the program runs)`,
          );
        }

        assert.deepEqual(failures, [], `${dir}/${file.path}`);
      });
    }
  }

  after(function () {
    if (extras.length > 0)
      console.log(`real corpus, models the analysis shows that tfjs did not build:\n  ${extras.join('\n  ')}`);
    console.log(
      `real corpus: ${tally.files} files, ${tally.models} models: ${tally.exact} exact, ${tally.unknown} unknown, ` +
        `${tally.wrong} wrong, ${tally.missing} missing, ${tally.unshown} not shown with the reason said; ${tally.falseErrors} false errors, ${tally.trueErrors} true errors (tfjs throws there too); ${tally.extra} extra`,
    );
  });
});
