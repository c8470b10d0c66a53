/**
 * alter_distributed_table (commands/alter_table.c AlterDistributedTable and
 * CheckAlterDistributedTableConversionParameters): the table must be hash
 * distributed; the new distribution column, shard count and colocation are
 * checked against what the table has, with a NOTICE for each one it already
 * has; then ConvertTable rebuilds it (and, with cascade_to_colocated, the
 * tables colocated with it) through create_distributed_table.
 */
import { ensureNoIdentityForConversion } from './citus-table-checks.js';
import { conversionNotices } from './alter-table.js';
import { distributeHash } from './create-distributed-table.js';
import { newGroup } from './colocation-utils.js';
import { CitusError, qual, rel } from './errors.js';
import { isGiven, type Arg } from './postgres-parse-func.js';
import type { ClusterState } from './state.js';
import { parseBool } from './variableset.js';
import { isDistributedTable } from './model.js';

const special = (cw: string) => ['default', 'none'].includes(cw.toLowerCase());

/** alter_distributed_table(table, distribution_column, shard_count, colocate_with, cascade_to_colocated). */
export function alterDistributedTable(s: ClusterState, key: string, a: ReadonlyMap<string, Arg>): void {
  const info = s.citus.get(key);
  if (!info || !isDistributedTable(info.kind)) throw new CitusError('cannot alter table because the table is not distributed');
  if (s.tenantOf(key) !== undefined) throw new CitusError(`${qual(key)} is not allowed for alter_distributed_table because it belongs to a distributed schema`);
  const colArg = a.get('distribution_column');
  const scArg = a.get('shard_count');
  const cwArg = a.get('colocate_with');
  const column = isGiven(colArg) ? colArg.text : undefined;
  const shardCount = isGiven(scArg) ? Number(scArg.text) : undefined;
  const colocateWith = isGiven(cwArg) ? cwArg.text : undefined;
  const cascadeArg = a.get('cascade_to_colocated');
  const cascade = isGiven(cascadeArg) ? (parseBool(cascadeArg.text) ?? false) : undefined;
  // ErrorIfColocateWithTenantTable
  const source = colocateWith !== undefined && !special(colocateWith) ? s.regclass(colocateWith) : undefined;
  if (source && s.tenantOf(source) !== undefined) throw new CitusError(`${qual(source)} is not allowed for colocate_with because it belongs to a distributed schema`);
  const t = s.builder.peekTable(key)!;
  if (t.relkind === 'foreign') throw new CitusError('cannot complete operation because it is a foreign table');
  if (t.partitionOf) throw new CitusError('cannot complete operation because table is a partition', undefined, `the parent table is "${rel(t.partitionOf.parent)}"`);
  if (info.kind !== 'distributed') throw new CitusError(`relation ${rel(key)} should be a hash distributed table`);
  // CreateTableConversion: BuildDistributionKeyFromColumnName
  const newCol = column !== undefined ? t.columns.find((c) => c.name === column) : undefined;
  if (column !== undefined && !newCol) throw new CitusError(`column "${column}" of relation "${rel(key)}" does not exist`);
  const originalShards = s.groups.get(info.colocationId!)?.shardCount ?? info.shardCount!;
  const colocated = [...s.citus.values()].filter((i) => i.colocationId === info.colocationId && !s.builder.peekTable(i.table)?.partitionOf).map((i) => i.table);
  checkParameters(s, key, { column, shardCount, colocateWith, source, cascade, originalShards, colocated, newType: newCol?.type.name });
  ensureNoIdentityForConversion(s, t);
  const finalShards = source ? (s.groups.get(s.citus.get(source)!.colocationId!)?.shardCount ?? originalShards) : (shardCount ?? originalShards);
  if (cascade) return cascadeToColocated(s, colocated, key, source, finalShards);
  // Without colocate_with, a table whose key keeps its type and whose shard count stays is
  // created colocated with itself: it keeps its colocation group (CreateDistributedTableLike).
  const oldType = t.columns.find((c) => c.name === info.column)?.type.name;
  const keepGroup = colocateWith === undefined && shardCount === undefined && (newCol?.type.name ?? oldType) === oldType;
  convert(s, key, column ?? info.column!, finalShards, shardCount !== undefined, colocateWith ?? 'default', keepGroup ? info.colocationId : undefined);
}

/**
 * cascade_to_colocated := true: the table and every table colocated with it
 * are rebuilt together (their foreign keys dropped and re-created after
 * all), into the colocate_with table's group or a new one of the new shard count.
 */
function cascadeToColocated(s: ClusterState, colocated: readonly string[], key: string, source: string | undefined, shardCount: number): void {
  const { id: _old, ...group } = s.groups.get(s.citus.get(key)!.colocationId!)!;
  const target = source ? s.citus.get(source)!.colocationId! : newGroup(s, { ...group, shardCount });
  for (const k of [key, ...s.byOid(colocated.filter((c) => c !== key))]) {
    conversionNotices(s, k);
    for (const t of [k, ...s.partitionsOf(k).map((p) => p.key)]) {
      const e = s.citus.get(t);
      if (e) s.citus.set(t, { ...e, colocationId: target, shardCount });
    }
  }
}

interface Params {
  readonly column?: string;
  readonly shardCount?: number;
  readonly colocateWith?: string;
  readonly source?: string;
  readonly cascade?: boolean;
  readonly originalShards: number;
  readonly colocated: readonly string[];
  readonly newType?: string;
}

/** CheckAlterDistributedTableConversionParameters, its errors and NOTICEs in Citus's order. */
function checkParameters(s: ClusterState, key: string, p: Params): void {
  const info = s.citus.get(key)!;
  if (p.column === undefined && p.shardCount === undefined && p.colocateWith === undefined && p.cascade !== true) {
    throw new CitusError('you have to specify at least one of the distribution_column, shard_count or colocate_with parameters');
  }
  const sameColumn = p.column !== undefined && p.column === info.column;
  const sameShards = p.shardCount !== undefined && p.shardCount === p.originalShards;
  const sameColocation = !!p.source && p.colocated.includes(p.source);
  if (p.source) {
    const kind = s.kind(p.source);
    if (kind !== 'distributed' && kind !== 'single-shard') throw new CitusError(`cannot colocate with ${p.colocateWith} because it is not a distributed table`);
    if (kind === 'single-shard') throw new CitusError(`cannot colocate with ${p.colocateWith} because it is a single shard distributed table`);
  }
  if (p.shardCount === 0) throw new CitusError('shard_count cannot be 0', undefined, 'if you no longer want this to be a distributed table you can try undistribute_table() function');
  if (p.cascade === true && p.column !== undefined) throw new CitusError('distribution_column cannot be cascaded to colocated tables');
  if (p.cascade === true && p.shardCount === undefined && p.colocateWith === undefined) throw new CitusError('shard_count or colocate_with is necessary for cascading to colocated tables');
  if ((p.column === undefined || sameColumn) && (p.shardCount === undefined || sameShards) && (p.colocateWith === undefined || sameColocation)) {
    throw new CitusError("this call doesn't change any properties of the table", undefined, 'check citus_tables view to see current properties of the table');
  }
  if (p.cascade === true && p.colocateWith?.toLowerCase() === 'none') throw new CitusError("colocate_with := 'none' cannot be cascaded to colocated tables");
  if (p.colocated.length > 1 && p.shardCount !== undefined && !sameShards && p.cascade === undefined) {
    throw new CitusError(
      'cascade_to_colocated parameter is necessary',
      'this table is colocated with some other tables',
      'cascade_to_colocated := false will break the current colocation, cascade_to_colocated := true will change the shard count of colocated tables too.',
    );
  }
  if (p.source) {
    const src = s.citus.get(p.source)!;
    const srcShards = s.groups.get(src.colocationId!)?.shardCount ?? src.shardCount;
    if (p.shardCount !== undefined && p.shardCount !== srcShards) {
      throw new CitusError('shard_count cannot be different than the shard count of the table in colocate_with', undefined, "if no shard_count is specified shard count will be same with colocate_with table's");
    }
    if (p.column !== undefined && src.columnType !== p.newType) {
      throw new CitusError(`cannot colocate with ${p.colocateWith} and change distribution column to ${p.column} because data type of column ${p.column} is different then the distribution column of the ${p.colocateWith}`);
    }
    if (p.column === undefined && src.columnType !== info.columnType) {
      throw new CitusError(`cannot colocate with ${p.colocateWith} because data type of its distribution column is different than ${rel(key)}`);
    }
  }
  if (sameColumn) s.notices.push(`table is already distributed by ${p.column}`);
  if (sameShards) s.notices.push(`shard count of the table is already ${p.shardCount}`);
  if (sameColocation) s.notices.push(`table is already colocated with ${p.colocateWith}`);
}

/** ConvertTable: the table rebuilt and distributed again, its own NOTICEs of create_distributed_table left out. */
function convert(s: ClusterState, key: string, column: string, shardCount: number, strict: boolean, colocateWith: string, group?: number): void {
  conversionNotices(s, key);
  s.citus.delete(key);
  for (const p of s.partitionsOf(key)) s.citus.delete(p.key);
  const saved = s.notices;
  s.notices = [];
  distributeHash(s, key, column, shardCount, strict, colocateWith, false, group);
  s.notices = saved;
}
