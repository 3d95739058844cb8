/**
 * The contract every entry of the layer table fulfils. One entry per `tf.layers` factory;
 * entries live in one module per family (core, conv, pooling, recurrent, merge, ...), and
 * `layerTable.ts` gathers them. The maths mirrors tfjs-layers' `computeOutputShape` and
 * `build` exactly; property tests check it against tfjs itself.
 */
import type { OutputShape, Shape } from '../types';

/**
 * An evaluated config value. Objects and arrays are plain JS; a value the static evaluator
 * could not resolve is an `UnknownValue`; a layer passed as an option (the `layer` of
 * `bidirectional`/`timeDistributed`) is a `LayerRef`.
 */
export type ConfigValue =
  number | string | boolean | null | undefined | UnknownValue | LayerRef | ConfigValue[] | { [key: string]: ConfigValue };

export type LayerConfig = { [key: string]: ConfigValue };

export class UnknownValue {
  constructor(readonly reason: string) {}
}

/** A layer instance passed inside another layer's config. */
export interface LayerRef {
  readonly kind: 'layerRef';
  readonly spec: LayerSpec;
  readonly config: LayerConfig;
}

/** A shape error tfjs would raise (or one it lets through and Keras would raise). */
export class ShapeError extends Error {
  constructor(
    message: string,
    /** The shape tfjs computes anyway, for an error it lets through (a zero-size output); the analysis goes on with it. */
    readonly shapeTfjsBuilds?: Shape,
  ) {
    super(message);
  }
}

/** A needed value is not statically known; the output becomes "unknown" with this reason. */
export class UnresolvedError extends Error {}

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
  /** e.g. `3×3×1×32 + 32` (no `= total`); '' when there are no weights. */
  formula: string;
}

/** A problem visible from the config alone (no shapes needed). */
export interface ConfigIssue {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface LayerSpec {
  /** Factory name under `tf.layers`, e.g. `conv2d`. */
  readonly factory: string;
  /** Other factory names for the same class, e.g. `maxPool2d` for `maxPooling2d`. */
  readonly aliases?: readonly string[];
  /** tfjs `getClassName()`, e.g. `Conv2D`. */
  readonly className: string;
  /**
   * `multi` for merge layers (`add`, `concatenate`...), whose input is a list of shapes; `any`
   * for a custom layer class, which gets one shape or a list as it is applied.
   */
  readonly inputKind: 'single' | 'multi' | 'any';
  /**
   * Input shape (without batch) implied by options other than `inputShape`/`batchInputShape`,
   * e.g. dense's `inputDim`, embedding's `inputLength`. Batch dim is added by the caller.
   */
  impliedInputShape?(config: LayerConfig): Shape | undefined;
  /** Output shape for the given input shape(s) (batch included). Throws ShapeError/UnresolvedError. */
  outputShape(config: LayerConfig, input: OutputShape): OutputShape;
  /** Weights created when built on this input. Throws like `outputShape`. */
  params(config: LayerConfig, input: OutputShape): ParamCount;
  /** Config-only problems (e.g. `activityRegularizer`, which tfjs accepts but cannot run). */
  configIssues?(config: LayerConfig): ConfigIssue[];
}
