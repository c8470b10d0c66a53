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

export function rename(s: ClusterState, body: RenameStmt): void {
  if (!body.relation) return;
  const key = s.relationKey(body.relation);
  if (body.renameType === 'OBJECT_TABCONSTRAINT') {
    const k = s.kind(key);
    if (k === 'distributed' || k === 'single-shard') throw new CitusError('renaming constraints belonging to distributed tables is currently unsupported');
  }
  if (body.renameType === 'OBJECT_TABLE') {
    const newKey = qualifiedKey(splitKey(key).schema, body.newname ?? '');
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
  if (body.renameType === 'OBJECT_COLUMN') {
    const info = s.citus.get(key);
    if (info && info.column === body.subname) info.column = body.newname;
  }
}
