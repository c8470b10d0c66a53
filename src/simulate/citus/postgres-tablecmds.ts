/**
 * What PostgreSQL itself refuses in an ALTER TABLE (commands/tablecmds.c),
 * as far as the model knows: EXCLUDE on a partitioned table before
 * PostgreSQL 17 (so before Citus 13.0, citus-rules.md §8, §12); a constraint
 * name the table already uses, or a second primary key (constraints the same
 * command drops do not count: PostgreSQL drops before it adds); a constraint
 * to drop that does not exist; dropping a key that foreign keys or views (by
 * their GROUP BY) depend on; and, for plain
 * tables (whose rows the coordinator holds), NOT NULL over rows that hold
 * NULL. On a Citus table that error would name the shard holding the row.
 * Also the checks of a new foreign key's columns and referenced key.
 */
import type { Table } from '../../catalog/model.js';
import type { AlterTableCmd, ColumnDef, Constraint } from '../../ingest/pg/ast.js';
import { namesOf, nodeAs } from '../../ingest/pg/index.js';
import { CitusError, EXCLUDE_ON_PARTITIONED, NOT_NULL_VIOLATION, rel } from './errors.js';
import { dropIndexDependents, sameColumnSet } from './postgres-dependency.js';
import type { ClusterState } from './state.js';

/** The names of a table's constraints (what ALTER TABLE ... DROP CONSTRAINT can drop). */
export function constraintNames(t: Table): Set<string> {
  return new Set([
    ...(t.primaryKey ? [t.primaryKey.name] : []),
    ...t.uniques.filter((u) => u.source === 'constraint').map((u) => u.name),
    ...t.checks.map((c) => c.name),
    ...t.exclusions.map((x) => x.name),
    ...t.foreignKeys.map((f) => f.name),
  ]);
}

/** The constraints of an ADD COLUMN's column definition. */
export function columnConstraints(cd: ColumnDef | undefined): Constraint[] {
  return (cd?.constraints ?? []).flatMap((c) => nodeAs(c, 'Constraint') ?? []);
}

/** Does an added column get a value in the existing rows: a default, an identity, a generated expression or a serial type? */
export function columnGetsValue(cd: ColumnDef | undefined): boolean {
  const filled = columnConstraints(cd).some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED');
  return filled || /serial/.test(namesOf(cd?.typeName?.names).join('.'));
}

export function checkPostgresAlter(s: ClusterState, t: Table, cmds: readonly AlterTableCmd[]): void {
  const added = (cmd: AlterTableCmd) => (cmd.subtype === 'AT_AddConstraint' ? nodeAs(cmd.def, 'Constraint') : undefined);
  if (!s.atLeast(13) && t.relkind === 'partitioned' && cmds.some((cmd) => added(cmd)?.contype === 'CONSTR_EXCLUSION')) throw EXCLUDE_ON_PARTITIONED();
  const names = constraintNames(t);
  for (const cmd of cmds) {
    if (cmd.subtype !== 'AT_DropConstraint') continue;
    if (!names.has(cmd.name ?? '')) {
      if (!cmd.missing_ok) throw new CitusError(`constraint "${cmd.name}" of relation "${rel(t.key)}" does not exist`);
      s.notices.push(`constraint "${cmd.name}" of relation "${rel(t.key)}" does not exist, skipping`);
      continue;
    }
    const backing = t.indexes.find((i) => i.constraint === cmd.name);
    if (backing) dropIndexDependents(s, t.key, backing.name, cmd.name, cmd.behavior === 'DROP_CASCADE');
    names.delete(cmd.name ?? '');
  }
  const hasPk = !!t.primaryKey && names.has(t.primaryKey.name);
  for (const cmd of cmds) {
    const con = added(cmd);
    if (!con) continue;
    if (con.conname && names.has(con.conname)) throw new CitusError(`constraint "${con.conname}" for relation "${rel(t.key)}" already exists`);
    if (con.contype === 'CONSTR_PRIMARY' && hasPk) throw new CitusError(`multiple primary keys for table "${rel(t.key)}" are not allowed`);
  }
  if (s.kind(t.key) !== 'local') return; // on a Citus table the error would name the shard holding the row
  const d = s.data.get(t.key);
  if (!d?.rows) return;
  const hasNulls = (c: string) => d.firstNull[c] !== undefined;
  for (const cmd of cmds) {
    let cols: string[] = [];
    if (cmd.subtype === 'AT_SetNotNull') cols = [cmd.name ?? ''];
    else if (added(cmd)?.contype === 'CONSTR_PRIMARY') cols = namesOf(added(cmd)?.keys);
    else if (cmd.subtype === 'AT_AddColumn') {
      const cd = nodeAs(cmd.def, 'ColumnDef');
      const cons = columnConstraints(cd).map((c) => c.contype);
      if (!columnGetsValue(cd) && (cons.includes('CONSTR_NOTNULL') || cons.includes('CONSTR_PRIMARY'))) throw NOT_NULL_VIOLATION(cd?.colname ?? '', rel(t.key));
    }
    const bad = cols.find(hasNulls);
    if (bad) throw NOT_NULL_VIOLATION(bad, rel(t.key));
  }
}

/**
 * ATAddForeignKeyConstraint's checks of the key itself: the referencing
 * columns (`columns`: the table's, with any the same command adds), the
 * referenced ones (the primary key when none are named) and a primary key or
 * plain unique constraint or index on exactly them, and as many of each.
 */
export function checkForeignKeyDefinition(s: ClusterState, columns: readonly string[], con: Constraint, fkColumns: readonly string[], refKey: string): void {
  const missing = (c: string) => new CitusError(`column "${c}" referenced in foreign key constraint does not exist`);
  for (const c of fkColumns) if (!columns.includes(c)) throw missing(c);
  const ref = s.builder.peekTable(refKey);
  if (!ref) return;
  let refColumns = namesOf(con.pk_attrs);
  if (!refColumns.length) {
    if (!ref.primaryKey) throw new CitusError(`there is no primary key for referenced table "${ref.name}"`);
    refColumns = ref.primaryKey.columns;
  } else {
    for (const c of refColumns) if (!ref.columns.some((x) => x.name === c)) throw missing(c);
    const keys = [...(ref.primaryKey ? [ref.primaryKey.columns] : []), ...ref.uniques.filter((u) => !u.where && !u.expressions.length && !u.deferrable).map((u) => u.columns)];
    if (!keys.some((k) => sameColumnSet(k, refColumns))) {
      throw new CitusError(`there is no unique constraint matching given keys for referenced table "${ref.name}"`);
    }
  }
  if (fkColumns.length !== refColumns.length) throw new CitusError('number of referencing and referenced columns for foreign key disagree');
}

/** Subcommands on an existing column, which PostgreSQL looks up by name. */
const ON_COLUMN = new Set([
  'AT_ColumnDefault',
  'AT_DropNotNull',
  'AT_SetNotNull',
  'AT_SetExpression',
  'AT_DropExpression',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_AlterColumnType',
  'AT_AlterColumnGenericOptions',
  'AT_AddIdentity',
  'AT_SetIdentity',
  'AT_DropIdentity',
]);

/**
 * PostgreSQL's lookups of the columns an ALTER TABLE names, in command
 * order: a column to change or drop must exist, one to add must not (IF
 * [NOT] EXISTS makes it a NOTICE and skips the subcommand).
 */
export function checkColumnsExist(s: ClusterState, t: Table, cmds: readonly AlterTableCmd[]): void {
  const columns = new Set(t.columns.map((c) => c.name));
  const name = rel(t.key);
  for (const cmd of cmds) {
    if (cmd.subtype === 'AT_AddColumn') {
      const col = nodeAs(cmd.def, 'ColumnDef')?.colname ?? '';
      if (!columns.has(col)) {
        columns.add(col);
        continue;
      }
      if (!cmd.missing_ok) throw new CitusError(`column "${col}" of relation "${name}" already exists`);
      s.notices.push(`column "${col}" of relation "${name}" already exists, skipping`);
    } else if (cmd.subtype === 'AT_DropColumn' && !columns.has(cmd.name ?? '')) {
      if (!cmd.missing_ok) throw new CitusError(`column "${cmd.name}" of relation "${name}" does not exist`);
      s.notices.push(`column "${cmd.name}" of relation "${name}" does not exist, skipping`);
    } else if (cmd.subtype === 'AT_DropColumn') {
      columns.delete(cmd.name ?? '');
    } else if (ON_COLUMN.has(cmd.subtype ?? '') && cmd.name && !columns.has(cmd.name)) {
      throw new CitusError(`column "${cmd.name}" of relation "${name}" does not exist`);
    }
  }
}
