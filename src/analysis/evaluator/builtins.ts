/**
 * The slice of JavaScript semantics the evaluator needs for model code: operators, `Math`,
 * and the array/string members used to build layer lists. Unknown operands give unknown results.
 */
import { BuiltinValue, UnknownValue, isPlainObject, unknown } from './values';
import type { Value } from './values';

export function firstUnknown(values: readonly Value[]): UnknownValue | undefined {
  return values.find((v): v is UnknownValue => v instanceof UnknownValue);
}

type Prim = number | string | boolean | null | undefined;
function isPrim(v: Value): v is Prim {
  return v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

export function binaryOp(op: string, a: Value, b: Value): Value {
  if (op === '===' || op === '!==' || op === '==' || op === '!=') {
    const u = firstUnknown([a, b]);
    if (u) return u;
    const eq = op.length === 3 ? a === b : a == b; // eslint-disable-line eqeqeq
    return op.startsWith('!') ? !eq : eq;
  }
  const u = firstUnknown([a, b]);
  if (u) return u;
  if (op === '+' && (Array.isArray(a) || Array.isArray(b))) return unknown('array concatenation with + is not evaluated');
  if (!isPrim(a) || !isPrim(b)) return unknown(`\`${op}\` on a non-primitive value`);
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '+':
      return (a as number) + (b as number);
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      return x % y;
    case '**':
      return x ** y;
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '^':
      return x ^ y;
    case '<<':
      return x << y;
    case '>>':
      return x >> y;
    case '>>>':
      return x >>> y;
    default:
      return unknown(`operator \`${op}\` is not evaluated`);
  }
}

export function truthy(v: Value): boolean | UnknownValue {
  if (v instanceof UnknownValue) return v;
  return Boolean(v);
}

function num(v: Value): number | UnknownValue {
  if (v instanceof UnknownValue) return v;
  return typeof v === 'number' ? v : Number(v);
}

function mathFn(name: string, f: (...xs: number[]) => number): BuiltinValue {
  return new BuiltinValue(`Math.${name}`, (args) => {
    const xs = args.map(num);
    const u = firstUnknown(xs);
    return u ?? f(...(xs as number[]));
  });
}

const MATH: Record<string, Value> = {
  PI: Math.PI,
  E: Math.E,
  SQRT2: Math.SQRT2,
  floor: mathFn('floor', Math.floor),
  ceil: mathFn('ceil', Math.ceil),
  round: mathFn('round', Math.round),
  trunc: mathFn('trunc', Math.trunc),
  abs: mathFn('abs', Math.abs),
  sqrt: mathFn('sqrt', Math.sqrt),
  log: mathFn('log', Math.log),
  log2: mathFn('log2', Math.log2),
  exp: mathFn('exp', Math.exp),
  pow: mathFn('pow', Math.pow),
  max: mathFn('max', Math.max),
  min: mathFn('min', Math.min),
  sign: mathFn('sign', Math.sign),
};

/** Global identifiers the evaluator knows. */
export function globalValue(name: string): Value | undefined {
  switch (name) {
    case 'undefined':
      return undefined;
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case 'Math':
      return { ...MATH };
    case 'Number':
      return new BuiltinValue('Number', (a) => num(a[0]));
    case 'String':
      return new BuiltinValue('String', (a) =>
        a[0] instanceof UnknownValue
          ? a[0]
          : typeof a[0] === 'object' && a[0] !== null
            ? unknown('`String` of an object')
            : String(a[0]),
      );
    case 'parseInt':
      return new BuiltinValue('parseInt', (a) =>
        typeof a[0] === 'string' || typeof a[0] === 'number' ? parseInt(String(a[0]), 10) : unknown('parseInt of a non-constant'),
      );
    case 'parseFloat':
      return new BuiltinValue('parseFloat', (a) =>
        typeof a[0] === 'string' || typeof a[0] === 'number' ? parseFloat(String(a[0])) : unknown('parseFloat of a non-constant'),
      );
    case 'Array':
      return {
        from: new BuiltinValue('Array.from', arrayFrom),
        isArray: new BuiltinValue('Array.isArray', (a) => (a[0] instanceof UnknownValue ? a[0] : Array.isArray(a[0]))),
      };
    case 'Object':
      return {
        keys: new BuiltinValue('Object.keys', (a) =>
          isPlainObject(a[0]!) ? Object.keys(a[0]) : unknown('Object.keys of a non-constant'),
        ),
        // Only for plain objects; the interpreter makes the target unknown otherwise (see functions.ts).
        assign: new BuiltinValue('Object.assign', (a) => Object.assign(a[0] as object, ...(a.slice(1) as object[]))),
      };
    case 'JSON':
      return {
        parse: new BuiltinValue('JSON.parse', () => unknown('`JSON.parse` reads its data when the program runs')),
        stringify: new BuiltinValue('JSON.stringify', () => unknown('`JSON.stringify` is not evaluated statically')),
      };
    default:
      return undefined;
  }
}

const MAX_ARRAY = 100_000;

function arrayFrom(args: Value[]): Value {
  const src = args[0];
  if (Array.isArray(src)) return [...src];
  if (isPlainObject(src!) && typeof src['length'] === 'number') {
    const n = src['length'];
    if (n < 0 || n > MAX_ARRAY || !Number.isInteger(n)) return unknown('Array.from with an unreasonable length');
    return new Array<Value>(n).fill(undefined);
  }
  return unknown('Array.from of a non-constant');
}

/** String methods that only read the string and their (primitive) arguments. */
const STRING_METHODS = new Set([
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'startsWith',
  'endsWith',
  'includes',
  'indexOf',
  'lastIndexOf',
  'slice',
  'substring',
  'split',
  'concat',
  'repeat',
  'charAt',
  'padStart',
  'padEnd',
  'replace',
  'replaceAll',
]);

/**
 * Members of arrays and strings. Callbacks (`map`, `forEach`...) go through `invoke`,
 * supplied by the interpreter.
 */
export function primitiveMember(target: Value, name: string, invoke: (fn: Value, args: Value[]) => Value): Value | undefined {
  if (typeof target === 'string') {
    if (name === 'length') return target.length;
    if (!STRING_METHODS.has(name)) return undefined;
    const str = target;
    // JavaScript's own method on known primitive arguments (`type.toLowerCase()`, `name.split('_')`).
    return new BuiltinValue(`String.${name}`, (args) => {
      const unknownArg = args.find((a) => a instanceof UnknownValue);
      if (unknownArg !== undefined) return unknownArg;
      if (!args.every((a) => a === undefined || ['string', 'number', 'boolean'].includes(typeof a)))
        return unknown(`\`${name}\` with an argument that is not a string or number`);
      if (args.some((a) => typeof a === 'number' && a > MAX_ARRAY) && /^(repeat|pad)/.test(name))
        return unknown(`\`${name}\` making a string too long to evaluate`);
      return (String.prototype as unknown as Record<string, (...xs: unknown[]) => Value>)[name]!.apply(str, args);
    });
  }
  if (!Array.isArray(target)) return undefined;
  const arr = target;
  const cb = (f: (fn: Value) => Value): BuiltinValue => new BuiltinValue(`Array.${name}`, (args) => f(args[0]));
  switch (name) {
    case 'length':
      return arr.length;
    case 'push':
      return new BuiltinValue('push', (args) => {
        arr.push(...args);
        return arr.length;
      });
    case 'pop':
      return new BuiltinValue('pop', () => arr.pop());
    case 'shift':
      return new BuiltinValue('shift', () => arr.shift());
    case 'unshift':
      return new BuiltinValue('unshift', (args) => arr.unshift(...args));
    case 'slice':
      return new BuiltinValue('slice', (args) => arr.slice(args[0] as number | undefined, args[1] as number | undefined));
    case 'concat':
      return new BuiltinValue('concat', (args) => arr.concat(...args.map((a) => (Array.isArray(a) ? a : [a]))));
    case 'reverse':
      return new BuiltinValue('reverse', () => arr.reverse());
    case 'sort':
      // JavaScript's own sort on the same values, comparator included; where the order cannot be
      // known the elements become unknown (the length stays).
      return new BuiltinValue('sort', (args) => {
        const cmp = args[0];
        const plain = arr.every((x) => x === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof x));
        if (plain && cmp === undefined) return arr.sort();
        if (plain) {
          const sorted = [...arr];
          let known = true;
          sorted.sort((a, b) => {
            const r = invoke(cmp, [a, b]);
            if (typeof r === 'number') return r;
            known = false;
            return 0;
          });
          if (known) {
            arr.splice(0, arr.length, ...sorted);
            return arr;
          }
        }
        arr.fill(unknown('the order `sort` leaves is not known statically'));
        return arr;
      });
    case 'includes':
      return new BuiltinValue('includes', (args) => arr.includes(args[0]));
    case 'indexOf':
      return new BuiltinValue('indexOf', (args) => arr.indexOf(args[0]));
    case 'join':
      return new BuiltinValue('join', (args) =>
        arr.every(isPrim) ? arr.join(args[0] as string | undefined) : unknown('join of non-constants'),
      );
    case 'fill':
      return new BuiltinValue('fill', (args) => arr.fill(args[0]));
    case 'forEach':
      return cb((fn) => {
        arr.forEach((v, i) => invoke(fn, [v, i, arr]));
        return undefined;
      });
    case 'map':
      return cb((fn) => arr.map((v, i) => invoke(fn, [v, i, arr])));
    case 'filter':
      return cb((fn) => {
        const out: Value[] = [];
        for (let i = 0; i < arr.length; i++) {
          const t = truthy(invoke(fn, [arr[i], i, arr]));
          if (t instanceof UnknownValue) return t;
          if (t) out.push(arr[i]);
        }
        return out;
      });
    case 'reduce':
      return new BuiltinValue('reduce', (args) => {
        let i = 0;
        let acc: Value;
        if (args.length > 1) acc = args[1];
        else if (arr.length > 0) acc = arr[i++];
        else return unknown('reduce of an empty array');
        for (; i < arr.length; i++) acc = invoke(args[0], [acc, arr[i], i, arr]);
        return acc;
      });
    case 'keys':
      return new BuiltinValue('keys', () => arr.map((_, i) => i));
    case 'entries':
      return new BuiltinValue('entries', () => arr.map((v, i) => [i, v]));
    default:
      return undefined;
  }
}
