/**
 * The operators of the evaluator's expressions: binary and logical operators, `,`, unary
 * operators, and assignment (`=`, compound, logical; to variables, members and array
 * patterns). `Interpreter` (interpreter.ts), the rest of the expressions, extends this class.
 */
import type * as ts from 'typescript';
import type { Scope } from './scope';
import { binaryOp, firstUnknown, truthy } from './builtins';
import { InstanceValue, UnknownValue, isPlainObject, plainMemberStore, unknown } from './values';
import type { Value } from './values';
import { ModuleSupport } from './modules';
import { MAX_LOOP } from './statements';
import { COMPOUND_ASSIGNMENTS, LOGICAL_ASSIGNMENTS, Kind, tsApi } from './syntaxKinds';

export abstract class Operators extends ModuleSupport {
  protected binary(e: ts.BinaryExpression, scope: Scope): Value {
    const op = e.operatorToken.kind;
    if (op === Kind.EqualsToken) {
      const v = this.eval(e.right, scope);
      if (tsApi.isIdentifier(e.left)) this.bridge.nameModel(v, e.left.text);
      else if (tsApi.isPropertyAccessExpression(e.left)) this.bridge.nameModel(v, e.left.name.text);
      this.assignTo(e.left, v, scope);
      return v;
    }
    if (op === Kind.AmpersandAmpersandToken || op === Kind.BarBarToken || op === Kind.QuestionQuestionToken) {
      const l = this.eval(e.left, scope);
      if (l instanceof UnknownValue) {
        this.undecided([e.right], scope, this.where(e, e.getText(this.sf)));
        return l;
      }
      const pick =
        op === Kind.QuestionQuestionToken ? l === null || l === undefined : op === Kind.AmpersandAmpersandToken ? Boolean(l) : !l;
      return pick ? this.eval(e.right, scope) : l;
    }
    if (LOGICAL_ASSIGNMENTS.has(op)) {
      const l = this.eval(e.left, scope);
      if (l instanceof UnknownValue) {
        this.undecided([e], scope, this.where(e, e.getText(this.sf)));
        return l;
      }
      const assign =
        op === tsApi.SyntaxKind.QuestionQuestionEqualsToken
          ? l === null || l === undefined
          : op === tsApi.SyntaxKind.BarBarEqualsToken
            ? !l
            : Boolean(l);
      if (!assign) return l;
      const v = this.eval(e.right, scope);
      this.assignTo(e.left, v, scope);
      return v;
    }
    if (op === Kind.CommaToken) {
      this.eval(e.left, scope);
      return this.eval(e.right, scope);
    }
    const text = tsApi.tokenToString(op) ?? '';
    if (COMPOUND_ASSIGNMENTS.has(op)) {
      const v = binaryOp(text.slice(0, -1), this.eval(e.left, scope), this.eval(e.right, scope));
      this.assignTo(e.left, v, scope);
      return v;
    }
    if (op === Kind.InKeyword) return this.inOperator(this.eval(e.left, scope), this.eval(e.right, scope));
    if (op === Kind.InstanceOfKeyword) {
      const left = this.eval(e.left, scope);
      this.eval(e.right, scope);
      // A primitive is an instance of nothing.
      const primitive = left === null || (typeof left !== 'object' && typeof left !== 'function');
      return primitive ? false : unknown(`\`${text}\` is not evaluated`);
    }
    return binaryOp(text, this.eval(e.left, scope), this.eval(e.right, scope));
  }

  /** `key in obj` for the file's own objects and arrays whose keys are all known; other values are not evaluated. */
  private inOperator(key: Value, obj: Value): Value {
    if (key instanceof UnknownValue) return key;
    if (typeof key !== 'string' && typeof key !== 'number') return unknown('`in` with a key that is not a string or number');
    const target: object | null = isPlainObject(obj) || Array.isArray(obj) ? obj : null;
    if (target === null) return unknown('`in` is evaluated only on plain objects and arrays');
    const unsure = this.bridge.uncertainOf(obj);
    if (unsure !== undefined) return unknown(unsure);
    return key in target;
  }

  protected postfix(e: ts.PostfixUnaryExpression, scope: Scope): Value {
    const old = this.eval(e.operand, scope);
    const next = binaryOp(e.operator === Kind.PlusPlusToken ? '+' : '-', old, 1);
    this.assignTo(e.operand, next, scope);
    return old;
  }

  protected prefix(e: ts.PrefixUnaryExpression, scope: Scope): Value {
    const v = this.eval(e.operand, scope);
    switch (e.operator) {
      case Kind.MinusToken:
        return binaryOp('-', 0, v);
      case Kind.PlusToken:
        return v instanceof UnknownValue ? v : Number(v);
      case Kind.ExclamationToken: {
        const t = truthy(v);
        return t instanceof UnknownValue ? t : !t;
      }
      case Kind.TildeToken:
        return v instanceof UnknownValue ? v : ~(v as number);
      case Kind.PlusPlusToken:
      case Kind.MinusMinusToken: {
        const next = binaryOp(e.operator === Kind.PlusPlusToken ? '+' : '-', v, 1);
        this.assignTo(e.operand, next, scope);
        return next;
      }
      default:
        return unknown('unary operator');
    }
  }

  assignTo(target: ts.Node, value: Value, scope: Scope): void {
    if (tsApi.isParenthesizedExpression(target) || tsApi.isAsExpression(target) || tsApi.isNonNullExpression(target))
      return this.assignTo(target.expression, value, scope);
    if (tsApi.isIdentifier(target)) return scope.assign(target.text, value);
    if (tsApi.isPropertyAccessExpression(target) || tsApi.isElementAccessExpression(target)) {
      const obj = this.eval(target.expression, scope);
      const key = tsApi.isPropertyAccessExpression(target) ? target.name.text : this.eval(target.argumentExpression, scope);
      if (typeof key !== 'string' && typeof key !== 'number') {
        // A key not known: any element or property may be the one changed.
        this.uncertainty.taint(obj, `a computed key is assigned on line ${this.bridge.spot(target).line}`);
        return;
      }
      const name = String(key);
      const store = plainMemberStore(obj, name);
      if (store !== undefined) this.noteMemberWrite(store, name);
      else this.noteWrite(obj instanceof InstanceValue ? obj.fields : obj);
      if (Array.isArray(obj) && typeof key === 'number' && key >= 0 && key < MAX_LOOP) {
        obj[key] = value;
        this.uncertainty.rewrote(obj, name);
      } else this.assignMember(obj, name, value);
      return;
    }
    if (tsApi.isArrayLiteralExpression(target)) {
      target.elements.forEach((el, i) =>
        this.assignTo(el, Array.isArray(value) ? value[i] : (firstUnknown([value]) ?? unknown('destructuring')), scope),
      );
    }
  }
}
