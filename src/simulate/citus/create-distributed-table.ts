/**
 * create_distributed_table, create_distributed_table_concurrently and
 * create_reference_table (commands/create_distributed_table.c): the argument
 * checks of the UDFs, then CreateCitusTable for a hash-distributed,
 * single-shard or reference table: the colocation group (ColocationIdForNewTable),
 * EnsureRelationCanBeDistributed, the foreign keys, the partitions, and the
 * local rows copied into the shards.
 */
import type { Column, Table } from '../../catalog/model.js';
import { colocateSource, defaultHashGroup, defaultSingleShardGroup, newGroup, referenceGroupId, replicationModel } from './colocation-utils.js';
import { createCitusLocalTable, recreateForeignKeys } from './citus-add-local-table-to-metadata.js';
import {
  ensureCanBeCreated,
  ensureIdentityAfterTriggers,
  ensureIdentityBeforeTriggers,
  ensureNoIdentityForConversion,
  ensurePartitionParentIsCitus,
  ensurePoliciesSupported,
  ensureUniqueConstraintsIncludeColumn,
} from './citus-table-checks.js';
import { checkDistributionColumn, columnCollation, typeCollation } from './distribution-column.js';
import { CitusError, qual, rel } from './errors.js';
import { ensureForeignKeySupported, type FkFacts } from './foreign-constraint.js';
import { foreignKeysOf, incoming, outgoing, pendingForeignKeys } from './foreign-key-relationship.js';
import { copyLocalDataIntoShards } from './multi-copy.js';
import { isGiven, type Arg } from './postgres-parse-func.js';
import { distributeInTransaction } from './relation-access-tracking.js';
import type { CitusTableEntry, ClusterState } from './state.js';
import { ensureRelationHasNoTriggers } from './trigger.js';
import { markSequencesDistributed } from './sequence.js';
import { isDistributedTable } from './model.js';

/** create_distributed_table(_concurrently)'s arguments by parameter name. */
export type DistributionArgs = ReadonlyMap<string, Arg>;

const isDefault = (colocateWith: string) => colocateWith.toLowerCase() === 'default';
const isNone = (colocateWith: string) => colocateWith.toLowerCase() === 'none';

/** create_distributed_table / create_distributed_table_concurrently. */
export function createDistributedTable(s: ClusterState, a: DistributionArgs, concurrently: boolean): void {
  const tArg = a.get('table_name');
  const colArg = a.get('distribution_column');
  const typeArg = a.get('distribution_type') ?? { null: false, text: 'hash' };
  const cwArg = a.get('colocate_with') ?? { null: false, text: 'default' };
  const scArg = a.get('shard_count');
  const fname = concurrently ? 'create_distributed_table_concurrently' : 'create_distributed_table';
  if (!isGiven(tArg)) return;
  const key = s.regclass(tArg.text);
  if (cwArg.null) return;
  if (concurrently && typeArg.null) return;
  const colocateWith = cwArg.text;
  const shardCountGiven = isGiven(scArg);
  if (!isGiven(colArg)) {
    // Before 12.0 there are no single-shard tables: any NULL among the first four arguments is a silent no-op.
    if (!s.atLeast(12)) return;
    if (concurrently) {
      throw new CitusError('cannot use create_distributed_table_concurrently to create a distributed table with a null shard key, consider using create_distributed_table()');
    }
    if (shardCountGiven) throw new CitusError("shard_count can't be specified when the distribution column is null because in that case it's automatically set to 1");
    if (!typeArg.null && typeArg.text.toLowerCase() !== 'hash') throw new CitusError("distribution_type can't be specified when the distribution column is null ");
    createSingleShardTable(s, key, colocateWith);
    return;
  }
  if (typeArg.null) return;
  let shardCount = s.settings['citus.shard_count'];
  if (shardCountGiven) {
    if (!isDefault(colocateWith) && !isNone(colocateWith)) throw new CitusError('Cannot use colocate_with with a table and shard_count at the same time');
    shardCount = Number(scArg.text);
  }
  if (!(shardCount >= 1 && shardCount <= 64000)) throw new CitusError(`${shardCount} is outside the valid range for parameter "shard_count" (1 .. 64000)`);
  // EnsureLocalTableEmptyIfNecessary: only hash (and reference) tables take their rows along
  const method = typeArg.text.toLowerCase();
  if (concurrently && !s.tx && method !== 'hash') throw new CitusError('only hash-distributed tables can be distributed without blocking writes');
  if ((method === 'append' || method === 'range') && (s.data.get(key)?.rows ?? 0) > 0) {
    throw new CitusError(`cannot distribute relation "${rel(key)}"`, `Relation "${rel(key)}" contains data.`, 'Empty your table before distributing it.');
  }
  if (concurrently) checkConcurrently(s, key, colArg.text, colocateWith);
  if (!concurrently && s.kind(key) === 'citus-local') {
    // CreateCitusTable undistributes a citus local table first (DropFKeysAndUndistributeTable):
    // ConvertTable refuses identity columns (alter_table.c, citus-rules.md §2.3, §7).
    ensureNoIdentityForConversion(s, ensureCanBeCreated(s, key));
  }
  if (method === 'append' || method === 'range') distributeByRanges(s, key, colArg.text, method, colocateWith);
  else distributeHash(s, key, colArg.text, shardCount, shardCountGiven, colocateWith, !concurrently);
}

/**
 * CreateCitusTable's first steps for a table with a distribution column: a
 * citus local table leaves the metadata (its foreign keys are made again at
 * the end), then EnsureTableNotDistributed and the column.
 */
function prepareDistribution(s: ClusterState, key: string, column: string): { t: Table; col: Column; recreate: FkFacts[] } {
  const t = ensureCanBeCreated(s, key);
  let recreate: FkFacts[] = [];
  if (s.kind(key) === 'citus-local') {
    recreate = foreignKeysOf(s, key);
    s.citus.delete(key);
  }
  if (s.isCitus(key)) throw new CitusError(`table "${rel(key)}" is already distributed`);
  const col = t.columns.find((c) => c.name === column);
  if (!col) throw new CitusError(`column "${column}" of relation "${rel(key)}" does not exist`);
  return { t, col, recreate };
}

/**
 * CreateCitusTable for an append or range table: no colocation group
 * (ColocationIdForNewTable refuses colocate_with), no shards yet (they come
 * from master_create_empty_shard and COPY), and no partitioned tables.
 */
function distributeByRanges(s: ClusterState, key: string, column: string, method: 'append' | 'range', colocateWith: string): void {
  const { t, col, recreate } = prepareDistribution(s, key, column);
  if (!isDefault(colocateWith)) throw new CitusError('cannot distribute relation', 'Currently, colocate_with option is not supported for append / range distributed tables.');
  // EnsureRelationCanBeDistributed
  ensureIdentityBeforeTriggers(s, key);
  ensureRelationHasNoTriggers(s, key);
  ensureIdentityAfterTriggers(s, key);
  const colErr = checkDistributionColumn(rel(key), col, method);
  if (colErr) throw colErr;
  ensurePartitionParentIsCitus(s, t);
  if (t.relkind === 'partitioned') throw new CitusError('distributing partitioned tables in only supported for hash-distributed tables');
  const collation = s.atLeast(14) ? columnCollation(col) : typeCollation(col);
  markSequencesDistributed(s, key);
  s.citus.set(key, { table: key, kind: method, column, columnType: col.type.name, collation, shardCount: 0 });
  for (const fk of outgoing(s, key)) ensureForeignKeySupported(s, fk);
  ensureUniqueConstraintsIncludeColumn(s, t, column);
  ensurePoliciesSupported(t);
  for (const fk of recreate) ensureForeignKeySupported(s, fk);
}

/** CreateDistributedTableConcurrently's own checks, then its first phase. */
function checkConcurrently(s: ClusterState, key: string, column: string, colocateWith: string): void {
  if (s.tx) throw new CitusError('create_distributed_table_concurrently cannot run inside a transaction block');
  if (s.settings['citus.shard_replication_factor'] > 1) throw new CitusError('cannot distribute a table concurrently when citus.shard_replication_factor > 1');
  const t = ensureCanBeCreated(s, key);
  const col = t.columns.find((c) => c.name === column);
  if (!col) throw new CitusError(`column "${column}" of relation "${rel(key)}" does not exist`);
  if (isDistributedTable(s.kind(key)) || s.kind(key) === 'reference') throw new CitusError(`table "${rel(key)}" is already distributed`);
  // EnsureForeignKeysForDistributedTableConcurrently
  const typeName = (k: string) => ({ reference: 'reference table', 'citus-local': 'citus local table', local: 'regular table' })[s.kind(k) as 'reference'] ?? 'distributed table';
  for (const fk of incoming(s, key)) {
    if (['reference', 'citus-local', 'local'].includes(s.kind(fk.table))) {
      throw new CitusError(`relation ${rel(key)} is referenced by a foreign key from ${rel(fk.table)}`, `foreign keys from a ${typeName(fk.table)} to a distributed table are not supported.`);
    }
  }
  for (const fk of outgoing(s, key)) {
    if (fk.refTable !== key && s.kind(fk.refTable) === 'local') {
      throw new CitusError(`relation ${rel(fk.refTable)} is referenced by a foreign key from ${rel(key)}`, `foreign keys from a distributed table to a ${typeName(fk.refTable)} are not supported.`);
    }
  }
  // EnsureColocateWithTableIsValid comes before the table is added to the metadata.
  if (!isDefault(colocateWith) && !isNone(colocateWith)) {
    const source = s.citus.get(s.regclass(colocateWith));
    if (source && replicationModel(s, source) !== 's') {
      throw new CitusError(
        'cannot create distributed table concurrently because Citus allows concurrent table distribution only when citus.shard_replication_factor = 1',
        undefined,
        `table ${rel(key)} is requested to be colocated with ${colocateWith} which has citus.shard_replication_factor > 1`,
      );
    }
    colocateSource(s, key, col, colocateWith);
  }
  if (!s.isCitus(key)) addToMetadataBeforeSplit(s, key);
  if (!t.primaryKey && !t.replicaIdentity) {
    // WarnIfTableHaveNoReplicaIdentity
    s.notices.push(
      `relation ${rel(key)} does not have a REPLICA IDENTITY or PRIMARY KEY\nDETAIL:  UPDATE and DELETE commands on the relation will error out during create_distributed_table_concurrently unless there is a REPLICA IDENTITY or PRIMARY KEY. INSERT commands will still work.`,
    );
  }
}

/**
 * create_distributed_table_concurrently's first phase
 * (SendAddLocalTableToMetadataCommandOutsideTransaction):
 * `SELECT citus_add_local_table_to_metadata('<t>')`, without
 * cascade_via_foreign_keys, on a connection of its own. Its errors come back
 * as they are: the coordinator must be in the metadata, and a table with FKs
 * to or from other tables is refused (self-references are fine). It commits
 * on its own, so the table stays a citus local table if the split fails.
 */
function addToMetadataBeforeSplit(s: ClusterState, key: string): void {
  createCitusLocalTable(s, key, false, false);
  const kept = [key, ...s.partitionsOf(key).map((p) => p.key)].map((k) => ({ info: { ...s.citus.get(k)! }, oid: s.oids.get(k)! }));
  s.committed.push(() => {
    for (const { info, oid } of kept) {
      markSequencesDistributed(s, info.table);
      s.citus.set(info.table, { ...info });
      s.oids.set(info.table, oid);
      s.nextOid = Math.max(s.nextOid, oid + 1);
    }
  });
}

/**
 * CreateCitusTable for a hash-distributed table, after the argument checks:
 * `strict` when shard_count was given (the default group must have it),
 * `copyNotices` for the COPY NOTICEs, `parentGroup` for a partition
 * distributed with its parent.
 */
export function distributeHash(s: ClusterState, key: string, column: string, shardCount: number, strict: boolean, colocateWith: string, copyNotices: boolean, parentGroup?: number): void {
  const { t, col, recreate } = prepareDistribution(s, key, column);
  const collation = s.atLeast(14) ? columnCollation(col) : typeCollation(col);
  const rf = s.settings['citus.shard_replication_factor'];
  let colocationId: number | undefined = parentGroup;
  let newGroupNeeded = false;
  if (colocationId === undefined) {
    if (isDefault(colocateWith)) {
      colocationId = defaultHashGroup(s, shardCount, rf, col.type.name, collation);
      if (colocationId !== undefined && strict && s.groups.get(colocationId)!.shardCount !== shardCount) colocationId = undefined;
      newGroupNeeded = colocationId === undefined;
    } else if (isNone(colocateWith)) {
      newGroupNeeded = true;
    } else {
      colocationId = colocateSource(s, key, col, colocateWith).colocationId;
      shardCount = s.groups.get(colocationId!)!.shardCount;
    }
  } else {
    shardCount = s.groups.get(colocationId)!.shardCount;
  }
  // EnsureRelationCanBeDistributed
  ensureIdentityBeforeTriggers(s, key);
  ensureRelationHasNoTriggers(s, key);
  ensureIdentityAfterTriggers(s, key);
  const colErr = checkDistributionColumn(rel(key), col);
  if (colErr) throw colErr;
  if (parentGroup === undefined) ensurePartitionParentIsCitus(s, t);
  if (t.relkind === 'partitioned' && t.partitionOf) {
    throw new CitusError('distributing multi-level partitioned tables is not supported', `Relation "${rel(key)}" is partitioned table itself and it is also partition of relation "${rel(t.partitionOf.parent)}".`);
  }
  if (newGroupNeeded) colocationId = newGroup(s, { shardCount, replicationFactor: rf, columnType: col.type.name, collation });
  const info: CitusTableEntry = { table: key, kind: 'distributed', column, columnType: col.type.name, collation, colocationId, shardCount };
  markSequencesDistributed(s, key);
  s.citus.set(key, info);
  for (const fk of outgoing(s, key)) ensureForeignKeySupported(s, fk);
  ensureUniqueConstraintsIncludeColumn(s, t, column);
  ensurePoliciesSupported(t);
  for (const p of s.partitionsOf(key)) distributeHash(s, p.key, column, shardCount, false, qual(key), copyNotices, colocationId);
  if (t.relkind !== 'partitioned') copyLocalDataIntoShards(s, key, column, copyNotices);
  for (const fk of recreate) ensureForeignKeySupported(s, fk);
  if (parentGroup === undefined) distributeInTransaction(s, key, shardCount);
}

/** CreateSingleShardTable: create_distributed_table with a NULL column, or a table of a distributed schema (`tenantGroup`). */
function createSingleShardTable(s: ClusterState, key: string, colocateWith: string, tenantGroup?: number): void {
  const t = ensureCanBeCreated(s, key);
  if (s.settings['citus.shard_replication_factor'] > 1) {
    throw new CitusError('could not create single shard table: citus.shard_replication_factor is greater than 1', undefined, 'Consider setting citus.shard_replication_factor to 1 and try again');
  }
  if (s.isCitus(key) && s.kind(key) !== 'citus-local') throw new CitusError(`table "${rel(key)}" is already distributed`);
  let colocationId = tenantGroup;
  if (colocationId === undefined) {
    if (isDefault(colocateWith)) colocationId = defaultSingleShardGroup(s);
    else if (!isNone(colocateWith)) colocationId = colocateSource(s, key, undefined, colocateWith).colocationId;
  }
  ensureRelationHasNoTriggers(s, key);
  ensurePartitionParentIsCitus(s, t);
  colocationId ??= newGroup(s, { shardCount: 1, replicationFactor: s.settings['citus.shard_replication_factor'], columnType: '', collation: '' });
  markSequencesDistributed(s, key);
  s.citus.set(key, { table: key, kind: 'single-shard', colocationId, shardCount: 1 });
  for (const fk of foreignKeysOf(s, key)) ensureForeignKeySupported(s, fk);
  ensurePoliciesSupported(t);
  for (const p of s.partitionsOf(key)) createSingleShardTable(s, p.key, qual(key), colocationId);
  if (t.relkind !== 'partitioned') copyLocalDataIntoShards(s, key, undefined, true);
}

/** create_reference_table (CreateReferenceTable), of a plain or a citus local table. */
export function createReferenceTable(s: ClusterState, key: string): void {
  if (s.kind(key) === 'citus-local') {
    ensureIdentityBeforeTriggers(s, key);
    ensureRelationHasNoTriggers(s, key);
    ensureIdentityAfterTriggers(s, key);
    markSequencesDistributed(s, key);
    s.citus.set(key, { table: key, kind: 'reference', colocationId: referenceGroupId(s), shardCount: 1 });
    for (const fk of foreignKeysOf(s, key)) ensureForeignKeySupported(s, fk);
    copyLocalDataIntoShards(s, key, undefined, true);
    return;
  }
  const t = ensureCanBeCreated(s, key);
  // CreateCitusTable: with FKs between local and reference tables enabled, the
  // FKs between the new reference table and plain tables are dropped now and
  // re-created at the end, where the ALTER TABLE hook converts the plain tables.
  // The FKs it references through come first, then the ones referencing it.
  const recreate = s.localReferenceFks()
    ? [...outgoing(s, key).filter((fk) => fk.refTable !== key && s.kind(fk.refTable) === 'local'), ...incoming(s, key).filter((fk) => s.kind(fk.table) === 'local')]
    : [];
  if (s.isCitus(key)) throw new CitusError(`table "${rel(key)}" is already distributed`);
  ensureIdentityBeforeTriggers(s, key);
  ensureRelationHasNoTriggers(s, key);
  ensureIdentityAfterTriggers(s, key);
  ensurePartitionParentIsCitus(s, t);
  if (t.relkind === 'partitioned') throw new CitusError('distributing partitioned tables in only supported for hash-distributed tables');
  markSequencesDistributed(s, key);
  s.citus.set(key, { table: key, kind: 'reference', colocationId: referenceGroupId(s), shardCount: 1 });
  const pending = pendingForeignKeys(recreate);
  for (const fk of outgoing(s, key)) if (!pending.notYet(fk)) ensureForeignKeySupported(s, fk);
  ensurePoliciesSupported(t);
  copyLocalDataIntoShards(s, key, undefined, true);
  recreateForeignKeys(s, recreate, pending);
  for (const fk of foreignKeysOf(s, key)) ensureForeignKeySupported(s, fk);
}
