/** Graph objects → the public result types. */
import { LayerInstance } from './graph/layerGraph';
import type { GraphLayer } from './graph/layerGraph';
import type { SourceSpot } from './diagnostics';
import { outputBytes } from './layers/macs';
import { ModelBuilder } from './graph/modelBuilder';
import { modelBlocks, modelEdges } from './graph/edges';
import type { LayerResult, ModelResult, Shape } from './types';

/**
 * A layer made by an imported module's code (`makeBlock()` from another file) is shown where
 * the analysed file uses it, else at the file's call into that code that made it, else where
 * its model is made.
 */
function localSpot(spot: SourceSpot, layer: GraphLayer, fallback: SourceSpot): SourceSpot {
  if (spot.file === undefined) return spot;
  if (layer.useSpot !== null && layer.useSpot.file === undefined) return layer.useSpot;
  return layer.rootCallSpot ?? fallback;
}

/** A layer's multiply-accumulates per sample; a nested model's, its layers' sum. */
function macsOf(layer: GraphLayer): number | null {
  if (layer instanceof LayerInstance) return layer.outputShape === null ? null : layer.macs;
  if (layer instanceof ModelBuilder) return totalMacs(layer);
  return null;
}

function totalMacs(model: ModelBuilder): number | null {
  let total = 0;
  for (const l of model.layers) {
    const m = macsOf(l);
    if (m === null) return null;
    total += m;
  }
  return total;
}

export function layerResult(layer: GraphLayer, modelSpot: SourceSpot = layer.spot): LayerResult {
  const c = layer.counts();
  const spot = localSpot(layer.spot, layer, modelSpot);
  const use = layer.useSpot === null ? spot : localSpot(layer.useSpot, layer, modelSpot);
  const params = c ? c.trainable + c.nonTrainable : null;
  const r: LayerResult = {
    // A nested model is listed under the name the user knows it by (its variable) unless named.
    name: layer instanceof ModelBuilder && layer.autoNamed && layer.reportName !== null ? layer.reportName : layer.name,
    type: layer.className,
    line: spot.line,
    column: spot.column,
    useLine: use.line,
    inputShape: layer.inputShape,
    outputShape: layer.outputShape,
    params,
    trainableParams: c ? c.trainable : null,
    formula: layer instanceof ModelBuilder ? null : (layer.params?.formula ?? null),
    macs: macsOf(layer),
    outputBytes: outputBytes(layer.outputShape),
    useEnd: { line: use.endLine, column: use.endColumn },
  };
  if (layer.outputShape === null) r.unknownReason = layer.unknownReason ?? 'its input shape is unknown';
  else if (params === null && layer instanceof LayerInstance && layer.uncertain !== undefined)
    r.paramsUnknownReason = layer.uncertain;
  return r;
}

/** A Sequential model with no layers, all its code read: tfjs cannot build or count it (it throws). */
export function isEmptySequential(model: Pick<ModelResult, 'kind' | 'layers' | 'incomplete' | 'totalParams'>): boolean {
  return model.kind === 'sequential' && model.layers.length === 0 && !model.incomplete && model.totalParams === null;
}

export function modelResult(model: ModelBuilder): ModelResult {
  const c = model.counts();
  const shapes = (ts: { shape: Shape | null }[]): Shape[] | null =>
    ts.length > 0 && ts.every((t) => t.shape !== null) ? ts.map((t) => t.shape!) : null;
  const r: ModelResult = {
    name: model.reportName ?? model.name,
    kind: model.kind,
    line: model.spot.line,
    column: model.spot.column,
    layers: model.layers.map((l) => layerResult(l, model.spot)),
    inputShapes: shapes(model.inputs),
    outputShapes: shapes(model.outputs),
    totalParams: c ? c.trainable + c.nonTrainable : null,
    trainableParams: c ? c.trainable : null,
    nonTrainableParams: c ? c.nonTrainable : null,
    totalMacs: model.incomplete === null && !model.emptySequential ? totalMacs(model) : null,
    paramBytes: c ? (c.trainable + c.nonTrainable) * 4 : null,
    training: model.training,
  };
  const edges = modelEdges(model);
  const blocks = modelBlocks(model);
  r.layers.forEach((layer, i) => {
    layer.inputs = edges.inputs[i];
    const block = blocks[i];
    if (block) layer.block = block;
  });
  r.outputs = edges.outputs;
  if (model.incomplete !== null) r.incomplete = model.incomplete;
  r.end = { line: model.spot.endLine, column: model.spot.endColumn };
  return r;
}
