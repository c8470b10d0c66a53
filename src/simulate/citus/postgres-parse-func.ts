/**
 * A UDF call's arguments as PostgreSQL matches them to the function's
 * parameters (parse_func.c): positional, then named (`colocate_with =>
 * 'a'`), a name the function does not have making it "no such function",
 * whose message writes the call as func_signature_string() does.
 */
import type { FuncCall, Node } from '../../ingest/pg/ast.js';
import { constValue, namesOf, nodeAs, stripCasts } from '../../ingest/pg/index.js';
import { NO_SUCH_FUNCTION } from './errors.js';

/** A UDF argument as written: SQL NULL, a constant (text form), or something else. */
export type Arg = { readonly null: true } | { readonly null: false; readonly text: string; readonly expr?: false } | { readonly null: false; readonly expr: true; readonly text: string };

/** An argument given, and not NULL. */
export function isGiven(a: Arg | undefined): a is Exclude<Arg, { null: true }> {
  return !!a && !a.null;
}

/** A boolean argument: true only when given as a true value. */
export function boolArg(a: Arg | undefined): boolean {
  return isGiven(a) && ['true', 't', 'on', 'yes', '1'].includes(a.text.toLowerCase());
}

/** The call's arguments by parameter name. */
export function bindArgs(fname: string, params: readonly string[], call: FuncCall): Map<string, Arg> {
  const raw = call.args ?? [];
  const out = new Map<string, Arg>();
  raw.forEach((a, i) => {
    const named = nodeAs(a, 'NamedArgExpr');
    if (named) {
      const n = named.name ?? '';
      if (!params.includes(n)) throw NO_SUCH_FUNCTION(signature([fname], raw));
      out.set(n, argValue(named.arg));
    } else out.set(params[i], argValue(a));
  });
  return out;
}

/** A call's signature as PostgreSQL's func_signature_string() writes it: `f(unknown, colocate_with => unknown)`. */
export function signature(names: readonly string[], raw: readonly Node[]): string {
  const types = raw.map((a) => {
    const named = nodeAs(a, 'NamedArgExpr');
    return named ? `${named.name} => ${argType(named.arg)}` : argType(a);
  });
  return `${names.join('.')}(${types.join(', ')})`;
}

const TYPE_DISPLAY: Record<string, string> = {
  int4: 'integer',
  int: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  float8: 'double precision',
  float4: 'real',
};

/** The type the parser gives an argument before function lookup (format_type_be); `unknown` for literals and NULL. */
function argType(node: Node | undefined): string {
  const cast = nodeAs(node, 'TypeCast');
  if (cast) {
    const names = namesOf(cast.typeName?.names).filter((n) => n !== 'pg_catalog');
    const n = names[names.length - 1] ?? 'unknown';
    return (TYPE_DISPLAY[n] ?? n) + (cast.typeName?.arrayBounds ? '[]' : '');
  }
  const c = nodeAs(node, 'A_Const');
  if (!c || c.isnull || c.sval) return 'unknown';
  if (c.boolval) return 'boolean';
  if (c.fval) return /^[+-]?\d+$/.test(String(c.fval.fval)) ? 'bigint' : 'numeric';
  const v = Number(c.ival?.ival ?? 0);
  return v >= -2147483648 && v <= 2147483647 ? 'integer' : 'bigint';
}

function argValue(node: Node | undefined): Arg {
  const c = nodeAs(stripCasts(node), 'A_Const');
  if (!c) return { null: false, expr: true, text: '' };
  const v = constValue(c);
  if (v.kind === 'null') return { null: true };
  if (v.kind === 'bitstring') return { null: false, expr: true, text: '' };
  return { null: false, text: v.text };
}
