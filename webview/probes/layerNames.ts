/**
 * The names the panel shows for a model's layers: the analysis's (`conv2d_1`, as the lenses say)
 * rather than tfjs's run-time names (`conv2d_Conv2D1`, which grow with every load of the model,
 * so they change on Train again). The analysis lists a model's layers exactly as tfjs's
 * `model.layers`, so layers are matched by position, a nested model's layers with its own list;
 * a position whose class differs keeps tfjs's name. The layers are not renamed: tfjs keys its
 * graph by their names.
 */
import type { LayerInfo } from '../../src/shared/messages';

/** What is read of a tfjs layer (a nested model has `layers`). */
export interface NamedLayer {
  readonly name: string;
  getClassName(): string;
}

const labels = new WeakMap<object, string>();

/** Types the analysis gives a model used as a layer (tfjs says `Sequential` or `Functional`/`Model`). */
const MODEL_TYPES = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);

function innerLayers(layer: NamedLayer): NamedLayer[] | null {
  const inner = (layer as { layers?: unknown }).layers;
  return Array.isArray(inner) ? (inner as NamedLayer[]) : null;
}

function sameKind(layer: NamedLayer, info: LayerInfo): boolean {
  const className = layer.getClassName();
  if (className === info.type) return true;
  return innerLayers(layer) !== null && MODEL_TYPES.has(info.type) && MODEL_TYPES.has(className);
}

/**
 * Gives `layers` (a model's `model.layers`) the analysis's names from `infos`, nested models'
 * layers included, when both list as many layers. Returns how many layers got a name.
 */
export function nameLayers(layers: readonly NamedLayer[], infos: readonly LayerInfo[] | undefined, depth = 0): number {
  if (!infos || infos.length !== layers.length || depth > 4) return 0;
  let named = 0;
  layers.forEach((layer, i) => {
    const info = infos[i]!;
    if (!sameKind(layer, info)) return;
    labels.set(layer, info.name);
    named++;
    const inner = innerLayers(layer);
    if (inner) named += nameLayers(inner, info.layers, depth + 1);
  });
  return named;
}

/** The name to show for a layer: the analysis's when `nameLayers` gave it one, else tfjs's. */
export function layerLabel(layer: NamedLayer): string {
  return labels.get(layer) ?? layer.name;
}

/**
 * The layer the views show under `nameOrPath` (its label, or its path through nested models:
 * `decoder/dense_4`), depth-first through nested models; null when none is.
 */
export function findLayer<L extends NamedLayer>(layers: readonly L[], nameOrPath: string, prefix = '', depth = 0): L | null {
  for (const layer of layers) {
    const label = layerLabel(layer);
    if (label === nameOrPath || prefix + label === nameOrPath) return layer;
    const inner = innerLayers(layer);
    if (inner && depth < 4) {
      const found = findLayer(inner as L[], nameOrPath, `${prefix}${label}/`, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The name the views use for the lens's layer: the analysis's layer list (`infos`) mirrors
 * `model.layers`, so the position of the lens's layer (by name, else by line) picks the run-time
 * layer, shown under the analysis's name or else tfjs's; the lens's name when there is none.
 */
export function viewLayerName(
  infos: readonly LayerInfo[],
  layers: readonly NamedLayer[] | undefined,
  name: string,
  line: number,
): string {
  let index = infos.findIndex((l) => l.name === name);
  if (index < 0) index = infos.findIndex((l) => l.line === line);
  return layers && index >= 0 && index < layers.length ? layerLabel(layers[index]!) : name;
}
