/**
 * CREATE INDEX on a Citus table (commands/index.c PreprocessIndexStmt,
 * ErrorIfUnsupportedIndexStmt): a unique index on a distributed table must
 * include the distribution column.
 */
import type { IndexStmt } from '../../ingest/pg/ast.js';
import { nodeAs } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import { uniqueIndexHeld } from './row-ddl.js';
import { recordDdl } from './relation-access-tracking.js';
import type { ClusterState } from './state.js';

export function createIndex(s: ClusterState, body: IndexStmt): void {
  // an index on a materialized view is PostgreSQL's alone
  if (s.builder.peekView(s.relationKey(body.relation))?.materialized) return;
  const t = s.mustTable(body.relation);
  const info = s.citus.get(t.key);
  if (info) recordDdl(s, t.key);
  uniqueIndexHeld(s, t, body);
  if (!body.unique || info?.kind !== 'distributed' || s.settings['citus.allow_unsafe_constraints']) return;
  const cols = (body.indexParams ?? []).map((p) => nodeAs(p, 'IndexElem')?.name).filter(Boolean);
  if (!cols.includes(info.column)) throw new CitusError('creating unique indexes on non-partition columns is currently unsupported');
}
