/**
 * A saved TensorFlow.js layers model (`model.json`: what the training panel's Save, `tf.io` and
 * `tensorflowjs_converter` write) read from its JSON topology alone (weights are not loaded):
 * the topology is written out as the `tf.layers` code that builds the same model, and that
 * code is analysed as any model file, so shapes, counts and mult-adds follow the same rules.
 * Each generated line is mapped back to the line of the JSON that names the layer.
 */
import { analyzeSource } from './analyze';
import { allLayerSpecs } from './layers/layerTable';
import type { AnalysisResult, ModelResult } from './types';

export interface SavedModelAnalysis {
  result: AnalysisResult;
  /** The saved model (the outermost one). */
  model: ModelResult;
  /** Line of the generated code → line of the JSON where that layer (or model) is named. */
  jsonLine(line: number): number;
  /** `Sequential` or `Functional`, and what wrote the file (`TensorFlow.js Converter v4.x`). */
  format: string;
  /** The model's own name (its config's `name`), when the file gives one. */
  name?: string;
}

export type SavedModelReading = SavedModelAnalysis | { error: string };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tfjs factory names by class name (`Conv2D` → `conv2d`). */
const FACTORY = new Map(allLayerSpecs.map((s) => [s.className, s.factory]));
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);
/** Keys that do not change shapes or counts and have no plain-value form (initializers and such). */
const DROPPED = /(_initializer|_regularizer|_constraint)$|^(dtype|sparse|ragged|build_config|registered_name|module)$/;

class Unsupported extends Error {}

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A config value as code, converted as tfjs converts a loaded topology (`convertPythonicToTs`):
 * keys and string values camel-cased (`channels_last` → `channelsLast`) but names; nested
 * layers (a wrapper's `layer`) as factory calls.
 */
function valueCode(value: Json, key = ''): string {
  if (Array.isArray(value)) return `[${value.map((v) => valueCode(v, key)).join(', ')}]`;
  if (isObject(value)) {
    if (typeof value['class_name'] === 'string' && isObject(value['config']))
      return layerCall(value['class_name'], value['config']);
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(camel(k))}: ${valueCode(v, k)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && key !== 'name') return JSON.stringify(camel(value));
  return JSON.stringify(value);
}

function configCode(config: JsonObject): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (DROPPED.test(key)) continue;
    // An activation, regularizer and the like given as a class: only its name matters here.
    if (isObject(value) && typeof value['class_name'] === 'string' && !FACTORY.has(value['class_name'])) {
      if (key === 'activation' && typeof value['config'] === 'object')
        parts.push(`activation: ${JSON.stringify(value['class_name'])}`);
      continue;
    }
    parts.push(`${JSON.stringify(camel(key))}: ${valueCode(value, key)}`);
  }
  return `{ ${parts.join(', ')} }`;
}

function layerCall(className: string, config: JsonObject): string {
  const factory = FACTORY.get(className);
  if (!factory) throw new Unsupported(`the layer class \`${className}\` is not one Model Lens models`);
  return `tf.layers.${factory}(${configCode(config)})`;
}

/** An InputLayer's `batch_input_shape`; Keras 3's `batch_shape` is refused as tfjs refuses it. */
function inputShapeOf(config: JsonObject): Json {
  const shape = config['batch_input_shape'];
  if (shape !== undefined) return shape;
  if (config['batch_shape'] !== undefined)
    throw new Unsupported(
      'it was written from Keras 3 (its InputLayer has `batch_shape`, not `batch_input_shape`), and tfjs-layers cannot load that: `tf.loadLayersModel` fails with "An InputLayer should be passed either a `batchInputShape` or an `inputShape`". Convert the model from Keras 2 (tf-keras), or edit `batch_shape` to `batch_input_shape`',
    );
  return null;
}

/** Writes the code of one model (nested models first) into `out`; returns its variable. */
class CodeWriter {
  readonly lines: string[] = ["import * as tf from '@tensorflow/tfjs';"];
  /** Generated line (1-based) → the layer or model name it makes. */
  readonly names = new Map<number, string>();
  /** Models used as layers that the file calls `Functional` (tfjs's class name for them once loaded). */
  readonly functionalNames = new Set<string>();
  private count = 0;

  /**
   * Keras numbers a nested model's applications from 1 (its node 0 links its own inputs to its
   * outputs, as in tfjs, which loads the file by those numbers); tfjs-layers writes them from 0.
   */
  constructor(private readonly nestedNodeOffset: number) {}

  private emit(line: string, name: string | undefined): void {
    this.lines.push(line);
    if (name !== undefined) this.names.set(this.lines.length, name);
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.count}`;
  }

  model(className: string, config: Json): string {
    if (className === 'Sequential') return this.sequential(config);
    if (className === 'Model' || className === 'Functional') return this.functional(config);
    throw new Unsupported(`\`${className}\` is not a layers model`);
  }

  /** A layer of a model: a nested model (written first) or a factory call. */
  private layer(entry: JsonObject): { code: string; name: string | undefined } {
    const className = entry['class_name'];
    const config = entry['config'];
    if (typeof className !== 'string') throw new Unsupported('a layer without a `class_name`');
    const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : undefined;
    if (MODEL_CLASSES.has(className)) {
      if (className === 'Functional' && name !== undefined) this.functionalNames.add(name);
      return { code: this.model(className, config ?? {}), name };
    }
    if (!isObject(config)) throw new Unsupported(`the layer \`${className}\` has no config`);
    return { code: layerCall(className, config), name };
  }

  private sequential(config: Json): string {
    // Old files give the layer list itself as the config.
    const layers = Array.isArray(config) ? config : isObject(config) && Array.isArray(config['layers']) ? config['layers'] : null;
    if (!layers) throw new Unsupported('a Sequential model without a `layers` list');
    const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : undefined;
    const v = this.fresh('sequential');
    this.emit(`const ${v} = tf.sequential(${name ? `{ name: ${JSON.stringify(name)} }` : ''});`, name);
    for (const entry of layers) {
      if (!isObject(entry)) throw new Unsupported('a layer entry that is not an object');
      // Keras writes the Sequential's input as an InputLayer entry: tfjs takes it as the first layer's input shape.
      if (entry['class_name'] === 'InputLayer' && isObject(entry['config'])) {
        const shape = inputShapeOf(entry['config']);
        const inputName = typeof entry['config']['name'] === 'string' ? entry['config']['name'] : undefined;
        this.emit(
          `${v}.add(tf.layers.inputLayer({ batchInputShape: ${valueCode(shape ?? null)}${inputName ? `, name: ${JSON.stringify(inputName)}` : ''} }));`,
          inputName,
        );
        continue;
      }
      const layer = this.layer(entry);
      this.emit(`${v}.add(${layer.code});`, layer.name);
    }
    return v;
  }

  private functional(config: Json): string {
    if (!isObject(config) || !Array.isArray(config['layers']))
      throw new Unsupported('a functional model without a `layers` list');
    const vars = new Map<string, string>();
    const outputs = new Map<string, boolean>();
    for (const entry of config['layers']) {
      if (!isObject(entry)) throw new Unsupported('a layer entry that is not an object');
      const name = typeof entry['name'] === 'string' ? entry['name'] : null;
      if (!name) throw new Unsupported('a functional layer without a `name`');
      const v = this.fresh('layer');
      vars.set(name, v);
      const layerConfig = isObject(entry['config']) ? entry['config'] : {};
      outputs.set(name, layerConfig['return_state'] === true);
      const nodes = entry['inbound_nodes'];
      if (!Array.isArray(nodes)) throw new Unsupported(`\`${name}\` has no \`inbound_nodes\` list`);
      if (entry['class_name'] === 'InputLayer') {
        const shape = inputShapeOf(layerConfig);
        this.emit(`const ${v}_0 = tf.input({ batchShape: ${valueCode(shape)}, name: ${JSON.stringify(name)} });`, name);
        continue;
      }
      const layer = this.layer(entry);
      this.emit(`const ${v} = ${layer.code};`, name);
      const offset = MODEL_CLASSES.has(String(entry['class_name'])) ? this.nestedNodeOffset : 0;
      nodes.forEach((node, k) => {
        if (!Array.isArray(node))
          throw new Unsupported(`\`${name}\`'s inbound nodes are in a format tfjs does not write (Keras 3)`);
        const args = node.map((ref) => this.ref(ref, vars, outputs));
        this.emit(
          `const ${v}_${k + offset} = ${v}.apply(${args.length === 1 ? args[0] : `[${args.join(', ')}]`}) as tf.SymbolicTensor;`,
          name,
        );
      });
    }
    const ends = (key: string): string => {
      const refs = config[key];
      if (!Array.isArray(refs) || refs.length === 0) throw new Unsupported(`a functional model without \`${key}\``);
      // A single [name, node, tensor] triple is written without the outer list by some writers.
      const list = typeof refs[0] === 'string' ? [refs] : refs;
      return `[${list.map((r) => this.ref(r, vars, outputs)).join(', ')}]`;
    };
    const name = typeof config['name'] === 'string' ? config['name'] : undefined;
    const v = this.fresh('model');
    const nameCode = name ? `, name: ${JSON.stringify(name)}` : '';
    this.emit(`const ${v} = tf.model({ inputs: ${ends('input_layers')}, outputs: ${ends('output_layers')}${nameCode} });`, name);
    return v;
  }

  /** `[name, nodeIndex, tensorIndex, kwargs?]` → the tensor's expression. */
  private ref(ref: Json, vars: Map<string, string>, multi: Map<string, boolean>): string {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string' || typeof ref[1] !== 'number')
      throw new Unsupported('an inbound node reference in a format tfjs does not write');
    const v = vars.get(ref[0]);
    if (!v) throw new Unsupported(`a reference to \`${ref[0]}\` before it is defined`);
    const tensor = typeof ref[2] === 'number' ? ref[2] : 0;
    return multi.get(ref[0]) ? `(${v}_${ref[1]} as unknown as tf.SymbolicTensor[])[${tensor}]` : `${v}_${ref[1]}`;
  }
}

/** The line of `text` where `"name": "<name>"` first appears (1 when it does not). */
function nameLines(text: string): (name: string) => number {
  const cache = new Map<string, number>();
  return (name) => {
    let line = cache.get(name);
    if (line === undefined) {
      const match = new RegExp(`"name"\\s*:\\s*${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(text);
      line = match ? text.slice(0, match.index).split('\n').length : 1;
      cache.set(name, line);
    }
    return line;
  };
}

/** Reads a `model.json`; an error says why it cannot be shown (a graph model, malformed JSON…). */
export function analyzeSavedModel(fileName: string, text: string): SavedModelReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `This file is not valid JSON: ${error instanceof Error ? error.message : String(error)}.` };
  }
  if (!isObject(json)) return { error: 'This JSON file is not a TensorFlow.js model: its top level is not an object.' };
  const format = typeof json['format'] === 'string' ? json['format'] : undefined;
  let topology: Json | undefined = json['modelTopology'];
  if (format === 'graph-model' || (isObject(topology) && Array.isArray(topology['node']))) {
    return {
      error:
        'This is a TensorFlow.js graph model (converted from a TensorFlow SavedModel or frozen graph): it holds operations, not layers, and Model Lens reads layers models (tf.sequential / tf.model, as model.save or tensorflowjs_converter --output_format tfjs_layers_model write them).',
    };
  }
  if (isObject(topology) && isObject(topology['model_config'])) topology = topology['model_config'];
  if (!isObject(topology) || typeof topology['class_name'] !== 'string') {
    return {
      error:
        'This JSON file is not a TensorFlow.js layers model: it has no `modelTopology` with a `class_name` (a model.json written by model.save or tensorflowjs_converter has one).',
    };
  }
  const className = topology['class_name'];
  const writtenByTfjs = typeof topology['keras_version'] === 'string' && topology['keras_version'].startsWith('tfjs');
  const writer = new CodeWriter(writtenByTfjs ? 0 : 1);
  let root: string;
  try {
    root = writer.model(className, topology['config'] ?? null);
  } catch (error) {
    if (error instanceof Unsupported) return { error: `Model Lens cannot read this model: ${error.message}.` };
    throw error;
  }
  const source = writer.lines.join('\n') + '\n';
  const result = analyzeSource(fileName.replace(/\.json$/i, '.model.ts'), source);
  const rootLine = [...writer.lines.entries()].find(([, l]) => l.startsWith(`const ${root} =`))?.[0];
  const model = result.models.find((m) => m.line === (rootLine ?? -1) + 1) ?? result.models.at(-1);
  if (!model) return { error: 'Model Lens could not build this model from its topology.' };
  for (const m of result.models)
    for (const layer of m.layers) if (layer.type === 'Model' && writer.functionalNames.has(layer.name)) layer.type = 'Functional';
  const lineOf = nameLines(text);
  const writtenBy = [json['convertedBy'], json['generatedBy']].find((s): s is string => typeof s === 'string');
  const config = topology['config'];
  const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : undefined;
  return {
    ...(name !== undefined ? { name } : {}),
    result,
    model,
    jsonLine: (line) => {
      const name = writer.names.get(line);
      return name === undefined ? 1 : lineOf(name);
    },
    format: `${className === 'Sequential' ? 'Sequential' : 'Functional'}${writtenBy ? `, written by ${writtenBy}` : ''}`,
  };
}
