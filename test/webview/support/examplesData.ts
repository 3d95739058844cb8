/**
 * The data the product gives a model of examples/, small: the host's own choice (the first of
 * dataPicker's choices, "recommended"), made by the same builtinDataset as the host's
 * datasetLoader, then cut to a few samples spread over the whole set (so every class /
 * frequency band is in it).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../../src/analysis/analyze';
import type { AnalysisResult, ModelResult } from '../../../src/analysis/types';
import { pickData } from '../../../src/data/dataPicker';
import type { DataChoice } from '../../../src/data/dataSpecs';
import { modelShapeInfo } from '../../../src/data/modelShapeInfo';
import { builtinDataset } from '../../../src/data/builtinDataset';
import { outputActivation, parseSource } from '../../../src/host/training/sourceModels';
import { trainDefaults } from '../../../src/host/training/trainDefaults';
import type { DatasetPayload, TrainConfig } from '../../../src/shared/messages';

export interface ExampleModel {
  file: string;
  model: ModelResult;
  /** The picker's default ("recommended") choice; undefined when no data fits. */
  choice: DataChoice | undefined;
  /** What the panel would start with (trainDefaults). */
  config: TrainConfig;
  /** The module exports its own trainStep (the panel runs it instead of model.fit's loss). */
  customStep: boolean;
  /** Is it the first model of its file? */
  first: boolean;
}

export interface ExampleFile {
  file: string;
  analysis: AnalysisResult;
  models: ExampleModel[];
}

/** Analyses an example like the host does and lists its models with their data and config. */
export function describeExample(repo: string, file: string): ExampleFile {
  const entryPath = path.join(repo, file);
  const text = readFileSync(entryPath, 'utf8');
  const analysis = analyzeSource(entryPath, text);
  const source = parseSource(entryPath, text);
  const customStep = /export\s+(async\s+)?function\s+trainStep\b|export\s+const\s+trainStep\b/.test(text);
  const models = analysis.models.map((model, i): ExampleModel => {
    const activation = outputActivation(source, model, analysis.models);
    const choice = pickData(modelShapeInfo(model, analysis.models, activation))[0];
    const config = trainDefaults({
      hints: model.training,
      outputActivation: activation,
      inputShape: model.inputShapes?.[0]?.slice(1) ?? null,
      outputShape: model.outputShapes?.[0]?.slice(1) ?? null,
    });
    return { file, model, choice, config, customStep, first: i === 0 };
  });
  return { file, analysis, models };
}

/** `count` samples evenly spread over the dataset (xs, ys and labels alike). */
export function takeSamples(payload: DatasetPayload, count: number): DatasetPayload {
  const n = payload.xsShape[0] ?? 0;
  if (n <= count) return payload;
  const pick = (buffer: ArrayBuffer, shape: number[]): ArrayBuffer => {
    const rows = shape[0] ?? n;
    const bytes = buffer.byteLength / rows;
    const out = new Uint8Array(count * bytes);
    const from = new Uint8Array(buffer);
    for (let i = 0; i < count; i++) {
      const row = Math.floor((i * rows) / count);
      out.set(from.subarray(row * bytes, (row + 1) * bytes), i * bytes);
    }
    return out.buffer;
  };
  const result: DatasetPayload = {
    ...payload,
    xs: pick(payload.xs, payload.xsShape),
    xsShape: [count, ...payload.xsShape.slice(1)],
  };
  if (payload.ys !== undefined && payload.ysShape !== undefined) {
    result.ys = pick(payload.ys, payload.ysShape);
    result.ysShape = [count, ...payload.ysShape.slice(1)];
  }
  if (payload.labels !== undefined) result.labels = pick(payload.labels, [n]);
  return result;
}

/** The dataset the host would load for `choice` (built-in sources only), cut to `count` samples. */
export function exampleDataset(choice: DataChoice, count: number): DatasetPayload {
  const dataset = builtinDataset(choice, count);
  if (dataset === null) throw new Error(`${choice.id}: a workspace file, not a built-in dataset`);
  return takeSamples(dataset, count);
}
