/**
 * How a query inside a script would run on the cluster as the script has
 * built it so far: the planner's class and the number of shards it reaches.
 */
import { quoteIdent, type Statement } from '../../ingest/pg/index.js';
import { extractFacts } from '../../workload/extract.js';
import { classifyQuery, type DistributionView, type Route } from '../routing/classify.js';
import { keyUpdateFixed, type CitusCluster } from './cluster.js';

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** What the cluster knows of placement, as the router asks for it. */
export function clusterView(cluster: CitusCluster): DistributionView {
  return {
    role: (t) => cluster.kindOf(t),
    column: (t) => cluster.distributionColumn(t),
    group: (t) => {
      const g = cluster.colocationGroupOf(t);
      return g ? String(g.id) : undefined;
    },
    shardCount: (t) => cluster.colocationGroupOf(t)?.shardCount,
    hasDefault: (t, c) => {
      const col = cluster.table(t)?.columns.find((x) => x.name === c);
      return !!col && (col.default !== undefined || col.identity !== undefined || col.serial);
    },
  };
}

export interface StatementRoute {
  readonly route: Route;
  /** Shards the statement's main step reaches: 1 for a router query, the group's shard count for one that scatters. */
  readonly shards: number;
}

/** The route of a query statement (SELECT, INSERT, UPDATE, DELETE, MERGE); undefined for other statements. */
export function routeStatement(cluster: CitusCluster, stmt: Statement): StatementRoute | undefined {
  const kind = stmt.node ? Object.keys(stmt.node)[0] : '';
  if (!DML.has(kind)) return undefined;
  let facts;
  try {
    // Unqualified names resolve by the session's search_path, as the script has set it.
    facts = extractFacts(cluster.catalog(), stmt, { resolveRelation: (name) => cluster.resolve(quoteIdent(name)) });
  } catch {
    return undefined;
  }
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  if (!tables.length) return undefined; // SELECT create_distributed_table(...), SELECT 1: no query on a table
  const view = clusterView(cluster);
  const attno = (t: string, c: string) => cluster.table(t)?.columns.findIndex((x) => x.name === c) ?? -1;
  const route = classifyQuery(facts, view, {
    enableRepartitionJoins: cluster.setting('citus.enable_repartition_joins'),
    // The script may name objects the model never saw (made by an earlier script): not the statement's error.
    existenceChecks: false,
    ...(keyUpdateFixed(cluster.version) ? {} : { keyUpdateBefore8214: { attno } }),
  });
  const sharded = tables.filter((t) => view.role(t) === 'distributed');
  const groupShards = Math.max(0, ...sharded.map((t) => cluster.colocationGroupOf(t)?.shardCount ?? 0));
  let shards = 0;
  if (route.class === 'router') shards = tables.some((t) => view.role(t) !== 'local' && view.role(t) !== 'citus-local') ? 1 : 0;
  else if (route.class === 'multi-shard') {
    const inList = route.keyFilters?.find((f) => f.op === 'in');
    const known = route.shardIndexes?.length ?? route.shardCount;
    shards = known ?? (inList?.count ? Math.min(inList.count, groupShards) : groupShards || (tables.some((t) => view.role(t) === 'reference') ? 1 : 0));
  } else if (route.class === 'recursive' || route.class === 'repartition') shards = groupShards;
  return { route, shards };
}
