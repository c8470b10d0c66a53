/**
 * Citus local tables (commands/citus_add_local_table_to_metadata.c): the UDF
 * citus_add_local_table_to_metadata, CreateCitusLocalTable (with
 * cascade_via_foreign_keys, every FK-connected plain table too), and the
 * auto-converted mark (UpdateAutoConvertedForConnectedRelations). Also the
 * conversion table.c makes for FKs between plain tables and reference or
 * citus local tables (ConvertPostgresLocalTablesToCitusLocalTables), which
 * runs CreateCitusLocalTable on the plain ones.
 */
import { ensureCanBeCreated } from './citus-table-checks.js';
import { errorIfUnsupportedTrigger } from './trigger.js';
import { AUTO_CONVERT_NOTICE, CitusError, COORDINATOR_NOT_IN_METADATA, INVOLVED_IN_FOREIGN_KEY, qual, rel } from './errors.js';
import { ensureForeignKeySupported, type FkFacts } from './foreign-constraint.js';
import { ensureNoPartitionWithOwnForeignKeys, fkConnected, foreignKeysOf, outgoing, pendingForeignKeys, type FkFilter } from './foreign-key-relationship.js';
import type { ClusterState } from './state.js';
import { markSequencesDistributed } from './sequence.js';

const none: FkFilter = () => false;

/** citus_add_local_table_to_metadata(table, cascade_via_foreign_keys). */
export function citusAddLocalTableToMetadata(s: ClusterState, key: string, cascade: boolean): void {
  if (!s.coordinatorInMetadata) throw COORDINATOR_NOT_IN_METADATA();
  const info = s.citus.get(key);
  if (info?.kind === 'citus-local') {
    markNotAutoConverted(s, key);
    return;
  }
  // ErrorIfUnsupportedCitusLocalTableKind, then EnsureTableNotDistributed
  const t = s.builder.peekTable(key);
  if (t && (t.inherits.length || s.builder.peekTables().some((o) => o.inherits.includes(key)))) {
    throw new CitusError(`cannot add local table "${rel(key)}" to metadata, local tables added to metadata cannot be involved in inheritance relationships`);
  }
  if (!t) throw new CitusError(`cannot add local table "${rel(key)}" to metadata, only regular tables, partitioned tables and foreign tables can be added to citus metadata `);
  if (t.persistence === 'temporary') throw new CitusError('constraints on temporary tables may reference only temporary tables');
  if (info) throw new CitusError(`table "${rel(key)}" is already distributed`);
  ensureCanBeCreated(s, key, true);
  createCitusLocalTable(s, key, false, cascade);
}

/**
 * CreateCitusLocalTable. An auto-converted table gets the NOTICE; a table
 * with FKs to or from other tables needs `cascade`, and then every
 * FK-connected plain table is converted too, each with its own NOTICE
 * (CascadeOperationForFkeyConnectedRelations runs CreateCitusLocalTable on
 * each, `key` first again). Each conversion rebuilds the table as a shell: a
 * new OID. `skip`: FKs Citus has dropped and not re-created yet.
 */
export function createCitusLocalTable(s: ClusterState, key: string, autoConverted: boolean, cascade: boolean, skip: FkFilter = none): void {
  if (!s.coordinatorInMetadata) throw COORDINATOR_NOT_IN_METADATA();
  const t = s.builder.peekTable(key)!;
  if (t.partitionOf) {
    const p = rel(t.partitionOf.parent);
    if (autoConverted) throw new CitusError('cannot build foreign key between reference table and a partition', undefined, `Try using parent table: ${p}`);
    // ErrorIfAddingPartitionTableToMetadata
    throw new CitusError(`cannot add local table ${rel(key)} to metadata since it is a partition of ${p}. Instead, add the parent table ${p} to metadata.`);
  }
  errorIfUnsupportedTrigger(s, key);
  const notice = (k: string) => {
    if (autoConverted && s.localReferenceFks()) s.notices.push(AUTO_CONVERT_NOTICE(k));
  };
  notice(key);
  const fks = foreignKeysOf(s, key).filter((fk) => fk.table !== fk.refTable && !skip(fk));
  if (fks.length && !cascade) throw INVOLVED_IN_FOREIGN_KEY(key);
  const group = fks.length ? fkConnected(s, key, skip) : [key];
  // CascadeOperationForRelationIdList over the FK-connected tables, then over each one's partitions
  if (fks.length) ensurePartitionsCanCascade(s, group);
  for (const k of group) if (s.kind(k) === 'local' && s.partitionsOf(k).length) ensurePartitionsCanCascade(s, [...s.partitionsOf(k).map((p) => p.key), k]);
  if (!s.atLeast(11, 2)) {
    // Before 11.2 the shell table could not be deparsed with identity columns.
    for (const k of group) {
      if (s.kind(k) === 'local' && s.builder.peekTable(k)?.columns.some((c) => c.identity)) {
        throw new CitusError(`cannot add ${qual(k)} to citus metadata since table has identity column`, undefined, 'Drop the identity columns and re-try the command');
      }
    }
  }
  for (const k of group) {
    if (s.kind(k) !== 'local') continue;
    if (fks.length) notice(k);
    markSequencesDistributed(s, k);
    s.citus.set(k, { table: k, kind: 'citus-local', autoConverted, colocationId: 0 });
    s.newOid(k);
    for (const p of s.partitionsOf(k)) s.citus.set(p.key, { table: p.key, kind: 'citus-local', autoConverted, colocationId: 0 });
  }
  for (const k of group) for (const fk of outgoing(s, k)) if (!skip(fk)) ensureForeignKeySupported(s, fk);
}

/** CascadeOperationForRelationIdList's checks for a citus local table (ErrorIfConvertingMultiLevelPartitionedTable, then the partitions' own FKs). */
function ensurePartitionsCanCascade(s: ClusterState, keys: readonly string[]): void {
  for (const k of keys) {
    const t = s.builder.peekTable(k);
    if (t?.relkind === 'partitioned' && t.partitionOf) {
      throw new CitusError('Citus does not support multi-level partitioned tables', `Relation "${rel(k)}" is partitioned table itself so cannot be partition of relation "${rel(t.partitionOf.parent)}".`);
    }
  }
  ensureNoPartitionWithOwnForeignKeys(s, keys);
}

/** UpdateAutoConvertedForConnectedRelations: the citus local tables FK-connected to `key` become the user's. */
function markNotAutoConverted(s: ClusterState, key: string): void {
  for (const k of fkConnected(s, key)) {
    const i = s.citus.get(k);
    if (i?.kind === 'citus-local') i.autoConverted = false;
  }
}

/**
 * ALTER TABLE ... ADD FOREIGN KEY between a plain table and a reference or
 * citus local table (table.c ConvertPostgresLocalTablesToCitusLocalTables):
 * the tables it names, in OID order, each plain one converted to a citus
 * local table together with everything FK-connected to it. They are marked
 * auto-converted unless one of them is a citus local table the user added;
 * then an auto-converted one is marked as the user's too. `skip`: FKs Citus
 * has dropped and not re-created yet.
 */
export function convertForForeignKeys(s: ClusterState, fks: readonly FkFacts[], skip: FkFilter = none): void {
  const involved = s.byOid([...fks.map((fk) => fk.refTable), ...fks.map((fk) => fk.table)]);
  const userConverted = involved.some((k) => s.citus.get(k)?.kind === 'citus-local' && !s.citus.get(k)?.autoConverted);
  for (const k of involved) {
    const info = s.citus.get(k);
    if (info?.kind === 'citus-local' && info.autoConverted && userConverted) markNotAutoConverted(s, k);
    if (info) continue;
    withConversionDetail(() => createCitusLocalTable(s, k, !userConverted, true, skip));
  }
}

/**
 * FKs Citus dropped and now re-creates one by one through the ALTER TABLE
 * hook (CREATE TABLE's PostprocessCreateTableStmtForeignKeys, and
 * create_reference_table): each converts the plain tables it connects, the
 * FKs not re-created yet left out, and is then checked.
 */
export function recreateForeignKeys(s: ClusterState, fks: readonly FkFacts[], pending = pendingForeignKeys(fks)): void {
  for (const fk of fks) {
    convertForForeignKeys(s, [fk], pending.notYet); // in ALTER TABLE's preprocessing: the FK is not there yet
    pending.done(fk);
    ensureForeignKeySupported(s, fk);
  }
}

/** Errors raised while auto-converting for an FK carry Citus's explanation. */
function withConversionDetail(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof CitusError && !e.message.startsWith('local tables')) {
      throw new CitusError(e.message, 'When adding a foreign key from a local table to a reference table, Citus applies a conversion to all the local tables in the foreign key graph', e.hint);
    }
    throw e;
  }
}
