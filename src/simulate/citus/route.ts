/**
 * How a query inside a script would run on the cluster as the script has
 * built it so far: the planner's class and the number of shards it reaches,
 * as the router decides it (../routing/classify.ts, after Citus's
 * planner/multi_router_planner.c and friends).
 */
import { versionAtLeast, type CitusVersion } from '../../design/version.js';
import type { Node } from '../../ingest/pg/ast.js';
import { tagOf, type Statement } from '../../ingest/pg/index.js';
import { extractFacts } from '../../workload/extract.js';
import type { QueryFacts } from '../../workload/model.js';
import { classifyQuery, type DistributionView, type Route } from '../routing/classify.js';
import type { ClusterState } from './state.js';

const QUERIES = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** What the cluster knows of placement (a `CitusCluster` or its state). */
export type PlacementLookup = Pick<ClusterState, 'kindOf' | 'distributionColumn' | 'colocationGroupOf'>;

/** What routing a statement reads of the cluster. */
export type RoutingLookup = PlacementLookup & Pick<ClusterState, 'catalog' | 'table' | 'setting' | 'version'>;

/** What the cluster knows of placement, as the router asks for it. */
export function clusterView(cluster: PlacementLookup): DistributionView {
  return {
    role: (t) => cluster.kindOf(t),
    column: (t) => cluster.distributionColumn(t),
    group: (t) => {
      const g = cluster.colocationGroupOf(t);
      return g ? String(g.id) : undefined;
    },
  };
}

export interface StatementRoute {
  readonly route: Route;
  /** Shards the statement's main step reaches: 1 for a router query, the group's shard count for one that scatters. */
  readonly shards: number;
}

/** A query statement: SELECT, INSERT, UPDATE, DELETE, MERGE. */
export function isQuery(node: Node | undefined): boolean {
  return QUERIES.has(tagOf(node) ?? '');
}

/**
 * #8214 (citus-rules.md §11): `SET key = other.col` is a no-op only when it
 * names the target's own key (or WHERE implies equality). Before the fix,
 * any column at the key's attribute number passed. Fixed in 12.1.10, 13.0.5,
 * 13.1.1, 13.2.1 and 14.0.
 */
export function keyUpdateFixed(v: CitusVersion): boolean {
  if (versionAtLeast(v, 14)) return true;
  const fixedIn: Record<string, number> = { '12.1': 10, '13.0': 5, '13.1': 1, '13.2': 1 };
  const p = fixedIn[`${v.major}.${v.minor}`];
  return p !== undefined && v.patch >= p;
}

/** The route of a query statement; undefined for other statements, and for queries on no table (`SELECT create_distributed_table(...)`). */
export function routeStatement(cluster: RoutingLookup, stmt: Statement): StatementRoute | undefined {
  if (!isQuery(stmt.node)) return undefined;
  const catalog = cluster.catalog();
  let facts: QueryFacts;
  try {
    facts = extractFacts(catalog, stmt);
  } catch {
    return undefined;
  }
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  if (!tables.length) return undefined;
  const view = clusterView(cluster);
  const attno = (t: string, c: string) => cluster.table(t)?.columns.findIndex((x) => x.name === c) ?? -1;
  const route = classifyQuery(facts, view, {
    enableRepartitionJoins: cluster.setting('citus.enable_repartition_joins'),
    ...(keyUpdateFixed(cluster.version) ? {} : { keyUpdateBefore8214: { attno } }),
  });
  const sharded = tables.filter((t) => view.role(t) === 'distributed');
  const groupShards = Math.max(0, ...sharded.map((t) => cluster.colocationGroupOf(t)?.shardCount ?? 0));
  let shards = 0;
  if (route.class === 'router') shards = tables.some((t) => view.role(t) !== 'local' && view.role(t) !== 'citus-local') ? 1 : 0;
  else if (route.class === 'multi-shard') {
    const inList = route.keyFilters?.find((f) => f.op === 'in');
    shards = inList?.count ? Math.min(inList.count, groupShards) : groupShards || (tables.some((t) => view.role(t) === 'reference') ? 1 : 0);
  } else if (route.class === 'recursive' || route.class === 'repartition') shards = groupShards;
  return { route, shards };
}
