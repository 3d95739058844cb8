/**
 * Gets the user's model out of the bundle the host built from their file.
 *
 * The host bundles the model file into an ES module whose `@tensorflow/tfjs` imports read
 * `globalThis.__modelLensTf` (this panel's tfjs) and where every model-creating call is wrapped
 * as `globalThis.__modelLensTrack(LINE, <call>)`. Before importing it, the panel sets both
 * globals; after the import it picks the model created on `target.line`. When the file only
 * builds it inside an exported function, that function (`target.name`, or else each exported
 * function without required parameters) is called without arguments and the model it created
 * on that line (or returned) is taken.
 *
 * A module may also export a custom training step (VAEs, GANs, contractive and sparse
 * autoencoders), which the panel then calls once per batch instead of the standard loss:
 *
 *   export function trainStep(
 *     model: tf.LayersModel,                      // the model being trained
 *     batch: { xs: tf.Tensor; ys: tf.Tensor },    // ys = xs for datasets without targets
 *     optimizer: tf.Optimizer,                    // from the panel's settings
 *   ): tf.Scalar | number | Promise<number>;      // the batch loss (a Scalar is disposed by the panel)
 *
 * It must update the weights itself (e.g. `optimizer.minimize(() => loss, true)`).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelTarget } from '../../src/shared/messages';

export type TrainStep = (
  model: tf.LayersModel,
  batch: { xs: tf.Tensor; ys: tf.Tensor },
  optimizer: tf.Optimizer,
) => tf.Scalar | number | Promise<number>;

export interface LoadedModel {
  model: tf.LayersModel;
  trainStep: TrainStep | null;
  /** Every model the module created (all disposed together). */
  models: tf.LayersModel[];
  /** For the UI: "created at line 5" / "built by buildCbow()". */
  origin: string;
}

type TrackFn = <T>(line: number, model: T) => T;

declare global {
  var __modelLensTf: typeof tf | undefined;
  var __modelLensTrack: TrackFn | undefined;
}

/** A user-facing loading problem (shown as is, no stack). */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
}

interface Tracked {
  line: number;
  model: tf.LayersModel;
}

let loads = 0;

/**
 * `url` with a query that makes the browser evaluate the module again (a fresh model). Not for a
 * blob: URL: a query makes it name nothing (the model worker makes a new blob: URL per load).
 */
export function freshUrl(url: string, run: number): string {
  if (run === 0 || url.startsWith('blob:')) return url;
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  return `${base}${base.includes('?') ? '&' : '?'}run=${run}`;
}

function isModel(value: unknown): value is tf.LayersModel {
  return value instanceof tf.LayersModel;
}

/**
 * Imports the bundle and returns the target model. Each call evaluates the module anew, so
 * every training run starts from freshly initialised weights.
 * `importer` is `(url) => import(url)`; tests may substitute it.
 */
export async function loadModel(
  bundleUrl: string,
  target: ModelTarget,
  importer: (url: string) => Promise<Record<string, unknown>> = (url) => import(/* @vite-ignore */ url),
): Promise<LoadedModel> {
  const tracked: Tracked[] = [];
  globalThis.__modelLensTf = tf;
  globalThis.__modelLensTrack = <T>(line: number, model: T): T => {
    if (isModel(model)) tracked.push({ line, model });
    return model;
  };
  let module: Record<string, unknown>;
  try {
    module = await importer(freshUrl(bundleUrl, loads++));
  } catch (error) {
    disposeModels(tracked.map((t) => t.model));
    throw new ModelLoadError(`${target.file} failed while loading: ${messageOf(error)}`);
  }
  const trainStep = typeof module['trainStep'] === 'function' ? (module['trainStep'] as TrainStep) : null;
  const all = (): tf.LayersModel[] => unique(tracked.map((t) => t.model));

  const atLine = tracked.find((t) => t.line === target.line);
  if (atLine) return { model: atLine.model, trainStep, models: all(), origin: `created at line ${target.line}` };

  const exported = module[target.name];
  if (isModel(exported))
    return { model: exported, trainStep, models: unique([...all(), exported]), origin: `exported as ${target.name}` };

  // A builder the file never calls, shown for a call elsewhere or for values the user stated: called so.
  const call = target.builderCall;
  const builder = call ? module[call.function] : undefined;
  if (call && typeof builder === 'function') {
    const before = tracked.length;
    try {
      await (builder as (...args: unknown[]) => unknown)(...call.args);
    } catch (error) {
      disposeModels(all());
      throw new ModelLoadError(
        `${call.function}(${call.args.map((a) => JSON.stringify(a)).join(', ')}) failed: ${messageOf(error)}`,
      );
    }
    const built = tracked.slice(before).find((t) => t.line === target.line);
    if (built)
      return {
        model: built.model,
        trainStep,
        models: all(),
        origin: `built by ${call.function}(${call.args.map((a) => JSON.stringify(a)).join(', ')})`,
      };
  }

  // Built inside a function: `target.name` itself when it is an exported function, else (the
  // analysis names a model after its variable) every exported function without required
  // parameters, in order, as the analysis runs builders, until one creates the model.
  const builders: Array<[string, () => unknown]> =
    typeof exported === 'function'
      ? [[target.name, exported as () => unknown]]
      : Object.entries(module).filter(
          (e): e is [string, () => unknown] => typeof e[1] === 'function' && e[1].length === 0 && e[0] !== 'trainStep',
        );
  for (const [name, builder] of builders) {
    const before = tracked.length;
    let result: unknown;
    try {
      result = await builder();
    } catch (error) {
      disposeModels(all());
      throw new ModelLoadError(`${name}() failed: ${messageOf(error)}`);
    }
    const created = tracked.slice(before);
    const chosen =
      created.find((t) => t.line === target.line)?.model ??
      (builders.length === 1
        ? ((isModel(result) ? result : undefined) ?? (created.length === 1 ? created[0]!.model : undefined))
        : undefined);
    if (chosen) return { model: chosen, trainStep, models: unique([...all(), chosen]), origin: `built by ${name}()` };
  }
  disposeModels(all());
  throw new ModelLoadError(
    `Could not find the model "${target.name}" (line ${target.line}) in ${target.file}: ` +
      (typeof exported === 'function'
        ? `${target.name}() did not create it.`
        : 'it is neither created when the file loads nor built by an exported function without required parameters.'),
  );
}

/** Disposes every model (each once; nested models share layers, so errors are expected). */
export function disposeModels(models: readonly tf.LayersModel[]): void {
  for (const model of [...models].reverse()) {
    try {
      model.dispose();
    } catch {
      // Already disposed through a model that contains it.
    }
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
