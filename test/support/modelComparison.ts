/** What the analyzer and the tfjs oracle are compared on, shared by the fixture and example tests. */
import type { AnalysisResult, OutputShape } from '../../src/analysis/types';

interface ComparableLayer {
  type: string;
  /** null on the oracle side when no call site in the file was recorded for the layer. */
  line: number | null;
  outputShape: OutputShape | null;
  params: number | null;
  trainableParams: number | null;
}

interface ComparableModel {
  line: number;
  kind: string;
  layers: readonly ComparableLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
}

/** The comparable part of a model (analyzer's ModelResult or the oracle's model). */
export function projectModel<K extends string>(m: ComparableModel & { kind: K }): ComparableModel & { kind: K } {
  return {
    line: m.line,
    kind: m.kind,
    layers: m.layers.map((l) => ({
      type: l.type,
      line: l.line,
      outputShape: l.outputShape,
      params: l.params,
      trainableParams: l.trainableParams,
    })),
    totalParams: m.totalParams,
    trainableParams: m.trainableParams,
    nonTrainableParams: m.nonTrainableParams,
  };
}

export function errorLines(result: AnalysisResult): number[] {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line);
}

export function describeDiagnostics(result: AnalysisResult): string {
  if (result.diagnostics.length === 0) return '  (no diagnostics)';
  return result.diagnostics.map((d) => `  ${d.line}:${d.column} ${d.severity}: ${d.message}`).join('\n');
}
