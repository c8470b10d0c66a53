/**
 * Schema-based sharding (commands/schema_based_sharding.c), since 12.0: with
 * citus.enable_schema_based_sharding a new schema is a distributed schema,
 * whose tables are single-shard tables in the schema's own colocation group
 * (ShouldCreateTenantSchemaTable, CreateTenantSchemaTable,
 * EnsureFKeysForTenantTable); citus_schema_distribute and
 * citus_schema_undistribute (EnsureSchemaCanBeDistributed) convert an
 * existing schema.
 */
import type { CreateSchemaStmt } from '../../ingest/pg/ast.js';
import { splitKey } from '../../ingest/pg/index.js';
import { conversionNotices } from './alter-table.js';
import { newGroup } from './colocation-utils.js';
import { CitusError } from './errors.js';
import { ensureForeignKeySupported, type FkFacts } from './foreign-constraint.js';
import { incoming, outgoing } from './foreign-key-relationship.js';
import { copyLocalDataIntoShards } from './multi-copy.js';
import type { ClusterState } from './state.js';
import { markSequencesDistributed } from './sequence.js';

const FK_FROM_TENANT = () => new CitusError('foreign keys from distributed schemas can only point to the same distributed schema or reference tables in regular schemas');
const FK_TO_TENANT = () => new CitusError('cannot create foreign keys to tables in a distributed schema from another schema');
const ILLEGAL_PARTITIONING = () => new CitusError('partitioning within a distributed schema is not supported when the parent and the child are in different schemas');
export const TENANT_INHERITANCE = () => new CitusError('tables in a distributed schema cannot inherit or be inherited');

/** The schema becomes a distributed schema, with a colocation group of its own. */
function registerTenantSchema(s: ClusterState, schema: string): number {
  const id = newGroup(s, { shardCount: 1, replicationFactor: 1, columnType: '', collation: '', tenantSchema: schema });
  s.tenantSchemas.set(schema, id);
  return id;
}

export function createSchema(s: ClusterState, body: CreateSchemaStmt): void {
  if (!s.settings['citus.enable_schema_based_sharding'] || !s.atLeast(12)) return;
  const name = body.schemaname ?? body.authrole?.rolename;
  if (!name || s.tenantSchemas.has(name)) return;
  registerTenantSchema(s, name);
}

/** citus_schema_distribute(schema): EnsureTenantTable for each table, in pg_class order. */
export function citusSchemaDistribute(s: ClusterState, schema: string): void {
  if (/^\d+$/.test(schema)) {
    s.notModelled = 'citus_schema_distribute of a schema given by OID: which schema that is, is unknown to shardwise';
    return;
  }
  const system = SYSTEM_SCHEMAS.has(schema) || TEMP_SCHEMA.test(schema) || CITUS_SCHEMAS.has(schema);
  // the regnamespace argument: PostgreSQL's error for a schema that does not exist
  if (!system && !s.builder.hasSchema(schema)) throw new CitusError(`schema "${schema}" does not exist`);
  if (s.tenantSchemas.has(schema)) {
    s.notices.push(`schema ${schema} is already distributed`);
    return;
  }
  ensureTenantSchemaNameAllowed(schema);
  if (CITUS_SCHEMAS.has(schema)) throw new CitusError(`schema ${schema}, which is owned by an extension, cannot be distributed`);
  const tables = s.byOid(s.builder.peekTables().filter((t) => t.schema === schema).map((t) => t.key)).map((k) => s.builder.peekTable(k)!);
  for (const t of tables) ensureTenantTable(s, t.key, schema, 'citus_schema_distribute');
  const id = registerTenantSchema(s, schema);
  for (const t of tables) {
    markSequencesDistributed(s, t.key);
    s.citus.set(t.key, { table: t.key, kind: 'single-shard', colocationId: id, shardCount: 1 });
    if (t.relkind !== 'partitioned') copyLocalDataIntoShards(s, t.key, undefined, true);
  }
}

/**
 * EnsureTenantTable: what a table must be to become a table of the
 * distributed schema `schema` (its own, or the one it moves to);
 * `operation` names the command in the hint.
 */
export function ensureTenantTable(s: ClusterState, key: string, schema: string, operation: string): void {
  const t = s.builder.peekTable(key)!;
  // EnsureTableKindSupportedForTenantSchema
  if (t.relkind === 'foreign') throw new CitusError('cannot create a foreign table in a distributed schema');
  const others = [...(t.partitionOf ? [t.partitionOf.parent] : []), ...s.partitionsOf(t.key).map((p) => p.key)];
  if (others.some((k) => splitKey(k).schema !== schema)) throw ILLEGAL_PARTITIONING();
  if (t.inherits.length || s.builder.peekTables().some((o) => o.inherits.includes(t.key))) throw TENANT_INHERITANCE();
  // EnsureFKeysForTenantTable
  for (const fk of outgoing(s, t.key)) {
    if (fk.refTable !== key && splitKey(fk.refTable).schema !== schema && s.kind(fk.refTable) !== 'reference') throw FK_FROM_TENANT();
  }
  for (const fk of incoming(s, t.key)) {
    if (fk.table !== key && splitKey(fk.table).schema !== schema) throw FK_TO_TENANT();
  }
  const k = s.kind(t.key);
  if (k !== 'local' && k !== 'citus-local') throw new CitusError('distributed schema cannot have distributed tables', undefined, `Undistribute distributed tables before '${operation}'.`);
}

/** ErrorIfIllegalPartitioningInTenantSchema: a partition and its parent must share their schema when one of them is in a distributed schema. */
export function ensureTenantPartitioning(s: ClusterState, parent: string, partition: string): void {
  if (s.tenantOf(parent) === undefined && s.tenantOf(partition) === undefined) return;
  if (splitKey(parent).schema !== splitKey(partition).schema) throw ILLEGAL_PARTITIONING();
}

/** Schemas every PostgreSQL database has, and its temporary ones. */
const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['public', 'information_schema', 'pg_catalog', 'pg_toast']);
const TEMP_SCHEMA = /^pg_(toast_)?temp_\d+$/;
/** The schemas the citus extension creates and owns. */
const CITUS_SCHEMAS: ReadonlySet<string> = new Set(['citus', 'citus_internal']);

/** EnsureTenantSchemaNameAllowed. */
function ensureTenantSchemaNameAllowed(schema: string): void {
  if (TEMP_SCHEMA.test(schema)) throw new CitusError('temporary schema cannot be distributed');
  if (SYSTEM_SCHEMAS.has(schema)) throw new CitusError(`${schema} schema cannot be distributed`);
}

/** citus_schema_undistribute(schema). */
export function citusSchemaUndistribute(s: ClusterState, schema: string): void {
  if (/^\d+$/.test(schema)) {
    s.notModelled = 'citus_schema_undistribute of a schema given by OID: which schema that is, is unknown to shardwise';
    return;
  }
  const id = s.tenantSchemas.get(schema);
  if (id === undefined) throw new CitusError(`schema ${schema} is not distributed`);
  for (const t of s.builder.peekTables()) {
    if (t.schema === schema) {
      conversionNotices(s, t.key);
      s.citus.delete(t.key);
    }
  }
  s.tenantSchemas.delete(schema);
  s.groups.delete(id);
}

/**
 * CREATE TABLE in a distributed schema: a single-shard table in the schema's
 * group, whose FKs may point only into the schema or at reference tables.
 */
export function createTenantSchemaTable(s: ClusterState, key: string, group: number, fks: readonly FkFacts[]): void {
  const schema = splitKey(key).schema;
  s.citus.set(key, { table: key, kind: 'single-shard', colocationId: group, shardCount: 1 });
  for (const fk of fks) {
    if (splitKey(fk.refTable).schema !== schema && s.tenantOf(fk.refTable) === undefined && s.kind(fk.refTable) === 'local') throw FK_FROM_TENANT();
  }
  for (const fk of outgoing(s, key)) ensureForeignKeySupported(s, fk);
}

/** A table outside a distributed schema cannot reference one of its tables. */
export function ensureNoForeignKeysToTenantTables(s: ClusterState, fks: readonly FkFacts[]): void {
  if (fks.some((fk) => s.tenantOf(fk.refTable) !== undefined)) throw FK_TO_TENANT();
}
