/**
 * Colocation groups (utils/colocation_utils.c): creating one
 * (CreateColocationGroup), finding the default group for a new table
 * (ColocationId), checking that two tables may share one
 * (EnsureTableCanBeColocatedWith, EnsureColumnTypeEquality), and the UDFs
 * that change a table's group (update_distributed_table_colocation,
 * mark_tables_colocated). The reference tables' group is made on first use
 * (reference_table_utils.c CreateReferenceTableColocationId).
 */
import type { Column } from '../../catalog/model.js';
import { splitKey } from '../../ingest/pg/index.js';
import { columnCollation } from './distribution-column.js';
import { CitusError, qual, rel } from './errors.js';
import type { ColocationGroup } from './model.js';
import type { CitusTableEntry, ClusterState } from './state.js';

export function newGroup(s: ClusterState, g: Omit<ColocationGroup, 'id'>): number {
  const id = s.nextColocationId++;
  s.groups.set(id, { id, ...g });
  return id;
}

export function referenceGroupId(s: ClusterState): number {
  if (s.referenceGroup === undefined) {
    s.referenceGroup = newGroup(s, { shardCount: 1, replicationFactor: -1, columnType: '', collation: '', reference: true });
  }
  return s.referenceGroup;
}

/** The lowest-numbered group of plain (not reference, not tenant) tables that matches. */
function findGroup(s: ClusterState, matches: (g: ColocationGroup) => boolean): number | undefined {
  let best: number | undefined;
  for (const g of s.groups.values()) {
    if (g.tenantSchema || g.reference || !matches(g)) continue;
    if (best === undefined || g.id < best) best = g.id;
  }
  return best;
}

/** colocate_with => 'default' for a hash-distributed table: the group of that shard count, replication factor, type and collation. */
export function defaultHashGroup(s: ClusterState, shardCount: number, rf: number, type: string, collation: string): number | undefined {
  return findGroup(s, (g) => g.shardCount === shardCount && g.replicationFactor === rf && g.columnType === type && g.collation === collation);
}

/** colocate_with => 'default' for a single-shard table. */
export function defaultSingleShardGroup(s: ClusterState): number | undefined {
  const rf = s.settings['citus.shard_replication_factor'];
  return findGroup(s, (g) => g.shardCount === 1 && g.columnType === '' && g.replicationFactor === rf);
}

/** EnsureColumnTypeEquality: the distribution column types (and, since 14.0, collations) of `src` and the table `key` being colocated with it. */
function ensureColumnTypeEquality(s: ClusterState, src: string, key: string, col: Column | undefined): void {
  const info = s.citus.get(src)!;
  if ((info.columnType ?? '') !== (col?.type.name ?? '')) {
    throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Distribution column types don't match for ${rel(src)} and ${rel(key)}.`);
  }
  if (col && s.atLeast(14) && (info.collation ?? '') !== columnCollation(col)) {
    throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Distribution column collations don't match for ${rel(src)} and ${rel(key)}.`);
  }
}

/**
 * colocate_with => '<table>' (EnsureTableCanBeColocatedWith): the source
 * table, checked against the table `key` being created with distribution
 * column `col` (none for a single-shard table). A hash-distributed table may
 * not join a distributed schema's group from another schema.
 */
export function colocateSource(s: ClusterState, key: string, col: Column | undefined, colocateWith: string): CitusTableEntry {
  const src = s.regclass(colocateWith);
  const info = s.citus.get(src);
  if (!info) throw new CitusError(`relation ${rel(src)} is not distributed`);
  if (info.kind === 'citus-local' || info.kind === 'append' || info.kind === 'range') {
    throw new CitusError('cannot distribute relation', 'Currently, colocate_with option is not supported with append / range distributed tables and local tables added to metadata.');
  }
  // a hash table takes the replication model of the table it is colocated with (DecideDistTableReplicationModel); a single-shard table's is streaming
  if (!col && replicationModel(s, info) !== 's') {
    throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Replication models don't match for ${rel(src)} and ${rel(key)}.`);
  }
  ensureColumnTypeEquality(s, src, key, col);
  if (col && s.tenantOf(src) !== undefined && splitKey(src).schema !== splitKey(key).schema) {
    throw new CitusError(
      `cannot colocate tables ${rel(src)} and ${rel(key)}`,
      'Cannot colocate tables with distributed schema tables by using colocate_with option.',
      `Consider using "CREATE TABLE" statement to create this table as a single-shard distributed table in the same schema to automatically colocate it with ${splitKey(src).schema}.${rel(src)}`,
    );
  }
  return info;
}

/** pg_dist_partition.repmodel: 't' for reference tables, 'c' for hash tables made with a replication factor over 1, 's' otherwise. */
export function replicationModel(s: ClusterState, e: CitusTableEntry): 't' | 'c' | 's' {
  if (e.kind === 'reference') return 't';
  return e.kind === 'distributed' && (s.groups.get(e.colocationId!)?.replicationFactor ?? 1) > 1 ? 'c' : 's';
}

/** update_distributed_table_colocation(table, colocate_with). */
export function updateDistributedTableColocation(s: ClusterState, key: string, colocateWith: string): void {
  if (s.tenantOf(key) !== undefined) throw new CitusError(`${qual(key)} is not allowed for update_distributed_table_colocation because it belongs to a distributed schema`);
  if (colocateWith.toLowerCase() === 'none') {
    ensureHashOrSingleShard(s, key);
    // BreakColocation
    const info = s.citus.get(key)!;
    const g = s.groups.get(info.colocationId!)!;
    info.colocationId = newGroup(s, { shardCount: g.shardCount, replicationFactor: g.replicationFactor, columnType: g.columnType, collation: g.collation });
    return;
  }
  const src = s.regclass(colocateWith);
  if (s.tenantOf(src) !== undefined) throw new CitusError(`${qual(src)} is not allowed for colocate_with because it belongs to a distributed schema`);
  markTablesColocatedWith(s, src, key);
}

/** EnsureHashOrSingleShardDistributedTable. */
function ensureHashOrSingleShard(s: ClusterState, key: string): void {
  const kind = s.kind(key);
  if (kind !== 'distributed' && kind !== 'single-shard') throw new CitusError(`relation ${rel(key)} should be a hash or single shard distributed table`);
}

/** MarkTablesColocated: `key` joins the group of `src`. */
function markTablesColocatedWith(s: ClusterState, src: string, key: string): void {
  if (s.kind(src) === 'citus-local' || s.kind(key) === 'citus-local') throw new CitusError('local tables cannot be colocated with other tables');
  ensureHashOrSingleShard(s, src);
  ensureHashOrSingleShard(s, key);
  const info = s.citus.get(key)!;
  const srcInfo = s.citus.get(src)!;
  // CheckReplicationModel
  if (replicationModel(s, srcInfo) !== replicationModel(s, info)) {
    throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Replication models don't match for ${rel(src)} and ${rel(key)}.`);
  }
  const col = info.column ? s.builder.peekTable(key)!.columns.find((c) => c.name === info.column) : undefined;
  ensureColumnTypeEquality(s, src, key, col);
  if (srcInfo.shardCount !== info.shardCount) {
    throw new CitusError(`cannot colocate tables ${rel(src)} and ${rel(key)}`, `Shard counts don't match for ${rel(src)} and ${rel(key)}.`);
  }
  info.colocationId = srcInfo.colocationId;
}

/** mark_tables_colocated: deprecated in 14.0; before, the model keeps no placements to mark. */
export function markTablesColocated(s: ClusterState): void {
  if (s.atLeast(14)) throw new CitusError('mark_tables_colocated has been deprecated', undefined, 'Use update_distributed_table_colocation instead');
}
