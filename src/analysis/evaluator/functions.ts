/**
 * Calls: user functions (parameters, defaults, `this`, `super`, the frame that says whether
 * the function may have returned from code not evaluated), builtins, the tfjs API, and calls
 * the analysis does not follow (whose callbacks and arguments are havocked).
 */
import type * as ts from 'typescript';
import { Scope } from './scope';
import { LoopRunner } from './loops';
import { ReturnSignal } from './completions';
import type { CallFrame } from './completions';
import { BuiltinValue, FuncValue, NsValue, OpaqueValue, SuperValue, TF_ROOT, UnknownValue, unknown } from './values';
import type { ObjectValue, Value } from './values';
import { isPlainObject } from './values';
import { parameterNames } from './assumptions';
import { toData } from './callSites';
import type { ParameterSite } from './assumptions';
import { tsApi } from './syntaxKinds';

const MAX_DEPTH = 60;

/** Builtins whose result is made from the contents of their arguments. */
const READS_ARGUMENTS = new Set(['Object.keys', 'Array.from', 'concat', 'Object.assign']);

/** Parameter names read as the tfjs namespace when no call gives them (see missingArgument). */
const TFJS_PARAMETER_NAMES = new Set(['tf', 'tfjs']);

export abstract class FunctionRunner extends LoopRunner {
  /** The function whose next call is a run the file's code never makes (see callUncalled). */
  private uncalledRun: { fn: FuncValue; open: boolean } | null = null;

  /**
   * Runs a function the file never calls (an exported builder, a method no code reaches), with
   * `args` if a call site elsewhere gives them: a required parameter it is not given is unknown.
   * `open` (a constructor of a class never instantiated): every parameter it is not given is,
   * defaults and `?` included.
   */
  callUncalled(fn: FuncValue, args: Value[], self?: Value, open = false): Value {
    this.uncalledRun = { fn, open };
    return this.callFunction(fn, args, self);
  }
  /** Call a user function, a builtin, or a tfjs API value. */
  call(fn: Value, args: Value[], node: ts.Node, self?: Value): Value {
    this.tick();
    if (fn instanceof BuiltinValue) {
      // A builtin that reads into its arguments (`Object.keys`, `Array.from`, `concat`) reads nothing known from a tainted one.
      if (READS_ARGUMENTS.has(fn.name)) {
        const taint = args.map((a) => this.uncertainty.taintOf(a)).find((t) => t !== undefined);
        if (taint !== undefined) return this.assignFailed(fn, args, taint);
      }
      if (fn.name === 'Object.assign') {
        if (!args.every((a, i) => isPlainObject(a) || (i > 0 && (a === undefined || a === null))))
          return this.assignFailed(fn, args, '`Object.assign` of values not known statically');
        this.noteWrite(args[0]);
      }
      return fn.call(args);
    }
    if (fn instanceof FuncValue) {
      // The analysed file calling an imported function: the call site, for the analysis of that file.
      const callee = fn.closure.module.file;
      if (callee !== undefined && this.bridge.module === this.bridge.root && self === undefined) {
        this.bridge.outgoingCalls.push({
          file: callee,
          function: fn.name,
          line: this.bridge.spot(node).line,
          args: args.map((a) => toData(a, (v) => this.bridge.uncertainOf(v))),
        });
      }
      const run = (): Value => this.bridge.inBlock(fn.name, this.bridge.lineOf(node), () => this.callFunction(fn, args, self));
      return callee !== undefined ? this.bridge.fromRoot(node, run) : run();
    }
    if (fn instanceof NsValue) {
      // `tf.tidy(fn)` runs `fn` at once and returns what it returns; other tfjs functions may
      // call the functions they are given at any time (`tf.customGrad`, `tf.data.generator`).
      const body = fn.path.length === 1 && fn.path[0] === 'tidy' ? args.find((a) => a instanceof FuncValue) : undefined;
      if (body instanceof FuncValue) return this.callFunction(body, []);
      for (const a of args)
        if (a instanceof FuncValue && !a.called)
          this.undecided(
            [a.node.body],
            a.closure,
            `the function given to \`tf.${fn.path.join('.')}\` on line ${this.bridge.spot(node).line}`,
          );
      return this.bridge.callTfjs(fn, args, node as ts.CallExpression);
    }
    if (fn instanceof UnknownValue) {
      this.unfollowed(fn, args, node);
      return fn;
    }
    if (fn instanceof OpaqueValue) {
      this.unfollowed(fn, args, node);
      return new OpaqueValue(`${fn.what}()`);
    }
    this.unfollowed(fn, args, node);
    return unknown('a call to something that is not a known function');
  }

  /**
   * A call the analysis does not follow: the callbacks it is given may run (any number of
   * times), and what it is given may be changed, unless it is a package's or a global.
   */
  protected unfollowed(callee: Value, args: readonly Value[], node: ts.Node): void {
    const u = this.bridge.uncertainty;
    if (callee instanceof OpaqueValue || u.isExternal(callee)) return;
    const what = `the call on line ${this.bridge.spot(node).line}`;
    const reason = `layers added inside ${what} are not known`;
    // The callbacks are not called here (they stay for the pass over functions never called).
    for (const a of args)
      if (a instanceof FuncValue && !a.called) this.undecided([a.node.body], a.closure, `the callback given to ${what}`);
    u.taintArgs(callee, args, reason);
  }

  /** A builtin given what it cannot read: unknown, and `Object.assign`'s target, which it would have changed, too. */
  private assignFailed(fn: BuiltinValue, args: Value[], reason: string): Value {
    if (fn.name === 'Object.assign' && typeof args[0] === 'object' && args[0] !== null) this.uncertainty.taint(args[0], reason);
    return unknown(reason);
  }

  /**
   * A parameter no caller gives a value: the value the user states for it (`FUNCTION.PARAM`),
   * else unknown; either way the analysed file's parameters are noted for the editor.
   */
  private missingArgument(fn: FuncValue, p: ts.ParameterDeclaration, open = false): Value {
    // `module.exports = (tf) => { ... }`: code written to be handed tfjs by its caller. A
    // parameter named as tfjs is always imported is read as tfjs, and the file says so.
    if (tsApi.isIdentifier(p.name) && TFJS_PARAMETER_NAMES.has(p.name.text) && p.initializer === undefined) {
      this.bridge.imports.importsTfjs = true;
      this.bridge.sink.add(
        'info',
        this.bridge.spot(p.name),
        `\`${p.name.text}\`, a parameter of \`${fn.name}\` that no call in this file gives, is read as TensorFlow.js (\`import * as ${p.name.text} from '@tensorflow/tfjs'\`).`,
      );
      return TF_ROOT;
    }
    const why = (name: string): UnknownValue =>
      unknown(
        open
          ? `it depends on the parameter \`${name}\` of \`${fn.name}\`, whose value no call in this file gives`
          : `it depends on the parameter \`${name}\` of \`${fn.name}\`, which has no default value`,
      );
    const log = this.bridge.assumptions;
    const own = this.bridge.module === this.bridge.root;
    const span = this.bridge.spot(fn.node);
    const site = (key: string): ParameterSite => ({ key, startLine: span.line, endLine: span.endLine });
    const withDefault = new Set(
      tsApi.isObjectBindingPattern(p.name)
        ? p.name.elements.filter((el) => el.initializer !== undefined).map((el) => (el.propertyName ?? el.name).getText(this.sf))
        : [],
    );
    const stated = (name: string): Value | undefined => {
      const key = `${fn.name}.${name}`;
      const v = log.valueOf(key);
      if (own && v !== undefined) log.note('used', site(key), log.statedValue(key));
      else if (own && !withDefault.has(name)) log.note('open', site(key));
      return v;
    };
    if (tsApi.isIdentifier(p.name)) return stated(p.name.text) ?? why(p.name.text);
    const props = parameterNames(p, tsApi.isIdentifier, tsApi.isObjectBindingPattern);
    const values = props.map((name) => [name, stated(name)] as const);
    if (!values.some(([, v]) => v !== undefined)) return why(p.name.getText(this.sf));
    // Some properties stated: as if the call passed just those (defaults apply to the others; the rest are unknown).
    const obj: ObjectValue = {};
    for (const [name, v] of values) if (v !== undefined || !withDefault.has(name)) obj[name] = v ?? why(name);
    return obj;
  }

  /** Whether the user stated a value for parameter `p` of `fn` (or one of its destructured properties), in the analysed file. */
  private isStated(fn: FuncValue, p: ts.ParameterDeclaration): boolean {
    if (this.bridge.module !== this.bridge.root) return false;
    const log = this.bridge.assumptions;
    return parameterNames(p, tsApi.isIdentifier, tsApi.isObjectBindingPattern).some(
      (name) => log.valueOf(`${fn.name}.${name}`) !== undefined,
    );
  }

  callFunction(fn: FuncValue, args: Value[], self?: Value): Value {
    return this.inModule(fn.closure.module, () => this.runFunction(fn, args, self));
  }

  private runFunction(fn: FuncValue, args: Value[], self?: Value): Value {
    fn.called = true;
    if (this.depth >= MAX_DEPTH) return unknown('recursion too deep to evaluate');
    const scope = new Scope(fn.closure);
    if (self !== undefined && !tsApi.isArrowFunction(fn.node)) scope.declare('this', self);
    if (fn.home !== undefined && fn.home.base !== undefined)
      scope.declare('super', new SuperValue(fn.home.parent, self, fn.home));
    const decl = fn.node;
    // A call in the code leaves out what it does not pass: `undefined`, as JavaScript gives it.
    // Run as code the file never calls, no call says what is passed; with arguments the file
    // never gives at all (`open`), a default or `?` says what a call may leave out, not what
    // the calls pass.
    const run = this.uncalledRun?.fn === fn ? this.uncalledRun : null;
    if (run !== null) this.uncalledRun = null;
    const entry = run !== null;
    const open = run?.open === true;
    decl.parameters.forEach((p, i) => {
      let v: Value = p.dotDotDotToken ? args.slice(i) : args[i];
      if (open && i >= args.length && !p.dotDotDotToken) v = this.missingArgument(fn, p, true);
      // A value the user stated wins over the default: the program's calls, which the file does
      // not hold, pass it (and the training panel builds the model with it).
      if (entry && !open && i >= args.length && p.initializer && !p.dotDotDotToken && this.isStated(fn, p))
        v = this.missingArgument(fn, p);
      if (v === undefined && p.initializer) v = this.eval(p.initializer, scope);
      if (entry && v === undefined && !p.initializer && !p.questionToken && i >= args.length && !p.dotDotDotToken)
        v = this.missingArgument(fn, p);
      this.bind(p.name, v, scope);
      // A constructor's parameter properties (`constructor(private units: number)`).
      if (
        self !== undefined &&
        tsApi.isConstructorDeclaration(decl) &&
        tsApi.isIdentifier(p.name) &&
        tsApi.canHaveModifiers(p) &&
        (tsApi.getModifiers(p) ?? []).length > 0
      ) {
        this.assignMember(self, p.name.text, v);
      }
    });
    this.depth++;
    this.fnNames.push(fn.name);
    const frame: CallFrame = {};
    this.frames.push(frame);
    try {
      const body = decl.body;
      if (!body) return unknown(`\`${fn.name}\` has no body`);
      let v: Value;
      if (tsApi.isBlock(body)) {
        const done = this.runBlock(body.statements, scope);
        v = done instanceof ReturnSignal ? done.value : undefined;
      } else {
        v = this.eval(body, scope);
        this.bridge.nameModel(v, fn.name);
      }
      return frame.mayExit !== undefined ? unknown(`what \`${fn.name}\` returns is not known statically: ${frame.mayExit}`) : v;
    } finally {
      this.depth--;
      this.fnNames.pop();
      this.frames.pop();
    }
  }
}
