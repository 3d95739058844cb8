/**
 * Where evaluated code meets the TensorFlow.js API: imports of tfjs, `tf.sequential`,
 * `tf.model`, `tf.input`, `tf.layers.*` factories, and the methods of layers and models
 * (`add`, `apply`, `trainable`). Everything here builds the shape-only graph in `../graph`;
 * what code reads of the graph's objects is graphMembers.ts, the arguments of `tf.model` and
 * `tf.input` are read by modelArguments.ts.
 */
import type * as ts from 'typescript';
import { tsApi } from './syntaxKinds';
import { UNSUPPORTED_FACTORIES } from '../layers/unsupportedFactories';
import { findLayerSpec } from '../layers/layerTable';
import { UnknownValue } from '../layers/layerSpec';
import type { LayerConfig, LayerSpec } from '../layers/layerSpec';
import type { DiagnosticSink, SourceSpot } from '../diagnostics';
import { LineIndex } from '../lineIndex';
import type { SourceModule } from './scope';
import type { ModuleHost } from '../project/moduleHost';
import { AssumptionLog } from './assumptions';
import type { OutgoingCall } from './callSites';
import { LayerInstance, SymTensor, UnknownLayer } from '../graph/layerGraph';
import type { BlockFrame, GraphLayer } from '../graph/layerGraph';
import { ModelBuilder, applyAny, buildFunctional } from '../graph/modelBuilder';
import { createInputTensor, failApply } from '../graph/applyLayer';
import { BudgetExceeded, NsValue, OpaqueValue, isPlainObject, unknown } from './values';
import type { Value } from './values';
import { compileHints, fitHints, isConfigObject, toConfig, toSnakeCase } from './bridgeValues';
import { functionalTensors, inputBatchShape } from './modelArguments';
import { OPAQUE_MODEL_METHODS, getLayer } from './graphMembers';
export { toConfig, toSnakeCase };
import { Uncertainty } from './uncertainty';
import { ModuleImports } from './imports';

/** What `callMethod` returns for a method it leaves to the evaluator. */
export const NOT_HANDLED: unique symbol = Symbol('not handled');

/** tfjs layer classes that take `[x, ...initialStates]` as their input list. */
const RECURRENT_CLASSES = new Set(['SimpleRNN', 'LSTM', 'GRU', 'RNN', 'ConvLSTM2D']);

/** Far above any real file (VGG16 has 23 layers; the benchmark's largest file 2,000). */
const MAX_LAYERS = 3_000;
export class TfjsBridge {
  /** The soundness rule's bookkeeping (see uncertainty.ts), shared with the evaluator. */
  readonly uncertainty = new Uncertainty();
  readonly imports = new ModuleImports(this.uncertainty);
  /**
   * Models created before this id may not be changed by the code running now: it is a function
   * the file never calls (evaluated to show what it builds), which would run at a time unknown.
   */
  frozenBelow = 0;
  /**
   * Set when `trainable` is assigned on a value the analysis does not know (a parameter that
   * may be any of the file's models): every model's trainable / non-trainable split is unknown.
   */
  trainableUnknown: string | undefined;
  /** Why a value's contents are not known (tainted, or open from a spread of an unknown), if so. */
  readonly uncertainOf = (v: Value): string | undefined => this.uncertainty.taintOf(v) ?? this.uncertainty.openOf(v);
  /** Above 0 while a branch is evaluated speculatively: changes to earlier models are dropped silently (the branch is havocked after). */
  speculative = 0;
  private layerCount = 0;
  /** The innermost of the user's function calls and loop iterations running now (see BlockFrame); null at the top level. */
  private block: BlockFrame | null = null;
  private nextBlock = 1;

  /** Runs `run` inside a call of `fn` on `line` (or an iteration of a loop): layers made meanwhile carry it. */
  inBlock<T>(fn: string, line: number, run: () => T): T {
    const parent = this.block;
    const depth = parent === null ? 1 : parent.depth + 1;
    const id = this.nextBlock++;
    const file = this.module === this.root ? undefined : this.module.file;
    this.block = file !== undefined ? { id, fn, line, file, parent, depth } : { id, fn, line, parent, depth };
    try {
      return run();
    } finally {
      this.block = parent;
    }
  }

  /** Records on a new layer the calls and iterations that made it (none: the top level). */
  private stamp<L extends LayerInstance | UnknownLayer>(layer: L): L {
    // Frames never change once made: the layer shares the chain rather than a copy of it.
    layer.blocks = this.block;
    return this.markRootCall(layer);
  }

  private markRootCall<L extends LayerInstance | UnknownLayer | ModelBuilder>(layer: L): L {
    const rootCall = this.rootCalls[this.rootCalls.length - 1];
    if (this.module !== this.root && rootCall !== undefined) layer.rootCallSpot = rootCall;
    return layer;
  }

  /** The analysed file's calls into imported code that are running, innermost last. */
  private readonly rootCalls: SourceSpot[] = [];

  /** Runs `run`, a call of imported code at `call`: from the analysed file, its layers are shown at that call. */
  fromRoot<T>(call: ts.Node, run: () => T): T {
    if (this.module !== this.root) return run();
    this.rootCalls.push(tsApi.isCallExpression(call) || tsApi.isNewExpression(call) ? this.callSpot(call) : this.spot(call));
    try {
      return run();
    } finally {
      this.rootCalls.pop();
    }
  }
  /** Models in creation order, one per creating call (first evaluation wins). */
  readonly models: ModelBuilder[] = [];
  private readonly modelSites = new Set<number>();
  private readonly counters = new Map<string, number>();
  private readonly ctx: { sink: DiagnosticSink };
  /** The analysed file. */
  readonly root: SourceModule;
  /** The module whose code is running: the analysed file, or one it imports. */
  module: SourceModule;
  /** How the project's other files are reached; without it, their imports are unknown. */
  moduleHost: ModuleHost | undefined;
  /** The project files read for this analysis (a change to one of them changes its result). */
  readonly dependencies = new Set<string>();
  /** The analysed file's calls of functions it imports (see callSites.ts). */
  readonly outgoingCalls: OutgoingCall[] = [];
  /** Values the user states for parameters, and the parameters met without one. */
  assumptions = new AssumptionLog({});

  constructor(
    sf: ts.SourceFile,
    readonly sink: DiagnosticSink,
  ) {
    this.ctx = { sink };
    this.root = { sf, lines: new LineIndex(sf.text), file: undefined };
    this.module = this.root;
  }

  // ---- positions and diagnostics -----------------------------------------------------------

  /** Where `node` is, in the running module (with its `file` when that is an imported one). */
  spot(node: ts.Node, end: ts.Node = node): SourceSpot {
    const { sf, lines, file } = this.module;
    const start = node.getStart(sf);
    const stop = end.getEnd();
    const line = lines.line(start);
    const endLine = lines.line(stop);
    const spot: SourceSpot = {
      line: line + 1,
      column: lines.character(start, line) + 1,
      endLine: endLine + 1,
      endColumn: lines.character(stop, endLine) + 1,
    };
    if (file !== undefined) spot.file = file;
    return spot;
  }

  /** The 1-based line where `node` starts, in the running module: `spot(node).line` without the rest. */
  lineOf(node: ts.Node): number {
    return this.module.lines.line(node.getStart(this.module.sf)) + 1;
  }

  /** The position V8 reports for a call: the method name of `a.b(...)`, else the callee. */
  callSpot(call: ts.CallExpression | ts.NewExpression): SourceSpot {
    const callee = call.expression;
    return this.spot(tsApi.isPropertyAccessExpression(callee) ? callee.name : callee, call);
  }

  info(node: ts.Node, message: string): void {
    this.sink.add('info', this.spot(node), message);
  }

  private uniqueName(base: string): string {
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    return `${base}_${n}`;
  }

  nameModel(v: Value, name: string | undefined): void {
    if (v instanceof ModelBuilder && v.reportName === null && name !== undefined) v.reportName = name;
  }

  // ---- tfjs API calls ---------------------------------------------------------------------

  callTfjs(ns: NsValue, args: Value[], call: ts.CallExpression | ts.NewExpression): Value {
    const p = ns.path;
    const head = p[0];
    if (p.length === 1 && (head === 'sequential' || head === 'Sequential')) return this.sequential(args[0], call);
    if (p.length === 1 && (head === 'model' || head === 'LayersModel' || head === 'Model')) return this.functional(args[0], call);
    if ((p.length === 1 && head === 'input') || (p.length === 2 && head === 'layers' && p[1] === 'input'))
      return this.input(args[0], call);
    if (p.length === 2 && head === 'layers') return this.layerFactory(p[1]!, args[0], call);
    if (head === 'loadLayersModel' || head === 'loadGraphModel')
      return unknown('a model loaded at run time cannot be analysed statically');
    return new OpaqueValue(`tf.${p.join('.')}`, args);
  }

  private newModel(kind: 'sequential' | 'functional', call: ts.CallExpression | ts.NewExpression, cfg: Value): ModelBuilder {
    const name =
      isPlainObject(cfg) && typeof cfg['name'] === 'string'
        ? cfg['name']
        : this.uniqueName(kind === 'sequential' ? 'sequential' : 'model');
    const model = this.markRootCall(new ModelBuilder(kind, name, this.callSpot(call)));
    model.autoNamed = !(isPlainObject(cfg) && typeof cfg['name'] === 'string');
    if (!this.modelSites.has(call.pos)) {
      this.modelSites.add(call.pos);
      this.models.push(model);
    }
    return model;
  }

  private sequential(cfg: Value, call: ts.CallExpression | ts.NewExpression): Value {
    const model = this.newModel('sequential', call, cfg);
    if (isPlainObject(cfg) && cfg['layers'] !== undefined) {
      const layers = cfg['layers'];
      const taint = this.uncertainty.taintOf(layers);
      if (taint !== undefined) {
        model.markIncomplete(taint);
        this.sink.add('info', model.spot, `The layers of this model are not known statically: ${taint}.`);
      } else if (!Array.isArray(layers)) {
        model.markIncomplete(`its layers are not known statically${layers instanceof UnknownValue ? `: ${layers.reason}` : ''}`);
        this.sink.add(
          'info',
          model.spot,
          `The layers of this model are not known statically${layers instanceof UnknownValue ? `: ${layers.reason}` : ''}.`,
        );
      } else for (const l of layers) this.add(model, l, call);
    } else if (cfg !== undefined && !isPlainObject(cfg)) {
      model.markIncomplete(`its options are not known statically${cfg instanceof UnknownValue ? `: ${cfg.reason}` : ''}`);
    } else if (isPlainObject(cfg) && this.uncertainty.openOf(cfg) !== undefined) {
      model.markIncomplete(`its options are not known statically: ${this.uncertainty.openOf(cfg)!}`);
    }
    return model;
  }

  private add(model: ModelBuilder, layer: Value, call: ts.CallExpression | ts.NewExpression): void {
    const spot = this.callSpot(call);
    const g = this.asLayer(layer, spot);
    if (this.checkRunnable(g, spot)) model.add(this.ctx, g, spot, (name, s) => this.inputLayer(name, s));
    else
      model.add(this.ctx, this.stamp(new UnknownLayer(g.className, g.name, g.spot, 'it cannot run')), spot, (name, s) =>
        this.inputLayer(name, s),
      );
  }

  /** Anything addable as a layer; unknown values become an UnknownLayer that says why. */
  private asLayer(v: Value, spot: SourceSpot): GraphLayer {
    if (v instanceof LayerInstance || v instanceof ModelBuilder || v instanceof UnknownLayer) return v;
    const reason = v instanceof UnknownValue ? v.reason : 'it is not a layer Model Lens can read';
    return this.stamp(new UnknownLayer('Unknown', this.uniqueName('unknown'), spot, reason));
  }

  /** tfjs throws at apply time for layers with an activity regularizer. */
  private checkRunnable(layer: GraphLayer, spot: SourceSpot): boolean {
    if (!(layer instanceof LayerInstance)) return true;
    const reg = layer.config['activityRegularizer'];
    if (reg === undefined || reg === null) return true;
    this.sink.add(
      'error',
      spot,
      `\`activityRegularizer\` on \`${layer.name}\` (${layer.className}) is accepted by tfjs but cannot run: tfjs throws "Layer invocation in the presence of activity regularizer(s) is not supported yet." Add the penalty to the loss in a custom training step instead.`,
    );
    return false;
  }

  private functional(cfg: Value, call: ts.CallExpression | ts.NewExpression): Value {
    const model = this.newModel('functional', call, cfg);
    const tensors = functionalTensors(cfg, this.uncertainOf, (v) => this.uncertainty.taintOf(v));
    if ('inputs' in tensors) buildFunctional(model, tensors.inputs, tensors.outputs);
    else {
      if (tensors.report) this.sink.add(tensors.report.severity, model.spot, tensors.report.message);
      if (tensors.incomplete !== undefined) model.markIncomplete(tensors.incomplete);
    }
    return model;
  }

  private inputLayer(name: string, spot: SourceSpot): LayerInstance {
    return new LayerInstance(findLayerSpec('inputLayer')!, {}, name, spot);
  }

  private input(cfg: Value, call: ts.CallExpression | ts.NewExpression): Value {
    const spot = this.callSpot(call);
    const c = isPlainObject(cfg) ? cfg : {};
    const name = typeof c['name'] === 'string' ? c['name'] : this.uniqueName('input');
    const layer = this.stamp(this.inputLayer(name, spot));
    layer.useSpot = spot;
    const shape = inputBatchShape(cfg, this.uncertainOf);
    if ('shape' in shape) return createInputTensor(layer, shape.shape);
    if (shape.report) this.sink.add(shape.report.severity, spot, shape.report.message);
    return createInputTensor(layer, null, shape.reason);
  }

  private layerFactory(factory: string, cfgValue: Value, call: ts.CallExpression | ts.NewExpression): Value {
    const spot = this.callSpot(call);
    const spec = findLayerSpec(factory);
    if (!spec) {
      if (Object.prototype.hasOwnProperty.call(UNSUPPORTED_FACTORIES, factory)) {
        this.sink.add('info', spot, `\`tf.layers.${factory}\` is not supported by Model Lens yet; shapes after it are unknown.`);
        return new UnknownLayer(
          factory,
          this.uniqueName(toSnakeCase(factory)),
          spot,
          `\`tf.layers.${factory}\` is not supported by Model Lens yet`,
        );
      }
      this.sink.add('error', spot, `\`tf.layers.${factory}\` does not exist in TensorFlow.js.`);
      return this.stamp(new UnknownLayer(factory, factory, spot, `\`tf.layers.${factory}\` does not exist`));
    }
    const cfg = cfgValue === undefined ? {} : toConfig(cfgValue, this.uncertainOf);
    const name =
      isPlainObject(cfgValue) && typeof cfgValue['name'] === 'string'
        ? cfgValue['name']
        : this.uniqueName(toSnakeCase(spec.className));
    if (!isConfigObject(cfg)) {
      const reason = cfg instanceof UnknownValue ? cfg.reason : 'its options are not an object literal';
      return this.stamp(
        new UnknownLayer(spec.className, name, spot, `the options of \`${name}\` are not known statically: ${reason}`),
      );
    }
    if (++this.layerCount > MAX_LAYERS) throw new BudgetExceeded(`more than ${MAX_LAYERS} layers`);
    const layer = this.stamp(new LayerInstance(spec, cfg, name, spot));
    for (const issue of spec.configIssues?.(cfg) ?? []) this.sink.add(issue.severity, spot, issue.message);
    return layer;
  }

  /** A custom layer class the analysis does not evaluate, for `reason`. */
  unknownCustomLayer(className: string, spot: SourceSpot, reason: string): Value {
    return this.stamp(new UnknownLayer(className, this.uniqueName(toSnakeCase(className)), spot, reason));
  }

  /** The layer of a custom layer class, when its constructor calls `super(config)`. */
  customLayer(spec: LayerSpec, cfg: LayerConfig, spot: SourceSpot): LayerInstance {
    const name = typeof cfg['name'] === 'string' ? cfg['name'] : this.uniqueName(toSnakeCase(spec.className));
    if (++this.layerCount > MAX_LAYERS) throw new BudgetExceeded(`more than ${MAX_LAYERS} layers`);
    return this.stamp(new LayerInstance(spec, cfg, name, spot));
  }

  // ---- members of layers, models, tensors -------------------------------------------------

  callMethod(target: Value, name: string, args: Value[], call: ts.CallExpression): Value | typeof NOT_HANDLED {
    if (target instanceof ModelBuilder && name === 'add') {
      if (target.kind !== 'sequential') return NOT_HANDLED;
      if (target.id < this.frozenBelow && this.speculative > 0) return undefined;
      if (target.id < this.frozenBelow) {
        target.markIncomplete(
          `layers are also added on line ${this.callSpot(call).line}, in code that runs at a time not known statically`,
        );
        return undefined;
      }
      this.add(target, args[0], call);
      return undefined;
    }
    if (target instanceof ModelBuilder && name === 'pop') {
      target.markIncomplete(`\`pop()\` on line ${this.callSpot(call).line} removes a layer`);
      return undefined;
    }
    if (
      (target instanceof LayerInstance || target instanceof ModelBuilder || target instanceof UnknownLayer) &&
      name === 'apply'
    ) {
      return this.apply(target, args[0], call, args[1]);
    }
    if (target instanceof ModelBuilder && name === 'countParams') {
      const c = target.counts();
      return c ? c.trainable + c.nonTrainable : unknown('the parameter count is not known statically');
    }
    if (target instanceof ModelBuilder && name === 'getLayer') return getLayer(target, args);
    if (target instanceof ModelBuilder && (name === 'compile' || name === 'fit')) {
      const line = this.callSpot(call).line;
      Object.assign(target.training, name === 'compile' ? compileHints(args[0], line) : fitHints(args, line));
    }
    if ((target instanceof ModelBuilder || target instanceof LayerInstance) && OPAQUE_MODEL_METHODS.has(name)) {
      return new OpaqueValue(`${target.name}.${name}()`);
    }
    return NOT_HANDLED;
  }

  private apply(layer: GraphLayer, input: Value, call: ts.CallExpression, kwargs?: Value): Value {
    const spot = this.callSpot(call);
    if (input instanceof UnknownValue) return input;
    const unsure = this.uncertainOf(input);
    if (unsure !== undefined) return unknown(unsure);
    const tensors = Array.isArray(input) ? input : [input];
    const badIdx = tensors.findIndex((t) => !(t instanceof SymTensor));
    if (badIdx >= 0) {
      const bad = tensors[badIdx];
      if (bad instanceof UnknownValue) return bad;
      if (bad instanceof ModelBuilder || bad instanceof LayerInstance) {
        this.sink.add(
          'error',
          spot,
          `\`${layer.name}.apply()\` was given a layer or model; it takes the output tensor of one (e.g. \`tf.input(...)\` or another layer's \`.apply(...)\`).`,
        );
      }
      return unknown(`\`${layer.name}\` is applied to something that is not a tensor`);
    }
    if (!this.checkRunnable(layer, spot)) return failApply(this.ctx, layer, tensors as SymTensor[], spot, 'the layer cannot run');
    const state = isPlainObject(kwargs) ? kwargs['initialState'] : undefined;
    const extra =
      state === undefined ? [] : (Array.isArray(state) ? state : [state]).filter((t): t is SymTensor => t instanceof SymTensor);
    // A recurrent layer takes `[x, ...initialStates]` as its input list, as tfjs's RNN.apply does.
    if (Array.isArray(input) && input.length > 1 && extra.length === 0 && RECURRENT_CLASSES.has(layer.className)) {
      const [x, ...states] = input as SymTensor[];
      return applyAny(this.ctx, layer, x!, spot, states);
    }
    return applyAny(this.ctx, layer, Array.isArray(input) ? (input as SymTensor[]) : (input as SymTensor), spot, extra);
  }

  setMember(obj: Value, key: string, value: Value): void {
    if (!(obj instanceof ModelBuilder || obj instanceof LayerInstance)) return;
    if (key !== 'trainable') return;
    // A model or layer made before the code now running (a branch, a function never called) is frozen.
    if (obj.id < this.frozenBelow && this.speculative > 0) return;
    if (typeof value !== 'boolean' || obj.id < this.frozenBelow) {
      const reason =
        typeof value !== 'boolean'
          ? '`trainable` is set to a value not known statically'
          : '`trainable` is also set in code that runs at a time not known statically';
      if (obj instanceof ModelBuilder) obj.markIncomplete(reason);
      else obj.uncertain ??= reason;
      return;
    }
    obj.setTrainable(value);
  }
}
