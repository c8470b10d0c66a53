/**
 * A design on a simulated cluster: the shard map, where the data lands, how
 * every query of the workload routes (class, reason, shard tasks), whether
 * each transaction stays on one shard, and the weighted summary. Pure: the
 * caller reads the inputs and places the data.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import type { Design } from '../design/model.js';
import type { WorkloadTransaction } from '../ingest/workload/model.js';
import type { Workload } from '../workload/model.js';
import type { DataPlacement } from './placement.js';
import { classifyQuery, type CitusError, type DistributionView, type RouteClass, type TableRole } from './routing/classify.js';
import { ShardRouter, type ShardTask } from './routing/router.js';
import { withShards } from './routing/shard-view.js';
import type { Topology } from './shards.js';

export const ROUTE_CLASSES: readonly RouteClass[] = ['router', 'multi-shard', 'repartition', 'recursive', 'coordinator', 'error'];

export interface RoutedStatement {
  readonly id: string;
  /** The statement as routed (the sample with real values when the workload had one). */
  readonly sql: string;
  readonly weight: number;
  readonly label?: string;
  readonly class: RouteClass;
  readonly reason: string;
  readonly error?: CitusError;
  readonly needsRepartitionGuc?: boolean;
  /** What the routing model could not read in the statement: its class is a guess. */
  readonly unsure?: string[];
  /** Shards the main step touches. */
  readonly shards: number;
  /** Colocation group and shard index a single-shard statement is pinned to. */
  readonly pin?: { readonly colocationId: number; readonly index?: number; readonly by?: string };
  readonly tasks: ShardTask[];
}

export interface TransactionRoute {
  readonly label?: string;
  readonly queries: string[];
  readonly weight: number;
  readonly count: number;
  readonly committed: boolean;
  readonly singleShard: boolean;
  /** True when the verdict assumes that the `$n` keys of its statements carry one value. */
  readonly assumesOneKey: boolean;
  /** The distribution columns whose `$n` values that assumption is about (`table.column`), sorted. */
  readonly keyParameters: string[];
  /** Statements that take the transaction off one shard, with why. */
  readonly crossing: Array<{ readonly id: string; readonly why: string }>;
}

export interface SimulationSummary {
  readonly queries: number;
  readonly totalWeight: number;
  /** Weighted share of the workload per class. */
  readonly shares: Record<RouteClass, number>;
  /** Weighted share of queries that run on one shard (router). */
  readonly singleShardShare: number;
  /** Weighted share of the transaction mix that stays on one shard; absent without transactions. */
  readonly transactionSingleShardShare?: number;
  readonly transactions: number;
  /** Queries that need a repartition join (planned, or refused without citus.enable_repartition_joins). */
  readonly repartitionJoins: number;
  /** Largest per-table shard imbalance and the worker imbalance, when data was placed. */
  readonly maxTableImbalance?: number;
  readonly nodeImbalance?: number;
}

export interface ClusterSimulation {
  readonly citus: string;
  readonly nodes: string[];
  readonly shardCount: number;
  readonly tables: Array<{ readonly table: string; readonly kind: string; readonly column?: string; readonly colocationId: number; readonly shards: number }>;
  readonly placement?: DataPlacement;
  readonly queries: RoutedStatement[];
  readonly transactions: TransactionRoute[];
  readonly summary: SimulationSummary;
  /** The migration to this design (what `shardwise migrate` writes) and its rollback, run on the Citus model. */
  readonly migration?: { readonly steps: number; readonly rollbackSteps: number; readonly failures: string[] };
}

export interface ClusterRunOptions {
  readonly enableRepartitionJoins?: boolean;
}

/** How the planner sees a design: roles, columns and colocation groups from the topology. */
export function designView(catalog: Catalog, design: Design, topology: Topology): DistributionView {
  const byKey = new Map(topology.tables.map((t) => [t.key, t]));
  const root = (t: string): string => partitionRoot(catalog, t);
  return {
    role(t: string): TableRole {
      const d = design.tables[root(t)];
      if (!d) return 'local';
      return d.kind;
    },
    column: (t) => design.tables[root(t)]?.column,
    group: (t) => {
      const tt = byKey.get(root(t));
      return tt ? String(tt.colocationId) : undefined;
    },
  };
}

export function runOnCluster(
  catalog: Catalog,
  design: Design,
  topology: Topology,
  workload: Workload | undefined,
  transactions: readonly WorkloadTransaction[],
  placement: DataPlacement | undefined,
  options: ClusterRunOptions = {},
): ClusterSimulation {
  const view = withShards(designView(catalog, design, topology), catalog, topology);
  const router = new ShardRouter({ catalog, topology });
  const routing = { enableRepartitionJoins: options.enableRepartitionJoins ?? false };
  const queries: RoutedStatement[] = [];
  for (const q of workload?.queries ?? []) {
    const route = classifyQuery(q.facts, view, routing);
    const sql = q.query.sample || q.query.sql;
    const r = router.route(sql, q.facts, route);
    queries.push({
      id: q.query.id,
      sql,
      weight: q.query.weight,
      ...(q.query.label !== undefined ? { label: q.query.label } : {}),
      class: route.class,
      reason: route.reason,
      ...(route.error ? { error: route.error } : {}),
      ...(route.needsRepartitionGuc ? { needsRepartitionGuc: true } : {}),
      ...(route.unsure?.length ? { unsure: route.unsure } : {}),
      shards: r.shardCount,
      ...(r.pin ? { pin: r.pin } : {}),
      tasks: r.tasks,
    });
  }
  queries.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(queries.map((q) => [q.id, q]));
  const txns = transactions.map((t) => transactionRoute(t, byId)).filter((t): t is TransactionRoute => !!t);

  const totalWeight = queries.reduce((s, q) => s + q.weight, 0);
  const shares = Object.fromEntries(ROUTE_CLASSES.map((c) => [c, 0])) as Record<RouteClass, number>;
  for (const q of queries) if (totalWeight > 0) shares[q.class] += q.weight / totalWeight;
  for (const c of ROUTE_CLASSES) shares[c] = round(shares[c]);
  const txWeight = txns.reduce((s, t) => s + t.weight, 0);
  const summary: SimulationSummary = {
    queries: queries.length,
    totalWeight: round(totalWeight),
    shares,
    singleShardShare: shares.router,
    ...(txns.length && txWeight > 0 ? { transactionSingleShardShare: round(txns.filter((t) => t.singleShard).reduce((s, t) => s + t.weight, 0) / txWeight) } : {}),
    transactions: txns.length,
    repartitionJoins: queries.filter((q) => q.class === 'repartition' || q.needsRepartitionGuc).length,
    ...(placement
      ? {
          maxTableImbalance: round(Math.max(0, ...placement.tables.filter((t) => t.kind === 'distributed' && t.rows > 0).map((t) => t.imbalance))),
          nodeImbalance: round(placement.nodeImbalance),
        }
      : {}),
  };
  return {
    citus: design.citus,
    nodes: topology.nodes.map((n) => n.id),
    shardCount: topology.shardCount,
    tables: topology.tables.map((t) => ({ table: t.key, kind: t.kind, ...(t.column ? { column: t.column } : {}), colocationId: t.colocationId, shards: t.shards.length })),
    ...(placement ? { placement } : {}),
    queries,
    transactions: txns,
    summary,
  };
}

/**
 * A transaction stays on one shard when every statement is a router query
 * (reference-table reads included) and the ones pinned to a shard are pinned
 * to the same shard group. Statements whose shard a `$n` decides are taken
 * to carry the transaction's key; the verdict says so.
 */
function transactionRoute(t: WorkloadTransaction, byId: Map<string, RoutedStatement>): TransactionRoute | undefined {
  const stmts = t.queries.map((id) => byId.get(id)).filter((q): q is RoutedStatement => !!q);
  if (!stmts.length) return undefined;
  const crossing: Array<{ id: string; why: string }> = [];
  let group: number | undefined;
  let index: number | undefined;
  let assumes = false;
  const keys = new Set<string>();
  const seen = new Set<string>();
  for (const q of stmts) {
    if (seen.has(q.id)) continue;
    seen.add(q.id);
    if (q.class !== 'router') {
      crossing.push({ id: q.id, why: q.class === 'error' ? `fails: ${q.error?.message ?? q.reason}` : `${q.class}: ${q.reason}` });
      continue;
    }
    if (!q.pin) continue;
    if (group === undefined) group = q.pin.colocationId;
    else if (group !== q.pin.colocationId) {
      crossing.push({ id: q.id, why: `pinned to colocation group ${q.pin.colocationId}, the transaction to group ${group}` });
      continue;
    }
    if (q.pin.index === undefined) {
      assumes = true;
      for (const k of q.pin.by?.split(', ') ?? []) keys.add(k);
      continue;
    }
    if (index === undefined) index = q.pin.index;
    else if (index !== q.pin.index) crossing.push({ id: q.id, why: `its key value hashes to shard index ${q.pin.index}, the transaction's earlier statements to ${index}` });
  }
  return {
    ...(t.label !== undefined ? { label: t.label } : {}),
    queries: t.queries,
    weight: t.weight ?? t.count,
    count: t.count,
    committed: t.committed,
    singleShard: crossing.length === 0,
    assumesOneKey: assumes && crossing.length === 0,
    keyParameters: [...keys].sort(),
    crossing,
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
