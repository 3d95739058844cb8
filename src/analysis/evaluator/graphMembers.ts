/**
 * What code reads of the graph's objects: the members of models, layers and symbolic tensors
 * (`model.layers`, `layer.outputShape`, `tensor.shape`…), `model.getLayer(…)`, and the model
 * methods that return a value the analysis does not follow.
 */
import { LayerInstance, SymTensor, UnknownLayer } from '../graph/layerGraph';
import type { GraphLayer } from '../graph/layerGraph';
import { ModelBuilder } from '../graph/modelBuilder';
import { MODEL_USE_METHODS } from './neutralCalls';
import { FuncValue, isPlainObject, unknown } from './values';
import type { Value } from './values';

/** Model and layer methods whose result is an opaque value (training, saving, weights, config). */
export const OPAQUE_MODEL_METHODS: ReadonlySet<string> = new Set([...MODEL_USE_METHODS, 'call', 'build', 'resetStates']);

/** `model.getLayer(name)` / `getLayer({ name })` / `getLayer(undefined, index)` / `getLayer({ index })`. */
export function getLayer(model: ModelBuilder, args: readonly Value[]): Value {
  const key = isPlainObject(args[0]) ? args[0]['name'] : args[0];
  const idx = isPlainObject(args[0]) ? args[0]['index'] : args[1];
  const found =
    typeof key === 'string' ? model.layers.find((l) => l.name === key) : typeof idx === 'number' ? model.layers[idx] : undefined;
  return found instanceof LayerInstance || found instanceof ModelBuilder || found instanceof UnknownLayer
    ? found
    : unknown('the layer is not known statically');
}

/** A member of a symbolic tensor, model or layer (undefined: not one the graph answers). */
export function graphMember(obj: Value, name: string): Value | undefined {
  if (obj instanceof SymTensor) {
    if (name === 'shape') return obj.shape === null ? unknown(obj.unknownReason ?? 'the shape is unknown') : [...obj.shape];
    if (name === 'rank') return obj.shape === null ? unknown('the shape is unknown') : obj.shape.length;
    if (name === 'dtype') return 'float32';
    if (name === 'sourceLayer') return obj.node.layer as Value;
    return undefined;
  }
  if (obj instanceof ModelBuilder) {
    switch (name) {
      case 'layers':
        return obj.layers as Value[];
      case 'inputs':
        return [...obj.inputs];
      case 'outputs':
        return [...obj.outputs];
      case 'input':
        return obj.inputs.length === 1 ? obj.inputs[0] : [...obj.inputs];
      case 'output':
        return obj.outputs.length === 1 ? obj.outputs[0] : [...obj.outputs];
      case 'name':
        return obj.name;
      case 'trainable':
        return obj.trainable;
      case 'outputShape':
        return outputShapes(obj, [obj, ...obj.inboundNodes]);
      default:
        return undefined;
    }
  }
  if (obj instanceof LayerInstance || obj instanceof UnknownLayer) {
    if (name === 'outputShape') return outputShapes(obj, obj.inboundNodes);
    if (name === 'name') return obj.name;
    if (name === 'trainable') return obj.trainable;
    if (name === 'output' || name === 'input') {
      const node = obj.inboundNodes[0];
      if (!node) return unknown(`\`${obj.name}\` has not been applied yet`);
      const list = name === 'output' ? node.outputs : node.inputs;
      return list.length === 1 ? list[0] : [...list];
    }
    return undefined;
  }
  if (obj instanceof FuncValue) return unknown(`property \`${name}\` of a function`);
  return undefined;
}

/**
 * tfjs's `layer.outputShape`: the output shapes at the layer's inbound nodes (a model's own node
 * first), one shape or a list; tfjs throws when the nodes disagree or there are none.
 */
export function outputShapes(layer: GraphLayer, nodes: readonly { outputs: readonly SymTensor[] }[]): Value {
  if (nodes.length === 0) return unknown(`\`${layer.name}\` has not been applied yet`);
  let first: string | undefined;
  let value: Value;
  for (const n of nodes) {
    const missing = n.outputs.find((t) => t.shape === null);
    if (missing || n.outputs.length === 0)
      return unknown(
        `the output shape of \`${layer.name}\` is not known statically${missing?.unknownReason ? `: ${missing.unknownReason}` : ''}`,
      );
    const shapes = n.outputs.map((t) => [...t.shape!]);
    const key = JSON.stringify(shapes);
    if (first === undefined) {
      first = key;
      value = shapes.length === 1 ? shapes[0]! : shapes;
    } else if (key !== first)
      return unknown(`\`${layer.name}\` is applied to tensors of different shapes, so tfjs has no single output shape for it`);
  }
  return value;
}
