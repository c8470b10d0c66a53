/**
 * How a query inside a script would run on the cluster as the script has
 * built it so far: the planner's class and the number of shards it reaches.
 * The decision is the router's (../routing/classify.ts, after Citus's
 * planner/multi_router_planner.c and friends), for every query statement the
 * coordinator runs: a query it refuses fails as its statement.
 */
import type { Catalog } from '../../catalog/model.js';
import { versionAtLeast, type CitusVersion } from '../../design/version.js';
import type { Node } from '../../ingest/pg/ast.js';
import { nodeAs, qualifiedKey, qualifiedName, tagOf, walkNodes, type Statement } from '../../ingest/pg/index.js';
import { BUILTIN_VOLATILITY } from '../../workload/builtins.js';
import { extractFacts } from '../../workload/extract.js';
import type { FunctionCall, QueryFacts } from '../../workload/model.js';
import { hashOfValue } from '../hash/index.js';
import { classifyQuery, type DistributionView, type Route } from '../routing/classify.js';
import type { CitusKind } from './model.js';
import { columnFacts } from '../routing/layout.js';
import { shardIndexForHash } from '../shards.js';
import type { ClusterState } from './state.js';

const QUERIES = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** What the cluster knows of placement (a `CitusCluster` or its state). */
export type PlacementLookup = Pick<ClusterState, 'kindOf' | 'distributionColumn' | 'colocationGroupOf' | 'table' | 'info'>;

/** What routing a statement reads of the cluster. */
export type RoutingLookup = PlacementLookup & Pick<ClusterState, 'schemaForQueries' | 'setting' | 'version' | 'searchPath' | 'queryFacts'>;

/** Append and range tables: sharded on their column, each shard a range of its values (min/max). */
const isRangeSharded = (kind: CitusKind) => kind === 'append' || kind === 'range';

/**
 * The group the router joins an append or range table in. Citus never takes
 * an append table to be colocated with another (relation_restriction_equivalence.c);
 * range tables join shard by shard when their shards cover the same ranges
 * (CoPartitionedTables), which the model, without the ranges, assumes of
 * range tables of one column type.
 */
function rangeGroup(cluster: PlacementLookup, t: string): string {
  const info = cluster.info(t);
  return info.kind === 'range' ? `range:${info.columnType}` : `append:${info.table}`;
}

/** What the cluster knows of placement, as the router asks for it. */
export function clusterView(cluster: PlacementLookup): DistributionView {
  return {
    role: (t) => {
      const kind = cluster.kindOf(t);
      return isRangeSharded(kind) ? 'distributed' : kind;
    },
    column: (t) => cluster.distributionColumn(t),
    group: (t) => {
      if (isRangeSharded(cluster.kindOf(t))) return rangeGroup(cluster, t);
      const g = cluster.colocationGroupOf(t);
      return g ? String(g.id) : undefined;
    },
    shardCount: (t) => (isRangeSharded(cluster.kindOf(t)) ? cluster.info(t).shardCount : cluster.colocationGroupOf(t)?.shardCount),
    shardIndex: (t, value) => shardIndexOf(cluster, t, value),
    replicationFactor: (t) => cluster.colocationGroupOf(t)?.replicationFactor,
    ...columnFacts((t) => cluster.table(t)?.columns),
  };
}

/**
 * The shard a value of a distributed table's distribution column hashes to:
 * the type's hash on the group's uniform hash ranges (as Citus creates
 * them); undefined when the type has no known hash.
 */
function shardIndexOf(cluster: PlacementLookup, t: string, value: string): number | undefined {
  const count = cluster.colocationGroupOf(t)?.shardCount;
  const column = cluster.distributionColumn(t);
  const col = cluster.table(t)?.columns.find((c) => c.name === column);
  if (cluster.kindOf(t) !== 'distributed' || !count || !col) return undefined;
  const hash = hashOfValue(col.type, value);
  return hash === undefined ? undefined : shardIndexForHash(hash, count);
}

export interface StatementRoute {
  readonly route: Route;
  /** Shards the statement's main step reaches: 1 for a router query, the group's shard count for one that scatters. */
  readonly shards: number;
}

/** A query statement: SELECT, INSERT, UPDATE, DELETE, MERGE. */
function isQuery(node: Node | undefined): boolean {
  return QUERIES.has(tagOf(node) ?? '');
}

/**
 * #8214 (citus-rules.md §11): `SET key = other.col` is a no-op only when it
 * names the target's own key (or WHERE implies equality). Before the fix,
 * any column at the key's attribute number passed. Fixed in 12.1.10, 13.0.5,
 * 13.1.1, 13.2.1 and 14.0.
 */
function keyUpdateFixed(v: CitusVersion): boolean {
  if (versionAtLeast(v, 14)) return true;
  const fixedIn: Record<string, number> = { '12.1': 10, '13.0': 5, '13.1': 1, '13.2': 1 };
  const p = fixedIn[`${v.major}.${v.minor}`];
  return p !== undefined && v.patch >= p;
}

/** The route of a query statement; undefined for other statements, and for queries on no table (`SELECT create_distributed_table(...)`). */
export function routeStatement(cluster: RoutingLookup, stmt: Statement): StatementRoute | undefined {
  if (!isQuery(stmt.node)) return undefined;
  const catalog = cluster.schemaForQueries();
  let facts: QueryFacts;
  try {
    facts = extractFacts(catalog, stmt, cluster.searchPath ? { searchPath: cluster.searchPath } : {});
  } catch {
    return undefined;
  }
  cluster.queryFacts = facts;
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  if (!tables.length) return undefined;
  const view = clusterView(cluster);
  const attno = (t: string, c: string) => cluster.table(t)?.columns.findIndex((x) => x.name === c) ?? -1;
  let route = classifyQuery({ ...facts, functions: [...facts.functions, ...clauseVolatility(catalog, stmt.node)] }, view, {
    enableRepartitionJoins: cluster.setting('citus.enable_repartition_joins'),
    nonColocatedRouter: cluster.setting('citus.enable_non_colocated_router_query_pushdown'),
    // The script may name objects the model never saw (made by an earlier script): not the statement's error.
    existenceChecks: false,
    ...(keyUpdateFixed(cluster.version) ? {} : { keyUpdateBefore8214: { attno } }),
  });
  if (route.class === 'coordinator' || route.class === 'repartition') route = nonPushableInsertSelect(cluster, facts) ?? route;
  if (route.class !== 'error') route = insertWithoutShards(cluster, facts) ?? route;
  if (route.class === 'router') route = appendNotRouted(cluster, facts, tables) ?? route;
  const sharded = tables.filter((t) => view.role(t) === 'distributed');
  const groupShards = Math.max(0, ...sharded.map((t) => view.shardCount?.(t) ?? 0));
  let shards = 0;
  if (route.class === 'router') shards = tables.some((t) => view.role(t) !== 'local' && view.role(t) !== 'citus-local') ? 1 : 0;
  else if (route.class === 'multi-shard') {
    const inList = route.keyFilters?.find((f) => f.op === 'in');
    const known = route.shardIndexes?.length ?? route.shardCount;
    shards = known ?? (inList?.count ? Math.min(inList.count, groupShards) : groupShards || (tables.some((t) => view.role(t) === 'reference') ? 1 : 0));
  } else if (route.class === 'recursive' || route.class === 'repartition') shards = groupShards;
  return { route, shards };
}

/**
 * NonPushableInsertSelectSupported: an INSERT ... SELECT that pulls its rows
 * to the coordinator or repartitions them cannot go into an append table.
 */
function nonPushableInsertSelect(cluster: RoutingLookup, facts: QueryFacts): Route | undefined {
  const target = facts.write?.select ? facts.write.target : undefined;
  if (target === undefined || cluster.kindOf(target) !== 'append') return undefined;
  const message = 'INSERT ... SELECT into an append-distributed table is not supported';
  return { class: 'error', reason: message, error: { message } };
}

/**
 * RouterInsertTaskList: an INSERT ... VALUES into an append or range table
 * that has no shard yet finds none for its rows. (With shards, which one
 * takes a row depends on their ranges, which the model does not know.)
 */
function insertWithoutShards(cluster: RoutingLookup, facts: QueryFacts): Route | undefined {
  const target = facts.write && !facts.write.select ? facts.write.target : undefined;
  if (target === undefined || facts.kind !== 'insert' || !isRangeSharded(cluster.kindOf(target)) || cluster.info(target).shardCount) return undefined;
  const message = 'cannot run INSERT command which targets no shards';
  return { class: 'error', reason: message, error: { message, hint: 'Make sure you have created a shard which can receive this partition column value.' } };
}

/**
 * MultiRouterPlannableQuery: the router planner does not take a SELECT on an
 * append table; the logical planner runs it on the shards whose ranges
 * may hold the filtered values, which the model does not know.
 */
function appendNotRouted(cluster: RoutingLookup, facts: QueryFacts, tables: readonly string[]): Route | undefined {
  const append = tables.filter((t) => cluster.kindOf(t) === 'append');
  if (facts.kind !== 'select' || !append.length) return undefined;
  return {
    class: 'multi-shard',
    reason: 'the router planner does not take append tables: the logical planner prunes their shards by the shards\' ranges',
    unsure: append.map((t) => `the ranges of the shards of append table ${cluster.info(t).table}`),
  };
}

/**
 * Volatile calls anywhere under an UPDATE's SET values and an UPDATE's or
 * DELETE's WHERE clause, subqueries included, placed in that clause: Citus
 * checks each clause with everything under it (TargetlistAndFunctionsSupported,
 * whose FindNodeMatchingCheckFunction descends into subqueries), while the
 * facts place a call inside a subquery in the subquery's own clause.
 */
function clauseVolatility(catalog: Catalog, node: Node | undefined): FunctionCall[] {
  const update = nodeAs(node, 'UpdateStmt');
  const out: FunctionCall[] = [];
  const add = (where: 'set' | 'where', expr: Node | undefined) => {
    const name = volatileCall(catalog, expr);
    if (name) out.push({ name, volatility: 'volatile', where, inCaseOrCoalesce: false, columnArgs: false, aggregate: false, window: false });
  };
  for (const t of update?.targetList ?? []) add('set', nodeAs(t, 'ResTarget')?.val);
  add('where', (update ?? nodeAs(node, 'DeleteStmt'))?.whereClause);
  return out;
}

/** The first volatile function `expr` calls: a built-in PostgreSQL marks VOLATILE, or one of the schema's. */
function volatileCall(catalog: Catalog, expr: Node | undefined): string | undefined {
  let found: string | undefined;
  walkNodes(expr, (tag, _body, n) => {
    if (found) return false;
    const fc = tag === 'FuncCall' ? nodeAs(n, 'FuncCall') : undefined;
    if (!fc) return;
    const { schema, name } = qualifiedName(fc.funcname);
    const key = qualifiedKey(schema ?? 'public', name);
    if (BUILTIN_VOLATILITY.get(name) === 'volatile') found = `pg_catalog.${name}`;
    else if (catalog.functions[key]?.volatility === 'volatile') found = key;
  });
  return found;
}
