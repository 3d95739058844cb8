/**
 * Test oracle: runs the REAL TensorFlow.js on a fixture model file and reports
 * what tfjs itself says about every model it builds (layers, output shapes,
 * parameter counts) and every error it raises, each attributed to a line of
 * the fixture source.
 *
 * How it works:
 *  1. The fixture is bundled with esbuild (cjs, node, inline source map), with
 *     the tfjs packages left external, into a temporary folder.
 *  2. The bundle is compiled as a CommonJS module whose `require` hands out
 *     proxy module objects for '@tensorflow/tfjs' and '@tensorflow/tfjs-layers':
 *     the same exports as the real packages, except that `sequential`, `model`,
 *     `input` and every factory of `layers` are wrapped to record the fixture
 *     line of their call site (from `new Error().stack`, source-mapped because
 *     `process.setSourceMapsEnabled(true)` is on).
 *  3. Top-level code runs; then every exported zero-argument function that the
 *     file never calls itself is called.
 *  4. Every created model is inspected (`model.layers`, `outputShape`,
 *     `countParams()`, trainable weights) and everything is disposed.
 *
 * Weight initializers are temporarily replaced by zero fill while a fixture
 * runs: values never matter for shapes or counts, and random init of a
 * VGG16-sized model in the pure-JS CPU backend would take many seconds.
 *
 * Besides thrown errors, the oracle reports "silent" errors, shapes tfjs lets
 * through but Keras rejects:
 *  - a layer whose output has a dimension <= 0 while none of its inputs had
 *    one (the layer that introduced it);
 *  - a Reshape whose target size does not match its input size (tfjs skips this
 *    check at build time: its computeOutputShape sees the `null` batch
 *    dimension and gives up).
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as tfl from '@tensorflow/tfjs-layers';

export type OracleDim = number | null;
export type OracleShape = OracleDim[];
export type OracleOutputShape = OracleShape | OracleShape[];

export interface OracleLayer {
  /** tfjs layer name (generated names carry process-wide counters: do not compare). */
  name: string;
  /** `layer.getClassName()`. */
  type: string;
  /** Fixture line of the factory / `tf.input` / nested model creation; null if unknown. */
  line: number | null;
  outputShape: OracleOutputShape | null;
  params: number | null;
  trainableParams: number | null;
}

export interface OracleModel {
  line: number;
  className: string;
  kind: 'sequential' | 'functional';
  layers: OracleLayer[];
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
}

export interface OracleError {
  /** Fixture line (innermost fixture frame for thrown errors); null if no fixture frame. */
  line: number | null;
  message: string;
  /** True for shapes tfjs accepts but Keras rejects (see file comment). */
  silent: boolean;
}

export interface OracleResult {
  file: string;
  models: OracleModel[];
  errors: OracleError[];
  /** Names of the exported functions the oracle called. */
  called: string[];
  /** What the fixture printed (console.log/info/warn/error), captured instead of printed. */
  output: string[];
  /** Wall time of the whole run in milliseconds. */
  ms: number;
}

const TFJS_IDS = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-core']);
const MODEL_FACTORIES = ['sequential', 'model', 'input'] as const;

// ---------------------------------------------------------------------------
// Per-run recording state (a run is synchronous, so module-level state is fine).

interface RunState {
  fixture: string;
  layerLines: Map<object, number | null>;
  models: { model: tf.LayersModel; line: number | null }[];
}

let current: RunState | null = null;

interface Frame {
  file: string;
  line: number;
}

const FRAME_RE = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?\s*$/;

function parseFrames(stack: string | undefined): Frame[] {
  const out: Frame[] = [];
  for (const text of (stack ?? '').split('\n')) {
    const m = FRAME_RE.exec(text);
    if (!m) continue;
    let file = m[1];
    if (file.startsWith('file://')) file = decodeURIComponent(new URL(file).pathname);
    out.push({ file, line: Number(m[2]) });
  }
  return out;
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** Line of the innermost frame in the fixture file, or null. */
function fixtureLine(stack: string | undefined, fixture: string): number | null {
  for (const f of parseFrames(stack)) {
    if (samePath(f.file, fixture)) return f.line;
  }
  return null;
}

function callSiteLine(): number | null {
  if (!current) return null;
  return fixtureLine(new Error('call site').stack, current.fixture);
}

// ---------------------------------------------------------------------------
// Proxy module objects handed to the bundle instead of the real packages.

type AnyFn = (...args: unknown[]) => unknown;

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function wrapLayerFactory(fn: AnyFn): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    const line = callSiteLine();
    const result = fn.apply(this, args);
    if (current && result && typeof result === 'object') {
      // tf.layers.input returns a SymbolicTensor: record its InputLayer.
      const src = (result as { sourceLayer?: object }).sourceLayer;
      current.layerLines.set(src ?? result, line);
    }
    return result;
  };
}

function wrapModelFactory(name: string, fn: AnyFn): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    const line = callSiteLine();
    const result = fn.apply(this, args);
    if (current) {
      if (name === 'input') {
        const src = (result as { sourceLayer?: object }).sourceLayer;
        if (src) current.layerLines.set(src, line);
      } else {
        current.models.push({ model: result as tf.LayersModel, line });
      }
    }
    return result;
  };
}

let proxies: Map<string, Record<string, unknown>> | null = null;

function buildProxies(): Map<string, Record<string, unknown>> {
  if (proxies) return proxies;
  // '@tensorflow/tfjs' re-exports '@tensorflow/tfjs-layers' through getters: the
  // very same function and namespace objects. One wrapped set serves both.
  const sameObjects =
    tf.layers === tfl.layers && tf.sequential === tfl.sequential && tf.model === tfl.model && tf.input === tfl.input;
  if (!sameObjects) throw new Error('oracle: @tensorflow/tfjs and @tensorflow/tfjs-layers export different objects');

  const realLayers = tfl.layers as unknown as Record<string, unknown>;
  const wrappedLayers: Record<string, unknown> = {};
  for (const key of Object.keys(realLayers)) {
    const v = realLayers[key];
    // Lower-case keys are factories; Layer / RNN / RNNCell are classes (for `extends`).
    wrappedLayers[key] = typeof v === 'function' && /^[a-z]/.test(key) && !isClass(v) ? wrapLayerFactory(v as AnyFn) : v;
  }
  const overrides: Record<string, unknown> = { layers: Object.freeze(wrappedLayers) };
  for (const name of MODEL_FACTORIES) {
    overrides[name] = wrapModelFactory(name, (tfl as unknown as Record<string, AnyFn>)[name]);
  }

  const make = (real: Record<string, unknown>): Record<string, unknown> => {
    const proxy: Record<string, unknown> = {};
    Object.defineProperty(proxy, '__esModule', { value: true });
    // Node's ES modules see a CommonJS package whole under `default` (`import tf from
    // '@tensorflow/tfjs'`, `ns.default`): programs written for Node use it.
    Object.defineProperty(proxy, 'default', { value: proxy });
    for (const key of Object.keys(real)) {
      if (key === '__esModule' || key === 'default') continue;
      Object.defineProperty(proxy, key, {
        enumerable: true,
        get: () => (key in overrides ? overrides[key] : real[key]),
      });
    }
    return proxy;
  };
  proxies = new Map([
    ['@tensorflow/tfjs', make(tf as unknown as Record<string, unknown>)],
    ['@tensorflow/tfjs-layers', make(tfl as unknown as Record<string, unknown>)],
    // Core has no layers: hand out the real module.
    ['@tensorflow/tfjs-core', require('@tensorflow/tfjs-core') as Record<string, unknown>],
  ]);
  return proxies;
}

// ---------------------------------------------------------------------------
// Fast initializers (zero fill) while a fixture runs.

interface Patched {
  proto: { apply: AnyFn };
  original: AnyFn;
}

function patchInitializers(): Patched[] {
  const inits = tf.initializers as unknown as Record<string, (a: unknown) => object>;
  const samples: object[] = [
    inits.glorotUniform({}), // -> VarianceScaling.prototype
    inits.randomUniform({}),
    inits.randomNormal({}),
    inits.truncatedNormal({}),
    inits.orthogonal({}),
  ];
  const patched: Patched[] = [];
  const seen = new Set<object>();
  for (const sample of samples) {
    // Patch the prototype that defines `apply`.
    let proto: object | null = Object.getPrototypeOf(sample);
    while (proto && !Object.prototype.hasOwnProperty.call(proto, 'apply')) proto = Object.getPrototypeOf(proto);
    if (!proto || seen.has(proto)) continue;
    seen.add(proto);
    const p = proto as { apply: AnyFn };
    const original = p.apply;
    p.apply = function (this: unknown, ...args: unknown[]) {
      const shape = args[0] as number[];
      const dtype = args[1] as tf.DataType | undefined;
      const ok =
        Array.isArray(shape) &&
        shape.length >= 2 &&
        shape.every((d) => Number.isInteger(d) && d > 0) &&
        (dtype === undefined || dtype === 'float32' || dtype === 'int32');
      // Anything unusual goes to the real initializer, so that its errors stay real.
      return ok ? tf.zeros(shape, dtype ?? 'float32') : original.apply(this, args);
    };
    patched.push({ proto: p, original });
  }
  return patched;
}

function unpatchInitializers(patched: Patched[]): void {
  for (const { proto, original } of patched) proto.apply = original;
}

// ---------------------------------------------------------------------------
// Bundling and running.

let backendReady = false;

/** Starts tfjs's CPU backend once, without its "use tfjs-node" banner. */
export function ensureBackend(): void {
  if (backendReady) return;
  // The CPU backend prints a "use tfjs-node" banner on first use: swallow it.
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    tf.tidy(() => tf.zeros([1]).dataSync());
  } finally {
    console.warn = warn;
  }
  backendReady = true;
}

function bundle(fixture: string, text: string | undefined, outFile: string, extraExternal: string[] = []): void {
  const common: esbuild.BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: [...TFJS_IDS, ...extraExternal],
    sourcemap: 'inline',
    outfile: outFile,
    write: true,
    logLevel: 'silent',
    // JSX renders nothing here: a component's models are what matter, not its elements.
    jsxFactory: '__modelLensJsx',
    jsxFragment: '__modelLensJsxFragment',
    banner: { js: 'var __modelLensJsx = () => null, __modelLensJsxFragment = null;' },
  };
  if (text === undefined) {
    esbuild.buildSync({ ...common, entryPoints: [fixture] });
  } else {
    esbuild.buildSync({
      ...common,
      stdin: { contents: text, sourcefile: fixture, resolveDir: path.dirname(fixture), loader: loaderFor(fixture) },
    });
  }
}

/** esbuild's loader for a source: JSX where the file may hold it (React components in `.jsx`/`.tsx`, and `.js` as React apps write it). */
function loaderFor(file: string): esbuild.Loader {
  if (/\.tsx$/i.test(file)) return 'tsx';
  if (/\.[cm]?jsx?$/i.test(file)) return 'jsx';
  return 'ts';
}

/** Names that appear in a call position somewhere in the source (other than a declaration). */
function isCalledInSource(source: string, name: string): boolean {
  const esc = name.replace(/[$]/g, '\\$');
  const re = new RegExp(`(?<![\\w$.])(?<!function\\s*\\*?\\s*)${esc}\\s*(?:<[^>()]*>)?\\s*\\(`, 'g');
  return re.test(source);
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function weightsSize(weights: readonly { shape: (number | null)[] }[]): number {
  return sum(weights.map((w) => w.shape.reduce<number>((a, b) => a * (b ?? NaN), 1)));
}

function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function copyShape(s: unknown): OracleOutputShape | null {
  if (!Array.isArray(s)) return null;
  return JSON.parse(JSON.stringify(s)) as OracleOutputShape;
}

function shapesOf(s: OracleOutputShape | null): OracleShape[] {
  if (!s) return [];
  return s.length > 0 && Array.isArray(s[0]) ? (s as OracleShape[]) : [s as OracleShape];
}

function hasNonPositive(shapes: OracleShape[]): boolean {
  return shapes.some((sh) => sh.some((d) => d !== null && d <= 0));
}

interface NodeLike {
  inputShapes?: unknown;
  outputShapes?: unknown;
}

function inboundNodes(layer: tf.layers.Layer): NodeLike[] {
  return (layer as unknown as { inboundNodes?: NodeLike[] }).inboundNodes ?? [];
}

/** A one-element list of shapes is that shape. */
function normalizeShape(s: OracleOutputShape | null): OracleOutputShape | null {
  if (s && s.length === 1 && Array.isArray(s[0])) return s[0] as OracleShape;
  return s;
}

/**
 * `layer.outputShape`. tfjs throws "multiple inbound nodes with different
 * output shapes" for a one-layer Sequential nested in another model: its first
 * node stores `[null, 3]`, the second `[[null, 3]]`, and tfjs compares them as
 * JSON text. When that happens and the nodes agree once a one-element list is
 * read as its shape, that shape is the answer (what Keras reports); else null.
 */
function layerOutputShape(layer: tf.layers.Layer): OracleOutputShape | null {
  try {
    return copyShape(layer.outputShape);
  } catch {
    const shapes = inboundNodes(layer).map((n) => normalizeShape(copyShape(n.outputShapes)));
    if (shapes.length === 0 || shapes[0] === null) return null;
    const first = JSON.stringify(shapes[0]);
    return shapes.every((x) => JSON.stringify(x) === first) ? shapes[0] : null;
  }
}

function inputShapesOf(layer: tf.layers.Layer): OracleShape[] {
  const out: OracleShape[] = [];
  for (const node of inboundNodes(layer)) out.push(...shapesOf(copyShape(node.inputShapes)));
  return out;
}

/** Keras's Reshape check (tfjs skips it at build time). Returns a message or null. */
function reshapeProblem(layer: tf.layers.Layer): string | null {
  if (layer.getClassName() !== 'Reshape') return null;
  const target = (layer as unknown as { targetShape?: (number | null)[] }).targetShape;
  if (!Array.isArray(target)) return null;
  for (const input of inputShapesOf(layer)) {
    const dims = input.slice(1);
    if (dims.some((d) => d === null)) continue;
    const size = (dims as number[]).reduce((a, b) => a * b, 1);
    let known = 1;
    let unknown = 0;
    for (const d of target) {
      if (d === null || d < 0) unknown++;
      else known *= d;
    }
    const bad = unknown > 1 || (unknown === 1 ? known === 0 || size % known !== 0 : size !== known);
    if (bad) {
      return `Total size of new array must be unchanged: input shape [${dims.join(', ')}] (${size} values), target shape [${target.join(', ')}]`;
    }
  }
  return null;
}

function describeModel(
  model: tf.LayersModel,
  line: number,
  state: RunState,
  modelLines: Map<object, number | null>,
): OracleModel {
  const className = model.getClassName();
  const layers: OracleLayer[] = model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    line: state.layerLines.get(layer) ?? modelLines.get(layer) ?? null,
    outputShape: layerOutputShape(layer),
    params: attempt(() => layer.countParams()),
    trainableParams: attempt(() => weightsSize(layer.trainableWeights)),
  }));
  return {
    line,
    className,
    kind: className === 'Sequential' ? 'sequential' : 'functional',
    layers,
    totalParams: attempt(() => model.countParams()),
    trainableParams: attempt(() => weightsSize(model.trainableWeights)),
    nonTrainableParams: attempt(() => weightsSize(model.nonTrainableWeights)),
  };
}

export interface OracleOptions {
  /** Use this text instead of the file's contents (the path still names the source). */
  text?: string;
  /**
   * Code appended to the source after a newline, run in the file's own module
   * scope (it sees the file's functions and classes): a driver that calls the
   * file's builders with the arguments its program passes. The file's own
   * lines keep their numbers.
   */
  driver?: string;
  /**
   * Modules handed out in place of the real ones, by exact import specifier
   * (`'../src'`, `'@tensorflow/tfjs-node'`): CommonJS source, run once per
   * run; its `require` sees the same modules (and the tfjs proxies).
   */
  modules?: Record<string, string>;
  /** Call the exported zero-argument functions the file never calls itself (default true). */
  callExports?: boolean;
}

/** Run the real tfjs on one fixture file. */
export function runOracle(fixturePath: string, options: OracleOptions = {}): OracleResult {
  const started = Date.now();
  const fixture = path.resolve(fixturePath);
  const fileText = options.text ?? fs.readFileSync(fixture, 'utf8');
  const source = options.driver === undefined ? fileText : `${fileText}\n${options.driver}\n`;
  const bundleText = options.driver === undefined ? options.text : source;
  const stubSources = options.modules ?? {};
  process.setSourceMapsEnabled(true);
  ensureBackend();
  const prox = buildProxies();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lens-oracle-'));
  const outFile = path.join(dir, path.basename(fixture).replace(/\.[cm]?tsx?$/, '') + '.bundle.js');
  const state: RunState = { fixture, layerLines: new Map(), models: [] };
  const errors: OracleError[] = [];
  const called: string[] = [];
  const output: string[] = [];
  const stackLimit = Error.stackTraceLimit;
  let patched: Patched[] = [];
  const consoleMethods = ['log', 'info', 'warn', 'error'] as const;
  const savedConsole = consoleMethods.map((m) => console[m]);

  const record = (e: unknown): void => {
    const err = e instanceof Error ? e : new Error(String(e));
    errors.push({ line: fixtureLine(err.stack, fixture), message: err.message, silent: false });
  };

  try {
    bundle(fixture, bundleText, outFile, Object.keys(stubSources));
    const code = fs.readFileSync(outFile, 'utf8');

    current = state;
    Error.stackTraceLimit = 200;
    for (const m of consoleMethods) console[m] = (...args: unknown[]) => void output.push(args.map(String).join(' '));
    patched = patchInitializers();

    const ModuleCtor = Module as unknown as {
      new (id: string, parent?: unknown): NodeJS.Module & { _compile(code: string, file: string): void; paths: string[] };
      _nodeModulePaths(dir: string): string[];
    };
    const mod = new ModuleCtor(outFile, module);
    mod.filename = outFile;
    mod.paths = ModuleCtor._nodeModulePaths(path.dirname(fixture));
    const baseRequire = mod.require.bind(mod);
    const stubs = new Map<string, { exports: unknown }>();
    const hooked = ((id: string): unknown => {
      const p = prox.get(id);
      if (p) return p;
      if (Object.prototype.hasOwnProperty.call(stubSources, id)) {
        let stub = stubs.get(id);
        if (!stub) {
          stub = { exports: {} };
          stubs.set(id, stub);
          new Function('module', 'exports', 'require', stubSources[id])(stub, stub.exports, hooked);
        }
        return stub.exports;
      }
      return baseRequire(id);
    }) as NodeJS.Require;
    mod.require = hooked;

    try {
      mod._compile(code, outFile);
    } catch (e) {
      record(e); // top-level code threw; its exports are still defined
    }
    const exportsObj = (mod.exports ?? {}) as Record<string, unknown>;

    for (const name of options.callExports === false ? [] : Object.keys(exportsObj)) {
      const value = attempt(() => exportsObj[name]);
      if (typeof value !== 'function' || isClass(value)) continue;
      if ((value as AnyFn).length > 0) continue; // needs arguments: a helper
      if (isCalledInSource(source, name)) continue; // already called by the file
      called.push(name);
      try {
        const result = (value as AnyFn)();
        // An async builder: its models are created before its first await; a
        // later rejection (e.g. fit() without data) must not escape the test run.
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, () => undefined);
        }
      } catch (e) {
        record(e);
      }
    }
  } finally {
    current = null;
    consoleMethods.forEach((m, i) => (console[m] = savedConsole[i]));
    Error.stackTraceLimit = stackLimit;
    unpatchInitializers(patched);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Models, deduplicated by creation line (first wins), ordered by line.
  const byLine = new Map<number, tf.LayersModel>();
  const modelLines = new Map<object, number | null>();
  for (const { model, line } of state.models) {
    if (!modelLines.has(model)) modelLines.set(model, line);
    if (line !== null && !byLine.has(line)) byLine.set(line, model);
  }
  const models: OracleModel[] = [];
  for (const [line, model] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
    models.push(describeModel(model, line, state, modelLines));
  }

  // Silent errors.
  const seen = new Set(errors.map((e) => `${e.line}:${e.message}`));
  const addSilent = (line: number | null, message: string): void => {
    const key = `${line}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ line, message, silent: true });
  };
  for (const [, model] of byLine) {
    for (const layer of model.layers) {
      const line = state.layerLines.get(layer) ?? modelLines.get(layer) ?? null;
      const out = shapesOf(layerOutputShape(layer));
      if (hasNonPositive(out) && !hasNonPositive(inputShapesOf(layer))) {
        addSilent(
          line,
          `${layer.getClassName()} output shape ${JSON.stringify(out.length === 1 ? out[0] : out)} has a dimension <= 0`,
        );
      }
      const reshape = reshapeProblem(layer);
      if (reshape) addSilent(line, reshape);
    }
  }

  // Dispose.
  for (const { model } of state.models) {
    try {
      model.dispose();
    } catch {
      // already disposed through an enclosing model
    }
  }
  tf.disposeVariables();

  return { file: fixture, models, errors, called, output, ms: Date.now() - started };
}
