/**
 * Glue between the activation probe and gateMath for the gate view: finds LSTM/GRU layers
 * (plain, inside Bidirectional, inside nested models), recomputes their gates for the input the
 * layer really receives (for stacked RNNs: the previous layer's output), and checks the
 * recomputed hidden state against the layer's own, at every timestep.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { ProbedLayer, ProbeValues } from './activationModel';
import { layerHiddenSequence, maxAbsDiff, recomputeGates, rnnKindOf, rnnWeightsOf, traceSeries } from './gateMath';

type TF = typeof tfjs;
type Layer = tfjs.layers.Layer;
type RnnLayer = Parameters<typeof rnnWeightsOf>[0] & Parameters<typeof layerHiddenSequence>[0];

interface BidirectionalLike {
  forwardLayer: Layer;
  backwardLayer: Layer;
  mergeMode: string | null;
  returnSequences: boolean;
}

/** The recurrent directions of a layer: one for LSTM/GRU, two for Bidirectional(LSTM/GRU). */
export function rnnDirections(layer: Layer): { label: 'forward' | 'backward' | null; layer: Layer }[] {
  if (rnnKindOf(layer)) return [{ label: null, layer }];
  if (layer.getClassName() === 'Bidirectional') {
    const bi = layer as unknown as BidirectionalLike;
    if (bi.forwardLayer && rnnKindOf(bi.forwardLayer) && bi.backwardLayer) {
      return [
        { label: 'forward', layer: bi.forwardLayer },
        { label: 'backward', layer: bi.backwardLayer },
      ];
    }
  }
  return [];
}

/** Whether the model (or a model nested in it) has an LSTM or GRU layer. */
export function hasRnn(model: { layers: Layer[] }): boolean {
  return model.layers.some((l) => {
    const nested = l as unknown as { layers?: Layer[] };
    return rnnDirections(l).length > 0 || (Array.isArray(nested.layers) && hasRnn(nested as { layers: Layer[] }));
  });
}

/** One direction's gates as display matrices [units, steps] (time left to right, input order). */
export interface DirectionTrace {
  label: 'forward' | 'backward' | null;
  kind: 'lstm' | 'gru';
  units: number;
  steps: number;
  series: { key: string; label: string; range: 'unit' | 'signed' }[];
  /** Tensors to read (in tidy): each series [units × steps], then the error scalars. */
  tensors: tfjs.Tensor[];
  /** Number of error scalars at the end of `tensors`: vs every-step call, vs layer output. */
  checks: string[];
}

const MAX_UNITS = 128;
const MAX_STEPS = 512;

/**
 * Recomputes one RNN entry for the values of a probe run (inside tidy). The input x is the
 * layer's real input [batch, steps, features]; only sample 0 is shown.
 */
export function traceRnn(tf: TF, entry: ProbedLayer, values: ProbeValues): DirectionTrace[] {
  const x = values.input(entry);
  const own = values.output(entry);
  if (!x || x.rank !== 3) return [];
  const x0 = tf.slice(x, 0, 1);
  const directions = rnnDirections(entry.layer);
  const merge = (entry.layer as unknown as Partial<BidirectionalLike>).mergeMode;
  return directions.map(({ label, layer }, d) => {
    const w = rnnWeightsOf(layer as unknown as RnnLayer);
    if (!w) throw new Error(`cannot read the weights of ${layer.name}`);
    const trace = recomputeGates(tf, w, x0);
    const steps = x0.shape[1]!;
    const units = w.units;
    // Every step of the layer's own recurrence (processing order, like the trace).
    const reference = layerHiddenSequence(layer as unknown as RnnLayer, x0);
    const checks = ['every step (layer call)'];
    const errors: tfjs.Tensor[] = [maxAbsDiff(tf, trace.hidden, reference)];
    // And against what the model itself output in the probe run.
    const inputOrder = w.goBackwards ? tf.reverse(trace.hidden, 1) : trace.hidden;
    const mine = ownPart(tf, entry, own, d, units, directions.length, merge ?? null);
    if (mine) {
      const compare = mine.rank === 3 ? (label === 'backward' ? inputOrder : trace.hidden) : tf.squeeze(tf.slice(trace.hidden, [0, steps - 1, 0], [1, 1, units]), [1]);
      if (compare.shape.join() === mine.shape.join()) {
        checks.push(mine.rank === 3 ? 'model output (all steps)' : 'model output (last step)');
        errors.push(maxAbsDiff(tf, compare, mine));
      }
    }
    const nu = Math.min(units, MAX_UNITS);
    const ns = Math.min(steps, MAX_STEPS);
    const series = traceSeries(trace);
    const tensors = series.map((s) => {
      let t = tf.squeeze(s.tensor, [0]); // [steps, units], processing order
      if (w.goBackwards) t = tf.reverse(t, 0); // show in input order
      return tf.reshape(tf.slice(tf.transpose(t, [1, 0]), [0, 0], [nu, ns]), [-1]);
    });
    return {
      label,
      kind: w.kind,
      units: nu,
      steps: ns,
      series: series.map(({ key, label: l, range }) => ({ key, label: l, range })),
      tensors: [...tensors, ...errors.map((e) => tf.reshape(e, [1]))],
      checks,
    };
  });
}

/** The part of the layer's output that belongs to direction d ([1, steps, u] or [1, u]). */
function ownPart(tf: TF, entry: ProbedLayer, own: tfjs.Tensor | undefined, d: number, units: number, directions: number, merge: string | null): tfjs.Tensor | null {
  if (!own) return null;
  const o = tf.slice(own, 0, 1);
  if (directions === 1) return o;
  // Bidirectional: only 'concat' keeps the two directions apart.
  if (merge !== 'concat' || entry.className !== 'Bidirectional') return null;
  const last = o.shape[o.rank - 1]!;
  if (last !== 2 * units) return null;
  const begin = new Array<number>(o.rank).fill(0);
  const size = [...o.shape];
  begin[o.rank - 1] = d * units;
  size[o.rank - 1] = units;
  return tf.slice(o, begin, size);
}
