/**
 * CREATE TABLE on the coordinator (commands/table.c PostprocessCreateTableStmt):
 * a partition follows its parent (PostprocessCreateTableStmtPartitionOf), a
 * table in a distributed schema becomes a single-shard table, and the FKs to
 * reference and citus local tables are re-created through the ALTER TABLE
 * hook, which converts the new table (PostprocessCreateTableStmtForeignKeys).
 * A table Citus rejects is not created.
 */
import type { Constraint, CreateStmt } from '../../ingest/pg/ast.js';
import { nodeAs, qualifiedKey, splitKey } from '../../ingest/pg/index.js';
import { recreateForeignKeys } from './citus-add-local-table-to-metadata.js';
import { CitusError, EXCLUDE_ON_PARTITIONED, NO_RELATION } from './errors.js';
import { foreignKeyOf, type FkFacts } from './foreign-constraint.js';
import { outgoing } from './foreign-key-relationship.js';
import { dropObject } from './postgres-dependency.js';
import { checkForeignKeyDefinition } from './postgres-tablecmds.js';
import { createTenantSchemaTable, ensureNoForeignKeysToTenantTables, ensureTenantPartitioning, TENANT_INHERITANCE } from './schema-based-sharding.js';
import { emptyRows } from './rows.js';
import type { CitusTableEntry, ClusterState } from './state.js';
import { isDistributedTable } from './model.js';

export function createTable(s: ClusterState, body: CreateStmt): void {
  const relname = body.relation?.relname ?? '';
  const schema = body.relation?.schemaname ?? s.builder.currentCreationSchema();
  const key = qualifiedKey(schema, relname);
  // tables, sequences, views and indexes share one namespace (pg_class)
  if (s.builder.relationNameTaken(schema, relname)) {
    if (body.if_not_exists) {
      s.notices.push(`relation "${relname}" already exists, skipping`);
      return;
    }
    throw new CitusError(`relation "${relname}" already exists`);
  }
  if (!s.atLeast(13) && body.partspec && (body.tableElts ?? []).some((e) => nodeAs(e, 'Constraint')?.contype === 'CONSTR_EXCLUSION')) {
    throw EXCLUDE_ON_PARTITIONED();
  }
  const definitions: Array<(columns: readonly string[]) => void> = [];
  const fks = foreignKeysOfCreate(s, body, key, definitions);
  const parents = (body.inhRelations ?? []).map((n) => s.relationKey(nodeAs(n, 'RangeVar')));
  if (!body.partbound && parents.length) {
    if (s.tenantSchemas.has(schema) || parents.some((p) => s.tenantOf(p) !== undefined)) throw TENANT_INHERITANCE();
    if (parents.some((p) => isDistributedTable(s.kind(p)) || s.kind(p) === 'reference')) throw new CitusError('non-distributed tables cannot inherit distributed tables');
  }
  s.applyToCatalog();
  const created = s.builder.peekTable(key);
  s.data.set(key, { rows: 0, firstNull: {}, ...(created ? { held: emptyRows(created) } : {}) });
  s.newOid(key);
  if (!created) return;
  try {
    // PostgreSQL adds the FKs once the table exists (transformFKConstraints)
    const columns = s.builder.peekTable(key)!.columns.map((c) => c.name);
    for (const check of definitions) check(columns);
    postprocessCreateTable(s, key, body, fks, parents);
  } catch (e) {
    dropObject(s, key, 'OBJECT_TABLE');
    throw e;
  }
}

/** The FKs a CREATE TABLE defines, on columns and on the table; a self-reference names the table being created. */
function foreignKeysOfCreate(s: ClusterState, body: CreateStmt, key: string, checks: Array<(columns: readonly string[]) => void> = []): FkFacts[] {
  const out: FkFacts[] = [];
  const add = (con: Constraint, cols: string[]) => {
    const pk = con.pktable;
    const pkName = pk?.relname ?? '';
    let refKey: string;
    if (pk?.schemaname) refKey = qualifiedKey(pk.schemaname, pkName);
    else if (pkName === splitKey(key).name && !s.builder.peekTable(s.builder.resolveRelation(undefined, pkName))) refKey = key;
    else refKey = s.builder.resolveRelation(undefined, pkName);
    if (refKey !== key && !s.builder.peekTable(refKey)) throw NO_RELATION(pk?.schemaname ? `${pk.schemaname}.${pkName}` : pkName);
    out.push(foreignKeyOf(s, con, key, cols, refKey));
    checks.push((columns) => checkForeignKeyDefinition(s, columns, con, cols, refKey));
  };
  for (const elt of body.tableElts ?? []) {
    const cd = nodeAs(elt, 'ColumnDef');
    const tc = nodeAs(elt, 'Constraint');
    if (cd) {
      for (const c of cd.constraints ?? []) {
        const con = nodeAs(c, 'Constraint');
        if (con?.contype === 'CONSTR_FOREIGN') add(con, [cd.colname ?? '']);
      }
    } else if (tc?.contype === 'CONSTR_FOREIGN') {
      add(tc, (tc.fk_attrs ?? []).map((x) => nodeAs(x, 'String')?.sval ?? ''));
    }
  }
  return out;
}

/** A partition's metadata, following its parent's (DistributePartitionUsingParent, CreateCitusLocalTablePartitionOf). */
export function partitionEntry(parent: CitusTableEntry, key: string): CitusTableEntry | undefined {
  switch (parent.kind) {
    case 'distributed':
      return { table: key, kind: 'distributed', column: parent.column, columnType: parent.columnType, collation: parent.collation, colocationId: parent.colocationId, shardCount: parent.shardCount };
    case 'single-shard':
      return { table: key, kind: 'single-shard', colocationId: parent.colocationId, shardCount: 1 };
    case 'citus-local':
      return { table: key, kind: 'citus-local', autoConverted: parent.autoConverted, colocationId: 0 };
    default:
      return undefined;
  }
}

function postprocessCreateTable(s: ClusterState, key: string, body: CreateStmt, fks: FkFacts[], parents: string[]): void {
  if (body.partbound && parents[0]) ensureTenantPartitioning(s, parents[0], key);
  const parent = body.partbound && parents[0] ? s.citus.get(parents[0]) : undefined;
  if (parent) {
    const entry = partitionEntry(parent, key);
    if (entry) s.citus.set(key, entry);
    return;
  }
  const tenant = s.tenantOf(key);
  if (tenant !== undefined) {
    createTenantSchemaTable(s, key, tenant, fks);
    return;
  }
  ensureNoForeignKeysToTenantTables(s, fks);
  // PostprocessCreateTableStmtForeignKeys: the FKs to reference and citus local
  // tables are dropped and re-created one by one, through the ALTER TABLE hook
  // that converts the new table (and what it is FK-connected to).
  if (!s.localReferenceFks()) return;
  recreateForeignKeys(
    s,
    outgoing(s, key).filter((fk) => fk.refTable !== key && (s.kind(fk.refTable) === 'reference' || s.kind(fk.refTable) === 'citus-local')),
  );
}
