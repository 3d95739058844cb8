/**
 * What the data picker needs to know about a model, read from its analysis: the shapes of its
 * inputs and outputs, its layer types (nested models expanded), its output activation and its
 * embeddings. Pure: no `vscode`, no I/O.
 */
import type { ModelResult, Shape } from '../analysis/types';

/** What the picker needs to know about a model. */
export interface ModelShapeInfo {
  name: string;
  /** Per input, the shape including the batch dimension (`[null, 28, 28, 1]`). */
  inputShapes: Shape[] | null;
  outputShapes: Shape[] | null;
  /** Layer class names in order, nested models expanded (`InputLayer` left out). */
  layerTypes: string[];
  /** Activation of the output layer (`softmax`, `sigmoid`, `linear`...), null when unknown. */
  outputActivation: string | null;
  /** `inputDim` of the first Embedding layer, when the model has one. */
  vocabularySize: number | null;
  /** Per-sample input shapes of the Embedding layers (which of several inputs take word ids). */
  embeddingInputs?: number[][];
}

const NESTED = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);

/** The picker's view of an analysed model; nested models are expanded through `all`. */
export function modelShapeInfo(model: ModelResult, all: readonly ModelResult[], outputActivation: string | null): ModelShapeInfo {
  const layerTypes: string[] = [];
  let vocabularySize: number | null = null;
  const embeddingInputs: number[][] = [];
  const visit = (m: ModelResult, depth: number): void => {
    for (const layer of m.layers) {
      const nested = NESTED.has(layer.type) ? all.find((o) => o !== m && o.line === layer.line) : undefined;
      if (nested && depth < 4) {
        visit(nested, depth + 1);
        continue;
      }
      if (layer.type === 'InputLayer') continue;
      layerTypes.push(layer.type);
      const input = layer.inputShape;
      if (
        layer.type === 'Embedding' &&
        Array.isArray(input) &&
        !Array.isArray(input[0]) &&
        input.slice(1).every((d) => typeof d === 'number')
      ) {
        embeddingInputs.push(input.slice(1) as number[]);
      }
      if (layer.type === 'Embedding' && vocabularySize === null && layer.params != null) {
        const out = layer.outputShape;
        const dim = Array.isArray(out) && !Array.isArray(out[0]) ? (out[out.length - 1] as number | null) : null;
        if (dim) vocabularySize = Math.round(layer.params / dim);
      }
    }
  };
  visit(model, 0);
  return {
    name: model.name,
    inputShapes: model.inputShapes,
    outputShapes: model.outputShapes,
    layerTypes,
    outputActivation,
    vocabularySize,
    embeddingInputs,
  };
}
