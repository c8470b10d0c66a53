/**
 * Values for the `$n` parameters of a workload statement, so that it can be
 * planned (EXPLAIN EXECUTE) and predicted on the same concrete statement.
 *
 * Every parameter gets a literal of the type PostgreSQL inferred for it
 * (`pg_prepared_statements.parameter_types`). Parameters of one type share a
 * value, as one tenant's statement binds its keys alike; the members of one
 * IN list or ARRAY[...] get distinct values (1, 2, 3, ...), as a list of keys
 * has.
 */
import { bindParameters } from '../ingest/workload/index.js';
import { nodeAs, parseSql, scanSql, walkNodes, type NodeTag } from '../ingest/pg/index.js';
import type { Node } from '@pgsql/types';

/** What the server says of one parameter's type. */
export interface ParameterType {
  /** `format_type` of the type, used in the cast. */
  readonly display: string;
  /** Type name (of the base type for a domain). */
  readonly name: string;
  /** `pg_type.typcategory` (of the base type for a domain). */
  readonly category: string;
  /** Element type name and category for an array. */
  readonly elementName?: string;
  readonly elementCategory?: string;
  /** Enum labels in order. */
  readonly labels?: string[];
}

/** The `$n` numbers a statement uses, sorted; none when it does not scan. */
export function parameterNumbers(sql: string): number[] {
  const scanned = scanSql(sql);
  if (!scanned.ok) return [];
  const out = new Set<number>();
  for (const t of scanned.tokens) if (t.name === 'PARAM') out.add(Number(t.text.slice(1)));
  return [...out].sort((a, b) => a - b);
}

/** Each parameter's position (1-based) in the IN list or ARRAY[...] it is a member of; 1 elsewhere. */
export function listPositions(sql: string): Map<number, number> {
  const out = new Map<number, number>();
  const parsed = parseSql(sql);
  if (!parsed.ok) return out;
  const number = (n: Node): number | undefined => {
    let cur: Node | undefined = n;
    for (let cast = nodeAs(cur, 'TypeCast'); cast; cast = nodeAs(cur, 'TypeCast')) cur = cast.arg;
    const p = nodeAs(cur, 'ParamRef');
    return p ? (p.number ?? 0) : undefined;
  };
  const members = (items: readonly Node[] | undefined) => {
    let k = 0;
    for (const item of items ?? []) {
      const n = number(item);
      if (n !== undefined && !out.has(n)) out.set(n, ++k);
    }
  };
  walkNodes(parsed.result, (tag: NodeTag, _body, node) => {
    if (tag === 'A_Expr') {
      const e = nodeAs(node, 'A_Expr')!;
      if (e.kind === 'AEXPR_IN') members(nodeAs(e.rexpr, 'List')?.items);
    } else if (tag === 'A_ArrayExpr') members(nodeAs(node, 'A_ArrayExpr')!.elements);
  });
  return out;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function day(k: number): string {
  return new Date(Date.UTC(2000, 0, k)).toISOString().slice(0, 10);
}

/** The value text of a scalar of this type for the k-th distinct value; undefined when none is made up. */
function scalarText(name: string, category: string, k: number, labels?: string[]): string | undefined {
  switch (category) {
    case 'N':
      return String(k);
    case 'S':
    case 'X':
      return String(k);
    case 'B':
      return 'true';
    case 'E':
      return labels?.length ? labels[(k - 1) % labels.length] : undefined;
    case 'T':
      return `${k} seconds`;
    case 'I':
      return `10.0.${Math.floor(k / 256) % 256}.${k % 256}`;
    case 'V':
      return '1';
    case 'D':
      if (name === 'date') return day(k);
      if (name === 'timestamp' || name === 'timestamptz') return `${day(k)} 00:00:00`;
      if (name === 'time' || name === 'timetz') return `00:00:${String(k % 60).padStart(2, '0')}`;
      return undefined;
    case 'U':
      if (name === 'uuid') return `00000000-0000-0000-0000-${k.toString(16).padStart(12, '0')}`;
      if (name === 'json' || name === 'jsonb') return String(k);
      if (name === 'bytea') return `\\x${(k % 256).toString(16).padStart(2, '0')}`;
      return undefined;
    default:
      return undefined;
  }
}

/** A literal of the parameter's type, cast to it: `'1'::bigint`, `NULL::point` when no value is made up. */
export function parameterLiteral(t: ParameterType, k: number): string {
  let text: string | undefined;
  if (t.category === 'A') {
    const elem = t.elementName !== undefined && t.elementCategory !== undefined ? scalarText(t.elementName, t.elementCategory, k) : undefined;
    text = elem === undefined ? undefined : `{"${elem.replace(/["\\]/g, (c) => `\\${c}`)}"}`;
  } else text = scalarText(t.name, t.category, k, t.labels);
  return text === undefined ? `NULL::${t.display}` : `${quote(text)}::${t.display}`;
}

/** `$n` -> literal for every parameter of the statement. */
export function parameterValues(sql: string, types: readonly ParameterType[]): Map<number, string> {
  const positions = listPositions(sql);
  const out = new Map<number, string>();
  types.forEach((t, i) => out.set(i + 1, parameterLiteral(t, positions.get(i + 1) ?? 1)));
  return out;
}

/** The statement with its parameters written in as literals. */
export function bindValues(sql: string, values: ReadonlyMap<number, string>): string {
  return bindParameters(sql, new Map(values));
}
