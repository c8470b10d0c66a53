/**
 * The rows the model holds of a table: the values that literal statements
 * put in (INSERT ... VALUES, COPY data the script carries, constant
 * defaults), in the table's column order, as PostgreSQL's text form of each
 * value (values.ts). A held row set may be partial (rows the model does not
 * hold may exist: INSERT ... SELECT, a change it cannot follow); a held row
 * whose cells are unknown may or may not exist. So a held row with known
 * values proves that such a row exists, and only a set that is not partial
 * proves that a value is absent. A change the model cannot follow forgets
 * the table's rows (`forget`) until TRUNCATE or DROP; code the model cannot
 * see (a trigger, a function the script created, a command run on the
 * workers) forgets every table's rows.
 *
 * Row sets are values shared by snapshots: an append past the end of the
 * shared array is done in place (a snapshot keeps its own count), any other
 * change makes a new set.
 */
import type { Table } from '../../catalog/model.js';
import type { InsertStmt, Node } from '../../ingest/pg/ast.js';
import { listItems, nodeAs, parseExpression } from '../../ingest/pg/index.js';
import type { ClusterState } from './state.js';
import { assign, columnType, evaluate, type Cell, type ColumnType, type Env } from './values.js';

export interface RowSet {
  /** Column names, in the table's order when the set was made. */
  readonly columns: readonly string[];
  /** Shared with other sets: only the first `count` rows are this set's. */
  readonly rows: Cell[][];
  readonly count: number;
  /** Rows the model does not hold may exist. */
  readonly partial: boolean;
}

/** Rows held per table, at most: past it the table's rows are forgotten (a dump's tables stay cheap). */
const MAX_HELD_ROWS = 10_000;

/** Nothing known: no row proven, none proven absent. */
const UNKNOWN_ROWS: RowSet = { columns: [], rows: [], count: 0, partial: true };

/** A table's held rows (the unknown set when the model holds none). */
export function heldRows(s: ClusterState, key: string): RowSet {
  return s.data.get(key)?.held ?? UNKNOWN_ROWS;
}

export function setHeld(s: ClusterState, key: string, set: RowSet): void {
  s.dataOf(key).held = set.count > MAX_HELD_ROWS ? UNKNOWN_ROWS : set;
}

/** An empty table (created, truncated): every row it will hold is known. */
export function emptyRows(t: Table): RowSet {
  return { columns: t.columns.map((c) => c.name), rows: [], count: 0, partial: false };
}

/** The table's rows can no longer be followed. */
export function forget(s: ClusterState, key: string): void {
  if (s.data.has(key)) s.dataOf(key).held = UNKNOWN_ROWS;
}

/** Code the model cannot see ran: no table's rows are known any more. */
export function forgetAll(s: ClusterState): void {
  for (const d of s.data.values()) d.held = UNKNOWN_ROWS;
}

/** Rows the model does not hold may have been added (INSERT ... SELECT, COPY data not held). */
export function addUnknownRows(s: ClusterState, key: string): void {
  const set = heldRows(s, key);
  if (!set.partial) setHeld(s, key, { ...set, partial: true });
}

/** The set's rows, each in the order of `t`'s columns (unknown for a column the set does not have). */
export function tableRows(set: RowSet, t: Table): Cell[][] {
  const same = inTableOrder(set, t);
  const idx = same ? [] : t.columns.map((c) => set.columns.indexOf(c.name));
  const out: Cell[][] = [];
  for (let r = 0; r < set.count; r++) out.push(same ? set.rows[r] : idx.map((i) => (i === -1 ? undefined : set.rows[r][i])));
  return out;
}

/** `set` with rows added at its end (rows in `t`'s column order). */
export function appended(set: RowSet, t: Table, rows: readonly Cell[][]): RowSet {
  if (inTableOrder(set, t) && set.rows.length === set.count) {
    for (const r of rows) set.rows.push(r);
    return { ...set, count: set.count + rows.length };
  }
  const all = [...tableRows(set, t), ...rows];
  return { columns: t.columns.map((c) => c.name), rows: all, count: all.length, partial: set.partial };
}

/** Are the set's columns `t`'s columns, in its order (its rows need no reordering)? */
export function inTableOrder(set: RowSet, t: Table): boolean {
  return set.columns.length === t.columns.length && t.columns.every((c, i) => set.columns[i] === c.name);
}

/** `set` with its rows replaced (rows in `t`'s column order). */
export function replaced(set: RowSet, t: Table, rows: Cell[][]): RowSet {
  return { columns: t.columns.map((c) => c.name), rows, count: rows.length, partial: set.partial };
}

/** Can the model follow the rows of this table: a plain table, no triggers or rules, no inheritance or partitioning. */
export function followed(s: ClusterState, t: Table): boolean {
  if (t.relkind !== 'table' || t.partitionOf || t.inherits.length || t.triggers.length || t.rules.length) return false;
  return !s.builder.peekTables().some((x) => x.inherits.includes(t.key));
}

/** Does writing to this table run code the model cannot see (a trigger, a rule)? */
export function runsHiddenCode(t: Table): boolean {
  return t.triggers.length > 0 || t.rules.length > 0;
}

/** The types of a table's columns, in its order. */
export function columnTypes(t: Table): ColumnType[] {
  return t.columns.map(columnType);
}

/** A constant expression's parse tree, parsed once per run. */
export function parsedExpression(s: ClusterState, text: string): Node | undefined {
  if (!s.expressions.has(text)) s.expressions.set(text, parseExpression(text));
  return s.expressions.get(text);
}

const NO_COLUMNS: Env = () => undefined;

/** A column's value in a new row that does not give it one: its default, NULL without one, unknown when the default is not a constant. */
export function defaultCell(s: ClusterState, t: Table, i: number): Cell {
  const c = t.columns[i];
  if (c.identity || c.generated || c.defaultSequence) return undefined;
  if (!c.default) return c.type.kind === 'domain' ? undefined : null;
  return assign(evaluate(parsedExpression(s, c.default), NO_COLUMNS), columnType(c));
}

/**
 * The rows an INSERT ... VALUES (or DEFAULT VALUES) puts in, in the table's
 * column order, with PostgreSQL's errors for a value that does not fit;
 * undefined for INSERT ... SELECT and anything else the model does not
 * follow.
 */
export function insertedRows(s: ClusterState, t: Table, body: InsertStmt, given: readonly string[]): Cell[][] | undefined {
  if (body.withClause) return undefined;
  const select = nodeAs(body.selectStmt, 'SelectStmt');
  const lists = select ? select.valuesLists : [undefined];
  if (!lists || (select && (select.withClause || select.sortClause || select.limitCount))) return undefined;
  const types = columnTypes(t);
  const at = given.map((name) => t.columns.findIndex((c) => c.name === name));
  if (at.includes(-1)) return undefined;
  return lists.map((l) => {
    const items = listItems(l);
    return t.columns.map((_, i) => {
      const k = at.indexOf(i);
      const item = k === -1 ? undefined : items[k];
      if (!item || nodeAs(item, 'SetToDefault')) return defaultCell(s, t, i);
      return assign(evaluate(item, NO_COLUMNS), types[i]);
    });
  });
}

/** COPY rows (text form, in `given` order) in the table's column order; a field the type cannot be sure of is unknown. */
export function copiedRows(s: ClusterState, t: Table, given: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): Cell[][] {
  const types = columnTypes(t);
  const at = t.columns.map((c) => given.indexOf(c.name));
  return rows.map((r) => at.map((k, i) => (k === -1 ? defaultCell(s, t, i) : assign(r[k] === null ? null : { kind: 'unknown', text: r[k] as string }, types[i]))));
}
