/**
 * Values for the `$n` parameters of a workload statement, so that the real
 * cluster plans it (EXPLAIN EXECUTE) and shardwise predicts it on the same
 * concrete statement. Each parameter gets a literal of the type PostgreSQL
 * inferred for it (`pg_prepared_statements.parameter_types`): parameters of
 * one type share a value, as one tenant's statement binds its keys alike,
 * and the members of one IN list or ARRAY[...] get distinct values (1, 2,
 * 3, ...), as a list of keys has.
 */
import { nodeAs, parseSql, scanSql, walkNodes, type NodeTag } from '../../src/ingest/pg/index.js';
import { bindParameters } from '../../src/ingest/workload/index.js';
import type { Node } from '../../src/ingest/pg/ast.js';

/** A parameter's type as the server names it. */
export interface ParameterType {
  /** format_type() of the type, for the cast. */
  readonly display: string;
  /** The type's name (of the base type, for a domain). */
  readonly name: string;
  /** pg_type.typcategory (of the base type). */
  readonly category: string;
  readonly elementName?: string;
  readonly elementCategory?: string;
  /** An enum's labels in order. */
  readonly labels?: string[];
}

/** The `$n` numbers a statement uses, sorted. */
export function parameterNumbers(sql: string): number[] {
  const scanned = scanSql(sql);
  if (!scanned.ok) return [];
  const out = new Set<number>();
  for (const t of scanned.tokens) if (t.name === 'PARAM') out.add(Number(t.text.slice(1)));
  return [...out].sort((a, b) => a - b);
}

/** Each parameter's 1-based position in the IN list or ARRAY[...] it belongs to. */
function listPositions(sql: string): Map<number, number> {
  const out = new Map<number, number>();
  const parsed = parseSql(sql);
  if (!parsed.ok) return out;
  const paramOf = (n: Node | undefined): number | undefined => {
    let cur = n;
    for (let c = nodeAs(cur, 'TypeCast'); c; c = nodeAs(cur, 'TypeCast')) cur = c.arg;
    const p = nodeAs(cur, 'ParamRef');
    return p ? (p.number ?? 0) : undefined;
  };
  const members = (items: readonly Node[] | undefined) => {
    let k = 0;
    for (const item of items ?? []) {
      const n = paramOf(item);
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

/** The text of the k-th value of a scalar type; undefined when none is made up (the parameter is then NULL). */
function valueText(name: string, category: string, k: number, labels?: readonly string[]): string | undefined {
  const day = new Date(Date.UTC(2000, 0, k)).toISOString().slice(0, 10);
  switch (category) {
    case 'N':
    case 'S':
    case 'V':
      return String(k);
    case 'B':
      return 'true';
    case 'E':
      return labels?.length ? labels[(k - 1) % labels.length] : undefined;
    case 'T':
      return `${k} seconds`;
    case 'I':
      return `10.0.0.${k % 256}`;
    case 'D':
      if (name === 'date') return day;
      if (name === 'timestamp' || name === 'timestamptz') return `${day} 00:00:00`;
      if (name === 'time' || name === 'timetz') return `00:00:${String(k % 60).padStart(2, '0')}`;
      return undefined;
    case 'U':
      if (name === 'uuid') return `00000000-0000-0000-0000-${k.toString(16).padStart(12, '0')}`;
      if (name === 'json' || name === 'jsonb') return String(k);
      return undefined;
    default:
      return undefined;
  }
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function literal(t: ParameterType, k: number): string {
  let text: string | undefined;
  if (t.category === 'A') {
    const e = t.elementName !== undefined && t.elementCategory !== undefined ? valueText(t.elementName, t.elementCategory, k) : undefined;
    text = e === undefined ? undefined : `{"${e.replace(/["\\]/g, (c) => `\\${c}`)}"}`;
  } else text = valueText(t.name, t.category, k, t.labels);
  return text === undefined ? `NULL::${t.display}` : `${quote(text)}::${t.display}`;
}

/** `$n` -> a literal of its type, for every parameter of the statement. */
export function parameterValues(sql: string, types: readonly ParameterType[]): Map<number, string> {
  const positions = listPositions(sql);
  return new Map(types.map((t, i) => [i + 1, literal(t, positions.get(i + 1) ?? 1)]));
}

/** The statement with its parameters written in as literals. */
export function bindValues(sql: string, values: ReadonlyMap<number, string>): string {
  return bindParameters(sql, new Map(values));
}
