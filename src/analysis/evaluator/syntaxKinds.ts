/**
 * The TypeScript syntax kinds the evaluator switches on, read once into plain numbers.
 */
import * as tsNs from 'typescript';

/** The compiler API as plain properties: bundlers expose a CommonJS namespace through getters. */
export const tsv: typeof tsNs = { ...tsNs };

/**
 * Syntax kinds as a small object of plain numbers: `ts.SyntaxKind` is a huge enum object in
 * dictionary mode, and reading it in every `case` of the evaluator's switches is measurable.
 */
export const SK = {
  AmpersandAmpersandToken: tsv.SyntaxKind.AmpersandAmpersandToken,
  ArrayLiteralExpression: tsv.SyntaxKind.ArrayLiteralExpression,
  ArrowFunction: tsv.SyntaxKind.ArrowFunction,
  AsExpression: tsv.SyntaxKind.AsExpression,
  AwaitExpression: tsv.SyntaxKind.AwaitExpression,
  BarBarToken: tsv.SyntaxKind.BarBarToken,
  BinaryExpression: tsv.SyntaxKind.BinaryExpression,
  Block: tsv.SyntaxKind.Block,
  BreakStatement: tsv.SyntaxKind.BreakStatement,
  CallExpression: tsv.SyntaxKind.CallExpression,
  ClassDeclaration: tsv.SyntaxKind.ClassDeclaration,
  ClassExpression: tsv.SyntaxKind.ClassExpression,
  CommaToken: tsv.SyntaxKind.CommaToken,
  ConditionalExpression: tsv.SyntaxKind.ConditionalExpression,
  DefaultKeyword: tsv.SyntaxKind.DefaultKeyword,
  ContinueStatement: tsv.SyntaxKind.ContinueStatement,
  DeleteExpression: tsv.SyntaxKind.DeleteExpression,
  DoStatement: tsv.SyntaxKind.DoStatement,
  ElementAccessExpression: tsv.SyntaxKind.ElementAccessExpression,
  EqualsToken: tsv.SyntaxKind.EqualsToken,
  ExclamationToken: tsv.SyntaxKind.ExclamationToken,
  ExpressionStatement: tsv.SyntaxKind.ExpressionStatement,
  FalseKeyword: tsv.SyntaxKind.FalseKeyword,
  ForInStatement: tsv.SyntaxKind.ForInStatement,
  ForOfStatement: tsv.SyntaxKind.ForOfStatement,
  ForStatement: tsv.SyntaxKind.ForStatement,
  FunctionExpression: tsv.SyntaxKind.FunctionExpression,
  Identifier: tsv.SyntaxKind.Identifier,
  IfStatement: tsv.SyntaxKind.IfStatement,
  ImportDeclaration: tsv.SyntaxKind.ImportDeclaration,
  InKeyword: tsv.SyntaxKind.InKeyword,
  InstanceOfKeyword: tsv.SyntaxKind.InstanceOfKeyword,
  LabeledStatement: tsv.SyntaxKind.LabeledStatement,
  MinusMinusToken: tsv.SyntaxKind.MinusMinusToken,
  MinusToken: tsv.SyntaxKind.MinusToken,
  NewExpression: tsv.SyntaxKind.NewExpression,
  NoSubstitutionTemplateLiteral: tsv.SyntaxKind.NoSubstitutionTemplateLiteral,
  NonNullExpression: tsv.SyntaxKind.NonNullExpression,
  NullKeyword: tsv.SyntaxKind.NullKeyword,
  NumericLiteral: tsv.SyntaxKind.NumericLiteral,
  ObjectLiteralExpression: tsv.SyntaxKind.ObjectLiteralExpression,
  ParenthesizedExpression: tsv.SyntaxKind.ParenthesizedExpression,
  PlusPlusToken: tsv.SyntaxKind.PlusPlusToken,
  PlusToken: tsv.SyntaxKind.PlusToken,
  PostfixUnaryExpression: tsv.SyntaxKind.PostfixUnaryExpression,
  PrefixUnaryExpression: tsv.SyntaxKind.PrefixUnaryExpression,
  PropertyAccessExpression: tsv.SyntaxKind.PropertyAccessExpression,
  QuestionQuestionToken: tsv.SyntaxKind.QuestionQuestionToken,
  ExportAssignment: tsv.SyntaxKind.ExportAssignment,
  ExportKeyword: tsv.SyntaxKind.ExportKeyword,
  ReturnStatement: tsv.SyntaxKind.ReturnStatement,
  SatisfiesExpression: tsv.SyntaxKind.SatisfiesExpression,
  SpreadElement: tsv.SyntaxKind.SpreadElement,
  StringLiteral: tsv.SyntaxKind.StringLiteral,
  SuperKeyword: tsv.SyntaxKind.SuperKeyword,
  SwitchStatement: tsv.SyntaxKind.SwitchStatement,
  TemplateExpression: tsv.SyntaxKind.TemplateExpression,
  ThisKeyword: tsv.SyntaxKind.ThisKeyword,
  ThrowStatement: tsv.SyntaxKind.ThrowStatement,
  TildeToken: tsv.SyntaxKind.TildeToken,
  TrueKeyword: tsv.SyntaxKind.TrueKeyword,
  TryStatement: tsv.SyntaxKind.TryStatement,
  TypeAssertionExpression: tsv.SyntaxKind.TypeAssertionExpression,
  TypeOfExpression: tsv.SyntaxKind.TypeOfExpression,
  VariableStatement: tsv.SyntaxKind.VariableStatement,
  VoidExpression: tsv.SyntaxKind.VoidExpression,
  WhileStatement: tsv.SyntaxKind.WhileStatement,
} as const;

/** The property name as written (`a`, `'a'`, `1`, `#a`); undefined for a computed name. */
export function propName(name: tsNs.PropertyName): string | undefined {
  if (tsv.isIdentifier(name) || tsv.isStringLiteral(name) || tsv.isNumericLiteral(name) || tsv.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** True when `node` carries the modifier of kind `kind` (`export`, `default`, `static`...). */
export function hasModifier(node: tsNs.Node, kind: tsNs.SyntaxKind): boolean {
  return tsv.canHaveModifiers(node) && (tsv.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
