/**
 * CREATE INDEX on a Citus table (commands/index.c PreprocessIndexStmt,
 * ErrorIfUnsupportedIndexStmt): an index whose name exists is left to
 * PostgreSQL; no TABLESPACE; a unique index on a distributed table must
 * include the distribution column. Then PostgreSQL's own checks.
 */
import type { IndexStmt } from '../../ingest/pg/ast.js';
import { nodeAs } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import { checkCreateIndex } from './postgres-index.js';
import { uniqueIndexHeld } from './row-ddl.js';
import { recordDdl } from './relation-access-tracking.js';
import type { ClusterState } from './state.js';
import { hasDistributionKey, type CitusKind } from './model.js';

export function createIndex(s: ClusterState, body: IndexStmt): void {
  // an index on a materialized view is PostgreSQL's alone
  if (s.builder.peekView(s.relationKey(body.relation))?.materialized) return;
  const t = s.mustTable(body.relation);
  const info = s.citus.get(t.key);
  const exists = !!body.idxname && s.builder.relationNameTaken(t.schema, body.idxname);
  if (info && !exists) unsupportedIndex(s, body, info);
  if (!checkCreateIndex(s, t, body)) return;
  if (info) recordDdl(s, t.key);
  uniqueIndexHeld(s, t, body);
}

/** ErrorIfUnsupportedIndexStmt. */
function unsupportedIndex(s: ClusterState, body: IndexStmt, info: { kind: CitusKind; column?: string }): void {
  if (body.tableSpace) throw new CitusError('specifying tablespaces with CREATE INDEX statements is currently unsupported');
  if (!body.unique || !hasDistributionKey(info.kind)) return;
  if (info.kind === 'append') throw new CitusError('creating unique indexes on append-partitioned tables is currently unsupported');
  if (s.settings['citus.allow_unsafe_constraints']) return;
  const cols = (body.indexParams ?? []).map((p) => nodeAs(p, 'IndexElem')?.name).filter(Boolean);
  if (!cols.includes(info.column)) throw new CitusError('creating unique indexes on non-partition columns is currently unsupported');
}
