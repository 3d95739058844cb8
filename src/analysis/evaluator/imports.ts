/**
 * `import` declarations and `require(...)` calls: tfjs's modules bind the tfjs API (`TF_ROOT`);
 * names imported from anything else are unknown values that say where they come from.
 */
import type * as ts from 'typescript';
import { tsApi } from './syntaxKinds';
import { TF_ROOT, unknown } from './values';
import type { UnknownValue, Value } from './values';
import type { Scope } from './scope';
import type { Uncertainty } from './uncertainty';

export const TFJS_MODULES = /^@tensorflow\/tfjs(-layers|-node|-node-gpu)?$/;
/** Packages that hand out tfjs itself as their `tf` (or `tensorflow`) export (danfo.js: `const tf = dfd.tf`). */
const TF_REEXPORTS = /^danfojs(-node|-browser)?$/;

export class ModuleImports {
  /** Whether the file imports or requires tfjs (files that do not are not shown). */
  importsTfjs = false;

  constructor(private readonly uncertainty: Uncertainty) {}

  importDeclaration(st: ts.ImportDeclaration, scope: Scope): void {
    if (!tsApi.isStringLiteral(st.moduleSpecifier)) return;
    const from = st.moduleSpecifier.text;
    if (TF_REEXPORTS.test(from) && st.importClause) {
      this.importsTfjs = true;
      const ns = this.reexportingTfjs(from);
      if (st.importClause.name) scope.declare(st.importClause.name.text, ns);
      const nb = st.importClause.namedBindings;
      if (nb && tsApi.isNamespaceImport(nb)) scope.declare(nb.name.text, ns);
      if (nb && tsApi.isNamedImports(nb))
        for (const el of nb.elements) {
          const imported = (el.propertyName ?? el.name).text;
          scope.declare(
            el.name.text,
            imported === 'tf' || imported === 'tensorflow'
              ? TF_ROOT
              : this.unknownFrom(`\`${imported}\` is imported from '${from}', which is not analysed`, from),
          );
        }
      return;
    }
    if (!TFJS_MODULES.test(st.moduleSpecifier.text)) {
      this.otherImport(st, st.moduleSpecifier.text, scope);
      return;
    }
    this.importsTfjs = true;
    const clause = st.importClause;
    if (!clause) return;
    if (clause.name) scope.declare(clause.name.text, TF_ROOT);
    const nb = clause.namedBindings;
    if (nb && tsApi.isNamespaceImport(nb)) scope.declare(nb.name.text, TF_ROOT);
    if (nb && tsApi.isNamedImports(nb)) {
      for (const el of nb.elements) {
        const imported = (el.propertyName ?? el.name).text;
        scope.declare(el.name.text, imported === 'default' ? TF_ROOT : TF_ROOT.get(imported));
      }
    }
  }

  /**
   * Names imported from anything but tfjs are unknown. A package's exports are taken not to
   * change the models handed to them (`tfvis.show.modelSummary(…, model)`); the user's own
   * modules (relative paths) may.
   */
  private otherImport(st: ts.ImportDeclaration, from: string, scope: Scope): void {
    if (st.importClause)
      this.bindAll(st.importClause, scope, (name) =>
        this.unknownFrom(`\`${name}\` is imported from '${from}', which is not analysed`, from),
      );
  }

  /** Binds every name of an import clause to what `make` gives for it. */
  bindAll(clause: ts.ImportClause, scope: Scope, make: (name: string) => Value): void {
    if (clause.isTypeOnly) return;
    if (clause.name) scope.declare(clause.name.text, make(clause.name.text));
    const nb = clause.namedBindings;
    if (nb && tsApi.isNamespaceImport(nb)) scope.declare(nb.name.text, make(nb.name.text));
    if (nb && tsApi.isNamedImports(nb))
      for (const el of nb.elements) if (!el.isTypeOnly) scope.declare(el.name.text, make(el.name.text));
  }

  /** `require(spec)` of a package: what the analysis knows of it (danfo.js's `tf`), else unknown. */
  requirePackage(spec: string): Value {
    if (!TF_REEXPORTS.test(spec)) return this.unknownFrom(`it comes from '${spec}', which is not analysed`, spec);
    this.importsTfjs = true;
    return this.reexportingTfjs(spec);
  }

  /** The module object of a package that re-exports tfjs as `tf`: that member known, the others not. */
  private reexportingTfjs(from: string): Record<string, Value> {
    const ns: Record<string, Value> = { tf: TF_ROOT, tensorflow: TF_ROOT };
    this.uncertainty.markOpen(ns, `it comes from '${from}', which is not analysed`);
    return ns;
  }

  /** A value from module `from`: unknown; a package's are external (see Uncertainty.markExternal). */
  unknownFrom(reason: string, from: string): UnknownValue {
    const v = unknown(reason);
    return from.startsWith('.') || from.startsWith('/') ? v : this.uncertainty.markExternal(v);
  }

  /** The module `require('x')` asks for, when `e` is such a call. */
  requireSpecifier(e: ts.CallExpression): string | undefined {
    const arg = e.arguments[0];
    if (
      !tsApi.isIdentifier(e.expression) ||
      e.expression.text !== 'require' ||
      e.arguments.length !== 1 ||
      arg === undefined ||
      !tsApi.isStringLiteral(arg)
    )
      return undefined;
    return arg.text;
  }

  isRequireOfTfjs(e: ts.Expression): boolean {
    const ok =
      tsApi.isCallExpression(e) &&
      tsApi.isIdentifier(e.expression) &&
      e.expression.text === 'require' &&
      e.arguments.length === 1 &&
      tsApi.isStringLiteral(e.arguments[0]!) &&
      TFJS_MODULES.test(e.arguments[0].text);
    if (ok) this.importsTfjs = true;
    return ok;
  }

  bindRequire(name: ts.BindingName, scope: Scope): void {
    if (tsApi.isIdentifier(name)) scope.declare(name.text, TF_ROOT);
    else if (tsApi.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const key =
          el.propertyName && tsApi.isIdentifier(el.propertyName)
            ? el.propertyName.text
            : tsApi.isIdentifier(el.name)
              ? el.name.text
              : undefined;
        if (key && tsApi.isIdentifier(el.name)) scope.declare(el.name.text, TF_ROOT.get(key));
      }
    }
  }
}
