/**
 * Embedding (tfjs-layers `embeddings.js`).
 */
import { formatShape } from '../../shared/format';
import type { Dim, Shape } from '../types';
import { ShapeError, UnresolvedError } from './layerSpec';
import type { LayerConfig, LayerSpec } from './layerSpec';
import { ConfigProblem, describeValue, isPositiveInt, isUnknownValue, issuesOf, optionValue, posInt } from './configValues';
import { singleInput } from './shapeMath';
import { paramsOf, weight } from './weights';

interface EmbeddingConfig {
  inputDim: number;
  outputDim: number;
  /** `inputLength` as a list (tfjs `toList`), or null when not given. */
  inputLength: Dim[] | null;
}

function parseEmbedding(config: LayerConfig): EmbeddingConfig {
  return { inputDim: posInt(config, 'inputDim', 'embedding'), ...parseShapeOptions(config) };
}

/** What the output shape depends on: not `inputDim`, which only sizes the weights (often read from data). */
function parseShapeOptions(config: LayerConfig): Omit<EmbeddingConfig, 'inputDim'> {
  // Still checked when known: tfjs refuses an embedding without a valid one.
  if (!isUnknownValue(config['inputDim'])) posInt(config, 'inputDim', 'embedding');
  const outputDim = posInt(config, 'outputDim', 'embedding');
  return { outputDim, inputLength: parseInputLength(config) };
}

/** `inputLength`, which alone gives the input shape (the other options may be unknown). */
function parseInputLength(config: LayerConfig): Dim[] | null {
  const v = optionValue(config, 'inputLength');
  let inputLength: Dim[] | null = null;
  if (v !== undefined) {
    const arr = Array.isArray(v) ? v : [v];
    if (!arr.every((d) => d === null || isPositiveInt(d))) {
      throw new ConfigProblem(
        `embedding: \`inputLength\` must be a positive integer (or an array of them), but got ${describeValue(v)}.`,
      );
    }
    inputLength = arr as Dim[];
  }
  return inputLength;
}

/** tfjs `Embedding.computeOutputShape`. */
function embeddingShape(config: LayerConfig, input: Shape): Shape {
  const { outputDim, inputLength } = parseShapeOptions(config);
  if (inputLength === null) return [...input, outputDim];
  const mismatch = (): ShapeError =>
    new ShapeError(
      `embedding: \`inputLength\` is ${describeValue(config.inputLength ?? null)}, but the input shape is ${formatShape(input)}.`,
    );
  if (inputLength.length !== input.length - 1) throw mismatch();
  const lens = inputLength.slice();
  for (let k = 0; k < lens.length; k++) {
    const s1 = lens[k];
    const s2 = input[k + 1];
    if (s1 !== null && s2 !== null && s1 !== s2) throw mismatch();
    if (s1 === null) lens[k] = s2;
  }
  return [input[0], ...lens, outputDim];
}

export const embeddingSpec: LayerSpec = {
  factory: 'embedding',
  className: 'Embedding',
  inputKind: 'single',
  impliedInputShape(config) {
    if (config.inputShape != null || config.batchInputShape != null) return undefined;
    try {
      const inputLength = parseInputLength(config);
      // tfjs gives an embedding without inputShape the input shape [batch, inputLength or null].
      return inputLength === null ? [null] : inputLength.slice();
    } catch (e) {
      // An unknown inputLength is the reason the input shape is unknown: say so (not another option).
      if (e instanceof UnresolvedError) throw e;
      return undefined;
    }
  },
  outputShape(config, input) {
    return embeddingShape(config, singleInput(input, 'embedding'));
  },
  params(config, input) {
    embeddingShape(config, singleInput(input, 'embedding'));
    const { inputDim, outputDim } = parseEmbedding(config);
    return paramsOf([weight([inputDim, outputDim])]);
  },
  configIssues(config) {
    return issuesOf(() => parseEmbedding(config));
  },
};
