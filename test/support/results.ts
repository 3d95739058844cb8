/** Hand-made analysis results for the tests of what shows them (lenses, hovers, the CLI's tables). */
import type { LayerResult } from '../../src/analysis/types';

/** A layer result with the given fields; the rest empty (unknown shapes, no params). */
export function layerResult(overrides: Partial<LayerResult> & Pick<LayerResult, 'name' | 'type'>): LayerResult {
  const line = overrides.line ?? 1;
  return {
    line,
    column: 1,
    useLine: line,
    inputShape: null,
    outputShape: null,
    params: 0,
    trainableParams: 0,
    formula: '',
    ...overrides,
  };
}
