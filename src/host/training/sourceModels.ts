/**
 * What the training command reads from the model file's syntax, beyond the analysis: the
 * call that creates a model or layer at a given position, each model's line range (to find
 * the model around the cursor) and the output layer's activation (to choose the loss).
 * Uses the TypeScript parser only; nothing is evaluated. Pure: no `vscode`.
 */
import * as ts from 'typescript';
import type { LayerResult, ModelResult } from '../../analysis/types';
import { scriptKind } from '../../analysis/analyze';

export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
}

/** The name token of a call: `sequential` in `tf.sequential(...)` and in `sequential(...)`. */
export function callNameToken(call: ts.CallExpression): ts.Identifier | ts.PrivateIdentifier | undefined {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
  if (ts.isIdentifier(callee)) return callee;
  if (ts.isPropertyAccessExpression(callee)) return callee.name;
  return undefined;
}

/** 1-based line of a node's first token. */
export function lineOf(source: ts.SourceFile, node: ts.Node): number {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
}

/** Every call expression, outermost first. */
export function forEachCall(node: ts.Node, visit: (call: ts.CallExpression) => void): void {
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) visit(n);
    ts.forEachChild(n, walk);
  };
  walk(node);
}

/** The call whose name token starts at 1-based (line, column), else the first on that line named `name`. */
export function findCallAt(
  source: ts.SourceFile,
  line: number,
  column: number,
  names?: readonly string[],
): ts.CallExpression | undefined {
  let exact: ts.CallExpression | undefined;
  let byName: ts.CallExpression | undefined;
  forEachCall(source, (call) => {
    const token = callNameToken(call);
    if (!token) return;
    const at = source.getLineAndCharacterOfPosition(token.getStart(source));
    if (at.line + 1 !== line) return;
    if (at.character + 1 === column) exact ??= call;
    if (names?.includes(token.text)) byName ??= call;
  });
  return exact ?? byName;
}

/**
 * Lines each model spans: its layers' creation and use lines and the model call, widened to
 * the function that builds it (a model returned by a builder covers the whole builder).
 * Nested models contribute only the line where they are used.
 */
export function modelLineRanges(source: ts.SourceFile, models: readonly ModelResult[]): { start: number; end: number }[] {
  return models.map((model) => {
    let start = model.line;
    let end = model.line;
    for (const layer of model.layers) {
      const lines = NESTED_TYPES.has(layer.type) ? [layer.useLine] : [layer.line, layer.useLine];
      for (const l of lines) {
        if (l > 0) {
          start = Math.min(start, l);
          end = Math.max(end, l);
        }
      }
    }
    const call = findCallAt(source, model.line, model.column, ['sequential', 'model']);
    let node: ts.Node | undefined = call;
    while (node && !ts.isFunctionLike(node) && !ts.isSourceFile(node.parent)) node = node.parent;
    if (node && !ts.isSourceFile(node)) {
      start = Math.min(start, lineOf(source, node));
      end = Math.max(end, source.getLineAndCharacterOfPosition(node.getEnd()).line + 1);
    }
    return { start, end };
  });
}

const NESTED_TYPES = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);
/** Layers that pass their input's values through (reshaping, dropping): look before them. */
const PASS_THROUGH = new Set([
  'Reshape',
  'Flatten',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Permute',
  'RepeatVector',
  'Cropping2D',
  'ZeroPadding2D',
  'UpSampling2D',
  'Masking',
]);

function stringProperty(object: ts.ObjectLiteralExpression, name: string): string | null | undefined {
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = property.name;
    const keyText = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : undefined;
    if (keyText !== name) continue;
    const value = property.initializer;
    return ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value) ? value.text : null;
  }
  return undefined;
}

/** `activation` of a layer factory call: the string given, `linear` when absent, null when not a literal. */
function activationOfCall(call: ts.CallExpression, depth = 0): string | null {
  const options = call.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return 'linear';
  const activation = stringProperty(options, 'activation');
  if (activation !== undefined) return activation;
  // Wrappers (`timeDistributed({ layer: tf.layers.dense({...}) })`): the wrapped layer's.
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && ts.isCallExpression(property.initializer) && depth < 3) {
      const inner = property.initializer;
      const name = callNameToken(inner)?.text;
      if (name && name !== 'input') return activationOfCall(inner, depth + 1);
    }
  }
  return 'linear';
}

const RECURRENT_DEFAULT: Record<string, string> = {
  LSTM: 'tanh',
  GRU: 'tanh',
  SimpleRNN: 'tanh',
  RNN: 'tanh',
  ConvLSTM2D: 'tanh',
};

/** The activation of one layer as written in the source (null when unknown). */
export function layerActivation(source: ts.SourceFile, layer: LayerResult): string | null {
  if (layer.type === 'Softmax') return 'softmax';
  if (layer.type === 'ReLU' || layer.type === 'LeakyReLU' || layer.type === 'ELU') return layer.type.toLowerCase();
  const call = findCallAt(source, layer.line, layer.column);
  if (!call) return null;
  const activation = activationOfCall(call);
  if (activation === 'linear' && RECURRENT_DEFAULT[layer.type]) {
    const options = call.arguments[0];
    const explicit = options && ts.isObjectLiteralExpression(options) ? stringProperty(options, 'activation') : undefined;
    if (explicit === undefined) return RECURRENT_DEFAULT[layer.type] ?? null;
  }
  return activation;
}

/**
 * The activation of the model's output: its last layer's, looking through reshaping/dropout
 * layers and into a nested model used as the last layer. Null when it cannot be read.
 */
export function outputActivation(
  source: ts.SourceFile,
  model: ModelResult,
  all: readonly ModelResult[],
  depth = 0,
): string | null {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const layer = model.layers[i] as LayerResult;
    if (layer.type === 'InputLayer') continue;
    if (NESTED_TYPES.has(layer.type)) {
      const nested = all.find((m) => m !== model && m.line === layer.line);
      return nested && depth < 4 ? outputActivation(source, nested, all, depth + 1) : null;
    }
    if (PASS_THROUGH.has(layer.type)) continue;
    return layerActivation(source, layer);
  }
  return null;
}
