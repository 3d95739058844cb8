/**
 * The esbuild half of bundling a model file (see bundleModelFile.ts): the plugin that resolves
 * and loads every file for the WebAssembly esbuild, and the build itself, given the entry's text
 * with its model tracking already inserted. No TypeScript and no `vscode` import: this half
 * also runs on the bundling worker thread (bundleWorkerMain.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';
import type { Loader, Message, OnLoadResult, OnResolveResult, Plugin } from 'esbuild-wasm';
import type { EsbuildApi } from './esbuildWasm';
import type { TrackingResult } from './trackModels';

export const TF_GLOBAL = '__modelLensTf';
/** Specifiers served by the panel's tfjs instance. */
export const TFJS_PACKAGES: ReadonlySet<string> = new Set([
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
]);

export interface BundleOptions {
  /** Absolute path of the model file. */
  entryPath: string;
  /** The editor's text of the entry (unsaved changes included); read from disk when absent. */
  entryText?: string;
  /** 1-based lines of the models to track (from the analysis). */
  modelLines: readonly number[];
  /** Paths in messages are relative to this folder (the workspace folder). */
  displayRoot?: string;
}

export interface BundleResult {
  /** The ES module's source (with an inline source map). */
  code: string;
  /** Short content hash: the bundle's file name is `<hash>.mjs`. */
  hash: string;
  tracked: number[];
  missing: number[];
  /** Things the user may want to know (Node modules replaced by empty ones in packages). */
  warnings: string[];
}

/** A bundling failure with a user-facing message (no stack). */
export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules);
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] ?? '');
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A relative or absolute import → an existing file, trying TypeScript's extension rules. */
export function resolveRelative(base: string): string | undefined {
  if (isFile(base)) return base;
  const ext = path.extname(base);
  for (const alt of JS_TO_TS[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + alt;
    if (isFile(candidate)) return candidate;
  }
  for (const e of EXTENSIONS) if (isFile(base + e)) return base + e;
  for (const e of EXTENSIONS) if (isFile(path.join(base, `index${e}`))) return path.join(base, `index${e}`);
  return undefined;
}

function loaderFor(file: string): Loader {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  if (ext === '.tsx') return 'tsx';
  if (ext === '.jsx') return 'jsx';
  if (ext === '.json') return 'json';
  return 'js';
}

function inNodeModules(file: string): boolean {
  return file.split(/[\\/]/).includes('node_modules');
}

/** The plugin that does all resolution and loading for the wasm esbuild. */
function modelLensPlugin(
  options: BundleOptions,
  tracking: { code: string },
  warnings: string[],
  display: (p: string) => string,
): Plugin {
  return {
    name: 'model-lens',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args): OnResolveResult => {
        if (args.kind === 'entry-point') return { path: options.entryPath, namespace: 'file' };
        const spec = args.path;
        if (TFJS_PACKAGES.has(spec)) return { path: spec, namespace: 'model-lens-tf' };
        const importer = args.importer;
        if (isNodeBuiltin(spec)) {
          if (inNodeModules(importer)) {
            warnings.push(`${display(importer)} imports the Node.js module "${spec}": replaced by an empty module in the panel.`);
            return { path: spec, namespace: 'model-lens-empty' };
          }
          return {
            errors: [
              {
                text: `imports "${spec}", a Node.js-only module that the training panel cannot load`,
              },
            ],
          };
        }
        if (/^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)) {
          return { errors: [{ text: `imports "${spec}", a URL; the training panel only loads files from the workspace` }] };
        }
        if (spec.startsWith('.') || path.isAbsolute(spec)) {
          const resolved = resolveRelative(path.resolve(path.dirname(importer), spec));
          if (resolved) return { path: resolved, namespace: 'file' };
          return { errors: [{ text: `imports "${spec}", which does not exist` }] };
        }
        try {
          const resolved = createRequire(importer).resolve(spec);
          if (isNodeBuiltin(resolved)) return { path: spec, namespace: 'model-lens-empty' };
          return { path: resolved, namespace: 'file' };
        } catch (error) {
          const code = (error as { code?: string }).code;
          return {
            errors: [
              {
                text:
                  code === 'MODULE_NOT_FOUND'
                    ? `imports the package "${spec}", which is not installed (run npm install?)`
                    : `imports the package "${spec}", which Model Lens cannot resolve (${code ?? 'unknown error'})`,
              },
            ],
          };
        }
      });
      build.onLoad({ filter: /.*/, namespace: 'model-lens-tf' }, (): OnLoadResult => ({
        contents: `module.exports = globalThis.${TF_GLOBAL};`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'model-lens-empty' }, (): OnLoadResult => ({
        contents: 'module.exports = {};',
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args): OnLoadResult => {
        const contents = args.path === options.entryPath ? tracking.code : readFileSync(args.path, 'utf8');
        return { contents, loader: loaderFor(args.path), resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** `file:/abs/path` (esbuild's namespaced location) → a display path. */
function locationText(message: Message, workingDir: string, display: (p: string) => string): string {
  const location = message.location;
  if (!location) return '';
  const file = path.resolve(workingDir, location.file.replace(/^file:/, ''));
  return `${display(file)}:${location.line}`;
}

/** A path as messages show it: relative to `displayRoot` when inside it. */
export function displayPath(options: BundleOptions, p: string): string {
  return options.displayRoot && !path.relative(options.displayRoot, p).startsWith('..')
    ? path.relative(options.displayRoot, p).split(path.sep).join('/')
    : p;
}

/**
 * Bundles `options.entryPath`, whose text with model tracking is `tracking.code`. Throws
 * BundleError with a message for the user, e.g. `Model Lens cannot train models from
 * src/train.ts: src/train.ts:3 imports "fs", a Node.js-only module that the training panel
 * cannot load. Keep file and process access out of the model file, for example by building the
 * model in a file that imports only TensorFlow.js.`
 */
export async function buildBundle(esbuild: EsbuildApi, options: BundleOptions, tracking: TrackingResult): Promise<BundleResult> {
  const display = (p: string): string => displayPath(options, p);
  const entryName = display(options.entryPath);
  const warnings: string[] = [];
  const workingDir = options.displayRoot ?? path.dirname(options.entryPath);
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [options.entryPath],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      sourcemap: 'inline',
      logLevel: 'silent',
      absWorkingDir: workingDir,
      define: { 'process.env.NODE_ENV': '"production"' },
      plugins: [modelLensPlugin(options, tracking, warnings, display)],
    });
    const output = result.outputFiles?.[0];
    if (!output) throw new BundleError(`Model Lens could not bundle ${entryName}: esbuild produced no output.`);
    code = output.text;
  } catch (error) {
    if (error instanceof BundleError) throw error;
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors || errors.length === 0) {
      throw new BundleError(`Model Lens could not bundle ${entryName}: ${(error as Error).message ?? String(error)}`);
    }
    const first = errors[0] as Message;
    const where = locationText(first, workingDir, display);
    const advice = /Node\.js-only module/.test(first.text)
      ? ' Keep file and process access out of the model file, for example by building the model in a file that imports only TensorFlow.js.'
      : '';
    const more = errors.length > 1 ? ` (${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new BundleError(
      `Model Lens cannot train models from ${entryName}: ${where ? `${where} ` : ''}${first.text}.${advice}${more}`,
    );
  }
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  return { code, hash, tracked: tracking.tracked, missing: tracking.missing, warnings };
}
