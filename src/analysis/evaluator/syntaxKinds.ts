/**
 * The TypeScript syntax kinds the evaluator switches on, read once into plain numbers.
 */
import * as typescriptModule from 'typescript';

/** The compiler API copied into plain properties, because bundlers expose a CommonJS namespace through getters. */
const wholeApi: typeof typescriptModule = { ...typescriptModule };

/** What the evaluator reads per node besides the `is...` predicates. */
const PER_NODE = new Set(['SyntaxKind', 'forEachChild', 'tokenToString', 'getModifiers', 'canHaveModifiers']);

/**
 * `tsApi`: the TypeScript compiler API in plain properties. Use it instead of the import. The
 * whole copy is too large for V8's fast property mode (each read a hash lookup, the predicates
 * not inlined), so what the evaluator calls per node is an own property of a smaller object and
 * the rest comes from the prototype.
 */
export const tsApi: typeof typescriptModule = Object.setPrototypeOf(
  Object.fromEntries(Object.entries(wholeApi).filter(([k]) => /^is[A-Z]/.test(k) || PER_NODE.has(k))),
  wholeApi,
) as typeof typescriptModule;

/**
 * `Kind`: syntax kinds as a small object of plain numbers (`Kind.Identifier`). `ts.SyntaxKind`
 * is a huge enum object in dictionary mode, and reading it in every `case` of the evaluator's
 * switches is measurable.
 */
export const Kind = {
  AmpersandAmpersandToken: tsApi.SyntaxKind.AmpersandAmpersandToken,
  ArrayLiteralExpression: tsApi.SyntaxKind.ArrayLiteralExpression,
  ArrowFunction: tsApi.SyntaxKind.ArrowFunction,
  AsExpression: tsApi.SyntaxKind.AsExpression,
  AwaitExpression: tsApi.SyntaxKind.AwaitExpression,
  BarBarToken: tsApi.SyntaxKind.BarBarToken,
  BinaryExpression: tsApi.SyntaxKind.BinaryExpression,
  Block: tsApi.SyntaxKind.Block,
  BreakStatement: tsApi.SyntaxKind.BreakStatement,
  CallExpression: tsApi.SyntaxKind.CallExpression,
  ClassDeclaration: tsApi.SyntaxKind.ClassDeclaration,
  ClassExpression: tsApi.SyntaxKind.ClassExpression,
  CommaToken: tsApi.SyntaxKind.CommaToken,
  ConditionalExpression: tsApi.SyntaxKind.ConditionalExpression,
  DefaultKeyword: tsApi.SyntaxKind.DefaultKeyword,
  ContinueStatement: tsApi.SyntaxKind.ContinueStatement,
  DeleteExpression: tsApi.SyntaxKind.DeleteExpression,
  DoStatement: tsApi.SyntaxKind.DoStatement,
  ElementAccessExpression: tsApi.SyntaxKind.ElementAccessExpression,
  EqualsToken: tsApi.SyntaxKind.EqualsToken,
  ExclamationToken: tsApi.SyntaxKind.ExclamationToken,
  ExpressionStatement: tsApi.SyntaxKind.ExpressionStatement,
  FalseKeyword: tsApi.SyntaxKind.FalseKeyword,
  ForInStatement: tsApi.SyntaxKind.ForInStatement,
  ForOfStatement: tsApi.SyntaxKind.ForOfStatement,
  ForStatement: tsApi.SyntaxKind.ForStatement,
  FunctionExpression: tsApi.SyntaxKind.FunctionExpression,
  Identifier: tsApi.SyntaxKind.Identifier,
  IfStatement: tsApi.SyntaxKind.IfStatement,
  ImportDeclaration: tsApi.SyntaxKind.ImportDeclaration,
  InKeyword: tsApi.SyntaxKind.InKeyword,
  InstanceOfKeyword: tsApi.SyntaxKind.InstanceOfKeyword,
  LabeledStatement: tsApi.SyntaxKind.LabeledStatement,
  MinusMinusToken: tsApi.SyntaxKind.MinusMinusToken,
  MinusToken: tsApi.SyntaxKind.MinusToken,
  NewExpression: tsApi.SyntaxKind.NewExpression,
  NoSubstitutionTemplateLiteral: tsApi.SyntaxKind.NoSubstitutionTemplateLiteral,
  NonNullExpression: tsApi.SyntaxKind.NonNullExpression,
  NullKeyword: tsApi.SyntaxKind.NullKeyword,
  NumericLiteral: tsApi.SyntaxKind.NumericLiteral,
  ObjectLiteralExpression: tsApi.SyntaxKind.ObjectLiteralExpression,
  ParenthesizedExpression: tsApi.SyntaxKind.ParenthesizedExpression,
  PlusPlusToken: tsApi.SyntaxKind.PlusPlusToken,
  PlusToken: tsApi.SyntaxKind.PlusToken,
  PostfixUnaryExpression: tsApi.SyntaxKind.PostfixUnaryExpression,
  PrefixUnaryExpression: tsApi.SyntaxKind.PrefixUnaryExpression,
  PropertyAccessExpression: tsApi.SyntaxKind.PropertyAccessExpression,
  QuestionQuestionToken: tsApi.SyntaxKind.QuestionQuestionToken,
  ExportAssignment: tsApi.SyntaxKind.ExportAssignment,
  ExportKeyword: tsApi.SyntaxKind.ExportKeyword,
  ReturnStatement: tsApi.SyntaxKind.ReturnStatement,
  SatisfiesExpression: tsApi.SyntaxKind.SatisfiesExpression,
  SpreadElement: tsApi.SyntaxKind.SpreadElement,
  StringLiteral: tsApi.SyntaxKind.StringLiteral,
  SuperKeyword: tsApi.SyntaxKind.SuperKeyword,
  SwitchStatement: tsApi.SyntaxKind.SwitchStatement,
  TemplateExpression: tsApi.SyntaxKind.TemplateExpression,
  ThisKeyword: tsApi.SyntaxKind.ThisKeyword,
  ThrowStatement: tsApi.SyntaxKind.ThrowStatement,
  TildeToken: tsApi.SyntaxKind.TildeToken,
  TrueKeyword: tsApi.SyntaxKind.TrueKeyword,
  TryStatement: tsApi.SyntaxKind.TryStatement,
  TypeAssertionExpression: tsApi.SyntaxKind.TypeAssertionExpression,
  TypeOfExpression: tsApi.SyntaxKind.TypeOfExpression,
  VariableStatement: tsApi.SyntaxKind.VariableStatement,
  VoidExpression: tsApi.SyntaxKind.VoidExpression,
  WhileStatement: tsApi.SyntaxKind.WhileStatement,
} as const;

/** `+=`, `-=`, …: assignments that combine the old value with the right side by an operator. */
export const COMPOUND_ASSIGNMENTS: ReadonlySet<typescriptModule.SyntaxKind> = new Set([
  tsApi.SyntaxKind.PlusEqualsToken,
  tsApi.SyntaxKind.MinusEqualsToken,
  tsApi.SyntaxKind.AsteriskEqualsToken,
  tsApi.SyntaxKind.SlashEqualsToken,
  tsApi.SyntaxKind.PercentEqualsToken,
  tsApi.SyntaxKind.AsteriskAsteriskEqualsToken,
  tsApi.SyntaxKind.AmpersandEqualsToken,
  tsApi.SyntaxKind.BarEqualsToken,
  tsApi.SyntaxKind.CaretEqualsToken,
  tsApi.SyntaxKind.LessThanLessThanEqualsToken,
  tsApi.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  tsApi.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
]);

/** `||=`, `&&=`, `??=`: assignments that may not happen. */
export const LOGICAL_ASSIGNMENTS: ReadonlySet<typescriptModule.SyntaxKind> = new Set([
  tsApi.SyntaxKind.BarBarEqualsToken,
  tsApi.SyntaxKind.AmpersandAmpersandEqualsToken,
  tsApi.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Every assignment operator: `=`, the compound and the logical ones. */
export const ASSIGNMENTS: ReadonlySet<typescriptModule.SyntaxKind> = new Set([
  Kind.EqualsToken,
  ...COMPOUND_ASSIGNMENTS,
  ...LOGICAL_ASSIGNMENTS,
]);

/** The property name as written (`a`, `'a'`, `1`, `#a`); undefined for a computed name. */
export function propName(name: typescriptModule.PropertyName): string | undefined {
  if (tsApi.isIdentifier(name) || tsApi.isStringLiteral(name) || tsApi.isNumericLiteral(name) || tsApi.isPrivateIdentifier(name))
    return name.text;
  return undefined;
}

/** True when `node` carries the modifier of kind `kind` (`export`, `default`, `static`...). */
export function hasModifier(node: typescriptModule.Node, kind: typescriptModule.SyntaxKind): boolean {
  return tsApi.canHaveModifiers(node) && (tsApi.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
