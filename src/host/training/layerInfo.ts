/**
 * The layers of the model to train as the panel gets them (`ModelTarget.layers`): the
 * analysis's names, types, lines, shapes and counts, in tfjs's `model.layers` order; a model
 * used as a layer carries its own layers, so the panel names every layer as the lenses do.
 * Pure: no `vscode`.
 */
import type { LayerResult, ModelResult } from '../../analysis/types';
import type { LayerInfo } from '../../shared/messages';

/** Layer types that are models used as layers. */
const NESTED_TYPES = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);

/** A layer for the panel; a nested model's own layers are found by its line, as the lenses do. */
function toLayerInfo(layer: LayerResult, owner: ModelResult, all: readonly ModelResult[], depth: number): LayerInfo {
  const info: LayerInfo = {
    name: layer.name,
    type: layer.type,
    line: layer.line,
    outputShape: layer.outputShape,
    params: layer.params,
  };
  if (NESTED_TYPES.has(layer.type) && depth < 4) {
    const nested = all.find((m) => m !== owner && m.line === layer.line);
    if (nested) info.layers = nested.layers.map((l) => toLayerInfo(l, nested, all, depth + 1));
  }
  return info;
}

/** `model`'s layers for the panel; `all` are the file's models (where nested ones are found). */
export function layerInfos(model: ModelResult, all: readonly ModelResult[]): LayerInfo[] {
  return model.layers.map((layer) => toLayerInfo(layer, model, all, 0));
}
