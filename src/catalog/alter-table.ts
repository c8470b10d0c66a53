/**
 * ALTER TABLE: each command applied to the table it names and, unless the
 * statement says ONLY (or PostgreSQL always recurses), to the children that
 * inherit from it; DROP COLUMN with what PostgreSQL drops with a column.
 * ALTER TABLE on a view, sequence, index or composite type is recorded as
 * having no bearing.
 */
import type { AlterTableCmd, AlterTableStmt, ClusterStmt, RangeVar } from '../ingest/pg/ast.js';
import { defElemsOf, namesOf, nodeAs, qualifiedKey, quoteIdent, sqlName } from '../ingest/pg/index.js';
import { addColumn, setDefault, type Later } from './columns.js';
import { addConstraint, dropConstraint } from './constraints.js';
import type { BuildContext } from './context.js';
import { attachPartition, detachPartition, sameColumns } from './partitions.js';
import { attachIndex } from './indexes.js';
import { descendants } from './relocate.js';
import { integerTypeName, setIdentity } from './sequences.js';
import { article } from './skips.js';
import type { MColumn, MTable } from './state.js';
import { typeRef } from './typedefs.js';

export function alterTable(ctx: BuildContext, body: AlterTableStmt): boolean {
  const objtype = body.objtype;
  const cmds: AlterTableCmd[] = [];
  for (const c of body.cmds ?? []) {
    const cmd = nodeAs(c, 'AlterTableCmd');
    if (cmd) cmds.push(cmd);
  }
  const subtypes = cmds.map((c) => c.subtype);
  recordClusterOn(ctx, body, cmds);
  const ownerOnly = subtypes.length > 0 && subtypes.every((x) => x === 'AT_ChangeOwner');
  if (objtype === 'OBJECT_TYPE') return ctx.skip('AlterTableStmt', 'attributes of a composite type are not tracked: they do not affect distribution');
  if (objtype === 'OBJECT_INDEX') {
    if (subtypes.every((x) => x === 'AT_AttachPartition')) {
      const attached = cmds.map((c) => attachIndex(ctx, body.relation, nodeAs(c.def, 'PartitionCmd')?.name));
      return attached.every(Boolean) || ctx.skip('AlterTableStmt', 'attaching an index the schema does not define');
    }
    return ctx.skip('AlterTableStmt', 'index storage, tablespace and statistics settings do not affect distribution');
  }
  if (objtype === 'OBJECT_SEQUENCE' || objtype === 'OBJECT_VIEW' || objtype === 'OBJECT_MATVIEW') {
    if (ownerOnly) return true; // ownership: no bearing, nothing to record
    return ctx.skip('AlterTableStmt', objtype === 'OBJECT_SEQUENCE' ? 'sequence storage and persistence do not affect distribution' : 'view options, column defaults and storage do not affect distribution');
  }
  const rel = ctx.findRelation(body.relation);
  if (rel && rel.kind !== 'table') {
    // ALTER TABLE also accepts views, sequences and indexes (for compatibility, as PostgreSQL does).
    if (ownerOnly) return true;
    return ctx.skip('AlterTableStmt', `ALTER TABLE on ${article(rel.kind)}: its options, defaults and storage do not affect distribution`);
  }
  const t = rel ? ctx.tables.get(rel.key) : undefined;
  if (!t) {
    if (body.missing_ok) return ctx.skip('AlterTableStmt', 'IF EXISTS: the table does not exist at this point');
    ctx.lookupTable(body.relation); // reports the unknown relation
    return false;
  }
  for (const cmd of cmds) alterCmd(ctx, t, cmd, body.relation?.inh === true);
  return true;
}

/** `CLUSTER ON` a table's or materialized view's index: kept as a statement to run again. */
function recordClusterOn(ctx: BuildContext, body: AlterTableStmt, cmds: readonly AlterTableCmd[]): void {
  markClustered(ctx, body.relation, cmds.find((c) => c.subtype === 'AT_ClusterOn')?.name);
}

/** `CLUSTER t USING i`: marks i as t's clustered index, as ALTER TABLE ... CLUSTER ON does. */
export function cluster(ctx: BuildContext, body: ClusterStmt): boolean {
  if (!body.relation || !body.indexname) return ctx.skip('ClusterStmt', 'CLUSTER without an index reorders rows once; it marks nothing');
  markClustered(ctx, body.relation, body.indexname);
  return true;
}

function markClustered(ctx: BuildContext, rv: RangeVar | undefined, on: string | undefined): void {
  if (!on || !rv?.relname) return;
  const key = ctx.findRelation(rv)?.key ?? ctx.keyOf(rv);
  const at = ctx.clusterOn.findIndex((c) => c.relation === key);
  if (at >= 0) ctx.clusterOn.splice(at, 1);
  ctx.clusterOn.push({ relation: key, index: on, sql: `ALTER TABLE ${sqlName(key, true)} CLUSTER ON ${quoteIdent(on)}` });
}

function alterCmd(ctx: BuildContext, t: MTable, cmd: AlterTableCmd, inh: boolean): void {
  const col = cmd.name ? t.columns.find((c) => c.name === cmd.name) : undefined;
  const def = cmd.def;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const later: Later = [];
      const cd = nodeAs(def, 'ColumnDef')!;
      if (cmd.missing_ok && t.columns.some((c) => c.name === cd.colname)) return;
      addColumn(ctx, t, cd, later, false);
      for (const f of later) f();
      if (inh) for (const p of descendants(ctx, t)) if (!p.columns.some((c) => c.name === cd.colname)) p.columns.push({ ...t.columns[t.columns.length - 1] });
      return;
    }
    case 'AT_DropColumn':
      // Inheritance children and partitions lose the inherited column too (not with ONLY).
      for (const x of [t, ...(inh ? descendants(ctx, t) : [])]) dropColumn(ctx, x, cmd.name!);
      return;
    case 'AT_ColumnDefault':
      for (const c of columnAndInherited(ctx, t, cmd.name, inh)) setDefault(ctx, c, def ?? undefined);
      return;
    case 'AT_SetNotNull':
      for (const c of columnAndInherited(ctx, t, cmd.name, inh)) c.notNull = true;
      return;
    case 'AT_DropNotNull':
      for (const c of columnAndInherited(ctx, t, cmd.name, inh)) c.notNull = false;
      return;
    case 'AT_AddIdentity':
      if (col) setIdentity(ctx, t, col, nodeAs(def, 'Constraint')!);
      return;
    case 'AT_SetIdentity':
      for (const d of defElemsOf(nodeAs(def, 'List')?.items)) {
        // ALTER COLUMN ... SET GENERATED { ALWAYS | BY DEFAULT }: 'a' or 'd' as a char code
        if (d.defname === 'generated' && col?.identity) col.identity = { ...col.identity, kind: nodeAs(d.arg, 'Integer')?.ival === 97 ? 'always' : 'by default' };
      }
      return;
    case 'AT_DropIdentity':
      if (col?.identity) {
        // the identity sequence is an internal part of the column: it goes too
        ctx.sequences.delete(col.identity.sequence);
        delete col.identity;
      }
      return;
    case 'AT_DropExpression':
      for (const c of columnAndInherited(ctx, t, cmd.name, true)) delete c.generated;
      return;
    case 'AT_AlterColumnType': {
      // Always recurses: an inherited column must have the parent's type.
      const cd = nodeAs(def, 'ColumnDef');
      if (!col || !cd?.typeName) return;
      const type = typeRef(ctx, cd.typeName);
      const collation = cd.collClause ? namesOf(cd.collClause.collname).join('.') : undefined;
      for (const c of columnAndInherited(ctx, t, cmd.name, true)) {
        c.type = type;
        // without COLLATE the column takes the new type's default collation
        if (collation) c.collation = collation;
        else delete c.collation;
        // an identity column's sequence follows the column's type
        const seq = c.identity ? ctx.sequences.get(c.identity.sequence) : undefined;
        if (seq && ['int2', 'int4', 'int8'].includes(type.base) && !type.arrayDims) seq.dataType = integerTypeName(type.base);
      }
      return;
    }
    case 'AT_ValidateConstraint':
      for (const x of [t, ...descendants(ctx, t)]) {
        x.checks = x.checks.map((c) => (c.name === cmd.name ? { ...c, notValid: false } : c));
        for (const f of x.foreignKeys) if (f.name === cmd.name) f.notValid = false;
      }
      return;
    case 'AT_AlterConstraint': {
      const altered = nodeAs(def, 'ATAlterConstraint');
      const ac = altered ?? nodeAs(def, 'Constraint');
      if (!ac?.conname || (altered && !altered.alterDeferrability)) return;
      for (const x of [t, ...descendants(ctx, t)]) {
        for (const f of x.foreignKeys) {
          if (f.name !== ac.conname) continue;
          f.deferrable = !!ac.deferrable;
          f.initiallyDeferred = !!ac.initdeferred;
        }
      }
      return;
    }
    case 'AT_AddConstraint':
      addConstraint(ctx, t, nodeAs(def, 'Constraint')!);
      return;
    case 'AT_DropConstraint':
      dropConstraintAndClones(ctx, t, cmd.name!, inh);
      return;
    case 'AT_AttachPartition':
      attachPartition(ctx, t, nodeAs(def, 'PartitionCmd')!);
      return;
    case 'AT_DetachPartition':
      detachPartition(ctx, nodeAs(def, 'PartitionCmd')!);
      return;
    case 'AT_AddInherit': {
      const parent = ctx.lookupTable(nodeAs(def, 'RangeVar'));
      if (parent) t.inherits.push(parent.key);
      return;
    }
    case 'AT_DropInherit': {
      const parent = ctx.lookupTable(nodeAs(def, 'RangeVar'), true);
      if (parent) t.inherits = t.inherits.filter((k) => k !== parent.key);
      return;
    }
    case 'AT_EnableRowSecurity':
    case 'AT_ForceRowSecurity':
      t.rowSecurity = true;
      return;
    case 'AT_DisableRowSecurity':
      t.rowSecurity = false;
      return;
    case 'AT_ReplicaIdentity':
      t.replicaIdentity = nodeAs(def, 'ReplicaIdentityStmt')?.identity_type ?? undefined;
      return;
    case 'AT_SetLogged':
      t.persistence = 'permanent';
      return;
    case 'AT_SetUnLogged':
      t.persistence = 'unlogged';
      return;
    case 'AT_SetAccessMethod':
      t.accessMethod = cmd.name ?? undefined;
      return;
    default:
      return; // owner, storage, statistics, options, cluster, triggers enable/disable: no bearing
  }
}

/** DROP CONSTRAINT, with the clones PostgreSQL made on partitions and (not with ONLY) the CHECKs children inherited. */
function dropConstraintAndClones(ctx: BuildContext, t: MTable, n: string, inh: boolean): void {
  const pk = t.primaryKey?.name === n ? t.primaryKey : undefined;
  const unique = t.uniques.find((u) => u.source === 'constraint' && u.name === n);
  const fk = t.foreignKeys.some((f) => f.name === n);
  const check = t.checks.find((c) => c.name === n);
  dropConstraint(ctx, t, n);
  for (const d of descendants(ctx, t)) {
    if (d.partitionOf) {
      if (pk && d.primaryKey && sameColumns(d.primaryKey.columns, pk.columns)) dropConstraint(ctx, d, d.primaryKey.name);
      const du = unique && d.uniques.find((u) => u.source === 'constraint' && sameColumns(u.columns, unique.columns));
      if (du) dropConstraint(ctx, d, du.name);
      if (fk) d.foreignKeys = d.foreignKeys.filter((f) => f.name !== n);
    }
    if (check && !check.noInherit && inh) d.checks = d.checks.filter((c) => c.name !== n);
  }
}

/** The named column of `t`, and with `recurse` the same column of every child that inherits it. */
function columnAndInherited(ctx: BuildContext, t: MTable, name: string | undefined, recurse: boolean): MColumn[] {
  if (!name) return [];
  const out: MColumn[] = [];
  for (const x of [t, ...(recurse ? descendants(ctx, t) : [])]) {
    const c = x.columns.find((y) => y.name === name);
    if (c) out.push(c);
  }
  return out;
}

/** DROP COLUMN: the column and what PostgreSQL drops with it (indexes, constraints, owned sequences, FKs that reference it). */
function dropColumn(ctx: BuildContext, t: MTable, name: string): void {
  if (!t.columns.some((c) => c.name === name)) return;
  t.columns = t.columns.filter((c) => c.name !== name);
  const gone = t.indexes.filter((i) => i.columns.includes(name) || i.include.includes(name));
  for (const i of gone) ctx.indexOwner.delete(qualifiedKey(t.schema, i.name));
  t.indexes = t.indexes.filter((i) => !gone.includes(i));
  t.uniques = t.uniques.filter((u) => !u.columns.includes(name) && !u.include.includes(name));
  t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(name));
  t.exclusions = t.exclusions.filter((x) => !x.elements.some((e) => e.column === name));
  if (t.primaryKey && (t.primaryKey.columns.includes(name) || t.primaryKey.include.includes(name))) delete t.primaryKey;
  for (const other of ctx.tables.values()) other.foreignKeys = other.foreignKeys.filter((f) => !(f.refTable === t.key && f.refColumns.includes(name)));
  for (const [k, seq] of [...ctx.sequences]) if (seq.ownedBy?.table === t.key && seq.ownedBy.column === name) ctx.sequences.delete(k);
}
