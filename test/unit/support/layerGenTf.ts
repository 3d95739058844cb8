/**
 * Runs a generated LayerCase through real tfjs-layers (symbolically: `layer.apply` on
 * `tf.input`s) and through the layer table, for the property test.
 */
import * as tf from '@tensorflow/tfjs';
import { findLayerSpec } from '../../../src/analysis/layers/layerTable';
import type { LayerConfig, LayerSpec, ParamCount } from '../../../src/analysis/layers/layerSpec';
import type { OutputShape, Shape } from '../../../src/analysis/types';
import type { LayerCase, PlainConfig } from './layerGen';

type Factory = (args?: unknown) => tf.layers.Layer;

export function tfFactory(name: string): Factory | undefined {
  const f = (tf.layers as unknown as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as Factory) : undefined;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export type TfOutcome =
  | {
      kind: 'ok';
      shape: OutputShape;
      trainable: number;
      nonTrainable: number;
      count: number;
      className: string;
      /** The layer's own batchInputShape (from inputDim/inputLength), if any. */
      batchInputShape: Shape | null;
    }
  | { kind: 'constructError' | 'applyError'; message: string };

function size(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b as number), 1);
}

/** Builds the tfjs layer for a case (deep-copying configs: tfjs mutates its args). */
export function buildTfLayer(c: LayerCase): tf.layers.Layer {
  const config: PlainConfig = clone(c.config);
  if (c.inner) config.layer = tfFactory(c.inner.factory)!(clone(c.inner.config));
  return tfFactory(c.factory)!(config);
}

export function runTf(c: LayerCase): TfOutcome {
  let layer: tf.layers.Layer;
  try {
    layer = buildTfLayer(c);
  } catch (e) {
    return { kind: 'constructError', message: (e as Error).message };
  }
  try {
    let shape: OutputShape;
    if (c.factory === 'inputLayer') {
      shape = (layer.output as tf.SymbolicTensor).shape;
    } else {
      layer.setFastWeightInitDuringBuild(true);
      const inputs = c.inputs.map((s) => tf.input({ batchShape: s }));
      const out = layer.apply(c.asList ? inputs : inputs[0]) as tf.SymbolicTensor | tf.SymbolicTensor[];
      shape = Array.isArray(out) ? out.map((o) => o.shape) : out.shape;
    }
    const trainable = layer.trainableWeights.reduce((a, w) => a + size(w.shape), 0);
    const nonTrainable = layer.nonTrainableWeights.reduce((a, w) => a + size(w.shape), 0);
    const batchInputShape = (layer as unknown as { batchInputShape?: Shape }).batchInputShape ?? null;
    return {
      kind: 'ok',
      shape,
      trainable,
      nonTrainable,
      count: layer.countParams(),
      className: layer.getClassName(),
      batchInputShape,
    };
  } catch (e) {
    return { kind: 'applyError', message: (e as Error).message };
  } finally {
    disposeProbedLayer(layer);
  }
}

/** Frees a layer built for a probe: its weights, and the state tensors a stateful RNN keeps outside them. */
export function disposeProbedLayer(layer: tf.layers.Layer): void {
  const states = (layer as unknown as { states_?: (tf.Tensor | null)[] | null }).states_;
  if (states) tf.dispose(states.filter((t): t is tf.Tensor => t instanceof tf.Tensor));
  try {
    layer.dispose();
  } catch {
    // layers that were never applied cannot be disposed; they hold no weights
  }
}

export function specOf(c: LayerCase): LayerSpec {
  const spec = findLayerSpec(c.factory);
  if (!spec) throw new Error(`no spec for ${c.factory}`);
  return spec;
}

export function ourConfig(c: LayerCase): LayerConfig {
  const config = clone(c.config) as LayerConfig;
  if (c.inner) {
    const spec = findLayerSpec(c.inner.factory);
    if (!spec) throw new Error(`no spec for ${c.inner.factory}`);
    config.layer = { kind: 'layerRef', spec, config: clone(c.inner.config) as LayerConfig };
  }
  return config;
}

export function ourInput(c: LayerCase): OutputShape {
  return c.asList ? c.inputs.map((s) => s.slice()) : c.inputs[0].slice();
}

export type OurOutcome = { kind: 'ok'; shape: OutputShape; params: ParamCount } | { kind: 'error'; error: Error };

export function runOurs(c: LayerCase): OurOutcome {
  const spec = specOf(c);
  try {
    const shape = spec.outputShape(ourConfig(c), ourInput(c));
    const params = spec.params(ourConfig(c), ourInput(c));
    return { kind: 'ok', shape, params };
  } catch (e) {
    return { kind: 'error', error: e as Error };
  }
}

/** Evaluates a `3×3×1×32 + 32` formula. */
export function evalFormula(formula: string): number {
  if (formula === '') return 0;
  if (!/^[0-9×+() ]+$/.test(formula)) throw new Error(`unexpected characters in formula ${formula}`);
  return Function(`"use strict"; return (${formula.replace(/×/g, '*')});`)() as number;
}

export function describeCase(c: LayerCase): string {
  const inner = c.inner ? ` layer=${c.inner.factory}(${JSON.stringify(c.inner.config)})` : '';
  return `${c.factory}(${JSON.stringify(c.config)})${inner} on ${JSON.stringify(c.asList ? c.inputs : c.inputs[0])}`;
}
