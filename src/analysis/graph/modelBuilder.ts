/**
 * Models: `tf.sequential()` (+ `add`) and `tf.model({inputs, outputs})`, and models used as
 * layers inside other models. Follows tfjs's Sequential.add / Container rules.
 */
import { formatShape } from '../../shared/format';
import { ShapeError, UnknownValue, UnresolvedError } from '../layers/layerSpec';
import type { SourceSpot } from '../diagnostics';
import type { OutputShape, Shape, TrainingHints } from '../types';
import { applyLayer, createInputTensor, failApply, hintAt } from './applyLayer';
import type { ApplyContext } from './applyLayer';
import { GraphNode, LayerInstance, SymTensor, UnknownLayer, newId, orderFunctionalLayers } from './layerGraph';
import type { BuiltParams, GraphLayer } from './layerGraph';

/** Makes the implicit InputLayer that tfjs creates for a Sequential's first layer. */
export type InputLayerFactory = (name: string, spot: SourceSpot) => LayerInstance;

export class ModelBuilder implements GraphLayer {
  readonly id = newId();
  readonly className: 'Sequential' | 'Model';
  inboundNodes: GraphNode[] = [];
  useSpot: SourceSpot | null = null;
  rootCallSpot?: SourceSpot;
  unknownReason?: string;
  trainable = true;
  layers: GraphLayer[] = [];
  inputs: SymTensor[] = [];
  outputs: SymTensor[] = [];
  /** The name reported for the model (its variable or function); set by the evaluator. */
  reportName: string | null = null;
  /** True when tfjs would generate the name (`sequential_1`): no `name` option was given. */
  autoNamed = true;
  /** What `compile`/`fit` calls on this model said. */
  training: TrainingHints = {};
  /**
   * Why the layer list may differ from tfjs's (layers added by code the analysis could not
   * decide on); null when it is complete. An incomplete model has no known totals.
   */
  incomplete: string | null = null;
  /** The nodes reachable from `outputs`, found when a functional model is built (its edges are theirs). */
  reached: { outputs: SymTensor[]; nodes: readonly GraphNode[] } | null = null;

  constructor(
    readonly kind: 'sequential' | 'functional',
    public name: string,
    readonly spot: SourceSpot,
  ) {
    this.className = kind === 'sequential' ? 'Sequential' : 'Model';
  }

  get inputShape(): OutputShape | null {
    return shapesOf(this.inputs);
  }
  get outputShape(): OutputShape | null {
    return shapesOf(this.outputs);
  }
  get params(): BuiltParams | null {
    const c = this.counts();
    return c && { trainable: c.trainable, nonTrainable: c.nonTrainable, formula: null };
  }

  setTrainable(value: boolean): void {
    for (const layer of this.layers) if (layer instanceof LayerInstance) layer.weightsTrainable = value;
    this.trainable = value;
  }

  /** Marks the layer list as not fully known: later layers of a Sequential get an unknown input. */
  markIncomplete(reason: string): void {
    this.incomplete ??= reason;
    if (this.kind === 'sequential') {
      const node = new GraphNode(new UnknownLayer('Unknown', 'unknown', this.spot, reason), []);
      this.outputs = [new SymTensor(null, node, 0, reason)];
    }
  }

  /** A Sequential with no layers: tfjs cannot build (so cannot count) it; it throws, not 0. */
  get emptySequential(): boolean {
    return this.kind === 'sequential' && this.layers.length === 0;
  }

  counts(): { trainable: number; nonTrainable: number } | null {
    if (this.incomplete !== null || this.emptySequential) return null;
    let trainable = 0;
    let total = 0;
    for (const layer of this.layers) {
      const c = layer.counts();
      if (c === null) return null;
      trainable += c.trainable;
      total += c.trainable + c.nonTrainable;
    }
    if (!this.trainable) trainable = 0;
    return { trainable, nonTrainable: total - trainable };
  }

  /** `model.add(layer)` of a Sequential. */
  add(ctx: ApplyContext, layer: GraphLayer, spot: SourceSpot, makeInput: InputLayerFactory): void {
    if (layer instanceof ModelBuilder && layer.incomplete !== null && (layer.outputs.length !== 1 || layer.inputs.length !== 1)) {
      // A model whose inputs and outputs are not known: tfjs adds it; what comes out is unknown.
      layer.useSpot ??= spot;
      const node = new GraphNode(layer, this.outputs.slice(0, 1));
      this.outputs = [
        new SymTensor(null, node, 0, `the outputs of \`${layer.reportName ?? layer.name}\` are not known statically`),
      ];
      this.layers.push(layer);
      return;
    }
    if (layer instanceof ModelBuilder && (layer.outputs.length !== 1 || layer.inputs.length !== 1)) {
      ctx.sink.add(
        'error',
        spot,
        `All layers in a Sequential model should have a single input and output tensor; \`${layer.reportName ?? layer.name}\` has ${layer.inputs.length} inputs and ${layer.outputs.length} outputs. Use the functional API (tf.model) for multi-input or multi-output models.`,
      );
      this.markBroken(layer, `\`${layer.name}\` cannot be added to a Sequential model`);
      return;
    }
    layer.useSpot ??= spot;
    if (this.outputs.length === 0) {
      this.addFirst(ctx, layer, spot, makeInput);
    } else if (this.outputs[0]!.shape === null && this.outputs[0]!.unknownReason?.startsWith('broken:')) {
      layer.unknownReason ??= this.outputs[0]!.unknownReason.slice(7);
    } else {
      const out = applyAny(ctx, layer, this.outputs[0]!, spot);
      if (Array.isArray(out)) {
        ctx.sink.add(
          'error',
          spot,
          `All layers in a Sequential model should have a single output tensor, but \`${layer.name}\` returns ${out.length}. For multi-output layers (e.g. returnState: true), use the functional API.`,
        );
        this.outputs = [new SymTensor(null, out[0]!.node, out.length, `\`${layer.name}\` returns several tensors`)];
      } else {
        this.outputs = [out];
      }
    }
    this.layers.push(layer);
  }

  private addFirst(ctx: ApplyContext, layer: GraphLayer, spot: SourceSpot, makeInput: InputLayerFactory): void {
    if (layer instanceof ModelBuilder) {
      this.inputs = layer.inputs;
      this.outputs = layer.outputs;
      return;
    }
    if (!(layer instanceof LayerInstance)) {
      // A first layer the analysis cannot read: the model's input, and every shape after, is unknown.
      const reason = layer.unknownReason ?? `\`${layer.name}\` is not known statically`;
      const input = createInputTensor(makeInput(`${layer.name}_input`, spot), null, reason);
      this.inputs = [input];
      const out = applyAny(ctx, layer, input, spot);
      this.outputs = [Array.isArray(out) ? out[0]! : out];
      return;
    }
    if (layer.inboundNodes.length > 0) {
      this.outputs = layer.inboundNodes[0]!.outputs.slice(0, 1);
      this.inputs = this.outputs.length > 0 ? sourceInputs(this.outputs[0]!) : [];
      return;
    }
    let batchShape: Shape | undefined;
    try {
      batchShape = batchInputShapeOf(layer);
    } catch (e) {
      if (!(e instanceof UnresolvedError)) throw e;
      const input = createInputTensor(makeInput(`${layer.name}_input`, spot), null, e.message);
      ctx.sink.add(
        'info',
        spot,
        `Shapes of this model are not known statically: for the input shape of \`${layer.name}\`, ${e.message}`,
      );
      this.inputs = [input];
      const out = applyAny(ctx, layer, input, spot);
      this.outputs = [Array.isArray(out) ? out[0]! : out];
      return;
    }
    if (batchShape === undefined) {
      ctx.sink.add(
        'error',
        spot,
        `The first layer in a Sequential model must get an \`inputShape\` or \`batchInputShape\` argument: tfjs cannot build \`${layer.name}\` (${layer.className}) without knowing its input. Add e.g. \`inputShape: [28, 28, 1]\`.`,
        hintAt('inputShape', layer),
      );
      this.markBroken(layer, 'the first layer has no input shape');
      return;
    }
    const input = createInputTensor(makeInput(`${layer.name}_input`, spot), batchShape);
    this.inputs = [input];
    const out = applyAny(ctx, layer, input, spot);
    this.outputs = [Array.isArray(out) ? out[0]! : out];
    if (Array.isArray(out))
      ctx.sink.add(
        'error',
        spot,
        `All layers in a Sequential model should have a single output tensor, but \`${layer.name}\` returns ${out.length}. Use the functional API for multi-output layers.`,
      );
  }

  private markBroken(layer: GraphLayer, reason: string): void {
    const node = new GraphNode(layer, []);
    this.outputs = [new SymTensor(null, node, 0, `broken:${reason}`)];
    layer.unknownReason ??= reason;
  }
}

function shapesOf(tensors: SymTensor[]): OutputShape | null {
  if (tensors.length === 0 || tensors.some((t) => t.shape === null)) return null;
  return tensors.length === 1 ? tensors[0]!.shape! : tensors.map((t) => t.shape!);
}

/** The Input tensors upstream of `t`. */
export function sourceInputs(t: SymTensor): SymTensor[] {
  const found: SymTensor[] = [];
  const seen = new Set<GraphNode>();
  const stack = [t];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    if (seen.has(cur.node)) continue;
    seen.add(cur.node);
    if (cur.node.inputs.length === 0) found.push(cur);
    else stack.push(...cur.node.inputs);
  }
  return found.reverse();
}

/** `[batch, ...inputShape]` from a layer's options, as tfjs's Layer constructor derives it. */
export function batchInputShapeOf(layer: LayerInstance): Shape | undefined {
  const c = layer.config;
  const known = (v: unknown, what: string): unknown => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'reason' in v)
      throw new UnresolvedError(`\`${what}\` is not known statically (${(v as { reason: string }).reason})`);
    if (Array.isArray(v)) v.forEach((d) => known(d, what));
    return v;
  };
  if (c['batchInputShape'] != null) return known(c['batchInputShape'], 'batchInputShape') as Shape;
  let shape = c['inputShape'] != null ? (known(c['inputShape'], 'inputShape') as Shape) : layer.spec.impliedInputShape?.(c);
  if (shape === undefined) {
    // An option not known statically (`inputLength`, `inputDim`...) may be the one that gives the shape.
    const open = Object.entries(c).find(([, v]) => v instanceof UnknownValue);
    if (open) throw new UnresolvedError(`\`${open[0]}\` is not known statically (${(open[1] as UnknownValue).reason})`);
    return undefined;
  }
  if (!Array.isArray(shape)) shape = [shape as unknown as number];
  const batch = c['batchSize'] != null ? (known(c['batchSize'], 'batchSize') as number) : null;
  return [batch, ...shape];
}

/** `functionalModel.add` / apply of anything layer-like to tensors. */
export function applyAny(
  ctx: ApplyContext,
  layer: GraphLayer,
  input: SymTensor | SymTensor[],
  spot: SourceSpot,
  extra: SymTensor[] = [],
): SymTensor | SymTensor[] {
  if (layer instanceof LayerInstance) return applyLayer(ctx, layer, input, spot, extra);
  if (layer instanceof ModelBuilder) return applyModel(ctx, layer, input, spot);
  if (layer instanceof UnknownLayer) {
    layer.useSpot ??= spot;
    ctx.sink.add('info', spot, `Shapes after \`${layer.name}\` are not known statically: ${layer.unknownReason}.`);
    const node = new GraphNode(layer, Array.isArray(input) ? input : [input]);
    return new SymTensor(null, node, 0, layer.unknownReason);
  }
  return failApply(ctx, layer, Array.isArray(input) ? input : [input], spot, `\`${layer.name}\` cannot be applied.`);
}

function applyModel(
  ctx: ApplyContext,
  model: ModelBuilder,
  input: SymTensor | SymTensor[],
  spot: SourceSpot,
): SymTensor | SymTensor[] {
  const inputs = Array.isArray(input) ? input : [input];
  model.useSpot ??= spot;
  const label = model.reportName ?? model.name;
  // A model whose inputs the analysis does not know (incomplete, or still without layers) is not checked.
  const inputsKnown = model.kind === 'sequential' ? model.inputs.length > 0 : model.incomplete === null;
  if (!inputsKnown) {
    const node = new GraphNode(model, inputs);
    const reason = `the inputs of \`${label}\` are not known statically${model.incomplete !== null ? `: ${model.incomplete}` : ''}`;
    model.unknownReason ??= reason;
    return new SymTensor(null, node, 0, reason);
  }
  if (inputs.length !== model.inputs.length) {
    return failApply(
      ctx,
      model,
      inputs,
      spot,
      `Model \`${label}\` expects ${model.inputs.length} input(s), but it received ${inputs.length}.`,
    );
  }
  const node = new GraphNode(model, inputs);
  const unknownIn = inputs.find((t) => t.shape === null) ?? model.outputs.find((t) => t.shape === null);
  if (unknownIn || model.outputs.length === 0) {
    const reason = unknownIn?.unknownReason ?? `model \`${label}\` has no outputs`;
    return new SymTensor(null, node, 0, reason.replace(/^broken:/, ''));
  }
  let shapes: Shape[];
  try {
    shapes = propagate(
      model,
      inputs.map((t) => t.shape!),
    );
  } catch (e) {
    if (!(e instanceof ShapeError || e instanceof UnresolvedError)) throw e;
    if (e instanceof UnresolvedError) return new SymTensor(null, node, 0, e.message);
    ctx.sink.add('error', spot, `Model \`${label}\` cannot take this input: ${e.message}`);
    return new SymTensor(null, node, 0, `\`${label}\` has a shape error`);
  }
  const outs = shapes.map((s, i) => new SymTensor(s, node, i));
  return outs.length === 1 ? outs[0]! : outs;
}

/** Output shapes of `model` for new input shapes: the model's graph re-run on shapes only. */
function propagate(model: ModelBuilder, inputShapes: Shape[]): Shape[] {
  model.inputs.forEach((t, i) => {
    const want = t.shape!;
    const got = inputShapes[i]!;
    const compatible = want.length === got.length && want.every((d, j) => d === null || got[j] === null || d === got[j]);
    if (!compatible) throw new ShapeError(`it expects input ${formatShape(want)} but gets ${formatShape(got)}.`);
  });
  if (inputShapes.every((s, i) => sameShape(s, model.inputs[i]!.shape!))) return model.outputs.map((t) => t.shape!);
  const memo = new Map<SymTensor, Shape>();
  model.inputs.forEach((t, i) => memo.set(t, inputShapes[i]!));
  const nodeOut = new Map<GraphNode, Shape[]>();
  const shapeOf = (t: SymTensor): Shape => {
    const m = memo.get(t);
    if (m) return m;
    let outs = nodeOut.get(t.node);
    if (!outs) {
      const ins = t.node.inputs.map(shapeOf);
      const layer = t.node.layer;
      if (layer instanceof LayerInstance) {
        const r = layer.spec.outputShape(
          layer.config,
          layer.spec.inputKind === 'multi' || (layer.spec.inputKind === 'any' && ins.length !== 1) ? ins : ins[0]!,
        );
        outs = r.length > 0 && Array.isArray(r[0]) ? (r as Shape[]) : [r as Shape];
      } else if (layer instanceof ModelBuilder) {
        outs = propagate(layer, ins);
      } else {
        outs = [t.shape!];
      }
      nodeOut.set(t.node, outs);
    }
    const s = outs[t.index]!;
    memo.set(t, s);
    return s;
  };
  return model.outputs.map(shapeOf);
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Build a functional model: `tf.model({inputs, outputs})`. */
export function buildFunctional(model: ModelBuilder, inputs: SymTensor[], outputs: SymTensor[]): void {
  model.inputs = inputs;
  model.outputs = outputs;
  const nodes: GraphNode[] = [];
  model.layers = orderFunctionalLayers(outputs, nodes);
  model.reached = { outputs, nodes };
}
