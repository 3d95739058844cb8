/**
 * Applying a layer to symbolic tensors: shape inference through the layer table, the build
 * (parameter count on first application), and the diagnostics tfjs would raise at that point.
 */
import { ShapeError, UnresolvedError } from '../layers/layerSpec';
import { ConfigProblem } from '../layers/configValues';
import type { DiagnosticSink, SourceSpot } from '../diagnostics';
import type { FixHint, OutputShape, Shape } from '../types';
import { layerMacs } from '../layers/macs';
import { GraphNode, LayerInstance, SymTensor } from './layerGraph';
import type { GraphLayer } from './layerGraph';

export interface ApplyContext {
  sink: DiagnosticSink;
}

/** Layers with a `padding` option whose output can shrink to nothing. */
const PADDED = new Set([
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
]);
const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/** A fix at `layer`'s factory call, when the layer is in the analysed file. */
export function hintAt(kind: FixHint['kind'], layer: GraphLayer): FixHint | undefined {
  return layer.spot.file === undefined ? { kind, line: layer.spot.line, column: layer.spot.column } : undefined;
}

/** A recurrent layer fed by one that returns only its last output: that one should return its sequences. */
function sequencesHint(layer: LayerInstance, inputs: readonly SymTensor[]): FixHint | undefined {
  const from = inputs.length === 1 ? inputs[0]!.node.layer : undefined;
  if (
    !RECURRENT.has(layer.className) ||
    !(from instanceof LayerInstance) ||
    !RECURRENT.has(from.className) ||
    from.config['returnSequences'] === true
  )
    return undefined;
  return hintAt('returnSequences', from);
}

const MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);
const CONV_BY_RANK: Record<number, string> = { 3: 'conv1d', 4: 'conv2d', 5: 'conv3d' };

/**
 * A merge of feature maps that differ only in their channels (a residual add after a block that
 * widens): project the narrower input with a 1×1 convolution to the other's channels.
 */
function projectionHint(layer: LayerInstance, inputs: readonly SymTensor[]): FixHint | undefined {
  if (!MERGES.has(layer.className) || inputs.length !== 2) return undefined;
  const [a, b] = inputs.map((t) => t.shape);
  if (!a || !b || a.length !== b.length || CONV_BY_RANK[a.length] === undefined) return undefined;
  if (a.slice(0, -1).some((d, i) => d !== b[i])) return undefined;
  const ca = a[a.length - 1];
  const cb = b[b.length - 1];
  if (ca === null || cb === null || ca === cb) return undefined;
  const hint = hintAt('projectShortcut', layer);
  return hint && { ...hint, input: ca < cb ? 0 : 1, like: ca < cb ? 1 : 0, conv: CONV_BY_RANK[a.length]! };
}

function isShapeList(s: OutputShape): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

function unknownOutputs(layer: GraphLayer, inputs: SymTensor[], reason: string): SymTensor {
  const node = new GraphNode(layer, inputs);
  if (layer.unknownReason === undefined && layer.outputShape === null) layer.unknownReason = reason;
  return new SymTensor(null, node, 0, reason);
}

/** Output tensors for `layer` applied to `inputs` (what `layer.apply(x)` returns). */
export function applyLayer(
  ctx: ApplyContext,
  layer: LayerInstance,
  input: SymTensor | SymTensor[],
  spot: SourceSpot,
  /** Extra inbound tensors that do not change the output shape (an RNN's `initialState`). */
  extra: SymTensor[] = [],
): SymTensor | SymTensor[] {
  const inputs = Array.isArray(input) ? input : [input];
  const inbound = extra.length > 0 ? [...inputs, ...extra] : inputs;
  layer.useSpot ??= spot;
  const kind = layer.spec.inputKind;
  const multi = kind === 'multi' || (kind === 'any' && inputs.length !== 1);
  if (kind === 'multi' && (!Array.isArray(input) || inputs.length < 2)) {
    const got = Array.isArray(input) ? `${inputs.length} input` : 'a single tensor';
    return failApply(
      ctx,
      layer,
      inputs,
      spot,
      `${layer.className} layer \`${layer.name}\` must be applied to an array of at least 2 tensors, but got ${got}.`,
    );
  }
  if (kind === 'single' && inputs.length !== 1) {
    return failApply(
      ctx,
      layer,
      inputs,
      spot,
      `Layer \`${layer.name}\` (${layer.className}) expects 1 input, but it received ${inputs.length} input tensors.`,
    );
  }
  const unknownInput = inputs.find((t) => t.shape === null);
  if (unknownInput) return unknownOutputs(layer, inbound, unknownInput.unknownReason ?? 'its input shape is unknown');

  // An RNN's initial states are extra inputs: tfjs checks them against the cell's state size.
  const withStates = extra.length > 0 && extra.every((t) => t.shape !== null);
  const inShape: OutputShape = multi
    ? inputs.map((t) => t.shape!)
    : withStates
      ? [inputs[0]!.shape!, ...extra.map((t) => t.shape!)]
      : inputs[0]!.shape!;
  let out: OutputShape;
  try {
    out = layer.spec.outputShape(layer.config, inShape);
    if (layer.params === null) {
      try {
        const p = layer.spec.params(layer.config, inShape);
        layer.params = { trainable: p.trainable, nonTrainable: p.nonTrainable, formula: p.formula };
        layer.builtTrainable = layer.config['trainable'] !== false;
      } catch (pe) {
        // An option only the weights depend on (an embedding's `inputDim` read from data): the
        // shape is known, the counts are not.
        if (!(pe instanceof UnresolvedError) || pe instanceof ConfigProblem) throw pe;
        layer.uncertain ??= pe.message;
      }
    }
  } catch (e) {
    if (e instanceof ShapeError && e.shapeTfjsBuilds !== undefined) {
      // tfjs lets this one through and builds on with the shape: so does the analysis.
      ctx.sink.add(
        'error',
        spot,
        e.message,
        PADDED.has(layer.className) && layer.config['padding'] !== 'same' ? hintAt('paddingSame', layer) : undefined,
      );
      out = e.shapeTfjsBuilds;
      if (layer.params === null) {
        try {
          const p = layer.spec.params(layer.config, inShape);
          layer.params = { trainable: p.trainable, nonTrainable: p.nonTrainable, formula: p.formula };
          layer.builtTrainable = layer.config['trainable'] !== false;
        } catch (pe) {
          if (!(pe instanceof ShapeError || pe instanceof UnresolvedError)) throw pe;
        }
      }
      return finishApply(layer, inbound, inShape, out);
    }
    if (e instanceof ShapeError)
      return failApply(ctx, layer, inbound, spot, e.message, sequencesHint(layer, inputs) ?? projectionHint(layer, inputs));
    if (e instanceof UnresolvedError) {
      ctx.sink.add('info', spot, `Shapes from \`${layer.name}\` (${layer.className}) on are not known statically: ${e.message}`);
      return unknownOutputs(layer, inbound, e.message);
    }
    throw e;
  }
  return finishApply(layer, inbound, inShape, out);
}

/** Records the first application's shapes and makes the output tensors. */
function finishApply(
  layer: LayerInstance,
  inbound: SymTensor[],
  inShape: OutputShape,
  out: OutputShape,
): SymTensor | SymTensor[] {
  if (layer.outputShape === null) {
    layer.inputShape = inShape;
    layer.outputShape = out;
    layer.macs = layerMacs(layer.className, layer.config, inShape, out);
  }
  const node = new GraphNode(layer, inbound);
  if (isShapeList(out)) return out.map((s, i) => new SymTensor(s, node, i));
  return new SymTensor(out as Shape, node, 0);
}

/** Reports an error at `spot` for `layer` and returns an unknown output. */
export function failApply(
  ctx: ApplyContext,
  layer: GraphLayer,
  inputs: SymTensor[],
  spot: SourceSpot,
  message: string,
  fix?: FixHint,
): SymTensor {
  ctx.sink.add('error', spot, message, fix);
  if (layer.outputShape === null) {
    // What the layer was applied to is known, only its output is not: keep the input shape and
    // the error itself for the layer (the hover shows both); later layers get the short reason.
    if (layer.inputShape === null && inputs.length > 0 && inputs.every((t) => t.shape !== null)) {
      layer.inputShape = inputs.length === 1 ? inputs[0]!.shape : inputs.map((t) => t.shape!);
    }
    layer.unknownReason ??= message;
  }
  return unknownOutputs(layer, inputs, `\`${layer.name}\` has a shape error`);
}

/** The source tensor of a layer with a known input shape: an InputLayer node and its tensor. */
export function createInputTensor(inputLayer: LayerInstance, batchShape: Shape | null, reason?: string): SymTensor {
  const node = new GraphNode(inputLayer, []);
  inputLayer.outputShape = batchShape;
  inputLayer.inputShape = batchShape;
  inputLayer.params = { trainable: 0, nonTrainable: 0, formula: '' };
  inputLayer.macs = 0;
  if (batchShape === null && reason !== undefined) inputLayer.unknownReason = reason;
  return new SymTensor(batchShape, node, 0, reason);
}
