/**
 * Imports of the project's own files: `import … from './config'`, `export … from`, barrel
 * `index.ts` files, `require('./x')` with `module.exports` / `exports.x`, and `tsconfig` path
 * aliases (resolved by the host, see project/moduleHost.ts). An imported module is read with
 * the same evaluator and rules: its top level runs once per analysis, in its own scope, and
 * its functions run as its code when the importer calls them. What cannot be read (a missing
 * file, a package, an import cycle, a module nested too deep) is unknown with the reason.
 */
import type * as ts from 'typescript';
import { LineIndex } from '../lineIndex';
import { parseImported } from '../parse';
import { TFJS_MODULES } from './imports';
import { ClassSupport } from './classes';
import { NOT_FOUND, Scope } from './scope';
import type { SourceModule } from './scope';
import { Kind, hasModifier, tsApi } from './syntaxKinds';
import { UnknownValue, isPlainObject, unknown } from './values';
import type { ObjectValue, Value } from './values';

/** Imports inside imports beyond this depth are not read. */
const MAX_MODULE_DEPTH = 25;

interface LoadedModule {
  readonly specifier: string;
  /** True while its top level runs: an import of it then is a cycle. */
  loading: boolean;
  /** Written with `import`/`export` (else CommonJS). */
  readonly esm: boolean;
  /** An ES module's exports (named, and `default`). */
  readonly namespace: ObjectValue;
  /** A CommonJS module's `module` object (its `exports` is what `require` returns). */
  readonly cjs: ObjectValue;
}

function isEsm(sf: ts.SourceFile): boolean {
  return sf.statements.some(
    (st) =>
      tsApi.isImportDeclaration(st) ||
      tsApi.isExportDeclaration(st) ||
      tsApi.isExportAssignment(st) ||
      hasModifier(st, Kind.ExportKeyword),
  );
}

/** The identifiers a declaration's name binds (`a`, `{ a, b: [c] }`). */
function boundNames(name: ts.BindingName, out: string[] = []): string[] {
  if (tsApi.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!tsApi.isOmittedExpression(el)) boundNames(el.name, out);
  return out;
}

export abstract class ModuleSupport extends ClassSupport {
  private readonly loaded = new Map<string, LoadedModule>();
  private moduleDepth = 0;

  protected importDeclaration(st: ts.ImportDeclaration, scope: Scope): void {
    if (!tsApi.isStringLiteral(st.moduleSpecifier)) return;
    const spec = st.moduleSpecifier.text;
    const imports = this.bridge.imports;
    if (TFJS_MODULES.test(spec) || this.bridge.moduleHost === undefined) return imports.importDeclaration(st, scope);
    const mod = this.load(spec);
    if (mod === 'package') return imports.importDeclaration(st, scope);
    const clause = st.importClause;
    if (!clause) return;
    if (mod instanceof UnknownValue) {
      imports.bindAll(clause, scope, (name) => unknown(`\`${name}\` is imported from '${spec}': ${mod.reason}`));
      return;
    }
    if (clause.isTypeOnly) return;
    if (clause.name) scope.declare(clause.name.text, mod.esm ? this.exported(mod, 'default') : mod.cjs['exports']);
    const nb = clause.namedBindings;
    if (nb && tsApi.isNamespaceImport(nb)) scope.declare(nb.name.text, mod.esm ? mod.namespace : mod.cjs['exports']);
    if (nb && tsApi.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        const name = (el.propertyName ?? el.name).text;
        scope.declare(el.name.text, mod.esm ? this.exported(mod, name) : this.member(mod.cjs['exports'], name, el));
      }
    }
  }

  /** `require(specifier)` of anything but tfjs. */
  protected requireModule(spec: string): Value {
    const imports = this.bridge.imports;
    const mod = this.bridge.moduleHost === undefined ? 'package' : this.load(spec);
    if (mod === 'package') return imports.requirePackage(spec);
    if (mod instanceof UnknownValue) return unknown(`it comes from '${spec}': ${mod.reason}`);
    return mod.esm ? mod.namespace : mod.cjs['exports'];
  }

  /** An ES module's export `name`; unknown when it has none (or may have it from an unknown `export *`). */
  private exported(mod: LoadedModule, name: string): Value {
    if (Object.prototype.hasOwnProperty.call(mod.namespace, name)) return mod.namespace[name];
    const open = this.uncertainty.openOf(mod.namespace);
    return unknown(open ?? `'${mod.specifier}' has no export \`${name}\``);
  }

  /** The module `spec` names, from the running module's file: read and run once per analysis. */
  private load(spec: string): LoadedModule | UnknownValue | 'package' {
    const host = this.bridge.moduleHost!;
    const from = this.bridge.module.sf.fileName;
    const where = host.resolve(spec, from);
    if (where.kind === 'package') return 'package';
    if (where.kind === 'missing') return unknown(`'${spec}' is not a file of the project the analysis can read`);
    const file = where.file;
    const known = this.loaded.get(file);
    if (known)
      return known.loading
        ? unknown(`'${spec}' imports back the file importing it (an import cycle), so its values are not known yet there`)
        : known;
    if (file === this.bridge.root.sf.fileName) return unknown(`'${spec}' is the analysed file itself (an import cycle)`);
    if (this.moduleDepth >= MAX_MODULE_DEPTH) return unknown(`'${spec}' is imported more than ${MAX_MODULE_DEPTH} modules deep`);
    const text = host.read(file);
    if (text === undefined) return unknown(`'${spec}' cannot be read`);
    this.bridge.dependencies.add(file);
    const sf = parseImported(file, text);
    if (sf === undefined) return unknown(`'${spec}' is nested too deeply to read`);
    return this.run(spec, file, sf);
  }

  /** Runs a module's top level, as importing it does, and reads its exports. */
  private run(specifier: string, file: string, sf: ts.SourceFile): LoadedModule {
    const module: SourceModule = { sf, lines: new LineIndex(sf.text), file };
    const scope = new Scope(null, module);
    const esm = isEsm(sf);
    const cjs: ObjectValue = { exports: {} };
    if (!esm) {
      scope.declare('module', cjs);
      scope.declare('exports', cjs['exports']);
    }
    const mod: LoadedModule = { specifier, loading: true, esm, namespace: {}, cjs };
    this.loaded.set(file, mod);
    // Only the analysed file's own imports make it a tfjs file.
    const importsTfjs = this.bridge.imports.importsTfjs;
    this.moduleDepth++;
    try {
      this.inModule(module, () => {
        this.guarded(() => this.runBlock(sf.statements, scope));
        if (esm) this.guarded(() => this.collectExports(sf, scope, mod));
      });
    } finally {
      this.moduleDepth--;
      this.bridge.imports.importsTfjs = importsTfjs;
      mod.loading = false;
    }
    return mod;
  }

  /** An ES module's exports, after its top level ran (bindings are read as they are then). */
  private collectExports(sf: ts.SourceFile, scope: Scope, mod: LoadedModule): void {
    const ns = mod.namespace;
    const local = (name: string): Value => {
      const v = scope.lookup(name);
      return v === NOT_FOUND ? unknown(`\`${name}\` is not evaluated statically`) : v;
    };
    for (const st of sf.statements) {
      if (tsApi.isExportDeclaration(st)) {
        if (st.isTypeOnly) continue;
        const spec = st.moduleSpecifier && tsApi.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
        const from = spec === undefined ? undefined : this.load(spec);
        const fromValue = (name: string): Value => {
          if (from === undefined) return local(name);
          if (from === 'package')
            return this.bridge.imports.unknownFrom(`\`${name}\` comes from '${spec}', which is not analysed`, spec!);
          if (from instanceof UnknownValue) return from;
          return from.esm ? this.exported(from, name) : this.member(from.cjs['exports'], name, st);
        };
        const clause = st.exportClause;
        if (clause === undefined) {
          // `export * from`: every name but `default`; from a module not read, any name may be there.
          if (from instanceof UnknownValue || from === 'package')
            this.uncertainty.markOpen(ns, `\`export *\` from '${spec}', which is not known statically`);
          else if (from !== undefined) {
            const source = from.esm ? from.namespace : from.cjs['exports'];
            if (isPlainObject(source)) for (const k of Object.keys(source)) if (k !== 'default' && !(k in ns)) ns[k] = source[k];
            const open = from.esm
              ? this.uncertainty.openOf(from.namespace)
              : isPlainObject(source)
                ? this.uncertainty.openOf(source)
                : 'it is not an object';
            if (open !== undefined) this.uncertainty.markOpen(ns, open);
          }
        } else if (tsApi.isNamespaceExport(clause)) {
          ns[clause.name.text] =
            from === undefined || from === 'package' || from instanceof UnknownValue
              ? fromValue('*')
              : from.esm
                ? from.namespace
                : from.cjs['exports'];
        } else {
          for (const el of clause.elements) if (!el.isTypeOnly) ns[el.name.text] = fromValue((el.propertyName ?? el.name).text);
        }
      } else if (tsApi.isExportAssignment(st)) {
        ns['default'] = sf === this.bridge.module.sf ? this.bridge.module.defaultExport : undefined;
      } else if (hasModifier(st, Kind.ExportKeyword)) {
        const isDefault = hasModifier(st, Kind.DefaultKeyword);
        if (tsApi.isVariableStatement(st)) {
          for (const d of st.declarationList.declarations) for (const name of boundNames(d.name)) ns[name] = local(name);
        } else if (tsApi.isFunctionDeclaration(st) || tsApi.isClassDeclaration(st)) {
          const value = st.name ? local(st.name.text) : this.bridge.module.defaultExport;
          ns[isDefault ? 'default' : (st.name?.text ?? 'default')] = value;
        } else if (tsApi.isEnumDeclaration(st)) {
          ns[st.name.text] = unknown(`the enum \`${st.name.text}\` is not evaluated statically`);
        }
      }
    }
  }
}
