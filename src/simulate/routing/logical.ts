/**
 * Citus's logical planner (MultiLogicalPlanCreate), for what neither the
 * router planner nor recursive planning settled: the subquery pushdown
 * path (SubqueryMultiNodeTree, then QueryPushdownSqlTaskList's colocation
 * check and tasks) or the join-order planner (MultiNodeTree, JoinOrderList),
 * whose joins are local (colocated, on the keys), with a reference table,
 * repartitioned, or Cartesian products.
 */
import { splitKey } from '../../ingest/pg/names.js';
import type { Equivalence } from './equivalence.js';
import type { Layout } from './layout.js';
import { joinType } from './prep.js';
import type { Pruned } from './pruning.js';
import { ERR, type Pushdown } from './pushdown.js';
import { allQueries, tableRels, type Query, type Rel } from './query.js';
import { pruningFilters, shardSet, taskShards } from './shards.js';
import type { ColumnFilter } from '../../workload/model.js';
import { PlanningError, type CitusError, type RouteClass } from './types.js';

export interface LogicalPlan {
  readonly class: RouteClass;
  readonly reason: string;
  readonly indexes?: number[];
  readonly count?: number;
  readonly needsRepartitionGuc?: boolean;
  /** IN lists on distribution columns that narrow the tasks. */
  readonly keyFilters?: ColumnFilter[];
}

export interface LogicalEnv {
  readonly layout: Layout;
  readonly eq: Equivalence;
  readonly push: Pushdown;
  readonly pruned: ReadonlyMap<number, Pruned>;
  readonly enableRepartitionJoins: boolean;
}

export function logicalPlan(q: Query, env: LogicalEnv): LogicalPlan {
  return env.push.shouldUsePushdown(q) ? pushdownPlan(q, env) : joinOrderPlan(q, env);
}

const fail = (e: CitusError): never => {
  throw new PlanningError(e);
};

/** SubqueryMultiNodeTree: the checks of the pushdown path, then its tasks. */
function pushdownPlan(q: Query, env: LogicalEnv): LogicalPlan {
  const { push, eq, layout } = env;
  const e = push.queryNotSupported(q);
  if (e) fail(e);
  const rels = tableRels(q);
  if (push.containsUnionSubquery(q)) {
    if (!push.safeToPushdownUnion(q, rels)) {
      fail({
        message: 'cannot pushdown the subquery since not all subqueries in the UNION have the partition column in the same position',
        detail: 'Each leaf query of the UNION should return the partition column in the same position and all joins must be on the partition column',
      });
    }
  } else if (!eq.keysEqual(rels)) fail(q.kind === 'merge' ? { message: 'MERGE command is only supported when all distributed tables are co-located and joined on their distribution columns' } : ERR.complexColocated);
  const recurs = push.fromClauseRecursError(q);
  if (recurs) fail(recurs);
  for (const x of allQueries(q)) {
    const lateral = push.unsupportedLateral(x);
    if (lateral) fail(lateral);
  }
  for (const sub of allQueries(q)) {
    if (sub === q) continue;
    const s = push.cannotPushdown(sub);
    if (s) fail(s);
  }
  notColocated(rels, layout);
  const hash = rels.filter((r) => layout.hash(r.table));
  const tasks = hash.length ? taskShards(hash.map((r) => shardSet(r, env.pruned.get(r.id), layout)), 'union') : { count: 1 };
  return { ...tasksClass(tasks), reason: 'subqueries and joins pushed down to every shard: all distributed tables are joined on their distribution columns', ...tasks, ...filters(hash, env) };
}

/** ErrorIfUnsupportedShardDistribution: the distributed tables of a pushed-down query must be colocated. */
function notColocated(rels: readonly Rel[], layout: Layout): void {
  const tables = [...new Set(rels.filter((r) => layout.sharded(r.table)).map((r) => r.table!))];
  const first = tables[0];
  for (const t of tables.slice(1)) {
    if (layout.group(t) === layout.group(first)) continue;
    const [a, b] = [bare(first), bare(t)].sort();
    fail({ message: 'cannot push down this subquery', detail: `${a} and ${b} are not colocated` });
  }
}

function bare(key: string): string {
  return splitKey(key).name;
}

function tasksClass(t: { indexes?: number[]; count?: number }): { class: RouteClass } {
  const n = t.indexes?.length ?? t.count;
  return { class: n !== undefined && n <= 1 ? 'router' : 'multi-shard' };
}

// ---------------------------------------------------------------- join order (multi_join_order.c)

type Rule = 'reference' | 'local' | 'dual' | 'cartesian-reference' | 'cartesian';

interface Clause {
  readonly a: { rel: number; column: string };
  readonly b: { rel: number; column: string };
}

/** MultiNodeTree: the tables of the query (and of what PostgreSQL merged into it), joined in the best order JoinOrderList finds. */
function joinOrderPlan(q: Query, env: LogicalEnv): LogicalPlan {
  const { push, eq, layout } = env;
  const e = push.queryNotSupported(q);
  if (e) fail(e);
  const level = eq.levels.get(q) ?? q;
  const merged = allQueries(q).filter((x) => eq.levels.get(x) === level);
  const tables = merged.flatMap((x) => x.rels.filter((r) => r.kind === 'table'));
  const ids = new Set(tables.map((t) => t.id));
  const toTable = (c: { rel: number; column: string }) => {
    const base = eq.baseColumns(c).filter((b) => ids.has(b.rel));
    return base.length === 1 ? base[0] : undefined;
  };
  const clauses: Clause[] = [];
  const links: Array<ReadonlySet<number>> = [];
  for (const x of merged) {
    for (const eqn of x.equalities) {
      if (eqn.underOr || eqn.negated || !(eqn.clause === 'where' || (eqn.clause === 'on' && joinType(x, eqn.join) === 'inner'))) continue;
      const a = toTable(eqn.a);
      const b = toTable(eqn.b);
      if (a && b && a.rel !== b.rel) clauses.push({ a, b });
    }
    for (const l of x.links) {
      if (!(l.clause === 'where' || (l.clause === 'on' && joinType(x, l.join) === 'inner'))) continue;
      const set = new Set(l.rels.flatMap((id) => (ids.has(id) ? [id] : tableIdsUnder(eq.rel(id), ids))));
      if (set.size > 1) links.push(set);
    }
  }
  if (tables.length <= 1) {
    const sets = tables.filter((t) => layout.hash(t.table)).map((t) => shardSet(t, env.pruned.get(t.id), layout));
    const tasks = sets.length ? taskShards(sets, 'intersection') : { count: 1 };
    return { ...tasksClass(tasks), reason: 'no equality filter on the distribution column: runs on all shards in parallel', ...tasks, ...filters(tables, env) };
  }
  // DualPartitionJoinClause: repartitioning hashes both columns with one function, so their types must be the same
  const typeOf = (c: { rel: number; column: string }) => layout.columnType(eq.rel(c.rel)?.table, c.column);
  const sameTypes = (c: Clause) => {
    const [a, b] = [typeOf(c.a), typeOf(c.b)];
    return a === undefined || b === undefined || a === b;
  };
  const orders = tables.map((first) => joinOrderFrom(first, tables, clauses, links, layout, sameTypes)).filter((o): o is JoinStep[] => !!o);
  if (!orders.length) fail(ERR.complexEqui);
  const best = bestOrder(orders);
  if (best.some((s) => s.rule === 'cartesian')) fail(ERR.cartesian);
  if (best.some((s) => s.rule === 'dual')) {
    if (env.enableRepartitionJoins) return { class: 'repartition', reason: 'tables that are not colocated on the join columns are repartitioned (citus.enable_repartition_joins is on)', needsRepartitionGuc: true };
    throw new PlanningError(ERR.repartition);
  }
  const joined = tables.filter((t) => layout.hash(t.table));
  const tasks = joined.length ? taskShards(joined.map((t) => shardSet(t, env.pruned.get(t.id), layout)), 'intersection') : { count: 1 };
  const colocated = joined.length > 1 ? ', joined on their distribution columns (colocated)' : '';
  return { ...tasksClass(tasks), reason: `no equality filter on the distribution column: runs on all shards in parallel${colocated}`, ...tasks, ...filters(joined, env) };
}

function filters(rels: readonly Rel[], env: LogicalEnv): { keyFilters?: ColumnFilter[] } {
  const f = pruningFilters(rels, env.pruned, env.layout);
  return f.length ? { keyFilters: f } : {};
}

function tableIdsUnder(rel: Rel | undefined, ids: ReadonlySet<number>): number[] {
  if (!rel?.query) return [];
  return tableRels(rel.query)
    .map((r) => r.id)
    .filter((id) => ids.has(id));
}

interface JoinStep {
  readonly table: Rel;
  readonly rule?: Rule;
}

/** JoinOrderForTable: greedily the pending table with the cheapest rule, or no order when some table can be joined by none. */
function joinOrderFrom(
  first: Rel,
  tables: readonly Rel[],
  clauses: readonly Clause[],
  links: ReadonlyArray<ReadonlySet<number>>,
  layout: Layout,
  sameTypes: (c: Clause) => boolean,
): JoinStep[] | undefined {
  const order: JoinStep[] = [{ table: first }];
  const joined = new Set([first.id]);
  // The current node: its partition columns, method and anchor table (lost after a dual partition or Cartesian product).
  let keys: Array<{ rel: number; column: string }> = layout.hash(first.table) ? [{ rel: first.id, column: layout.column(first.table)! }] : [];
  let method = layout.hash(first.table) ? 'hash' : 'none';
  let anchor: Rel | undefined = first;
  while (joined.size < tables.length) {
    let next: { table: Rel; rule: Rule } | undefined;
    for (const t of tables) {
      if (joined.has(t.id)) continue;
      const applicable = clauses.filter((c) => (joined.has(c.a.rel) && c.b.rel === t.id) || (joined.has(c.b.rel) && c.a.rel === t.id));
      const linked = applicable.length > 0 || links.some((l) => l.has(t.id) && [...l].some((id) => joined.has(id)));
      const rule = evaluate(t, applicable, linked, { keys, method, anchor }, layout, sameTypes);
      if (rule && (!next || RANK[rule] < RANK[next.rule])) next = { table: t, rule };
    }
    if (!next) return undefined;
    order.push(next);
    joined.add(next.table.id);
    if (next.rule === 'local') keys = [...keys, { rel: next.table.id, column: layout.column(next.table.table)! }];
    else if (next.rule === 'dual') {
      keys = [];
      method = 'repartitioned';
      anchor = undefined;
    } else if (next.rule === 'cartesian') anchor = undefined;
  }
  return order;
}

const RANK: Record<Rule, number> = { reference: 1, local: 2, dual: 5, 'cartesian-reference': 6, cartesian: 7 };

/** EvaluateJoinRules, in Citus's order (single-partition joins are off: citus.enable_single_hash_repartition_joins). */
function evaluate(
  t: Rel,
  applicable: readonly Clause[],
  linked: boolean,
  cur: { keys: ReadonlyArray<{ rel: number; column: string }>; method: string; anchor: Rel | undefined },
  layout: Layout,
  sameTypes: (c: Clause) => boolean,
): Rule | undefined {
  const reference = layout.role(t.table) === 'reference';
  if (linked && reference) return 'reference';
  if (cur.anchor && layout.hash(t.table) && cur.method === 'hash') {
    const key = layout.column(t.table)!;
    const onKeys = applicable.some((c) => {
      const mine = c.a.rel === t.id ? c.a : c.b;
      const other = c.a.rel === t.id ? c.b : c.a;
      return mine.column === key && cur.keys.some((k) => k.rel === other.rel && k.column === other.column);
    });
    if (onKeys && layout.group(cur.anchor.table) === layout.group(t.table)) return 'local';
  }
  if (applicable.some(sameTypes)) return 'dual';
  if (applicable.length) return undefined;
  if (reference) return 'cartesian-reference';
  if (!linked) return 'cartesian';
  return undefined;
}

/** BestJoinOrder: fewest Cartesian products, then fewest of each costlier rule. */
function bestOrder(orders: JoinStep[][]): JoinStep[] {
  let cands = orders;
  for (const rule of ['cartesian', 'cartesian-reference', 'dual', 'local', 'reference'] as const) {
    const count = (o: JoinStep[]) => o.filter((s) => s.rule === rule).length;
    const min = Math.min(...cands.map(count));
    cands = cands.filter((o) => count(o) === min);
  }
  return cands[0];
}
