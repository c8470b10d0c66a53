/**
 * ALTER TABLE and CREATE UNIQUE INDEX on the rows the model holds
 * (rows.ts): a new column takes its constant default (NULL without one), a
 * dropped one goes, a retyped one keeps its values only when the cast
 * cannot change them; and a constraint or unique index added over the rows
 * is checked as PostgreSQL checks it (unique indexes are built first, then
 * the table is scanned for CHECK constraints, then foreign keys are
 * validated), with its messages.
 */
import { chooseName, columnsPart } from '../../catalog/naming.js';
import { CatalogBuilder } from '../../catalog/builder.js';
import type { Table } from '../../catalog/model.js';
import type { AlterTableCmd, IndexStmt } from '../../ingest/pg/ast.js';
import { nodeAs } from '../../ingest/pg/index.js';
import { CitusError, rel } from './errors.js';
import { checkReferences, duplicatedIn, rowEnv, uniqueChecks, type UniqueCheck } from './row-constraints.js';
import { columnTypes, defaultCell, followed, forget, heldRows, parsedExpression, replaced, setHeld, tableRows } from './rows.js';
import type { ClusterState } from './state.js';
import { condition, violates, type Cell, type ColumnType } from './values.js';

/** A table's columns and their types before an ALTER TABLE changes it. */
export interface TableBefore {
  readonly table: Table;
  readonly types: readonly ColumnType[];
}

export function tableBefore(t: Table): TableBefore {
  return { table: structuredClone(t), types: columnTypes(t) };
}

/**
 * The rows after an ALTER TABLE (the catalog already changed), then the
 * checks of the constraints it adds over them; when one fails, the table's
 * definition goes back to what it was.
 */
export function alterHeld(s: ClusterState, before: TableBefore, cmds: readonly AlterTableCmd[]): void {
  try {
    followAlter(s, before, cmds);
  } catch (e) {
    if (!(e instanceof CitusError)) throw e;
    const view = s.builder.view();
    const searchPath = s.builder.searchPath;
    s.builder = CatalogBuilder.fromCatalog({ ...view, tables: { ...view.tables, [before.table.key]: before.table } });
    s.builder.searchPath = searchPath;
    throw e;
  }
}

function followAlter(s: ClusterState, before: TableBefore, cmds: readonly AlterTableCmd[]): void {
  const t = s.builder.peekTable(before.table.key);
  if (!t || !s.data.has(t.key)) return;
  if (!followed(s, t)) return forget(s, t.key);
  const set = heldRows(s, t.key);
  const old = tableRows(set, before.table);
  const added = new Set(cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => nodeAs(c.def, 'ColumnDef')?.colname ?? ''));
  const retyped = new Set(cmds.filter((c) => c.subtype === 'AT_AlterColumnType').map((c) => c.name ?? ''));
  const types = columnTypes(t);
  const from = t.columns.map((c, i) => {
    const j = before.table.columns.findIndex((x) => x.name === c.name);
    if (added.has(c.name) || j === -1) return -1;
    if (retyped.has(c.name) && !sameValues(before.types[j], types[i], cmds.find((x) => x.name === c.name && x.subtype === 'AT_AlterColumnType'))) return -2;
    return j;
  });
  const rows = old.map((row) => from.map((j, i): Cell => (j >= 0 ? row[j] : j === -2 || row.every((v) => v === undefined) ? undefined : defaultCell(s, t, i))));
  setHeld(s, t.key, replaced(set, t, rows));
  const known = rows.filter((r) => r.some((v) => v !== undefined));
  const cons = cmds.flatMap((c) => (c.subtype === 'AT_AddConstraint' ? (nodeAs(c.def, 'Constraint') ?? []) : []));
  const validated = new Set(cmds.filter((c) => c.subtype === 'AT_ValidateConstraint').map((c) => c.name ?? ''));
  const newKeys = uniqueChecks(s, t).filter((k) => !uniqueChecks(s, before.table).some((x) => x.name === k.name));
  for (const k of newKeys) throwIf(duplicatedIn(t, k, k.name, known));
  const checks = t.checks.filter((c) => validated.has(c.name) || cons.some((x) => x.contype === 'CONSTR_CHECK' && !x.skip_validation && (x.conname ?? c.name) === c.name && !before.table.checks.some((b) => b.name === c.name)));
  for (const row of known) {
    for (const c of checks) {
      const v = condition(parsedExpression(s, c.expression), rowEnv(t, types, row));
      if (violates(v)) throw new CitusError(`check constraint "${c.name}" of relation "${rel(t.key)}" is violated by some row`);
    }
  }
  const fks = new Set(t.foreignKeys.filter((fk) => validated.has(fk.name) || (!before.table.foreignKeys.some((b) => b.name === fk.name) && !fk.notValid)).map((fk) => fk.name));
  if (fks.size) checkReferences(s, t, known, undefined, (fk) => fks.has(fk.name));
}

/** Does ALTER COLUMN TYPE keep every value as it is (no USING, the same kind of value, no shorter length)? */
function sameValues(a: ColumnType | undefined, b: ColumnType, cmd: AlterTableCmd | undefined): boolean {
  const def = nodeAs(cmd?.def, 'ColumnDef');
  if (!a || def?.raw_default || a.kind !== b.kind || !['int', 'text'].includes(a.kind)) return false;
  return b.length === undefined || (a.length !== undefined && a.length <= b.length);
}

/** CREATE UNIQUE INDEX over the rows held: two rows with the same key are PostgreSQL's error. */
export function uniqueIndexHeld(s: ClusterState, t: Table, body: IndexStmt): void {
  if (!body.unique) return;
  const elems = (body.indexParams ?? []).map((p) => nodeAs(p, 'IndexElem'));
  const names = elems.map((e) => e?.name ?? '');
  const at = names.map((n) => t.columns.findIndex((c) => c.name === n));
  if (!names.length || at.includes(-1)) return;
  // the name PostgreSQL gives an unnamed index (ChooseIndexName), as the catalog names it
  const name = body.idxname ?? chooseName(t.name, columnsPart(names), 'idx', (n) => s.builder.relationNameTaken(t.schema, n));
  const k: UniqueCheck = { name, at, ...(body.whereClause ? { where: body.whereClause } : {}), nullsNotDistinct: !!body.nulls_not_distinct, deferrable: false };
  s.afterPlan.push(() => {
    if (!followed(s, t)) return;
    const rows = tableRows(heldRows(s, t.key), t).filter((r) => r.some((v) => v !== undefined));
    throwIf(duplicatedIn(t, k, name, rows));
  });
}

function throwIf(e: CitusError | undefined): void {
  if (e) throw e;
}
