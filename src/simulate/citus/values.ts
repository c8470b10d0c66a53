/**
 * Values as the model holds them, and the evaluation of the expressions it
 * can decide on constants: literals and casts, arithmetic, comparisons,
 * AND / OR / NOT, IS [NOT] NULL, IN lists, BETWEEN, COALESCE. Three-valued:
 * an expression is a value, SQL NULL, or unknown (undefined) when the model
 * cannot tell; a comparison whose answer depends on a collation or on a
 * type's input function the model does not have is unknown, never guessed.
 */
import type { Column } from '../../catalog/model.js';
import type { Node } from '../../ingest/pg/ast.js';
import { constValue, namesOf, nodeAs, stringOf } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import { parseBool } from './variableset.js';

/** A value in a held row: its text form (canonical for its type), null for SQL NULL, undefined when not known. */
export type Cell = string | null | undefined;

/**
 * How the model compares a type's values: `int` and `num` numerically
 * (canonical decimal text), `bool` as t/f, `text` and `label` (enum) by
 * equality only (order depends on a collation), `exact` equal when the text
 * is the same (date, uuid, ...; different text may still be the same value),
 * `opaque` never.
 */
export type Kind = 'int' | 'num' | 'bool' | 'text' | 'label' | 'exact' | 'opaque';

/** What a column's type means to the model. */
export interface ColumnType {
  readonly kind: Kind;
  /** varchar(n) / char(n): at most n characters. */
  readonly length?: number;
  readonly display: string;
  /** numeric(p, s): the scale. */
  readonly scale?: number;
  /** int2 / int4 / int8: the largest value. */
  readonly max?: bigint;
  /** double precision: a binary fraction, so arithmetic on it is not decimal arithmetic. */
  readonly float?: boolean;
}

/** A value while an expression is evaluated; `unknown` is a string literal not yet given a type. */
export type Val = { readonly kind: Kind | 'unknown'; readonly text: string; readonly float?: boolean } | null | undefined;

/** Where column references find their values. */
export type Env = (fields: readonly string[]) => Val;

const INT_MAX: Readonly<Record<string, bigint>> = { int2: 32767n, int4: 2147483647n, int8: 9223372036854775807n };
const NUM = new Set(['numeric', 'float4', 'float8']);
const TEXT = new Set(['text', 'varchar', 'bpchar', 'name']);
const EXACT = new Set(['date', 'timestamp', 'time', 'interval', 'uuid', 'jsonb', 'inet', 'cidr', 'macaddr', 'bytea']);
/** Date/time inputs read at the time of the statement: the same text is not the same value. */
const MOVING = /^\s*(now|today|tomorrow|yesterday|current)\s*$/i;

export function columnType(c: Column): ColumnType {
  const t = c.type;
  const base = t.arrayDims ? '' : t.base.replace(/^pg_catalog\./, '');
  const display = t.display;
  if (c.collation && !/^("?default"?|"?C"?|"?POSIX"?|pg_catalog\.("?default"?|"?C"?))$/.test(c.collation)) return { kind: 'opaque', display };
  if (INT_MAX[base]) return { kind: 'int', display, max: INT_MAX[base] };
  // a real is compared as a double with the constants beside it: its values are not the decimals written
  if (base === 'float4') return { kind: 'opaque', display };
  if (NUM.has(base)) return { kind: 'num', display, ...(base === 'numeric' && t.typmods.length === 2 ? { scale: t.typmods[1] } : {}), ...(base === 'float8' ? { float: true } : {}) };
  if (base === 'bool') return { kind: 'bool', display };
  if (TEXT.has(base)) return { kind: 'text', display, ...((base === 'varchar' || base === 'bpchar') && t.typmods.length ? { length: t.typmods[0] } : {}) };
  if (t.kind === 'enum') return { kind: 'label', display };
  if (EXACT.has(base)) return { kind: 'exact', display };
  return { kind: 'opaque', display };
}

/** A value assigned to a column of type `t` (INSERT, UPDATE, a default); PostgreSQL's error for a string too long. */
export function assign(v: Val, t: ColumnType): Cell {
  if (v === null || v === undefined) return v;
  const text = toKind(v, t.kind);
  if (text === undefined) return undefined;
  if (t.kind === 'int' && t.max !== undefined && absBig(text) > t.max) return undefined;
  if (t.kind === 'num' && t.scale !== undefined && (text.split('.')[1] ?? '').length > t.scale) return undefined;
  // a double holds 15 significant digits exactly
  if (t.kind === 'num' && t.display === 'double precision' && text.replace(/[-.]/g, '').replace(/^0+/, '').length > 15) return undefined;
  if (t.kind === 'text' && t.length !== undefined) {
    const chars = [...text];
    if (chars.length > t.length) {
      if (chars.slice(t.length).some((ch) => ch !== ' ')) throw new CitusError(`value too long for type ${t.display}`);
      return chars.slice(0, t.length).join('');
    }
  }
  if (t.kind === 'text' && t.display.startsWith('character(')) return text.replace(/ +$/, '');
  return text;
}

/** A held value as an expression value. */
export function valOf(cell: Cell, t: ColumnType): Val {
  if (cell === null || cell === undefined || t.kind === 'opaque') return cell === null ? null : undefined;
  return { kind: t.kind, text: cell, ...(t.float ? { float: true } : {}) };
}

/** Are two held values of one column type equal: true, false, or undefined when the model cannot tell. */
export function sameValue(a: Cell, b: Cell, t: ColumnType): boolean | undefined {
  if (a === undefined || b === undefined || a === null || b === null) return undefined;
  switch (t.kind) {
    case 'int':
    case 'num':
      return compareNumbers(a, b) === 0;
    case 'bool':
    case 'text':
    case 'label':
      return a === b;
    case 'exact':
      return a === b ? true : undefined;
    default:
      return undefined;
  }
}

/** The value of an expression, given where column references find their values. */
export function evaluate(n: Node | undefined, env: Env): Val {
  const c = nodeAs(n, 'A_Const');
  if (c) return constant(c);
  const cast = nodeAs(n, 'TypeCast');
  if (cast) return castTo(evaluate(cast.arg, env), cast.typeName);
  const ref = nodeAs(n, 'ColumnRef');
  if (ref) return (ref.fields ?? []).every((f) => nodeAs(f, 'String')) ? env((ref.fields ?? []).map(stringOf)) : undefined;
  const b = nodeAs(n, 'BoolExpr');
  if (b) {
    // in order, stopping where the answer is decided (as constant folding does)
    const decisive = b.boolop === 'AND_EXPR' ? 'f' : b.boolop === 'OR_EXPR' ? 't' : undefined;
    const args: Val[] = [];
    for (const a of b.args ?? []) {
      const v = evaluate(a, env);
      args.push(v);
      if (decisive && v && v.kind === 'bool' && v.text === decisive) break;
    }
    return logic(b.boolop ?? '', args);
  }
  const nt = nodeAs(n, 'NullTest');
  if (nt) {
    const v = evaluate(nt.arg, env);
    return v === undefined ? undefined : bool((v === null) === (nt.nulltesttype === 'IS_NULL'));
  }
  const co = nodeAs(n, 'CoalesceExpr');
  if (co) {
    for (const a of co.args ?? []) {
      const v = evaluate(a, env);
      if (v !== null) return v;
    }
    return null;
  }
  const x = nodeAs(n, 'A_Expr');
  if (!x) return undefined;
  const op = stringOf(x.name?.[x.name.length - 1]);
  const left = () => evaluate(x.lexpr, env);
  if (x.kind === 'AEXPR_OP') {
    if (!x.lexpr) return op === '-' ? arithmetic('-', { kind: 'int', text: '0' }, evaluate(x.rexpr, env)) : op === '+' ? evaluate(x.rexpr, env) : undefined;
    return operator(op, left(), evaluate(x.rexpr, env));
  }
  if (x.kind === 'AEXPR_IN') {
    const l = left();
    const items = (nodeAs(x.rexpr, 'List')?.items ?? []).map((i) => operator('=', l, evaluate(i, env)));
    return logic(op === '=' ? 'OR_EXPR' : 'AND_EXPR', op === '=' ? items : items.map((i) => logic('NOT_EXPR', [i])));
  }
  if (x.kind === 'AEXPR_BETWEEN' || x.kind === 'AEXPR_NOT_BETWEEN') {
    const [lo, hi] = nodeAs(x.rexpr, 'List')?.items ?? [];
    const l = left();
    const within = logic('AND_EXPR', [operator('>=', l, evaluate(lo, env)), operator('<=', l, evaluate(hi, env))]);
    return x.kind === 'AEXPR_BETWEEN' ? within : logic('NOT_EXPR', [within]);
  }
  return undefined;
}

/**
 * A condition (WHERE, CHECK, an index predicate) for one row: PostgreSQL may
 * stop at an AND / OR operand the model evaluates anyway, so an error met on
 * the way (division by zero) is no prediction: the value is unknown.
 */
export function condition(n: Node | undefined, env: Env): Val {
  try {
    return evaluate(n, env);
  } catch (e) {
    if (e instanceof CitusError) return undefined;
    throw e;
  }
}

/** Is a CHECK constraint violated: only by a known false (NULL passes), never when the value is not known. */
export function violates(v: Val): boolean {
  return !!v && v.kind === 'bool' && v.text === 'f';
}

/** Is a boolean value true (a WHERE that keeps the row): true, false (false or NULL), undefined when not known. */
export function holds(v: Val): boolean | undefined {
  if (v === undefined) return undefined;
  return v !== null && v.kind === 'bool' && v.text === 't';
}

function constant(c: NonNullable<ReturnType<typeof nodeAs<'A_Const'>>>): Val {
  const v = constValue(c);
  switch (v.kind) {
    case 'null':
      return null;
    case 'integer':
      return { kind: 'int', text: v.text };
    case 'float': {
      const t = decimal(v.text);
      return t === undefined ? undefined : { kind: 'num', text: t };
    }
    case 'string':
      return { kind: 'unknown', text: v.text };
    case 'boolean':
      return bool(v.text === 'true');
    default:
      return undefined;
  }
}

function castTo(v: Val, typeName: { names?: Node[]; typmods?: Node[]; arrayBounds?: Node[] } | undefined): Val {
  if (v === null || v === undefined) return v;
  const names = namesOf(typeName?.names);
  // the grammar already writes integer, int, bigint, real, boolean, decimal... as pg_catalog's names
  const name = names[names.length - 1] ?? '';
  if (typeName?.arrayBounds?.length) return undefined;
  let kind: Kind | undefined;
  if (INT_MAX[name]) kind = 'int';
  // a real is not the decimal written (as for a column of it, columnType)
  else if (NUM.has(name) && name !== 'float4') kind = 'num';
  else if (name === 'bool') kind = 'bool';
  else if (TEXT.has(name)) kind = typeName?.typmods?.length ? undefined : 'text';
  else if (EXACT.has(name)) kind = 'exact';
  if (!kind) return undefined;
  const text = toKind(v, kind);
  if (text === undefined) return undefined;
  if (kind === 'int' && absBig(text) > INT_MAX[name]) return undefined;
  return { kind, text, ...(name === 'float8' ? { float: true } : {}) };
}

/** A value's text as a value of `kind`; undefined when the conversion is not one the model follows. */
function toKind(v: NonNullable<Val>, kind: Kind): string | undefined {
  if (v.kind === kind) return kind === 'exact' && MOVING.test(v.text) ? undefined : v.text;
  if (v.kind === 'unknown') {
    switch (kind) {
      case 'int':
        return /^\s*[+-]?\d+\s*$/.test(v.text) ? decimal(v.text) : undefined;
      case 'num':
        return decimal(v.text);
      case 'bool': {
        const b = parseBool(v.text);
        return b === undefined ? undefined : b ? 't' : 'f';
      }
      case 'text':
      case 'label':
        return v.text;
      case 'exact':
        return MOVING.test(v.text) ? undefined : v.text;
      default:
        return undefined;
    }
  }
  if (v.kind === 'int' && kind === 'num') return v.text;
  if (v.kind === 'int' && kind === 'text') return v.text;
  if (v.kind === 'bool' && kind === 'text') return v.text === 't' ? 'true' : 'false';
  return undefined;
}

function bool(b: boolean): Val {
  return { kind: 'bool', text: b ? 't' : 'f' };
}

/** AND / OR / NOT over three-valued operands (with undefined for not known). */
function logic(op: string, args: Val[]): Val {
  const truth = args.map((a) => (a === undefined ? undefined : a === null ? null : a.kind === 'bool' ? a.text === 't' : undefined));
  if (op === 'NOT_EXPR') return truth[0] === undefined ? undefined : truth[0] === null ? null : bool(!truth[0]);
  const decisive = op === 'AND_EXPR' ? false : true;
  if (truth.includes(decisive)) return bool(decisive);
  if (truth.includes(undefined)) return undefined;
  return truth.includes(null) ? null : bool(!decisive);
}

function operator(op: string, l: Val, r: Val): Val {
  if (['+', '-', '*', '/', '%', '||'].includes(op)) return arithmetic(op, l, r);
  if (l === null || r === null) return l === undefined || r === undefined ? undefined : null;
  if (l === undefined || r === undefined) return undefined;
  let kind: Kind | 'unknown' = l.kind === 'unknown' ? r.kind : l.kind;
  if (kind === 'unknown') kind = 'text';
  const numeric = kind === 'int' || kind === 'num';
  const a = l.kind === 'unknown' || (numeric && l.kind !== kind) ? toKind(l, kind) : l.kind === kind || (numeric && (l.kind === 'int' || l.kind === 'num')) ? l.text : undefined;
  const b = r.kind === 'unknown' || (numeric && r.kind !== kind) ? toKind(r, kind) : r.kind === kind || (numeric && (r.kind === 'int' || r.kind === 'num')) ? r.text : undefined;
  if (a === undefined || b === undefined) return undefined;
  let cmp: number | undefined;
  if (numeric) cmp = compareNumbers(a, b);
  else if (kind === 'exact') cmp = a === b ? 0 : undefined;
  else if (kind !== 'opaque') cmp = a === b ? 0 : ['=', '<>', '!='].includes(op) ? 1 : undefined;
  if (cmp === undefined) return undefined;
  switch (op) {
    case '=':
      return bool(cmp === 0);
    case '<>':
    case '!=':
      return bool(cmp !== 0);
    case '<':
      return numeric ? bool(cmp < 0) : undefined;
    case '<=':
      return numeric ? bool(cmp <= 0) : undefined;
    case '>':
      return numeric ? bool(cmp > 0) : undefined;
    case '>=':
      return numeric ? bool(cmp >= 0) : undefined;
    default:
      return undefined;
  }
}

/** + - * / % on numbers (exact, as numeric does), || on text; division by zero is PostgreSQL's error. */
function arithmetic(op: string, l: Val, r: Val): Val {
  if (l === undefined || r === undefined) return undefined;
  if (l === null || r === null) return null;
  if (op === '||') {
    const text = (v: NonNullable<Val>) => (v.kind === 'unknown' || v.kind === 'text' ? v.text : undefined);
    const a = text(l);
    const b = text(r);
    return a === undefined || b === undefined ? undefined : { kind: 'text', text: a + b };
  }
  // double precision arithmetic rounds to binary fractions ('0.1'::float8 + '0.2'::float8 <> 0.3): not followed
  if (l.float || r.float) return undefined;
  // a string literal takes the other operand's type ('7.5' / 2 reads '7.5' as an integer, and fails); two are ambiguous
  if (l.kind === 'unknown' && r.kind === 'unknown') return undefined;
  const kind: Kind = l.kind === 'num' || r.kind === 'num' ? 'num' : 'int';
  const num = (v: NonNullable<Val>) => (v.kind === 'int' || v.kind === 'num' ? v.text : v.kind === 'unknown' ? toKind(v, kind) : undefined);
  const a = num(l);
  const b = num(r);
  if (a === undefined || b === undefined) return undefined;
  const x = scaled(a);
  const y = scaled(b);
  if ((op === '/' || op === '%') && y.m === 0n) throw new CitusError('division by zero');
  let out: { m: bigint; s: number };
  if (op === '+' || op === '-') {
    const s = Math.max(x.s, y.s);
    const xm = x.m * 10n ** BigInt(s - x.s);
    const ym = y.m * 10n ** BigInt(s - y.s);
    out = { m: op === '+' ? xm + ym : xm - ym, s };
  } else if (op === '*') out = { m: x.m * y.m, s: x.s + y.s };
  else if (kind === 'int') out = { m: op === '/' ? x.m / y.m : x.m % y.m, s: 0 };
  else return undefined;
  if (kind === 'int' && (out.m > INT_MAX.int4 || out.m < -INT_MAX.int4)) return undefined;
  return { kind, text: decimal(unscaled(out)) ?? '0' };
}

/** A number's text in canonical form (no +, no leading or trailing zeros); undefined when it is not a plain decimal. */
export function decimal(text: string): string | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || (!m[2] && !m[3])) return undefined;
  const int = m[2].replace(/^0+/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (!int && !frac) return '0';
  return `${m[1] === '-' ? '-' : ''}${int || '0'}${frac ? `.${frac}` : ''}`;
}

/** Order of two canonical decimals. */
function compareNumbers(a: string, b: string): number {
  const x = scaled(a);
  const y = scaled(b);
  const s = Math.max(x.s, y.s);
  const d = x.m * 10n ** BigInt(s - x.s) - y.m * 10n ** BigInt(s - y.s);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

function scaled(text: string): { m: bigint; s: number } {
  const neg = text.startsWith('-');
  const [i, f = ''] = text.replace(/^[+-]/, '').split('.');
  const m = BigInt(`${i || '0'}${f}`);
  return { m: neg ? -m : m, s: f.length };
}

function unscaled(x: { m: bigint; s: number }): string {
  const neg = x.m < 0n;
  const digits = (neg ? -x.m : x.m).toString().padStart(x.s + 1, '0');
  const int = digits.slice(0, digits.length - x.s);
  const frac = digits.slice(digits.length - x.s);
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function absBig(text: string): bigint {
  const v = BigInt(text.split('.')[0]);
  return v < 0n ? -v : v;
}
