/**
 * Entry point of the analysis core: one model file's text → its models (layers with shapes
 * and parameter counts) and diagnostics. Syntax only; nothing in the file is executed.
 */
import type * as ts from 'typescript';
import { parseModelFile, scriptKind } from './parse';
import { DiagnosticSink } from './diagnostics';
import { BudgetExceeded, Interpreter } from './evaluator/interpreter';
import { Scope } from './evaluator/scope';
import { TfjsBridge } from './evaluator/tfjsBridge';
import { modelResult } from './results';
import { newId } from './graph/layerGraph';
import type { AnalysisResult, ModelResult } from './types';
import type { ModuleHost } from './project/moduleHost';
import { AssumptionLog, statedArguments } from './evaluator/assumptions';
import { tsApi } from './evaluator/syntaxKinds';
import { fromData, isOpaque } from './evaluator/callSites';
import type { CallSite } from './evaluator/callSites';
import type { Assumptions } from './evaluator/assumptions';

const MAX_UNCALLED_FUNCTIONS = 500;

export { scriptKind };

export interface AnalysisOptions {
  /** Reaches the project's other files, for imports of them (`fileName` must then be absolute). */
  modules?: ModuleHost;
  /** Values the user states for parameters no call gives (`{ "createModel.h": 9 }`). */
  assumptions?: Assumptions;
  /**
   * For functions this file never calls: a call elsewhere in the project to run them with
   * (found by analysing the files that import this one: their `outgoingCalls`).
   */
  callSites?: Readonly<Record<string, CallSite>>;
}

/** Analyse one model file statically. Never throws; never executes the file (nor what it imports). */
export function analyzeSource(fileName: string, text: string, options: AnalysisOptions = {}): AnalysisResult {
  let sf: ts.SourceFile;
  try {
    sf = parseModelFile(fileName, text);
  } catch (e) {
    // The parser recurses once per nesting level: thousands of nested calls overflow its stack.
    if (!(e instanceof RangeError)) throw e;
    const message =
      'This file is nested too deeply for Model Lens to read (its syntax overflows the parser); no model in it is shown.';
    return {
      file: fileName,
      models: [],
      diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'info', message }],
      importsTfjs: /@tensorflow\/tfjs/.test(text),
    };
  }
  return analyzeSourceFile(sf, options);
}

const wordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
/** How many first characters group the names that are searched for together. */
const PREFIX = 3;

/**
 * Names among `names` that occur as whole words more than once in the text. A name made of word
 * characters occurs where a word of the text equals it, so such names are searched for by their
 * first characters, one scan of the text per prefix (`buildCnn0`…`buildCnn4` in one), not one
 * per name. Other names (`anonymous function`) are searched for one by one.
 */
function referencedNames(text: string, names: string[]): Set<string> {
  const found = new Set<string>();
  const groups = new Map<string, Set<string>>();
  /** Per prefix, the lengths of its names: a word of another length is not sliced out of the text. */
  const lengths = new Map<string, Set<number>>();
  for (const name of names) {
    let simple = name.length > 0;
    for (let k = 0; k < name.length && simple; k++) simple = wordChar(name.charCodeAt(k));
    if (simple) {
      const prefix = name.slice(0, PREFIX);
      let group = groups.get(prefix);
      if (group === undefined) {
        groups.set(prefix, (group = new Set()));
        lengths.set(prefix, new Set());
      }
      group.add(name);
      lengths.get(prefix)!.add(name.length);
      continue;
    }
    let count = 0;
    for (let i = text.indexOf(name); i !== -1 && count < 2; i = text.indexOf(name, i + 1)) {
      if ((i === 0 || !wordChar(text.charCodeAt(i - 1))) && !wordChar(text.charCodeAt(i + name.length))) count++;
    }
    if (count > 1) found.add(name);
  }
  for (const [prefix, group] of groups) {
    const sizes = lengths.get(prefix)!;
    const seen = new Set<string>();
    for (let i = text.indexOf(prefix); i !== -1; i = text.indexOf(prefix, i + 1)) {
      if (i > 0 && wordChar(text.charCodeAt(i - 1))) continue;
      let end = i + prefix.length;
      while (end < text.length && wordChar(text.charCodeAt(end))) end++;
      if (!sizes.has(end - i)) continue;
      const word = text.slice(i, end);
      if (!group.has(word)) continue;
      if (seen.has(word)) found.add(word);
      else seen.add(word);
    }
  }
  return found;
}

/** Each model gets the stated values and the open parameters of the functions around its line. */
function attachAssumptions(models: ModelResult[], log: AssumptionLog): void {
  for (const m of models) {
    const around = <T extends { startLine: number; endLine: number }>(list: readonly T[]): T[] =>
      list.filter((s) => s.startLine <= m.line && m.line <= s.endLine);
    const used = around(log.used);
    if (used.length > 0) m.assumptions = used.map((u) => ({ key: u.key, value: u.value }));
    // Parameters worth stating: only where something of the model is not known.
    const known = m.incomplete === undefined && m.totalParams !== null && m.layers.every((l) => l.outputShape !== null);
    const open = known ? [] : around(log.open);
    if (open.length > 0) m.openParameters = [...new Set(open.map((o) => o.key))];
  }
}

/** Which weights are trainable is not known: totals stay, the split goes. */
function forgetTrainable(m: ModelResult, reason: string): void {
  m.trainableParams = null;
  m.nonTrainableParams = null;
  for (const l of m.layers) l.trainableParams = null;
  m.trainableUnknown = reason;
}

export function analyzeSourceFile(sf: ts.SourceFile, options: AnalysisOptions = {}): AnalysisResult {
  const sink = new DiagnosticSink();
  const bridge = new TfjsBridge(sf, sink);
  bridge.moduleHost = options.modules;
  bridge.assumptions = new AssumptionLog(options.assumptions ?? {});
  const interp = new Interpreter(bridge);
  const top = new Scope(null, bridge.root);
  /** Functions run with a call site from another file, and the lines they span. */
  const shownFor: { site: NonNullable<ModelResult['callSite']>; startLine: number; endLine: number }[] = [];
  const builderCalls: { call: NonNullable<ModelResult['builderCall']>; startLine: number; endLine: number }[] = [];
  try {
    interp.guarded(() => interp.runBlock(sf.statements, top));
    // Functions never called from top level (exported builders...) run once with their
    // defaults: first the entry points (never referenced elsewhere in the file), so helpers
    // are evaluated through their callers with real arguments, then whatever is left.
    const uncalled = interp.functions.filter((fn) => !fn.called).map((fn) => fn.name);
    const referenced = referencedNames(sf.text, [...new Set(uncalled)]);
    for (const entriesOnly of [true, false]) {
      for (let i = 0; i < interp.functions.length && i < MAX_UNCALLED_FUNCTIONS; i++) {
        const fn = interp.functions[i]!;
        if (fn.called || (entriesOnly && referenced.has(fn.name))) continue;
        // It runs at a time the analysis does not know: the models made before it are not its to change.
        bridge.frozenBelow = newId();
        const site = options.callSites?.[fn.name];
        if (site !== undefined) {
          const span = bridge.spot(fn.node);
          shownFor.push({
            site: { label: site.label, function: fn.name, index: site.index ?? 0, count: site.count ?? 1 },
            startLine: span.line,
            endLine: span.endLine,
          });
        }
        const args = site === undefined ? [] : site.args.map((a) => fromData(a, site.label));
        // What the training panel calls to build the same models: plain arguments only.
        const data =
          site !== undefined
            ? site.args.some(isOpaque)
              ? undefined
              : site.args
            : statedArguments(fn.name, fn.node.parameters, bridge.assumptions, tsApi.isIdentifier, tsApi.isObjectBindingPattern);
        if (data !== undefined && fn.node.parameters.length > 0) {
          const span = bridge.spot(fn.node);
          builderCalls.push({ call: { function: fn.name, args: data }, startLine: span.line, endLine: span.endLine });
        }
        interp.guarded(() => interp.callUncalled(fn, args));
      }
    }
    bridge.frozenBelow = newId();
    interp.runUncalledMethods();
  } catch (e) {
    // What comes after the point reached may add layers to any model: none is complete.
    for (const m of bridge.models) m.markIncomplete('the analysis of this file stopped before its end');
    if (!(e instanceof BudgetExceeded)) {
      interp.internalError(e);
    } else {
      sink.add(
        'info',
        { line: 1, column: 1, endLine: 1, endColumn: 1 },
        `This file needs too much work to evaluate statically (${e.what}); what comes after the point reached is not shown.`,
      );
    }
  }
  // Models made by an imported module's code belong to that file's analysis.
  const own = bridge.models.filter((m) => m.spot.file === undefined);
  const models = own.map(modelResult).sort((a, b) => a.line - b.line || a.column - b.column);
  if (bridge.trainableUnknown !== undefined) for (const m of models) forgetTrainable(m, bridge.trainableUnknown);
  attachAssumptions(models, bridge.assumptions);
  for (const m of models) {
    const site = shownFor.find((s) => s.startLine <= m.line && m.line <= s.endLine);
    if (site !== undefined) m.callSite = site.site;
    const call = builderCalls.find((s) => s.startLine <= m.line && m.line <= s.endLine);
    if (call !== undefined) m.builderCall = call.call;
  }
  const result: AnalysisResult = {
    file: sf.fileName,
    models,
    diagnostics: sink.sorted(),
    importsTfjs: bridge.imports.importsTfjs,
  };
  if (bridge.assumptions.used.length > 0) result.assumptionsUsed = [...new Set(bridge.assumptions.used.map((u) => u.key))];
  if (options.modules !== undefined) {
    result.dependencies = [...bridge.dependencies];
    result.outgoingCalls = bridge.outgoingCalls;
  }
  return result;
}
