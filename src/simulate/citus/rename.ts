/**
 * ALTER TABLE ... RENAME on Citus tables (commands/rename.c
 * PreprocessRenameStmt, ErrorIfUnsupportedRenameStmt): constraints of
 * distributed tables cannot be renamed; a renamed table or distribution
 * column keeps its metadata under the new name.
 */
import type { RenameStmt } from '../../ingest/pg/ast.js';
import { qualifiedKey, splitKey } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import type { ClusterState } from './state.js';
import { isDistributedTable } from './model.js';

export function rename(s: ClusterState, body: RenameStmt): void {
  if (body.renameType === 'OBJECT_SCHEMA') return renameSchema(s, body.subname ?? '', body.newname ?? '');
  if (!body.relation) return;
  const key = s.relationKey(body.relation);
  if (body.renameType === 'OBJECT_TABCONSTRAINT') {
    const k = s.kind(key);
    if (isDistributedTable(k)) throw new CitusError('renaming constraints belonging to distributed tables is currently unsupported');
  }
  if (body.renameType === 'OBJECT_TABLE') moveTable(s, key, qualifiedKey(splitKey(key).schema, body.newname ?? ''));
  if (body.renameType === 'OBJECT_COLUMN') {
    const info = s.citus.get(key);
    if (info && info.column === body.subname) info.column = body.newname;
  }
}

/** A table renamed or moved to another schema keeps its OID, its Citus metadata and its rows under the new key. */
export function moveTable(s: ClusterState, key: string, newKey: string): void {
  const oid = s.oids.get(key);
  if (oid !== undefined) {
    s.oids.delete(key);
    s.oids.set(newKey, oid);
  }
  const info = s.citus.get(key);
  if (info) {
    s.citus.delete(key);
    s.citus.set(newKey, { ...info, table: newKey });
  }
  const d = s.data.get(key);
  if (d) {
    s.data.delete(key);
    s.data.set(newKey, d);
  }
}

/** ALTER SCHEMA ... RENAME TO: its tables, and a distributed schema's registration (pg_dist_schema holds the OID), follow. */
function renameSchema(s: ClusterState, from: string, to: string): void {
  if (!s.builder.hasSchema(from) || s.builder.hasSchema(to)) return;
  const keys = new Set([...s.oids.keys(), ...s.citus.keys(), ...s.data.keys()].filter((k) => splitKey(k).schema === from));
  for (const k of keys) moveTable(s, k, qualifiedKey(to, splitKey(k).name));
  const group = s.tenantSchemas.get(from);
  if (group === undefined) return;
  s.tenantSchemas.delete(from);
  s.tenantSchemas.set(to, group);
  const g = s.groups.get(group);
  if (g) s.groups.set(group, { ...g, tenantSchema: to });
}
