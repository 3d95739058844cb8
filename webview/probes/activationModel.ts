/**
 * Every layer's output for an input, from ONE multi-output model per (nested) graph:
 * `tf.model({inputs: model.inputs, outputs: <every layer's output>})`, built once per user
 * model and cached. The probe model shares the user's layers (and so their live weights);
 * it owns no tensors and must never be disposed (disposing it would dispose the user's
 * layers). Nested models (an `encoder` Sequential used as a layer) get their own probe, fed
 * with the value the outer graph gives their input; InputLayers are skipped (their output is
 * the input itself).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { layerHiddenInParts, RNN_PART_STEPS } from './gateMath';
import type { RnnCallable } from './gateMath';
import { layerLabel } from './layerNames';
import type { SteppedRead } from './packedRead';

type TF = typeof tfjs;
type Layer = tfjs.layers.Layer;
type Tensor = tfjs.Tensor;
type SymbolicTensor = tfjs.SymbolicTensor;

/** Recurrent layers `evaluateIn` runs a few timesteps per step (each part from the last one's state). */
function runsInParts(layer: Layer, input: Tensor): boolean {
  if (!['LSTM', 'GRU', 'SimpleRNN'].includes(layer.getClassName())) return false;
  if (input.rank !== 3 || input.shape[1]! <= RNN_PART_STEPS) return false;
  const config = layer.getConfig() as { goBackwards?: boolean; stateful?: boolean; returnState?: boolean };
  return config.goBackwards !== true && config.stateful !== true && config.returnState !== true;
}

interface NodeLike {
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}
interface LayerInternals {
  inboundNodes: NodeLike[];
}
interface ContainerLike {
  name: string;
  layers: Layer[];
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  containerNodes?: Set<string>;
  /** A Sequential keeps its graph in an inner functional model. */
  model?: ContainerLike;
}

/** One layer of the user's model (or of a model nested in it), with its place in the graph. */
export interface ProbedLayer {
  /** `encoder/code` for the layer `code` inside the nested model `encoder`. */
  path: string;
  name: string;
  layer: Layer;
  className: string;
  /** Output shape without the batch dimension (nulls, e.g. unknown sequence length, as -1). */
  shape: number[];
  /** 0 for the user's model, 1 inside a nested model, … */
  depth: number;
  /** The layer is itself a model (its own layers follow it in the list). */
  isModel: boolean;
  /** Symbolic ids of its (first) output and input in the graph it belongs to. */
  outputId: number;
  inputId: number | null;
  /** Its (first) output as a symbolic tensor of the graph it belongs to. */
  output: SymbolicTensor;
}

/** Concrete values of a probe run; valid only inside the `tf.tidy` that made them. */
export interface ProbeValues {
  output(layer: ProbedLayer): Tensor | undefined;
  input(layer: ProbedLayer): Tensor | undefined;
  /** Every value of the run (to keep them beyond the tidy they were made in). */
  tensors(): Tensor[];
}

interface GraphProbe {
  inputIds: number[];
  multi: tfjs.LayersModel | null;
  outputIds: number[];
  nested: { feedId: number; probe: GraphProbe }[];
}

export function isModelLayer(layer: Layer): boolean {
  const c = layer as unknown as Partial<ContainerLike>;
  return Array.isArray(c.layers) && Array.isArray(c.inputs);
}

function graphOf(model: ContainerLike): ContainerLike {
  return model.containerNodes && model.containerNodes.size > 0 ? model : (model.model ?? model);
}

/** The node through which `layer` takes part in `graph` (its first one there). */
function nodeIn(graph: ContainerLike, layer: Layer): NodeLike | undefined {
  const nodes = (layer as unknown as LayerInternals).inboundNodes ?? [];
  const keys = graph.containerNodes;
  if (keys && keys.size > 0) {
    for (let k = 0; k < nodes.length; k++) if (keys.has(`${layer.name}_ib-${k}`)) return nodes[k];
  }
  return nodes[0];
}

function shapeOf(t: SymbolicTensor): number[] {
  return t.shape.slice(1).map((d) => (d == null ? -1 : d));
}

export class ActivationProbe {
  readonly layers: ProbedLayer[] = [];
  readonly inputShape: number[];
  private readonly root: GraphProbe;
  /**
   * For a plain chain of layers (a Sequential without nested models or masks), the layers in
   * order: evaluated one layer per step, so a deep or recurrent model does not hold the page for
   * its whole forward pass (a stacked LSTM over 30 steps: 50–230 ms here).
   */
  private readonly chain: Array<{ layer: Layer; outputId: number }> | null;
  private static readonly cache = new WeakMap<object, ActivationProbe>();

  /** The probe for `model`, built on first use. */
  static for(tf: TF, model: tfjs.LayersModel): ActivationProbe {
    let probe = ActivationProbe.cache.get(model);
    if (!probe) {
      probe = new ActivationProbe(tf, model);
      ActivationProbe.cache.set(model, probe);
    }
    return probe;
  }

  private constructor(
    private readonly tf: TF,
    model: tfjs.LayersModel,
  ) {
    const container = model as unknown as ContainerLike;
    if (!container.inputs || container.inputs.length === 0) throw new Error('the model is not built yet (no inputs)');
    if (container.inputs.length !== 1) throw new Error('models with several inputs are not supported by the views');
    this.inputShape = shapeOf(container.inputs[0]!);
    this.root = this.build(tf, container, '', 0);
    this.chain = chainOf(container);
  }

  private build(tf: TF, model: ContainerLike, prefix: string, depth: number): GraphProbe {
    const graph = graphOf(model);
    const probe: GraphProbe = { inputIds: model.inputs.map((t) => t.id), multi: null, outputIds: [], nested: [] };
    const outputs: SymbolicTensor[] = [];
    const seen = new Set<number>(probe.inputIds);
    const want = (t: SymbolicTensor | undefined): void => {
      if (t && !seen.has(t.id)) {
        seen.add(t.id);
        outputs.push(t);
      }
    };
    for (const layer of model.layers) {
      const className = layer.getClassName();
      if (className === 'InputLayer') continue;
      const node = nodeIn(graph, layer);
      const out = node?.outputTensors[0];
      if (!node || !out) continue;
      const input = node.inputTensors[0];
      const isModel = isModelLayer(layer);
      this.layers.push({
        path: prefix + layerLabel(layer),
        name: layerLabel(layer),
        layer,
        className,
        shape: shapeOf(out),
        depth,
        isModel,
        outputId: out.id,
        inputId: input ? input.id : null,
        output: out,
      });
      want(out);
      if (isModel && input) {
        want(input);
        // The nested model's layers come right after it, one level deeper.
        const inner = layer as unknown as ContainerLike;
        if (inner.inputs.length === 1)
          probe.nested.push({ feedId: input.id, probe: this.build(tf, inner, `${prefix}${layerLabel(layer)}/`, depth + 1) });
      }
    }
    if (outputs.length > 0) {
      probe.multi = tf.model({ inputs: model.inputs, outputs });
      probe.outputIds = outputs.map((t) => t.id);
    }
    return probe;
  }

  /**
   * Runs the input (a batch shaped like the model's input) through every layer. Synchronous;
   * call inside `tf.tidy` and read what you need before the tidy ends.
   */
  evaluate(x: Tensor): ProbeValues {
    const values = new Map<number, Tensor>();
    run(this.root, x, values);
    return valuesOf(values);
  }

  /**
   * `evaluate` as steps of a stepped read (one per layer for a plain chain, a recurrent layer's
   * timesteps in parts of RNN_PART_STEPS; else one step): the values live until the read ends.
   */
  async evaluateIn(read: SteppedRead, input: () => Tensor): Promise<ProbeValues> {
    if (this.chain === null) {
      let values: ProbeValues | null = null;
      await read.share(() => {
        values = this.evaluate(input());
        return values.tensors();
      });
      return values!;
    }
    const values = new Map<number, Tensor>();
    let [current] = await read.share(() => [input()]);
    for (const id of this.root.inputIds) values.set(id, current!);
    for (const { layer, outputId } of this.chain) {
      const x: Tensor = current!;
      [current] = runsInParts(layer, x)
        ? [await this.rnnInParts(read, layer, x)]
        : await read.share(() => [layer.apply(x) as Tensor]);
      values.set(outputId, current!);
    }
    return valuesOf(values);
  }

  /** A recurrent layer's output, RNN_PART_STEPS timesteps per step, each part from the state the last one ended in. */
  private async rnnInParts(read: SteppedRead, layer: Layer, x: Tensor): Promise<Tensor> {
    const { tf } = this;
    const hidden = await layerHiddenInParts(tf, read, layer as unknown as RnnCallable, x);
    const sequences = (layer.getConfig() as { returnSequences?: boolean }).returnSequences === true;
    const last = hidden[hidden.length - 1]!;
    const [output] = await read.share(() => [
      sequences ? tf.concat(hidden, 1) : tf.squeeze(tf.slice(last, [0, last.shape[1]! - 1, 0], [-1, 1, -1]), [1]),
    ]);
    return output!;
  }

  /** The probed layer for a user-facing layer name or path. */
  find(nameOrPath: string): ProbedLayer | undefined {
    return this.layers.find((l) => l.path === nameOrPath) ?? this.layers.find((l) => l.name === nameOrPath);
  }
}

function valuesOf(values: Map<number, Tensor>): ProbeValues {
  return {
    output: (l) => values.get(l.outputId),
    input: (l) => (l.inputId === null ? undefined : values.get(l.inputId)),
    tensors: () => [...new Set(values.values())],
  };
}

/** Layers whose output depends on more than the previous layer's output (a mask). */
function masks(layer: Layer): boolean {
  if (layer.getClassName() === 'Masking') return true;
  try {
    return (layer.getConfig() as { maskZero?: boolean }).maskZero === true;
  } catch {
    return true; // unknown: evaluate the model as a whole
  }
}

/**
 * The model's layers when each takes exactly the previous one's output (no nested models, no
 * masks, no extra call arguments such as an initial state); null otherwise.
 */
function chainOf(model: ContainerLike): Array<{ layer: Layer; outputId: number }> | null {
  const graph = graphOf(model);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  let previous = model.inputs[0]!.id;
  const chain: Array<{ layer: Layer; outputId: number }> = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (isModelLayer(layer) || masks(layer)) return null;
    const node = nodeIn(graph, layer);
    if (!node || node.inputTensors.length !== 1 || node.outputTensors.length !== 1) return null;
    if (node.inputTensors[0]!.id !== previous) return null;
    if (node.callArgs && Object.keys(node.callArgs).some((k) => node.callArgs![k] !== undefined && k !== 'training')) return null;
    previous = node.outputTensors[0]!.id;
    chain.push({ layer, outputId: previous });
  }
  return chain.length > 0 && previous === model.outputs[0]!.id ? chain : null;
}

function run(graph: GraphProbe, x: Tensor, values: Map<number, Tensor>): void {
  for (const id of graph.inputIds) values.set(id, x);
  if (graph.multi) {
    const out = graph.multi.predictOnBatch(x); // one batch: predict() slices into 32s and concatenates
    const list = Array.isArray(out) ? out : [out];
    graph.outputIds.forEach((id, i) => values.set(id, list[i]!));
  }
  for (const nested of graph.nested) {
    const feed = values.get(nested.feedId);
    if (feed) run(nested.probe, feed, values);
  }
}
