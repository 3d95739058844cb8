/** `identitySpec`: the spec of a layer without weights whose output shape is (by default) its input shape. */
import type { OutputShape, Shape } from '../types';
import { issuesOf } from './configValues';
import type { ConfigIssue, LayerConfig, LayerSpec } from './layerSpec';
import { expectRank, singleInput } from './shapeMath';
import { noParams } from './weights';

export interface IdentityOptions {
  aliases?: readonly string[];
  /** Parses the config, throwing ConfigProblem/UnresolvedError. */
  parse?: (config: LayerConfig) => unknown;
  /** Extra (non-error) issues. */
  extraIssues?: (config: LayerConfig) => ConfigIssue[];
  /** Required input rank (tfjs InputSpec ndim) and its layout description. */
  ndim?: number;
  layout?: string;
  /** The output shape from (a copy of) the input shape, throwing like a spec; the input shape itself when absent. */
  shape?: (config: LayerConfig, input: Shape) => Shape;
}

/** A layer that has no weights; its output shape is its input shape unless `options.shape` says otherwise. */
export function identitySpec(factory: string, className: string, options: IdentityOptions = {}): LayerSpec {
  const parse = options.parse ?? ((): void => undefined);
  const outputShape = (config: LayerConfig, input: OutputShape): Shape => {
    parse(config);
    const shape = singleInput(input, factory);
    if (options.ndim !== undefined) expectRank(shape, options.ndim, factory, options.layout);
    return options.shape ? options.shape(config, shape.slice()) : shape.slice();
  };
  return {
    factory,
    aliases: options.aliases,
    className,
    inputKind: 'single',
    outputShape,
    params(config, input) {
      outputShape(config, input);
      return noParams();
    },
    configIssues(config) {
      return issuesOf(() => parse(config), options.extraIssues && (() => options.extraIssues!(config)));
    },
  };
}
