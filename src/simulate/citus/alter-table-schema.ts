/**
 * ALTER TABLE ... SET SCHEMA (commands/table.c PreprocessAlterTableSchemaStmt,
 * ConvertToTenantTableIfNecessary, over PostgreSQL's AlterTableNamespace):
 * the table and its schema must exist, then the new schema; a table leaves a
 * distributed schema undistributed (EnsureUndistributeTenantTableSafe), and
 * one moved into a distributed schema becomes its single-shard table
 * (EnsureTenantTable). A Citus table keeps its metadata under its new name.
 */
import type { AlterObjectSchemaStmt } from '../../ingest/pg/ast.js';
import { qualifiedKey } from '../../ingest/pg/index.js';
import { CitusError, NO_RELATION, rel } from './errors.js';
import { foreignKeysOf } from './foreign-key-relationship.js';
import { moveTable } from './rename.js';
import { ensureTenantTable, createTenantSchemaTable } from './schema-based-sharding.js';
import type { ClusterState } from './state.js';

const SET_SCHEMA = 'set schema';

export function alterTableSchema(s: ClusterState, body: AlterObjectSchemaStmt): void {
  const rv = body.relation;
  if (!rv || (body.objectType !== 'OBJECT_TABLE' && body.objectType !== 'OBJECT_FOREIGN_TABLE')) return s.applyToCatalog();
  const skip = () => s.notices.push(`relation "${rv.relname}" does not exist, skipping`);
  if (rv.schemaname && !s.builder.hasSchema(rv.schemaname)) {
    if (body.missing_ok) return void skip();
    throw new CitusError(`schema "${rv.schemaname}" does not exist`);
  }
  const key = s.relationKey(rv);
  const t = s.builder.peekTable(key);
  // a view or sequence named by ALTER TABLE: PostgreSQL's alone
  if (!t && (s.builder.peekView(key) || s.builder.peekSequence(key))) return s.applyToCatalog();
  if (!t) {
    if (body.missing_ok) return void skip();
    throw NO_RELATION(rv.schemaname ? `${rv.schemaname}.${rv.relname}` : (rv.relname ?? ''));
  }
  const target = body.newschema ?? '';
  if (!s.builder.hasSchema(target)) throw new CitusError(`schema "${target}" does not exist`);
  if (target === t.schema) return s.applyToCatalog();
  if (s.tenantOf(key) !== undefined && s.kind(key) === 'single-shard') {
    ensureUndistributeTenantTableSafe(s, key);
    s.notices.push(`undistributing table ${rv.relname} in distributed schema ${t.schema} before altering its schema`);
    s.citus.delete(key);
  }
  // ConvertToTenantTableIfNecessary runs after PostgreSQL moved the table; its checks come first here, so that a refusal changes nothing
  const group = s.tenantSchemas.get(target);
  const toTenant = group !== undefined && s.kind(key) !== 'single-shard';
  if (toTenant) ensureTenantTable(s, key, target, 'ALTER TABLE SET SCHEMA');
  s.applyToCatalog();
  const newKey = qualifiedKey(target, t.name);
  moveTable(s, key, newKey);
  if (toTenant) {
    s.notices.push(`Moving ${rv.relname} into distributed schema ${target}`);
    createTenantSchemaTable(s, newKey, group, []);
  }
}

/** EnsureUndistributeTenantTableSafe for SET SCHEMA: not a partition, and no FKs with other single-shard tables. */
function ensureUndistributeTenantTableSafe(s: ClusterState, key: string): void {
  const t = s.builder.peekTable(key)!;
  if (t.partitionOf) {
    throw new CitusError(
      `${SET_SCHEMA} is not allowed for partition table ${rel(key)} in distributed schema ${t.schema}`,
      'partition table should be under the same distributed schema as its parent and be a distributed schema table.',
    );
  }
  const withSingleShard = foreignKeysOf(s, key).some((fk) => fk.table !== fk.refTable && [fk.table, fk.refTable].some((k) => k !== key && s.kind(k) === 'single-shard'));
  if (withSingleShard) {
    throw new CitusError(`${SET_SCHEMA} is not allowed for table ${rel(key)} in distributed schema ${t.schema}`, 'distributed schemas cannot have foreign keys from/to local tables or different schema');
  }
}
