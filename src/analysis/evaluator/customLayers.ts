/**
 * Custom layer classes (`class X extends tf.layers.Layer`). Such a layer is a `LayerInstance`
 * whose spec runs the class's own code through the evaluator, as tfjs does when the layer is
 * first applied: `build(inputShape)` once, where `this.addWeight(...)` records the weights,
 * then `computeOutputShape(inputShape)` (tfjs's default returns the input shape). Whatever the
 * evaluator cannot decide there leaves the shape or the counts unknown with the reason.
 */
import { UnresolvedError, UnknownValue } from '../layers/layerSpec';
import type { LayerConfig, LayerSpec, ParamCount } from '../layers/layerSpec';
import type { LayerInstance } from '../graph/layerGraph';
import type { OutputShape, Shape } from '../types';
import { BuiltinValue, OpaqueValue, unknown } from './values';
import type { FuncValue, InstanceValue, Value } from './values';
import { isConfigObject, toConfig } from './bridgeValues';

/** Members whose override would change what tfjs counts as the layer's weights. */
const WEIGHT_MEMBERS = ['weights', 'trainableWeights', 'nonTrainableWeights', 'countParams'];

/** The `LayerArgs` of tfjs's `Layer` constructor that the analysis reads. */
const LAYER_ARGS = ['inputShape', 'batchInputShape', 'batchSize', 'name', 'trainable', 'dtype'];

/** What a custom layer needs from the evaluator. */
export interface CustomLayerHost {
  callFunction(fn: FuncValue, args: Value[], self?: Value): Value;
  /** Why a value's contents are not known (tainted or open), if so. */
  uncertainOf(v: Value): string | undefined;
  /** True while a branch the analysis cannot decide is evaluated speculatively. */
  speculating(): boolean;
}

/** The config given to `super(config)`, reduced to the `LayerArgs` tfjs reads, and why the layer's counts are not known if they are not. */
export function customLayerConfig(
  raw: Value,
  uncertainOf: (v: Value) => string | undefined,
): { config: LayerConfig; unsure?: string } {
  const c = toConfig(raw, uncertainOf);
  if (c === undefined || c === null) return { config: {} };
  const config: LayerConfig = {};
  if (!isConfigObject(c)) {
    const reason = `the options of the layer are not known statically: ${c instanceof UnknownValue ? c.reason : 'they are not an object'}`;
    for (const key of LAYER_ARGS) config[key] = new UnknownValue(reason);
    return { config, unsure: reason };
  }
  let unsure: string | undefined;
  for (const key of LAYER_ARGS) {
    const v = c[key];
    if (v === undefined) continue;
    config[key] = v;
    if (v instanceof UnknownValue && (key === 'trainable' || key === 'name'))
      unsure ??= `its \`${key}\` is not known statically: ${v.reason}`;
  }
  return unsure === undefined ? { config } : { config, unsure };
}

export class CustomLayer {
  private readonly weightNames: string[] = [];
  private trainable = 0;
  private nonTrainable = 0;
  private readonly parts: string[] = [];
  private built = false;
  private layer: LayerInstance | undefined;
  /** Why the weights are not known, if they are not. */
  private weightsUnknown: string | undefined;
  readonly addWeight = new BuiltinValue('addWeight', (args) => this.recordWeight(args));
  readonly spec: LayerSpec;

  constructor(
    private readonly host: CustomLayerHost,
    readonly inst: InstanceValue,
    readonly className: string,
  ) {
    this.spec = {
      factory: className,
      className,
      inputKind: 'any',
      outputShape: (_config, input) => this.outputShape(input),
      params: () => this.params(),
    };
  }

  attach(layer: LayerInstance): void {
    this.layer = layer;
  }

  /** What `super.name` / an inherited `this.name` gives inside the class: tfjs's Layer's members. */
  baseMember(name: string): Value {
    switch (name) {
      case 'addWeight':
        return this.addWeight;
      case 'build':
        return new BuiltinValue('build', () => undefined);
      case 'computeOutputShape':
        return new BuiltinValue('computeOutputShape', (args) => args[0]);
      case 'name':
        return this.layer?.name ?? unknown('the layer has no name before `super(config)`');
      case 'trainable':
        return this.layer?.trainable ?? unknown('`trainable` is not set before `super(config)`');
      case 'built':
        return this.built;
      default:
        return unknown(`\`${name}\` of tfjs's \`Layer\` is not evaluated statically`);
    }
  }

  private recordWeight(args: Value[]): Value {
    const [name, shape, , initializer, , trainable] = args;
    const fail = (why: string): Value => {
      this.weightsUnknown ??= why;
      return new OpaqueValue('LayerVariable');
    };
    if (this.host.speculating()) return fail('a weight is added in code that may not run');
    if (typeof name !== 'string') return fail('a weight name is not known statically');
    if (this.weightNames.includes(name)) return fail(`tfjs rejects the duplicate weight name \`${name}\``);
    this.weightNames.push(name);
    if (
      !Array.isArray(shape) ||
      this.host.uncertainOf(shape) !== undefined ||
      !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
    ) {
      return fail(`the shape of weight \`${name}\` is not known statically`);
    }
    if (initializer === undefined || initializer === null)
      return fail(`weight \`${name}\` has no initializer, which tfjs needs to create it`);
    if (!(trainable === undefined || trainable === null || typeof trainable === 'boolean'))
      return fail(`whether weight \`${name}\` is trainable is not known statically`);
    const dims = shape as number[];
    const size = dims.reduce((a, b) => a * b, 1);
    if (trainable === false) this.nonTrainable += size;
    else this.trainable += size;
    this.parts.push(dims.length === 0 ? '1' : dims.join('×'));
    return new OpaqueValue('LayerVariable');
  }

  /** tfjs's `Layer.apply` on first use: `build(inputShape)`, then `built = true`. */
  private build(input: OutputShape): void {
    if (this.built) return;
    this.built = true;
    if (WEIGHT_MEMBERS.some((m) => this.inst.cls.findGetter(m) || this.inst.cls.findMethod(m))) {
      this.weightsUnknown ??= `\`${this.inst.cls.name}\` overrides how tfjs lists its weights`;
    }
    const build = this.inst.cls.findMethod('build');
    if (build) {
      const r = this.host.callFunction(build, [copyShape(input)], this.inst);
      if (r instanceof UnknownValue) this.weightsUnknown ??= `\`build\` of \`${this.className}\` may not finish: ${r.reason}`;
    }
    const taint = this.host.uncertainOf(this.inst.fields);
    if (taint !== undefined) this.weightsUnknown ??= taint;
    if (this.weightsUnknown !== undefined && this.layer)
      this.layer.uncertain ??= `the weights of \`${this.layer.name}\` are not known statically: ${this.weightsUnknown}`;
  }

  private outputShape(input: OutputShape): OutputShape {
    this.build(input);
    const compute = this.inst.cls.findMethod('computeOutputShape');
    if (!compute) return input;
    const r = this.host.callFunction(compute, [copyShape(input)], this.inst);
    return this.toShape(r);
  }

  private toShape(v: Value): OutputShape {
    const why = (reason: string): never => {
      throw new UnresolvedError(`\`computeOutputShape\` of \`${this.className}\` ${reason}`);
    };
    if (v instanceof UnknownValue) return why(`gives a shape not known statically: ${v.reason}`);
    if (!Array.isArray(v)) return why('does not return a shape');
    const taint = this.host.uncertainOf(v);
    if (taint !== undefined) return why(`gives a shape not known statically: ${taint}`);
    const dims = (s: Value): Shape | undefined => {
      if (!Array.isArray(s) || this.host.uncertainOf(s) !== undefined) return undefined;
      return s.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0)) ? (s as Shape) : undefined;
    };
    if (v.length > 0 && v.every((s) => Array.isArray(s))) {
      const list = v.map(dims);
      return list.every((s): s is Shape => s !== undefined)
        ? list.map((s) => [...s])
        : why('gives shapes the analysis cannot read');
    }
    const one = dims(v);
    return one !== undefined ? [...one] : why('gives a shape the analysis cannot read');
  }

  private params(): ParamCount {
    return { trainable: this.trainable, nonTrainable: this.nonTrainable, formula: this.parts.join(' + ') };
  }
}

function copyShape(s: OutputShape): Value {
  return s.length > 0 && Array.isArray(s[0]) ? (s as Shape[]).map((x) => [...x]) : [...(s as Shape)];
}
