/**
 * Inlay hints, the alternative to CodeLenses (`modelLens.display`): the output shape and count
 * at the end of each call that adds or applies a layer, and the model's totals at the end of
 * the call that creates it, so the file does not grow taller. Plain data, no `vscode`.
 */
import type { AnalysisResult, LayerResult } from '../analysis/types';
import { isNestedModelLayer, layerHoverMarkdown, layerLensTitle, modelHoverMarkdown, modelLensTitle } from './lensModel';

export interface HintDescriptor {
  /** 1-based position the hint is drawn at (just after the call). */
  line: number;
  column: number;
  label: string;
  /** Hover markdown, as the CodeLens line's hover. */
  tooltip: string;
}

/** What the display setting shows. */
export type DisplayMode = 'codeLens' | 'inlayHints' | 'both';

export function showsCodeLenses(mode: DisplayMode): boolean {
  return mode !== 'inlayHints';
}

export function showsInlayHints(mode: DisplayMode): boolean {
  return mode !== 'codeLens';
}

/** Beyond this many distinct layer titles at one position the hint says "… +N more". */
const MAX_TITLES = 4;

export function computeInlayHints(result: AnalysisResult): HintDescriptor[] {
  const hints: HintDescriptor[] = [];
  for (const model of result.models) {
    if (!model.end) continue;
    hints.push({
      line: model.end.line,
      column: model.end.column,
      label: modelLensTitle(model),
      tooltip: modelHoverMarkdown(model),
    });
  }
  // Layers used by the same call (a loop, a helper called twice) share one hint.
  const byPosition = new Map<string, LayerResult[]>();
  const seen = new Set<string>();
  for (const model of result.models) {
    for (const layer of model.layers) {
      if (!layer.useEnd || isNestedModelLayer(layer) || layer.type === 'InputLayer') continue;
      const id = `${layer.name}@${layer.line}:${layer.column}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const key = `${layer.useEnd.line}:${layer.useEnd.column}`;
      const group = byPosition.get(key);
      if (group) group.push(layer);
      else byPosition.set(key, [layer]);
    }
  }
  for (const layers of byPosition.values()) {
    const end = layers[0]!.useEnd!;
    const counts = new Map<string, number>();
    for (const layer of layers) counts.set(layerLensTitle(layer), (counts.get(layerLensTitle(layer)) ?? 0) + 1);
    const titles = [...counts].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t));
    const shown = titles.slice(0, MAX_TITLES);
    if (titles.length > shown.length) shown.push(`… +${titles.length - shown.length} more`);
    hints.push({
      line: end.line,
      column: end.column,
      label: shown.join(' | '),
      tooltip: layers.map(layerHoverMarkdown).join('\n\n---\n\n'),
    });
  }
  return hints.sort((a, b) => a.line - b.line || a.column - b.column);
}
