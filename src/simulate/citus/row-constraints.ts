/**
 * PostgreSQL's data errors on the rows the model holds (rows.ts), with its
 * messages (executor/execMain.c ExecConstraints, access/nbtree's unique
 * check, utils/adt/ri_triggers.c): NOT NULL and CHECK on each new row,
 * unique keys against the rows held, foreign keys from both sides. An
 * error is raised only when the values prove it: an unknown value, a
 * partial row set or an expression the model cannot evaluate makes no
 * prediction. On a Citus table PostgreSQL names the shard; the model names
 * the table.
 */
import type { ForeignKey, Table } from '../../catalog/model.js';
import type { Node } from '../../ingest/pg/ast.js';
import { quoteIdent } from '../../ingest/pg/index.js';
import { CitusError, rel } from './errors.js';
import { isRestrictOrNoAction } from './foreign-constraint.js';
import { hasKey, keyIndex, keyOf } from './row-index.js';
import { columnTypes, heldRows, parsedExpression, tableRows } from './rows.js';
import type { ClusterState } from './state.js';
import { condition, evaluate, holds, sameValue, valOf, violates, type Cell, type ColumnType, type Env, type Val } from './values.js';

/** A unique key as the model checks it: column positions, the partial index's predicate. */
export interface UniqueCheck {
  readonly name: string;
  readonly at: readonly number[];
  readonly where?: Node;
  readonly nullsNotDistinct: boolean;
  /** Checked at commit: a transaction block's statements cannot break it. */
  readonly deferrable: boolean;
  /** An exclusion constraint whose operators are all `=` (NULLs never conflict). */
  readonly exclusion?: true;
}

/** Where a row's columns find their values (unqualified, or qualified by `alias`). */
export function rowEnv(t: Table, types: readonly ColumnType[], row: readonly Cell[], alias = t.name): Env {
  return (fields) => {
    if (fields.length > 2 || (fields.length === 2 && fields[0] !== alias)) return undefined;
    const i = t.columns.findIndex((c) => c.name === fields[fields.length - 1]);
    return i === -1 ? undefined : valOf(row[i], types[i]);
  };
}

/** A row as PostgreSQL's DETAIL prints it (`Failing row contains (...)`); undefined when a value is not known as text. */
function rowText(row: readonly Cell[], types: readonly ColumnType[]): string | undefined {
  const parts: string[] = [];
  for (const [i, v] of row.entries()) {
    if (v === null) parts.push('null');
    else if (v === undefined || !printable(types[i])) return undefined;
    else parts.push(v === '' || /[,()"\\\s]/.test(v) ? `"${v.replace(/(["\\])/g, '$1$1')}"` : v);
  }
  return `(${parts.join(', ')})`;
}

/** Do the model's values print as PostgreSQL prints them (a numeric keeps the scale written, a char(n) its padding)? */
function printable(t: ColumnType): boolean {
  return t.kind === 'int' || t.kind === 'bool' || (t.kind === 'text' && !t.display.startsWith('character(')) || t.kind === 'label';
}

function keyText(t: Table, types: readonly ColumnType[], at: readonly number[], row: readonly Cell[], quote: boolean): string | undefined {
  if (at.some((i) => row[i] !== null && !printable(types[i]))) return undefined;
  const names = at.map((i) => (quote ? quoteIdent(t.columns[i].name) : t.columns[i].name)).join(', ');
  return `(${names})=(${at.map((i) => row[i] ?? 'null').join(', ')})`;
}

/** ExecConstraints: NOT NULL in column order, then the CHECK constraints in name order. */
export function checkRow(s: ClusterState, t: Table, types: readonly ColumnType[], row: readonly Cell[]): void {
  const failing = () => {
    const text = rowText(row, types);
    return text ? `Failing row contains ${text}.` : undefined;
  };
  for (const [i, c] of t.columns.entries()) {
    if (c.notNull && row[i] === null) throw new CitusError(`null value in column "${c.name}" of relation "${rel(t.key)}" violates not-null constraint`, failing());
  }
  const env = rowEnv(t, types, row);
  for (const chk of [...t.checks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const v = condition(parsedExpression(s, chk.expression), env);
    if (violates(v)) throw new CitusError(`new row for relation "${rel(t.key)}" violates check constraint "${chk.name}"`, failing());
  }
}

/** The table's unique keys the model can check, in index creation order (a deferrable one is checked at the end of the statement outside a transaction block). */
export function uniqueChecks(s: ClusterState, t: Table): UniqueCheck[] {
  const info = s.citus.get(t.key);
  const out: UniqueCheck[] = [];
  const keys = [...(t.primaryKey ? [{ ...t.primaryKey, where: undefined, nullsNotDistinct: false, expressions: [] as string[] }] : []), ...t.uniques];
  for (const k of keys) {
    if (k.expressions.length || k.columns.some((c) => c === null)) continue;
    const at = k.columns.map((c) => t.columns.findIndex((x) => x.name === c));
    if (at.includes(-1)) continue;
    // a key without the distribution column is unique per shard only (citus.allow_unsafe_constraints)
    if (info?.kind === 'distributed' && (!info.column || !k.columns.includes(info.column))) continue;
    out.push({ name: k.name, at, ...(k.where ? { where: parsedExpression(s, k.where) } : {}), nullsNotDistinct: k.nullsNotDistinct, deferrable: k.deferrable });
  }
  for (const x of t.exclusions) {
    if (!x.elements.length || x.elements.some((e) => !e.column || !/(^|\.)=$/.test(e.operator))) continue;
    const cols = x.elements.map((e) => e.column ?? '');
    const at = cols.map((c) => t.columns.findIndex((col) => col.name === c));
    if (at.includes(-1) || (info?.kind === 'distributed' && (!info.column || !cols.includes(info.column)))) continue;
    out.push({ name: x.name, at, ...(x.where ? { where: parsedExpression(s, x.where) } : {}), nullsNotDistinct: false, deferrable: !!x.deferrable, exclusion: true });
  }
  const order = (name: string) => {
    const i = t.indexes.findIndex((x) => x.name === name);
    return i === -1 ? t.indexes.length : i;
  };
  return out.sort((a, b) => order(a.name) - order(b.name));
}

/** Do two rows have the same key: true, false, or undefined when the model cannot tell. */
export function sameKey(k: UniqueCheck, t: Table, types: readonly ColumnType[], a: readonly Cell[], b: readonly Cell[]): boolean | undefined {
  if (k.where) {
    const inA = holds(condition(k.where, rowEnv(t, types, a)));
    const inB = holds(condition(k.where, rowEnv(t, types, b)));
    if (inA === false || inB === false) return false;
    if (inA === undefined || inB === undefined) return undefined;
  }
  let known = true;
  for (const i of k.at) {
    if (a[i] === null || b[i] === null) {
      if (!k.nullsNotDistinct || a[i] !== b[i]) {
        if (a[i] === undefined || b[i] === undefined) known = false;
        else return false;
      }
      continue;
    }
    const same = sameValue(a[i], b[i], types[i]);
    if (same === false) return false;
    if (same === undefined) known = false;
  }
  return known ? true : undefined;
}

/** The error of a new row whose key another row has. */
export function duplicateKey(t: Table, types: readonly ColumnType[], k: UniqueCheck, row: readonly Cell[]): CitusError {
  const key = keyText(t, types, k.at, row, !k.exclusion);
  if (k.exclusion) return new CitusError(`conflicting key value violates exclusion constraint "${k.name}"`, key ? `Key ${key} conflicts with existing key ${key}.` : undefined);
  return new CitusError(`duplicate key value violates unique constraint "${k.name}"`, key ? `Key ${key} already exists.` : undefined);
}

/** A key shared by two rows of `rows` (ADD UNIQUE / CREATE UNIQUE INDEX over the rows held): the error. */
export function duplicatedIn(t: Table, k: UniqueCheck, indexName: string, rows: readonly Cell[][]): CitusError | undefined {
  const types = columnTypes(t);
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      if (sameKey(k, t, types, rows[i], rows[j]) !== true) continue;
      const key = keyText(t, types, k.at, rows[i], !k.exclusion);
      if (k.exclusion) return new CitusError(`could not create exclusion constraint "${indexName}"`, key ? `Key ${key} conflicts with key ${key}.` : undefined);
      return new CitusError(`could not create unique index "${indexName}"`, key ? `Key ${key} is duplicated.` : undefined);
    }
  }
  return undefined;
}

/** A foreign key's columns as positions in the referencing and the referenced table. */
function fkColumns(fk: ForeignKey, t: Table, ref: Table): { from: number[]; to: number[] } | undefined {
  const from = fk.columns.map((c) => t.columns.findIndex((x) => x.name === c));
  const to = fk.refColumns.map((c) => ref.columns.findIndex((x) => x.name === c));
  return from.includes(-1) || to.includes(-1) || from.length !== to.length ? undefined : { from, to };
}

/** Does a referencing row's key match a referenced row: true, false, or undefined when not known. */
function matches(from: readonly number[], to: readonly number[], fromTypes: readonly ColumnType[], row: readonly Cell[], refRow: readonly Cell[]): boolean | undefined {
  let known = true;
  for (const [n, i] of from.entries()) {
    const same = sameValue(row[i], refRow[to[n]], fromTypes[i]);
    if (same === false) return false;
    if (same === undefined) known = false;
  }
  return known ? true : undefined;
}

/** Referenced rows a check reads instead of the table's held ones (a statement's own rows): all of them when `complete`. */
export interface RefRows {
  readonly rows: readonly Cell[][];
  readonly complete: boolean;
}

/**
 * RI_FKey_check: each row's key (MATCH SIMPLE: a NULL in it passes) must be
 * in the referenced table: its held rows, or those `refRowsOf` gives (the
 * table's own, for a foreign key to itself). A deferrable key is checked
 * only outside a transaction block, where the statement's end is its commit.
 */
export function checkReferences(s: ClusterState, t: Table, rows: readonly Cell[][], refRowsOf?: (key: string) => RefRows | undefined, only?: (fk: ForeignKey) => boolean): void {
  if (s.foreignKeysOff) return;
  const types = columnTypes(t);
  for (const fk of t.foreignKeys) {
    if ((fk.deferrable && s.tx) || (only && !only(fk))) continue;
    const at = fk.columns.map((c) => t.columns.findIndex((x) => x.name === c));
    const mixed = fk.match === 'full' ? rows.find((r) => at.some((i) => r[i] === null) && at.some((i) => r[i] !== null && r[i] !== undefined)) : undefined;
    if (mixed) throw new CitusError(`insert or update on table "${rel(t.key)}" violates foreign key constraint "${fk.name}"`, 'MATCH FULL does not allow mixing of null and nonnull key values.');
    const i = keysFound(s, t, fk, rows, refRowsOf).indexOf(false);
    if (i === -1) continue;
    const key = keyText(t, types, at, rows[i], false);
    throw new CitusError(`insert or update on table "${rel(t.key)}" violates foreign key constraint "${fk.name}"`, key ? `Key ${key} is not present in table "${rel(fk.refTable)}".` : undefined);
  }
}

/** Per row, is its key of `fk` in the referenced rows: true (or NULL in it), false, or undefined when not known. */
export function keysFound(s: ClusterState, t: Table, fk: ForeignKey, rows: readonly Cell[][], refRowsOf?: (key: string) => RefRows | undefined): Array<boolean | undefined> {
  const ref = s.builder.peekTable(fk.refTable);
  const cols = ref && fkColumns(fk, t, ref);
  if (!ref || !cols) return rows.map(() => undefined);
  const given = refRowsOf?.(fk.refTable);
  const set = heldRows(s, fk.refTable);
  const refTypes = columnTypes(ref);
  const k = given ? undefined : uniqueChecks(s, ref).find((u) => !u.where && u.at.length === cols.to.length && u.at.every((i) => cols.to.includes(i)));
  const idx = k && keyIndex(s.keyIndexes, set, k, ref, refTypes);
  // read once, and only when a row's key cannot be looked up in the index
  let all: readonly Cell[][] | undefined;
  const refRows = () => (all ??= given?.rows ?? tableRows(set, ref));
  const complete = given ? given.complete : !set.partial;
  const types = columnTypes(t);
  return rows.map((row) => {
    if (cols.from.some((i) => row[i] === null)) return true;
    if (k && idx) {
      const probe: Cell[] = ref.columns.map((_, i) => (cols.to.includes(i) ? row[cols.from[cols.to.indexOf(i)]] : undefined));
      const key = keyOf(k, ref, refTypes, probe);
      if (typeof key === 'string') {
        const found = hasKey(idx, set.count, key);
        return found === false && !complete ? undefined : found;
      }
    }
    const m = refRows().map((r) => matches(cols.from, cols.to, types, row, r));
    if (m.includes(true)) return true;
    return complete && m.every((x) => x === false) ? false : undefined;
  });
}

/** The foreign keys that reference a table, with the table they are on. */
export function incomingKeys(s: ClusterState, key: string): Array<{ readonly fk: ForeignKey; readonly table: Table }> {
  return s.builder.peekTables().flatMap((table) => table.foreignKeys.filter((fk) => fk.refTable === key).map((fk) => ({ fk, table })));
}

/**
 * A referenced row's key goes (DELETE, or UPDATE of the key): a referencing
 * row still holding it is PostgreSQL's error for NO ACTION and RESTRICT
 * (RI_FKey_noaction_del / _upd). `remaining` are the referenced table's rows
 * after the statement (a key still there, NO ACTION, is no error).
 */
export function checkStillReferenced(s: ClusterState, t: Table, gone: readonly Cell[][], remaining: readonly Cell[][], referencingRows: (key: string) => Cell[][] | undefined, what: 'delete' | 'update'): void {
  if (s.foreignKeysOff) return;
  const types = columnTypes(t);
  for (const { fk, table } of incomingKeys(s, t.key)) {
    const action = what === 'delete' ? fk.onDelete : fk.onUpdate;
    if ((fk.deferrable && s.tx) || !isRestrictOrNoAction(action)) continue;
    const cols = fkColumns(fk, table, t);
    const rows = cols && referencingRows(table.key);
    if (!cols || !rows) continue;
    const fromTypes = columnTypes(table);
    for (const g of gone) {
      if (cols.to.some((i) => g[i] === null || g[i] === undefined)) continue;
      if (action === 'no action' && remaining.some((r) => matches(cols.to, cols.to, types, g, r) !== false)) continue;
      if (!rows.some((r) => matches(cols.from, cols.to, fromTypes, r, g) === true)) continue;
      const key = keyText(t, types, cols.to, g, false);
      throw new CitusError(
        `update or delete on table "${rel(t.key)}" violates foreign key constraint "${fk.name}" on table "${rel(table.key)}"`,
        key ? `Key ${key} is still referenced from table "${rel(table.key)}".` : undefined,
      );
    }
  }
}

/** Referencing rows whose key is one of `gone`: true, false, or undefined (a maybe) per row. */
export function referencing(fk: ForeignKey, table: Table, t: Table, rows: readonly Cell[][], gone: readonly Cell[][]): Array<boolean | undefined> {
  const cols = fkColumns(fk, table, t);
  const fromTypes = columnTypes(table);
  return rows.map((r) => {
    if (!cols) return undefined;
    if (cols.from.some((i) => r[i] === null)) return false;
    let out: boolean | undefined = false;
    for (const g of gone) {
      const m = matches(cols.from, cols.to, fromTypes, r, g);
      if (m === true) return true;
      if (m === undefined) out = undefined;
    }
    return out;
  });
}

/** The value of an expression for a row of the table. */
export function rowValue(t: Table, types: readonly ColumnType[], row: readonly Cell[], n: Node | undefined, alias?: string): Val {
  return evaluate(n, rowEnv(t, types, row, alias));
}
