/**
 * Glue between the activation probe and gateMath for the gate view: finds LSTM/GRU layers
 * (plain, inside Bidirectional, inside nested models), recomputes their gates for the input the
 * layer really receives (for stacked RNNs: the previous layer's output), and checks the
 * recomputed hidden state against the layer's own, at every timestep.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { ProbedLayer, ProbeValues } from './activationModel';
import {
  inputProjection,
  layerHiddenInParts,
  maxAbsDiff,
  RNN_PART_STEPS,
  rnnKindOf,
  rnnWeightsOf,
  runRecurrence,
  traceSeries,
  type RnnCallable,
  type RnnState,
} from './gateMath';
import type { SteppedRead } from './packedRead';

type TF = typeof tfjs;
type Layer = tfjs.layers.Layer;
type RnnLayer = Parameters<typeof rnnWeightsOf>[0] & RnnCallable;
type Tensor = tfjs.Tensor;

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

/**
 * One direction's gates as display matrices [units, steps] (time left to right, input order):
 * `traceRnn` adds each series' values, then the error scalars, to the read.
 */
export interface DirectionTrace {
  label: 'forward' | 'backward' | null;
  kind: 'lstm' | 'gru';
  units: number;
  steps: number;
  series: { key: string; label: string; range: 'unit' | 'signed' }[];
  /** What each error scalar compares (the read holds them after the series, in this order). */
  checks: string[];
}

const MAX_UNITS = 128;
const MAX_STEPS = 512;

/**
 * Recomputes one RNN entry's gates for the values of a probe run, as steps of `read`: the
 * recurrence, then the layer's own, `chunkSteps` timesteps at a time (each part starts from the
 * state the last one ended in), then the checks and the display matrices. The input x is the
 * layer's real input [batch, steps, features]; only sample 0 is shown.
 */
export async function traceRnn(
  tf: TF,
  read: SteppedRead,
  entry: ProbedLayer,
  values: ProbeValues,
  chunkSteps = RNN_PART_STEPS,
): Promise<DirectionTrace[]> {
  const x = values.input(entry);
  const own = values.output(entry);
  if (!x || x.rank !== 3) return [];
  const directions = rnnDirections(entry.layer);
  const merge = (entry.layer as unknown as Partial<BidirectionalLike>).mergeMode ?? null;
  const traces: DirectionTrace[] = [];
  for (const [d, { label, layer }] of directions.entries()) {
    const w = rnnWeightsOf(layer as unknown as RnnLayer);
    if (!w) throw new Error(`cannot read the weights of ${layer.name}`);
    const [x0, xw] = (await read.share(() => {
      const first = tf.slice(x, 0, 1);
      return [first, inputProjection(tf, w, first)];
    })) as [Tensor, Tensor];
    const steps = x0.shape[1]!;
    const units = w.units;
    // The recurrence in parts: per part, every series ([1, n, units]) then the state.
    let series: { key: string; label: string; range: 'unit' | 'signed' }[] = [];
    const parts: Tensor[][] = [];
    let state: RnnState | null = null;
    for (let t0 = 0; t0 < steps; t0 += chunkSteps) {
      const n = Math.min(chunkSteps, steps - t0);
      const from = state;
      const kept = await read.share(() => {
        const run = runRecurrence(tf, w, tf.slice(xw, [0, t0, 0], [1, n, -1]), from);
        const labelled = traceSeries(run.trace);
        series = labelled.map(({ key, label: l, range }) => ({ key, label: l, range }));
        return [...labelled.map((s) => s.tensor), ...run.state];
      });
      parts.push(kept.slice(0, series.length));
      state = kept.slice(series.length);
    }
    // The layer's own recurrence over the same parts (processing order, like the trace).
    const reference = await layerHiddenInParts(tf, read, layer as unknown as RnnLayer, x0, chunkSteps, w.goBackwards);
    const nu = Math.min(units, MAX_UNITS);
    const ns = Math.min(steps, MAX_STEPS);
    const checks = ['every step (layer call)'];
    await read.add((out) => {
      const whole = series.map((_, s) =>
        tf.concat(
          parts.map((p) => p[s]!),
          1,
        ),
      );
      const hidden = whole[series.findIndex((s) => s.key === 'hidden')]!;
      const errors: Tensor[] = [maxAbsDiff(tf, hidden, tf.concat(reference, 1))];
      // And against what the model itself output in the probe run.
      const inputOrder = w.goBackwards ? tf.reverse(hidden, 1) : hidden;
      const mine = ownPart(tf, entry, own, d, units, directions.length, merge);
      if (mine) {
        const compare =
          mine.rank === 3
            ? label === 'backward'
              ? inputOrder
              : hidden
            : tf.squeeze(tf.slice(hidden, [0, steps - 1, 0], [1, 1, units]), [1]);
        if (compare.shape.join() === mine.shape.join()) {
          checks.push(mine.rank === 3 ? 'model output (all steps)' : 'model output (last step)');
          errors.push(maxAbsDiff(tf, compare, mine));
        }
      }
      for (const s of whole) {
        let t = tf.squeeze(s, [0]); // [steps, units], processing order
        if (w.goBackwards) t = tf.reverse(t, 0); // show in input order
        out.push(tf.slice(tf.transpose(t, [1, 0]), [0, 0], [nu, ns]));
      }
      out.push(...errors);
    });
    traces.push({ label, kind: w.kind, units: nu, steps: ns, series, checks });
  }
  return traces;
}

/** The part of the layer's output that belongs to direction d ([1, steps, u] or [1, u]). */
function ownPart(
  tf: TF,
  entry: ProbedLayer,
  own: tfjs.Tensor | undefined,
  d: number,
  units: number,
  directions: number,
  merge: string | null,
): tfjs.Tensor | null {
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
