/**
 * shardwise's own prediction for the statements the cluster planned: each
 * statement as it was bound (its parameters written in as the literals
 * EXPLAIN EXECUTE used), read into query facts and routed on the design's
 * shard map over the cluster's own workers.
 */
import type { Catalog } from '../catalog/model.js';
import type { Design } from '../design/model.js';
import type { WorkloadQuery, WorkloadView } from '../ingest/workload/model.js';
import { runOnCluster, type RoutedStatement } from '../simulate/cluster-run.js';
import { buildTopology } from '../simulate/shards.js';
import { analyzeWorkload } from '../workload/extract.js';
import { viewDefinitions } from '../workload/views.js';

export interface Prediction {
  /** Per query id; a statement shardwise cannot read is absent. */
  readonly routed: ReadonlyMap<string, RoutedStatement>;
  /** Why a statement was not read, per query id. */
  readonly unread: ReadonlyMap<string, string>;
}

export function predict(
  catalog: Catalog,
  design: Design,
  workers: readonly string[],
  statements: ReadonlyArray<{ readonly query: WorkloadQuery; readonly bound: string }>,
  options: { readonly views?: readonly WorkloadView[]; readonly enableRepartitionJoins?: boolean } = {},
): Prediction {
  const nodes = workers.length
    ? workers.map((w) => {
        const colon = w.lastIndexOf(':');
        return { name: w.slice(0, colon), port: Number(w.slice(colon + 1)) };
      })
    : 1;
  const topology = buildTopology(design, { nodes });
  const queries = statements.map((s) => ({ ...s.query, sample: s.bound }));
  const workload = analyzeWorkload(catalog, queries, { views: viewDefinitions(catalog, [], options.views ?? []) });
  const sim = runOnCluster(catalog, design, topology, workload, [], undefined, { enableRepartitionJoins: options.enableRepartitionJoins ?? false });
  const unread = new Map<string, string>();
  const read = new Set(workload.queries.map((q) => q.query.id));
  for (const d of workload.diagnostics) {
    const id = statements.find((s) => !read.has(s.query.id) && d.message.includes(s.query.id))?.query.id;
    if (id) unread.set(id, d.message);
  }
  return { routed: new Map(sim.queries.map((q) => [q.id, q])), unread };
}
