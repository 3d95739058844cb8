/**
 * Which datasets fit which model: from the analysed input/output shapes, the layer types and
 * the output activation, an ordered list of data choices with a sensible default first
 * (MNIST for digit convnets and 784-wide autoencoders, noisy sines for sequence models, a
 * point cloud for small linear autoencoders, the built-in corpus for embeddings), then
 * random data shaped like the model and the user's own files. A model with one input and one
 * output goes through the rules table of dataRules.ts; word2vec's two one-word inputs and
 * other models with several inputs or outputs are handled here. Pure: no `vscode`, no I/O.
 */
import type { Shape } from '../analysis/types';
import {
  concrete,
  oneToOneModel,
  ONE_TO_ONE_RULES,
  sameShape,
  shapeText,
  skipGramChoice,
  targetFor,
  textFileChoice,
} from './dataRules';
import type { DataChoice, FileTarget, TextSpec } from './dataSpecs';
import type { ModelShapeInfo } from './modelShapeInfo';
import { product } from './payload';
import type { RandomTarget } from './syntheticDatasets';

/** The data choices for a model, default first. Empty when nothing fits (unknown shapes). */
export function pickData(info: ModelShapeInfo): DataChoice[] {
  const inputs = info.inputShapes ?? [];
  const outputs = info.outputShapes ?? [];
  const embedding = info.layerTypes.includes('Embedding');
  const vocabularySize = info.vocabularySize ?? 1000;

  // word2vec skip-gram: two one-word inputs (target, context) → one sigmoid.
  if (inputs.length === 2 && outputs.length === 1 && embedding) {
    const [a, b] = inputs.map(concrete);
    const out = concrete(outputs[0]);
    if (a && b && out && product(a) === 1 && product(b) === 1 && product(out) === 1) {
      const choice = skipGramChoice(vocabularySize, 'xs are [n, 2]: column 0 feeds the first input, column 1 the second');
      return [choice, textFileChoice(choice.spec as TextSpec)];
    }
  }
  if (inputs.length > 1 || outputs.length > 1)
    return severalTensors(info, inputs, outputs, embedding ? vocabularySize : undefined);
  if (inputs.length !== 1 || outputs.length !== 1) return [];
  const input = concrete(inputs[0]);
  const output = concrete(outputs[0]);
  if (!input || !output) return [];
  const model = oneToOneModel(info, input, output, embedding, vocabularySize);
  const choices: DataChoice[] = [];
  for (const rule of ONE_TO_ONE_RULES) choices.push(...rule(model, choices));
  return choices;
}

/**
 * Several inputs or outputs (two towers, wide & deep, a siamese pair, a multi-head model): a row
 * of xs holds every input's values in order, and a row of ys every output's, which the panel
 * splits by their sizes. Random data, or a CSV whose columns are the inputs' values side by
 * side, then the label (one output) or the outputs' values.
 */
function severalTensors(
  info: ModelShapeInfo,
  inputs: Shape[],
  outputs: Shape[],
  vocabularySize: number | undefined,
): DataChoice[] {
  const inShapes = inputs.map(concrete);
  const outShapes = outputs.map(concrete);
  if (inShapes.length === 0 || outShapes.length === 0 || [...inShapes, ...outShapes].some((s) => s === null)) return [];
  const inSizes = (inShapes as number[][]).map(product);
  const outSizes = (outShapes as number[][]).map(product);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const single = outShapes.length === 1 ? outShapes[0]! : null;
  const target: RandomTarget = single !== null ? targetFor(info, single) : { kind: 'real', shape: [sum(outSizes)] };
  const layout = (what: string, sizes: number[]): string =>
    sizes.length > 1
      ? `, each row of ${what} holds ${sizes.join(' + ')} values: the first ${sizes[0]} for the first, and so on`
      : '';
  const split = `${layout('inputs', inSizes)}${layout('targets', outSizes)}`;
  const outText = single !== null ? shapeText(single) : `${outSizes.length} outputs, ${outSizes.join(' + ')} values`;
  const inText = inSizes.length > 1 ? `${inSizes.length} inputs, ${inSizes.join(' + ')} values` : shapeText(inShapes[0]!);
  const files: FileTarget = { inputShape: [sum(inSizes)], outputShape: single ?? [sum(outSizes)] };
  if (target.kind === 'onehot') files.softmaxClasses = target.classes;
  // Word ids only for the inputs shaped like an Embedding's input (the others get numbers);
  // all of them when that does not tell them apart.
  const ids = (inShapes as number[][]).map((s) => (info.embeddingInputs ?? []).some((e) => sameShape(e, s)));
  const tokenColumns: Array<[number, number]> = [];
  if (vocabularySize !== undefined && ids.some((x) => x) && !ids.every((x) => x)) {
    let start = 0;
    inSizes.forEach((size, i) => {
      if (ids[i]) tokenColumns.push([start, start + size]);
      start += size;
    });
  }
  return [
    {
      id: 'random',
      label: `Random data shaped like the model (${inText} → ${outText})`,
      detail: `A smoke test that the model trains end to end (nothing to learn)${split}.`,
      spec: {
        source: 'random',
        xsShape: [sum(inSizes)],
        target,
        ...(vocabularySize !== undefined ? { vocabularySize } : {}),
        ...(tokenColumns.length > 0 ? { tokenColumns } : {}),
      },
    },
    {
      id: 'csv',
      label: 'CSV file from the workspace…',
      detail: `${sum(inSizes)} numeric feature columns, then ${single !== null ? 'the label column' : `${sum(outSizes)} target columns`}${split}.`,
      spec: { source: 'csv', files },
    },
  ];
}
