/**
 * The "never a wrong number" comparison: every model tfjs builds is reported at its line, and
 * every number, shape and type the analysis shows equals tfjs's; what it does not know is null.
 * An incomplete model may list fewer layers (those known), matched by their line.
 */
import type { AnalysisResult, LayerResult, ModelResult, OutputShape } from '../../src/analysis/types';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisOptions } from '../../src/analysis/analyze';
import { runOracle } from './oracle';
import type { OracleLayer, OracleModel } from './oracle';

export interface SoundnessReport {
  /** Models whose every layer and total is known and equal. */
  exact: number;
  /** Models reported with some values unknown (null), none wrong. */
  unknown: number;
  /** Descriptions of wrong values, missing models and false errors. */
  problems: string[];
}

function sameShape(a: OutputShape | null, b: OutputShape | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compareLayer(where: string, got: LayerResult, want: OracleLayer, problems: string[]): boolean {
  let exact = true;
  // `Unknown` is how the analysis shows a layer whose type it cannot know.
  if (got.type === 'Unknown') exact = false;
  else if (got.type !== want.type) problems.push(`${where}: type ${got.type}, tfjs ${want.type}`);
  if (got.outputShape === null) exact = false;
  else if (!sameShape(got.outputShape, want.outputShape))
    problems.push(`${where}: shape ${JSON.stringify(got.outputShape)}, tfjs ${JSON.stringify(want.outputShape)}`);
  for (const key of ['params', 'trainableParams'] as const) {
    if (got[key] === null) exact = false;
    else if (got[key] !== want[key]) problems.push(`${where}: ${key} ${got[key]}, tfjs ${want[key]}`);
  }
  return exact;
}

/** Compares one file's analysis with the models tfjs built from it. */
export function compareSound(
  label: string,
  analysis: AnalysisResult,
  oracleModels: readonly OracleModel[],
  options: { allowErrors?: boolean } = {},
): SoundnessReport {
  const report: SoundnessReport = { exact: 0, unknown: 0, problems: [] };
  if (!options.allowErrors) {
    for (const d of analysis.diagnostics)
      if (d.severity === 'error') report.problems.push(`${label}:${d.line}: false error: ${d.message}`);
  }
  for (const want of oracleModels) {
    const got: ModelResult | undefined = analysis.models.find((m) => m.line === want.line);
    const where = `${label}:${want.line}`;
    if (!got) {
      report.problems.push(`${where}: model missing (tfjs builds a ${want.kind} model with ${want.layers.length} layers here)`);
      continue;
    }
    const before = report.problems.length;
    let exact = got.incomplete === undefined && got.layers.length === want.layers.length;
    if (got.incomplete === undefined && got.layers.length !== want.layers.length) {
      report.problems.push(
        `${where}: ${got.layers.length} layers, tfjs ${want.layers.length} (and the model is not marked incomplete)`,
      );
    } else if (got.incomplete === undefined) {
      got.layers.forEach((l, i) => {
        if (!compareLayer(`${where} layer ${i} (line ${l.line})`, l, want.layers[i]!, report.problems)) exact = false;
      });
    } else {
      // Incomplete: each layer shown must be one of tfjs's, at its line, with its values.
      for (const l of got.layers) {
        const match = want.layers.find((w) => w.line === l.line && w.type === l.type);
        if (!match) report.problems.push(`${where}: shows a ${l.type} layer at line ${l.line} that tfjs does not build`);
        else compareLayer(`${where} layer at line ${l.line}`, l, match, report.problems);
      }
    }
    for (const key of ['totalParams', 'trainableParams', 'nonTrainableParams'] as const) {
      if (got[key] === null) exact = false;
      else if (got[key] !== want[key]) report.problems.push(`${where}: ${key} ${got[key]}, tfjs ${want[key]}`);
    }
    if (report.problems.length > before) continue;
    if (exact) report.exact++;
    else report.unknown++;
  }
  return report;
}

/**
 * Analyses `source` and runs it with the real tfjs (plus `driver`, the calls its program makes):
 * asserts tfjs builds a model without errors and the analysis shows no number tfjs does not
 * compute. Returns the analysis for the case's own checks.
 */
export function assertSoundAgainstTfjs(
  file: string,
  source: string,
  options: { driver?: string; modules?: Record<string, string>; allowErrors?: boolean; analysis?: AnalysisOptions } = {},
): AnalysisResult {
  const analysis = analyzeSource(file, source, options.analysis);
  const oracle = runOracle(file, { text: source, driver: options.driver, modules: options.modules });
  assert.deepEqual(
    oracle.errors.filter((e) => !e.silent),
    [],
    'tfjs builds the case without errors',
  );
  assert.ok(oracle.models.length > 0, 'tfjs builds at least one model');
  const report = compareSound(path.basename(file), analysis, oracle.models, { allowErrors: options.allowErrors });
  assert.deepEqual(report.problems, []);
  return analysis;
}
