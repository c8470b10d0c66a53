/**
 * DROP TABLE of plain and Citus tables (commands/table.c PreprocessDropTableStmt,
 * then citus_drop_trigger, which removes the metadata:
 * commands/drop_distributed_table.c), with PostgreSQL's dependency check;
 * a dropped table that had constraints may leave citus local tables
 * disconnected from reference tables (utility_hook.c). DROP FUNCTION /
 * PROCEDURE forgets the routines.
 */
import type { DropStmt } from '../../ingest/pg/ast.js';
import { objectNames, qualifiedKey } from '../../ingest/pg/index.js';
import { disconnectedCitusLocals, takeOutOfMetadata } from './alter-table.js';
import { CitusError } from './errors.js';
import { incoming } from './foreign-key-relationship.js';
import { dropFunctions } from './function.js';
import { dropCasts } from './postgres-cast.js';
import { dropDependents } from './postgres-dependency.js';
import { constraintNames } from './postgres-tablecmds.js';
import { checkDropIndex, namedIndex } from './postgres-index.js';
import { recordDdl, recordDrop } from './relation-access-tracking.js';
import type { ClusterState } from './state.js';

export function drop(s: ClusterState, body: DropStmt): void {
  const tables: string[] = [];
  let dropViews = () => {};
  if (body.removeType === 'OBJECT_TABLE' || body.removeType === 'OBJECT_FOREIGN_TABLE') {
    for (const obj of body.objects ?? []) {
      const parts = objectNames(obj);
      const name = parts[parts.length - 1];
      const key = parts.length > 1 ? qualifiedKey(parts[parts.length - 2], name) : s.builder.resolveRelation(undefined, parts[0]);
      if (!s.builder.peekTable(key)) {
        if (body.missing_ok) {
          s.notices.push(`table "${name}" does not exist, skipping`);
          continue;
        }
        throw new CitusError(`table "${name}" does not exist`);
      }
      tables.push(key, ...s.partitionsOf(key).map((p) => p.key));
    }
    const named = tables.filter((k) => {
      const parent = s.builder.peekTable(k)?.partitionOf?.parent;
      return !parent || !tables.includes(parent);
    });
    dropViews = dropDependents(s, tables, named, body.behavior === 'DROP_CASCADE');
  }
  if (body.removeType === 'OBJECT_INDEX') dropIndex(s, body);
  const schemas = body.removeType === 'OBJECT_SCHEMA' ? dropSchemas(s, body) : [];
  for (const schema of schemas) tables.push(...s.builder.peekTables().filter((t) => t.schema === schema).map((t) => t.key));
  if (body.removeType === 'OBJECT_CAST') dropCasts(s, body.objects);
  if (body.removeType === 'OBJECT_PROCEDURE' || body.removeType === 'OBJECT_FUNCTION' || body.removeType === 'OBJECT_ROUTINE') dropFunctions(s, body.objects);
  // A dropped Citus table that had constraints (or FKs to it, dropped by CASCADE): citus_drop_trigger reports a dropped table constraint.
  const gone = new Set(tables);
  const dropsConstraint = tables.some((k) => constraintNames(s.builder.peekTable(k)!).size > 0 || incoming(s, k).length > 0);
  const undistribute = dropsConstraint && tables.some((k) => s.isCitus(k)) ? disconnectedCitusLocals(s, gone, () => false) : [];
  dropViews();
  // citus_drop_trigger drops the shards after PostgreSQL dropped the table: an access without its name
  recordDrop(s, tables);
  s.applyToCatalog();
  for (const k of tables) {
    s.citus.delete(k);
    s.data.delete(k);
    s.oids.delete(k);
  }
  for (const k of undistribute) takeOutOfMetadata(s, k);
  for (const schema of schemas) {
    const group = s.tenantSchemas.get(schema);
    s.tenantSchemas.delete(schema);
    if (group !== undefined) s.groups.delete(group);
  }
}

/**
 * DROP INDEX (commands/index.c PreprocessDropIndexStmt): with an index of a
 * Citus table among them, one index per command; then PostgreSQL's checks.
 */
function dropIndex(s: ClusterState, body: DropStmt): void {
  const citusIndex = (body.objects ?? []).map((o) => namedIndex(s, o)).find((f) => f && s.isCitus(f.table.key));
  if (citusIndex) {
    if ((body.objects ?? []).length > 1) throw new CitusError('cannot drop multiple distributed objects in a single command', undefined, 'Try dropping each object in a separate DROP command.');
    recordDdl(s, citusIndex.table.key);
  }
  checkDropIndex(s, body);
}

/** DROP SCHEMA: PostgreSQL's existence and dependency checks; the schemas that go. */
function dropSchemas(s: ClusterState, body: DropStmt): string[] {
  const out: string[] = [];
  for (const obj of body.objects ?? []) {
    const name = objectNames(obj).pop() ?? '';
    if (!s.builder.hasSchema(name)) {
      if (body.missing_ok) {
        s.notices.push(`schema "${name}" does not exist, skipping`);
        continue;
      }
      throw new CitusError(`schema "${name}" does not exist`);
    }
    if (body.behavior !== 'DROP_CASCADE' && s.builder.schemaHolds(name)) throw new CitusError(`cannot drop schema ${name} because other objects depend on it`, undefined, 'Use DROP ... CASCADE to drop the dependent objects too.');
    out.push(name);
  }
  return out;
}
