/**
 * CLUSTER on a Citus table (commands/cluster.c PreprocessClusterStmt): a
 * partitioned table or a CLUSTER without a table is not propagated (Citus
 * only warns); VERBOSE is refused; otherwise the command runs on every
 * shard. PostgreSQL's own lookups first: the table, then its index.
 */
import type { ClusterStmt } from '../../ingest/pg/ast.js';
import { nodeAs } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import { recordDdl } from './relation-access-tracking.js';
import type { ClusterState } from './state.js';

export function cluster(s: ClusterState, body: ClusterStmt): void {
  if (!body.relation) return;
  const t = s.mustTable(body.relation);
  const propagated = s.isCitus(t.key) && t.relkind !== 'partitioned';
  if (propagated && (body.params ?? []).some((p) => nodeAs(p, 'DefElem')?.defname === 'verbose')) {
    throw new CitusError('cannot run CLUSTER command', 'VERBOSE option is currently unsupported for distributed tables.');
  }
  if (body.indexname && !t.indexes.some((i) => i.name === body.indexname)) throw new CitusError(`index "${body.indexname}" for table "${t.name}" does not exist`);
  if (propagated) recordDdl(s, t.key);
}
