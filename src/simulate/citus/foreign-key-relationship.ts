/**
 * The foreign key graph between tables (utils/foreign_key_relationship.c):
 * the FKs a table has and the ones pointing at it, and the tables
 * FK-connected to one (GetForeignKeyConnectedRelationIdList).
 */
import type { Table } from '../../catalog/model.js';
import { CitusError, qual } from './errors.js';
import type { FkFacts } from './foreign-constraint.js';
import type { ClusterState } from './state.js';

/** Which FKs to leave out: dropped, or not yet re-created by Citus. */
export type FkFilter = (fk: FkFacts) => boolean;

const none: FkFilter = () => false;

function fkFacts(s: ClusterState, table: Table, fk: Table['foreignKeys'][number]): FkFacts {
  let refColumns = fk.refColumns;
  if (!refColumns.length) refColumns = s.builder.peekTable(fk.refTable)?.primaryKey?.columns ?? [];
  return { name: fk.name, table: table.key, columns: fk.columns, refTable: fk.refTable, refColumns, onDelete: fk.onDelete, onUpdate: fk.onUpdate };
}

/** The FKs of `key` (ReferencedRelationIdList's edges). */
export function outgoing(s: ClusterState, key: string): FkFacts[] {
  const t = s.builder.peekTable(key);
  return t ? t.foreignKeys.map((fk) => fkFacts(s, t, fk)) : [];
}

/** FKs of other tables to `key`, the referencing tables in OID order (ReferencingRelationIdList's edges). */
export function incoming(s: ClusterState, key: string): FkFacts[] {
  const out: FkFacts[] = [];
  for (const t of s.referencing ? (s.referencing.get(key) ?? []) : s.builder.peekTables()) {
    if (t.key === key) continue;
    for (const fk of t.foreignKeys) if (fk.refTable === key) out.push(fkFacts(s, t, fk));
  }
  if (out.length < 2) return out;
  const order = new Map(s.byOid(out.map((fk) => fk.table)).map((k, i) => [k, i]));
  return out.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
}

/** The tables whose foreign keys reference each table, by key: `incoming` without a scan of every table. */
export function referencingIndex(tables: readonly Table[]): Map<string, Table[]> {
  const out = new Map<string, Table[]>();
  for (const t of tables) {
    for (const ref of new Set(t.foreignKeys.map((fk) => fk.refTable))) {
      const list = out.get(ref);
      if (list) list.push(t);
      else out.set(ref, [t]);
    }
  }
  return out;
}

/** The FKs of `key` and the ones to it. */
export function foreignKeysOf(s: ClusterState, key: string): FkFacts[] {
  return [...outgoing(s, key), ...incoming(s, key)];
}

/**
 * Tables FK-connected to `key`, `key` first, breadth-first as Citus's
 * foreign key graph walks them (GetForeignKeyConnectedRelationIdList: the
 * tables a table references, then the ones referencing it). `skip` leaves
 * FKs out.
 */
export function fkConnected(s: ClusterState, key: string, skip: FkFilter = none): string[] {
  return withReferencingIndex(s, () => walkFkConnected(s, key, skip));
}

/**
 * Run a walk over the foreign key graph with the referencing tables indexed
 * once: `incoming` is then a lookup, not a scan of all tables per table it
 * reaches (on a schema of a thousand FK-connected tables that was most of a
 * migration's check). The walk must not change the catalog.
 */
export function withReferencingIndex<T>(s: ClusterState, walk: () => T): T {
  if (s.referencing) return walk();
  s.referencing = referencingIndex(s.builder.peekTables());
  try {
    return walk();
  } finally {
    s.referencing = undefined;
  }
}

function walkFkConnected(s: ClusterState, key: string, skip: FkFilter): string[] {
  const order = [key];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    const referenced = outgoing(s, k)
      .filter((fk) => !skip(fk))
      .map((fk) => fk.refTable);
    const referencing = incoming(s, k)
      .filter((fk) => !skip(fk))
      .map((fk) => fk.table);
    for (const n of [...referenced, ...referencing]) {
      if (!seen.has(n) && s.builder.peekTable(n)) {
        seen.add(n);
        order.push(n);
      }
    }
  }
  return order;
}

/** Is the FK a partition's clone of its parent's FK (pg_constraint.conparentid set)? */
function inherited(s: ClusterState, fk: FkFacts): boolean {
  const parent = s.builder.peekTable(fk.table)?.partitionOf?.parent;
  return !!parent && !!s.builder.peekTable(parent)?.foreignKeys.some((p) => p.name === fk.name);
}

/**
 * ErrorIfAnyPartitionRelationInvolvedInNonInheritedFKey: a partition among
 * `keys` with an FK of its own (not its parent's clone), or one to it.
 */
export function ensureNoPartitionWithOwnForeignKeys(s: ClusterState, keys: readonly string[]): void {
  for (const k of keys) {
    if (!s.builder.peekTable(k)?.partitionOf) continue;
    if (!foreignKeysOf(s, k).some((fk) => !inherited(s, fk))) continue;
    const q = qual(k);
    throw new CitusError(
      `cannot cascade operation via foreign keys as partition table ${q} involved in a foreign key relationship that is not inherited from its parent table`,
      undefined,
      `Remove non-inherited foreign keys from ${q} and try operation again`,
    );
  }
}

/** An FK's identity: its table and name. */
function fkId(fk: FkFacts): string {
  return `${fk.table}\u0000${fk.name}`;
}

/**
 * FKs Citus drops now and re-creates one by one: a filter that leaves out
 * those not re-created yet, and `done` to mark one re-created.
 */
export function pendingForeignKeys(fks: readonly FkFacts[]): { readonly notYet: FkFilter; done(fk: FkFacts): void } {
  const pending = new Set(fks.map(fkId));
  return { notYet: (fk) => pending.has(fkId(fk)), done: (fk) => void pending.delete(fkId(fk)) };
}
