/**
 * Resolving import specifiers as TypeScript does (relative paths with or without extension,
 * `.js` written for a `.ts` file, `index` files, `tsconfig.json` / `jsconfig.json` `baseUrl`
 * and `paths`, `extends`, packages in `node_modules`), through the compiler API over a view
 * of the file system the host provides. Pure: no `node:*`.
 */
import type * as ts from 'typescript';
import { tsApi } from '../evaluator/syntaxKinds';
import type { ModuleHost, ModuleResolution } from './moduleHost';

/** What the resolver reads of the file system. */
export interface FileView {
  fileExists(file: string): boolean;
  readFile(file: string): string | undefined;
  directoryExists?(dir: string): boolean;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** Files the evaluator can read: not type declarations, not JSON. */
const READABLE = /\.(?:[cm]?[jt]sx?)$/i;

function dirOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i <= 0 ? file.slice(0, i + 1) : file.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : `${dir}/${name}`;
}

/**
 * A module host over `files`, resolving with the nearest `tsconfig.json` / `jsconfig.json`
 * above the importing file, or with `configDir`'s for every file when given.
 */
export function createModuleHost(files: FileView, options: { configDir?: string } = {}): ModuleHost {
  const configOf = new Map<string, ts.CompilerOptions>();
  const resolutionHost: ts.ModuleResolutionHost = {
    fileExists: (f) => files.fileExists(f),
    readFile: (f) => files.readFile(f),
    ...(files.directoryExists ? { directoryExists: (d: string) => files.directoryExists!(d) } : {}),
  };

  const parseConfig = (configFile: string): ts.CompilerOptions => {
    const read = tsApi.readConfigFile(configFile, (f) => files.readFile(f));
    if (read.error !== undefined || read.config === undefined) return {};
    const parseHost: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: true,
      readDirectory: () => [],
      fileExists: (f) => files.fileExists(f),
      readFile: (f) => files.readFile(f),
    };
    return tsApi.parseJsonConfigFileContent(read.config, parseHost, dirOf(configFile), undefined, configFile).options;
  };

  /** The compiler options that apply to files in `dir`: its nearest config's, else defaults. */
  const optionsFor = (dir: string): ts.CompilerOptions => {
    const seen: string[] = [];
    let found: ts.CompilerOptions | undefined;
    for (let d = dir; ;) {
      const cached = configOf.get(d);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(d);
      const config = CONFIG_NAMES.map((n) => join(d, n)).find((f) => files.fileExists(f));
      if (config !== undefined) {
        found = parseConfig(config);
        break;
      }
      const up = dirOf(d);
      if (up === d || up === '') break;
      d = up;
    }
    const options: ts.CompilerOptions = { ...(found ?? {}), allowJs: true };
    options.moduleResolution ??= tsApi.ModuleResolutionKind.Node10;
    for (const d of seen) configOf.set(d, found ?? {});
    return options;
  };

  return {
    resolve(specifier: string, fromFile: string): ModuleResolution {
      const compilerOptions = optionsFor(options.configDir ?? dirOf(fromFile));
      const r = tsApi.resolveModuleName(specifier, fromFile, compilerOptions, resolutionHost).resolvedModule;
      if (r === undefined) return { kind: specifier.startsWith('.') || specifier.startsWith('/') ? 'missing' : 'package' };
      if (r.isExternalLibraryImport) return { kind: 'package' };
      if (!READABLE.test(r.resolvedFileName) || /\.d\.[cm]?ts$/i.test(r.resolvedFileName)) return { kind: 'missing' };
      return { kind: 'file', file: r.resolvedFileName };
    },
    read: (file) => files.readFile(file),
  };
}
