/**
 * An INSERT ... VALUES whose columns take their value from a sequence
 * (`nextval()` defaults, identity columns) cannot be planned in a read-only
 * session: Citus evaluates those defaults on the coordinator while it plans
 * the statement, to route the row by its value, and `nextval()` writes.
 * Here the statement is given what Citus would compute there: a value of the
 * column's type for each such column it leaves to its default (omitted, or
 * DEFAULT), so that the real cluster can plan it without drawing from the
 * sequence. Only the real side is planned this way; shardwise still predicts
 * the statement as written.
 */
import type { Catalog, Column, Table } from '../catalog/model.js';
import { deparseNode, makeNode, nodeAs, parseSql, qualifiedKey } from '../ingest/pg/index.js';
import type { Node } from '@pgsql/types';

export interface EvaluatedDefaults {
  /** The INSERT with the sequence-fed columns given values. */
  readonly sql: string;
  /** Those columns, in table order. */
  readonly columns: string[];
}

function drawsFromSequence(c: Column): boolean {
  return !c.generated && (c.identity !== undefined || c.defaultSequence !== undefined || /\bnextval\s*\(/i.test(c.default ?? ''));
}

/** The target table: qualified as written, else the first schema of the path that has it. */
function target(catalog: Catalog, schema: string | undefined, name: string, searchPath: readonly string[]): Table | undefined {
  if (schema) return catalog.tables[qualifiedKey(schema, name)];
  for (const s of searchPath) {
    const t = catalog.tables[qualifiedKey(s, name)];
    if (t) return t;
  }
  return undefined;
}

/** A literal of the column's type, as a parse-tree expression. */
function literal(c: Column): Node | undefined {
  const parsed = parseSql(`SELECT '1'::${c.type.display}`);
  if (!parsed.ok) return undefined;
  const select = nodeAs(parsed.result.stmts?.[0]?.stmt, 'SelectStmt');
  return nodeAs(select?.targetList?.[0], 'ResTarget')?.val;
}

export function evaluateSequenceDefaults(sql: string, catalog: Catalog, searchPath: readonly string[]): EvaluatedDefaults | undefined {
  const parsed = parseSql(sql);
  if (!parsed.ok || parsed.result.stmts?.length !== 1) return undefined;
  const stmt = parsed.result.stmts[0].stmt;
  const insert = nodeAs(stmt, 'InsertStmt');
  const rows = nodeAs(insert?.selectStmt, 'SelectStmt')?.valuesLists?.map((r) => nodeAs(r, 'List')?.items ?? []);
  if (!insert?.relation || !rows?.length) return undefined;
  const table = target(catalog, insert.relation.schemaname, insert.relation.relname ?? '', searchPath);
  if (!table) return undefined;
  const listed = (insert.cols ?? []).map((c) => nodeAs(c, 'ResTarget')?.name ?? '');
  const names = listed.length ? listed : table.columns.map((c) => c.name);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const evaluated: Column[] = [];
  const value = (c: Column) => {
    const v = literal(c);
    if (v && !evaluated.includes(c)) evaluated.push(c);
    return v;
  };
  // Columns given DEFAULT in a row.
  const newRows: Node[][] = rows.map((items) =>
    items.map((item, i) => {
      const c = byName.get(names[i]);
      return nodeAs(item, 'SetToDefault') && c && drawsFromSequence(c) ? (value(c) ?? item) : item;
    }),
  );
  // Columns left out: listed explicitly, with a value in every row.
  const width = Math.max(...newRows.map((r) => r.length));
  const given = names.slice(0, listed.length ? names.length : width);
  const missing = table.columns.filter((c) => !given.includes(c.name) && drawsFromSequence(c));
  const cols = [...given];
  for (const c of missing) {
    const v = value(c);
    if (!v) continue;
    cols.push(c.name);
    for (const r of newRows) r.push(v);
  }
  if (!evaluated.length) return undefined;
  const rewritten = makeNode('InsertStmt', {
    ...insert,
    cols: cols.map((name) => makeNode('ResTarget', { name })),
    selectStmt: makeNode('SelectStmt', { ...nodeAs(insert.selectStmt, 'SelectStmt')!, valuesLists: newRows.map((items) => makeNode('List', { items })) }),
    ...(evaluated.some((c) => c.identity?.kind === 'always') ? { override: 'OVERRIDING_SYSTEM_VALUE' as const } : {}),
  });
  const order = table.columns.map((c) => c.name);
  return { sql: deparseNode(rewritten), columns: evaluated.map((c) => c.name).sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
}

