/**
 * undistribute_table and alter_distributed_table (commands/alter_table.c):
 * UndistributeTable and AlterDistributedTable's checks, then ConvertTable,
 * which rebuilds the table (a new OID, progress NOTICEs) and, with
 * cascade_via_foreign_keys, does the same to every FK-connected Citus table
 * (CascadeOperationForFkeyConnectedRelations). Also the end of a command
 * that dropped a constraint (utility_hook.c UndistributeDisconnectedCitusLocalTables),
 * which undistributes citus local tables no longer connected to a reference table.
 */
import { ensureNoIdentityForConversion } from './citus-table-checks.js';
import { distributeHash } from './create-distributed-table.js';
import { CitusError, qual, REMOVED_FROM_METADATA_NOTICE, rel } from './errors.js';
import { ensureNoPartitionWithOwnForeignKeys, fkConnected, foreignKeysOf, incoming, outgoing, type FkFilter } from './foreign-key-relationship.js';
import { isGiven, type Arg } from './postgres-parse-func.js';
import type { ClusterState } from './state.js';

const none: FkFilter = () => false;

/** undistribute_table(table, cascade_via_foreign_keys). */
export function undistributeTable(s: ClusterState, key: string, cascade: boolean): void {
  const info = s.citus.get(key);
  if (!info) throw new CitusError('cannot undistribute table because the table is not distributed');
  if (s.tenantOf(key) !== undefined && info.kind === 'single-shard') {
    throw new CitusError(`${qual(key)} is not allowed for undistribute_table because it belongs to a distributed schema`);
  }
  const hint = `Use cascade option to undistribute all the relations involved in a foreign key relationship with ${qual(key)} by executing SELECT undistribute_table($$${qual(key)}$$, cascade_via_foreign_keys=>true)`;
  if (!cascade) {
    if (outgoing(s, key).some((fk) => fk.refTable !== key)) throw new CitusError(`cannot complete operation because table ${rel(key)} has a foreign key`, undefined, hint);
    if (incoming(s, key).length) throw new CitusError(`cannot complete operation because table ${rel(key)} is referenced by a foreign key`, undefined, hint);
  }
  const t = s.builder.peekTable(key)!;
  if (t.partitionOf) throw new CitusError('cannot complete operation because table is a partition', undefined, `the parent table is "${rel(t.partitionOf.parent)}"`);
  ensureNoPartitionWithOwnForeignKeys(s, s.partitionsOf(key).map((p) => p.key));
  for (const k of undistribution(s, key, cascade, false)) takeOutOfMetadata(s, k);
}

/**
 * UndistributeTable from its identity check on: ConvertTable refuses identity
 * columns (ErrorIfTableHasIdentityColumn, since 11.2.1); with
 * cascade_via_foreign_keys and FKs, ConvertTableInternal undistributes each
 * FK-connected Citus table in turn, each with its own identity check and
 * progress NOTICEs, which only the top call can suppress. Returns the tables
 * to take out of the metadata, in order. `skip`: FKs the current command drops.
 */
function undistribution(s: ClusterState, key: string, cascade: boolean, suppressNotices: boolean, skip: FkFilter = none): string[] {
  ensureNoIdentityForConversion(s, s.builder.peekTable(key)!);
  const hasFks = foreignKeysOf(s, key).some((fk) => fk.table !== fk.refTable && !skip(fk));
  if (!cascade || !hasFks) {
    if (!suppressNotices) conversionNotices(s, key);
    return [key];
  }
  const all = fkConnected(s, key, skip);
  ensureNoPartitionWithOwnForeignKeys(s, all);
  const connected = all.filter((k) => s.isCitus(k));
  const targets = connected.filter((k) => !connected.includes(s.builder.peekTable(k)?.partitionOf?.parent ?? ''));
  for (const k of targets) {
    ensureNoIdentityForConversion(s, s.builder.peekTable(k)!);
    conversionNotices(s, k);
  }
  return targets;
}

/** The table (and its partitions) becomes a plain table again: rebuilt, so a new OID. */
export function takeOutOfMetadata(s: ClusterState, key: string): void {
  s.citus.delete(key);
  s.newOid(key);
  for (const p of s.partitionsOf(key)) {
    s.citus.delete(p.key);
    s.newOid(p.key);
  }
}

/** ConvertTable's progress NOTICEs. */
export function conversionNotices(s: ClusterState, key: string): void {
  const q = qual(key);
  s.notices.push(`creating a new table for ${q}`, `moving the data of ${q}`, `dropping the old ${q}`, `renaming the new table to ${q}`);
}

/**
 * UndistributeDisconnectedCitusLocalTables (utility_hook.c). At the end of a
 * top-level command that dropped a table constraint (citus_drop_trigger calls
 * notify_constraint_dropped), with FKs between local and reference tables on
 * (ShouldCheckUndistributeCitusLocalTables: the setting, and the coordinator
 * in the metadata), Citus takes each auto-converted citus local table, in
 * OID order, that is no longer FK-connected to a reference table, prints a
 * NOTICE and undistributes it with cascade_via_foreign_keys, its own
 * progress NOTICEs suppressed (those of the FK-connected tables it cascades
 * to are not). The undistribution refuses identity columns (alter_table.c
 * ConvertTable -> ErrorIfTableHasIdentityColumn), which fails the whole command.
 *
 * Called before the command's catalog change is applied, so that a failure
 * leaves the catalog as it was: `goneTables` and `goneFk` say what the
 * command drops. Returns the tables to take out of the metadata once it is applied.
 */
export function disconnectedCitusLocals(s: ClusterState, goneTables: ReadonlySet<string>, goneFk: FkFilter): string[] {
  if (!s.localReferenceFks()) return [];
  const skip = (fk: Parameters<FkFilter>[0]) => goneTables.has(fk.table) || goneTables.has(fk.refTable) || goneFk(fk);
  const out: string[] = [];
  const locals = s.byOid([...s.citus.values()].filter((i) => i.kind === 'citus-local').map((i) => i.table));
  for (const k of locals) {
    const t = s.builder.peekTable(k);
    if (!t || goneTables.has(k) || out.includes(k) || t.partitionOf || !s.citus.get(k)?.autoConverted) continue;
    const group = fkConnected(s, k, skip);
    if (group.some((g) => s.kind(g) === 'reference')) continue;
    s.notices.push(REMOVED_FROM_METADATA_NOTICE(k));
    out.push(...undistribution(s, k, true, true, skip).filter((g) => !out.includes(g)));
  }
  return out;
}
