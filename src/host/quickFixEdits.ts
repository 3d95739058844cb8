/**
 * The text changes of Model Lens's quick fixes, computed on the file's syntax (no `vscode`, so
 * unit tests apply them and analyse the result): an option added to, or changed in, a layer
 * factory's options object, and a `flatten` layer added before a Dense that gets an image.
 */
import * as ts from 'typescript';
import type { FixHint } from '../analysis/types';
import { findCallAt, parseSource } from './training/sourceModels';

/** Replace `[start, end)` of the text with `newText`. */
export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

/** The option a fix sets, and its value as source text (the projection fix sets none). */
export function fixOption(hint: FixHint, inputShape?: string): { key: string; value: string } | undefined {
  switch (hint.kind) {
    case 'inputShape':
      return { key: 'inputShape', value: inputShape ?? '[28, 28, 1]' };
    case 'returnSequences':
      return { key: 'returnSequences', value: 'true' };
    case 'paddingSame':
      return { key: 'padding', value: "'same'" };
    case 'projectShortcut':
      return undefined;
  }
}

/**
 * `tf.layers.add().apply([x, y])` whose inputs differ in channels: `x` becomes
 * `tf.layers.conv2d({ filters: y.shape[y.shape.length - 1], kernelSize: 1 }).apply(x)`, so the
 * shortcut takes the other input's channels wherever the code runs. Only when the other input
 * is a plain name (it is read twice).
 */
export function projectionChange(fileName: string, text: string, hint: FixHint): TextChange | undefined {
  if (hint.input === undefined || hint.like === undefined || hint.conv === undefined) return undefined;
  const sf = parseSource(fileName, text);
  const merge = findCallAt(sf, hint.line, hint.column);
  const access = merge?.parent;
  const apply = access?.parent;
  if (
    !merge ||
    !access ||
    !ts.isPropertyAccessExpression(access) ||
    access.name.text !== 'apply' ||
    !apply ||
    !ts.isCallExpression(apply)
  )
    return undefined;
  const list = apply.arguments[0];
  if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
  const target = list.elements[hint.input];
  const like = list.elements[hint.like];
  if (!target || !like || !ts.isIdentifier(like) || !ts.isPropertyAccessExpression(merge.expression)) return undefined;
  const layers = merge.expression.expression.getText(sf);
  const other = like.text;
  const cast =
    /\.[cm]?tsx?$/i.test(fileName) && ts.isPropertyAccessExpression(merge.expression.expression)
      ? ` as ${merge.expression.expression.expression.getText(sf)}.SymbolicTensor`
      : '';
  const projected = `${layers}.${hint.conv}({ filters: ${other}.shape[${other}.shape.length - 1] as number, kernelSize: 1 }).apply(${target.getText(sf)})${cast}`;
  return {
    start: target.getStart(sf),
    end: target.getEnd(),
    newText: cast === '' ? projected.replace(' as number', '') : projected,
  };
}

/** Sets `key: value` in the options of the factory call at the hint's position. */
export function optionChange(fileName: string, text: string, hint: FixHint, inputShape?: string): TextChange | undefined {
  const sf = parseSource(fileName, text);
  const call = findCallAt(sf, hint.line, hint.column);
  if (!call) return undefined;
  const option = fixOption(hint, inputShape);
  if (!option) return undefined;
  const { key, value } = option;
  const options = call.arguments[0];
  if (options === undefined) {
    // `tf.layers.lstm()`: the options object is new.
    const open = call.arguments.pos;
    return { start: open, end: open, newText: `{ ${key}: ${value} }` };
  }
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const existing = options.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(sf) === key,
  );
  if (existing) return { start: existing.initializer.getStart(sf), end: existing.initializer.getEnd(), newText: value };
  const last = options.properties[options.properties.length - 1];
  if (last === undefined) return { start: options.getStart(sf), end: options.getEnd(), newText: `{ ${key}: ${value} }` };
  return { start: last.getEnd(), end: last.getEnd(), newText: `, ${key}: ${value}` };
}

/**
 * `model.add(tf.layers.flatten());` before the statement `model.add(<the Dense at line:column>)`,
 * with the same receiver and the same spelling of `tf.layers`; undefined where the Dense is not
 * added by such a statement.
 */
export function flattenChange(fileName: string, text: string, line: number, column: number): TextChange | undefined {
  const sf = parseSource(fileName, text);
  const dense = findCallAt(sf, line, column);
  if (!dense || !ts.isPropertyAccessExpression(dense.expression)) return undefined;
  const add = dense.parent;
  if (!add || !ts.isCallExpression(add) || !ts.isPropertyAccessExpression(add.expression) || add.expression.name.text !== 'add')
    return undefined;
  const statement = add.parent;
  if (!statement || !ts.isExpressionStatement(statement)) return undefined;
  const start = statement.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = text.slice(lineStart, start);
  if (indent.trim() !== '') return undefined;
  const receiver = add.expression.expression.getText(sf);
  const layers = dense.expression.expression.getText(sf);
  return { start, end: start, newText: `${receiver}.add(${layers}.flatten());\n${indent}` };
}

/** The text with `change` applied. */
export function applyChange(text: string, change: TextChange): string {
  return text.slice(0, change.start) + change.newText + text.slice(change.end);
}
