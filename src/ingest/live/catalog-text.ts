/**
 * Texts the system catalogs print (pg_get_expr, format_type, partition keys
 * and bounds), read back through the same parser the dump reader uses, so a
 * live catalog prints them exactly as a catalog read from a dump does.
 */
import type { Table } from '../../catalog/model.js';
import { boundText, partitionKey } from '../../catalog/partitions.js';
import { deparseNode, nodeAs, parseExpression, parseSql, type NodeBody, type NodeTag } from '../pg/index.js';

/** The first statement `sql` parses to, when it has the given type. */
function firstStatement<K extends NodeTag>(sql: string, tag: K): NodeBody<K> | undefined {
  const r = parseSql(sql);
  return r.ok ? nodeAs(r.result.stmts?.[0]?.stmt, tag) : undefined;
}

export { parseExpression };

/** An expression as the dump reader prints it: parsed and deparsed by the same parser. */
export function normaliseExpression(text: string): string {
  const target = parseExpression(text);
  return target ? deparseNode(target) : text.trim();
}

export function expressionHasSubquery(text: string | undefined): boolean {
  if (!text) return false;
  const r = parseSql(`SELECT ${text}`);
  return r.ok && JSON.stringify(r.result).includes('"SubLink"');
}

/** Typmods of a type name as format_type() prints it, read the way the dump reader reads them. */
export function typmodsOf(display: string): number[] {
  const tn = nodeAs(parseExpression(`NULL::${display}`), 'TypeCast')?.typeName;
  return (tn?.typmods ?? []).map((m) => nodeAs(m, 'A_Const')?.ival?.ival ?? 0);
}

/** `FOR VALUES ...` / `DEFAULT`, printed as the dump reader prints a partition bound; the text as it came when it does not parse. */
export function normaliseBound(text: string): string {
  const pb = firstStatement(`CREATE TABLE x PARTITION OF y ${text}`, 'CreateStmt')?.partbound;
  return (pb && boundText(pb)) || text;
}

/** The key columns and expressions of `pg_get_partkeydef` text, as the dump reader reads PARTITION BY. */
export function partitionKeyOf(def: string): Pick<NonNullable<Table['partitionBy']>, 'columns' | 'expressions'> {
  const ps = firstStatement(`CREATE TABLE x (a int) PARTITION BY ${def}`, 'CreateStmt')?.partspec;
  if (!ps) return { columns: [], expressions: [] };
  const { columns, expressions } = partitionKey(ps);
  return { columns, expressions };
}
