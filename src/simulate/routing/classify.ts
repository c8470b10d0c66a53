/**
 * How Citus's planner would run a query under a design, decided from the
 * query's facts (citus-rules.md §10–11): router (one shard), multi-shard
 * pushdown, repartition join, recursive planning, coordinator only, or an
 * error with Citus's own text. This is the decision only; which shards are
 * hit is worked out from it by the shard-level router.
 */
import { splitKey } from '../../ingest/pg/names.js';
import type { ColumnFilter, JoinPair, QueryFacts } from '../../workload/model.js';

export type RouteClass = 'router' | 'multi-shard' | 'repartition' | 'recursive' | 'coordinator' | 'error';

export interface CitusError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface Route {
  readonly class: RouteClass;
  /** Why, in words. */
  readonly reason: string;
  readonly error?: CitusError;
  /** The distribution-column filters that decide the shards (router / IN lists). */
  readonly keyFilters?: ColumnFilter[];
  /** Repartition joins need citus.enable_repartition_joins. */
  readonly needsRepartitionGuc?: boolean;
}

export type TableRole = 'distributed' | 'single-shard' | 'reference' | 'citus-local' | 'local';

/** What the router needs to know of a design. */
export interface DistributionView {
  role(table: string): TableRole;
  /** Distribution column of a distributed table. */
  column(table: string): string | undefined;
  /** Colocation group id (distributed and single-shard tables). */
  group(table: string): string | undefined;
}

export interface RoutingOptions {
  readonly enableRepartitionJoins: boolean;
  /**
   * Citus before the #8214 fix (before 12.1.10, 13.0.5, 13.1.1, 13.2.1, 14.0):
   * `SET key = x.col` counts as a no-op whenever col has the key's attribute
   * number, whatever table x is, and WHERE is never consulted for a column.
   * `attno` gives a column's position in its table.
   */
  readonly keyUpdateBefore8214?: { attno(table: string, column: string): number };
}

// Citus's texts, verbatim (citus-rules.md §10–11).
const ERR_REPARTITION: CitusError = {
  message: 'the query contains a join that requires repartitioning',
  hint: 'Set citus.enable_repartition_joins to on to enable repartitioning',
};
const ERR_COMPLEX_COLOCATED: CitusError = {
  message: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns',
};
const ERR_COMPLEX_EQUI: CitusError = {
  message: 'complex joins are only supported when all distributed tables are joined on their distribution columns with equal operator',
};
const FOR_UPDATE_HINT = "Consider using an equality filter on the distributed table's partition column.";
const ERR_PARTITION_VALUE: CitusError = { message: 'modifying the partition value of rows is not allowed' };

const DEFAULT_OPTIONS: RoutingOptions = { enableRepartitionJoins: false };

export function classifyQuery(facts: QueryFacts, view: DistributionView, options: RoutingOptions = DEFAULT_OPTIONS): Route {
  const tables = [...new Set([...facts.tablesRead, ...facts.tablesWritten])];
  const dist = tables.filter((t) => isSharded(view.role(t)));
  const refs = tables.filter((t) => view.role(t) === 'reference');
  const locals = tables.filter((t) => isLocal(view.role(t)));
  const target = facts.write?.target;
  const targetRole = target ? view.role(target) : undefined;

  if (!tables.length) return { class: 'coordinator', reason: 'touches no table' };

  // Writes first: their errors come before planning.
  if (facts.kind === 'insert' || facts.kind === 'update' || facts.kind === 'delete' || facts.kind === 'merge') {
    const w = writeChecks(facts, view, dist, options);
    if (w) return w;
  }

  if (!dist.length) {
    if (locals.length && refs.length) return { class: 'coordinator', reason: 'local and reference tables join on the coordinator, which holds a replica of every reference table' };
    if (locals.length) return { class: 'coordinator', reason: 'only local tables: runs on the coordinator as plain PostgreSQL' };
    if (targetRole === 'reference') {
      return { class: 'router', reason: 'a write to a reference table is one fast-path task, applied to its replica on every node with 2PC' };
    }
    return { class: 'router', reason: 'only reference tables: one task on one replica' };
  }
  if (locals.length) {
    return {
      class: 'recursive',
      reason: `local table ${locals.join(', ')} is read into an intermediate result and joined with the distributed tables (citus.local_table_join_policy = auto)`,
    };
  }
  return routeDistributed(facts, view, dist, options);
}

/** A query over distributed tables (and reference tables), no local table. */
function routeDistributed(facts: QueryFacts, view: DistributionView, dist: string[], options: RoutingOptions): Route {
  const components = colocatedComponents(facts, view, dist);
  const keyFilters = facts.filters.filter((f) => isKeyFilter(f, view));
  const single = keyFilters.filter(isSingleValue);

  const router = routerPlan(components, single, view);
  if (router) return router;

  if (components.length > 1) return routeAcrossGroups(facts, view, components, options);

  const multi = multiShardChecks(facts);
  if (multi) return multi;
  if (topLevelSetOperation(facts)) {
    return { class: 'recursive', reason: `top-level ${facts.features.setOperations.join(' / ').toUpperCase()}: each branch is planned recursively into an intermediate result` };
  }
  if (facts.features.materializedCtes > 0) {
    return { class: 'recursive', reason: 'a CTE that is not inlined (MATERIALIZED or referenced twice) is planned into an intermediate result first' };
  }
  const outer = recurringOuterJoin(facts, view);
  if (outer?.pushdown === false) {
    return { class: 'recursive', reason: `${bare(outer.dist)} is on the inner side of an outer join with reference table ${bare(outer.ref)}, not on its distribution column: planned recursively` };
  }
  const inLists = keyFilters.filter((f) => f.op === 'in' && (f.count ?? 2) > 1 && !f.underOr);
  if (inLists.length) {
    return { class: 'multi-shard', reason: `IN list on the distribution column ${inLists.map((f) => `${f.table}.${f.column}`).join(', ')}: one task per shard hit`, keyFilters: inLists };
  }
  if (facts.features.windowFunctions && !facts.partitionBy.some((p) => view.column(p.table) === p.column && view.role(p.table) === 'distributed')) {
    return { class: 'multi-shard', reason: 'window function not partitioned by the distribution column: rows are pulled and the WindowAgg runs on the coordinator' };
  }
  const joined = dist.length > 1 ? ', joined on their distribution columns (colocated)' : '';
  return { class: 'multi-shard', reason: `no equality filter on the distribution column: runs on all shards in parallel${joined}` };
}

/**
 * The router planner: every distributed table filtered to one shard, all in
 * one colocation group and pruned to the same shard index (same constant).
 */
function routerPlan(components: string[][], single: ColumnFilter[], view: DistributionView): Route | undefined {
  if (components.length === 1) {
    const tables = components[0];
    if (tables.every((t) => view.role(t) === 'single-shard')) return { class: 'router', reason: 'single-shard tables in one colocation group: one task' };
    if (single.length) {
      return {
        class: 'router',
        reason: `equality filter on the distribution column ${single.map((f) => `${f.table}.${f.column}`).join(', ')} prunes every colocated table to one shard`,
        keyFilters: single,
      };
    }
    return undefined;
  }
  // Several groups of tables not joined on the key: routable only when each is
  // pruned to the same constant and all are in one colocation group.
  const groups = new Set(components.flat().map((t) => view.group(t)));
  if (groups.size !== 1 || components.flat().some((t) => view.role(t) !== 'distributed')) return undefined;
  const values = new Set<string>();
  let params = false;
  for (const c of components) {
    const fs = single.filter((f) => c.includes(f.table));
    if (!fs.length) return undefined;
    for (const f of fs) {
      if (f.value === 'param') params = true;
      else if (f.value === 'const' && f.values?.length === 1) values.add(f.values[0]);
      else return undefined;
    }
  }
  if (values.size > 1) return undefined;
  const used = single.filter((f) => components.flat().includes(f.table));
  if (params) {
    // Pruning waits for the bound values (a custom plan, or deferred pruning): one shard when
    // they hash alike, as one tenant's statement binds them; otherwise the join is refused.
    return {
      class: 'router',
      reason: `every colocated table is filtered on its distribution column (${used.map((f) => `${f.table}.${f.column}`).join(', ')}): one shard when the bound values hash to the same shard, otherwise Citus refuses the join (it would need repartitioning)`,
      keyFilters: used,
    };
  }
  return { class: 'router', reason: `every colocated table is filtered to the same distribution value ${[...values][0]}: one shard`, keyFilters: used };
}

/** Distributed tables in several groups that are not colocated-joined on the key. */
function routeAcrossGroups(facts: QueryFacts, view: DistributionView, components: string[][], options: RoutingOptions): Route {
  if (facts.features.cartesian.some(([a, b]) => isSharded(view.role(a)) && isSharded(view.role(b)))) {
    return {
      class: 'error',
      reason: 'distributed tables with no join condition between them',
      error: { message: 'cannot perform distributed planning on this query', detail: 'Cartesian products are currently unsupported' },
    };
  }
  if (topLevelSetOperation(facts)) {
    return { class: 'recursive', reason: `top-level ${facts.features.setOperations.join(' / ').toUpperCase()}: each branch is planned recursively into an intermediate result` };
  }
  // A CTE or an uncorrelated FROM subquery that cannot be pushed down with the
  // rest becomes an intermediate result (Citus retries without inlining CTEs).
  if ((facts.features.ctes > 0 && !facts.features.recursiveCte) || facts.features.subqueries.some((s) => s.kind === 'derived' && !s.correlated)) {
    return { class: 'recursive', reason: 'a CTE or FROM subquery on tables that are not colocated is planned first into an intermediate result' };
  }
  const cross = crossJoins(facts, components);
  const direct = cross.filter((j) => j.where !== 'subquery');
  const viaSublink = cross.filter((j) => j.where === 'subquery');
  const outer = direct.find((j) => j.joinType === 'left' || j.joinType === 'right' || j.joinType === 'full');
  if (outer) return outerJoinError(outer, view);
  const needsRecursion = viaSublink.length > 0 || facts.features.subqueries.length > 0;
  if (!direct.length) {
    if (viaSublink.length) {
      const correlated = facts.features.subqueries.some((s) => s.correlated);
      const uncorrelated = facts.features.subqueries.some((s) => !s.correlated && s.kind !== 'derived');
      if (correlated && !uncorrelated) {
        return { class: 'error', reason: 'a correlated subquery on a table that is not colocated, or not correlated on the distribution column', error: ERR_COMPLEX_COLOCATED };
      }
      return { class: 'recursive', reason: 'a subquery on tables that are not colocated is planned first into an intermediate result' };
    }
    if (needsRecursion) return { class: 'recursive', reason: 'a subquery on tables that are not colocated is planned first into an intermediate result' };
    const throughOthers = facts.joins.some((j) => isSharded(view.role(j.left.table)) !== isSharded(view.role(j.right.table)));
    if (!throughOthers && options.enableRepartitionJoins) {
      return { class: 'error', reason: 'distributed tables joined without an equality: repartition joins need an equi-join', error: ERR_COMPLEX_EQUI, needsRepartitionGuc: true };
    }
  }
  if (options.enableRepartitionJoins) {
    if (needsRecursion) {
      return { class: 'error', reason: 'recursive planning cannot be mixed with a repartition join', error: ERR_COMPLEX_COLOCATED, needsRepartitionGuc: true };
    }
    return { class: 'repartition', reason: 'tables that are not colocated on the join columns are repartitioned (citus.enable_repartition_joins is on)', needsRepartitionGuc: true };
  }
  return { class: 'error', reason: 'join between tables that are not colocated on the join columns', error: ERR_REPARTITION, needsRepartitionGuc: true };
}

/** Outer joins take the subquery-pushdown path, which repartitioning cannot serve. */
function outerJoinError(j: JoinPair, view: DistributionView): Route {
  const onKey = (t: string, c: string) => view.role(t) === 'single-shard' || view.column(t) === c;
  if (onKey(j.left.table, j.left.column) && onKey(j.right.table, j.right.column)) {
    const [a, b] = [bare(j.left.table), bare(j.right.table)].sort();
    return {
      class: 'error',
      reason: 'an outer join on the distribution columns of tables that are not colocated',
      error: { message: 'cannot push down this subquery', detail: `${a} and ${b} are not colocated` },
    };
  }
  return { class: 'error', reason: 'an outer join that is not on the distribution columns of colocated tables', error: ERR_COMPLEX_COLOCATED };
}

/** Join pairs between distributed tables of different components. */
function crossJoins(facts: QueryFacts, components: string[][]): JoinPair[] {
  return facts.joins.filter((j) => {
    const a = componentOf(components, j.left.table);
    const b = componentOf(components, j.right.table);
    return a !== undefined && b !== undefined && a !== b;
  });
}

/**
 * A reference table on the preserved side of an outer join with a distributed
 * table: since 13.2 pushed down when joined on the distribution column
 * (citus.enable_recurring_outer_join_pushdown), else the distributed side is
 * planned recursively.
 */
function recurringOuterJoin(facts: QueryFacts, view: DistributionView): { ref: string; dist: string; pushdown: boolean } | undefined {
  let found: { ref: string; dist: string; pushdown: boolean } | undefined;
  for (const j of facts.joins) {
    if (j.underOr || j.where === 'subquery') continue;
    const sides = [
      { me: j.left, other: j.right, preserved: j.joinType === 'left' || j.joinType === 'full' },
      { me: j.right, other: j.left, preserved: j.joinType === 'right' || j.joinType === 'full' },
    ];
    for (const s of sides) {
      if (!s.preserved || view.role(s.me.table) !== 'reference' || view.role(s.other.table) !== 'distributed') continue;
      const pushdown = j.joinType !== 'full' && view.column(s.other.table) === s.other.column;
      if (!pushdown) return { ref: s.me.table, dist: s.other.table, pushdown };
      found ??= { ref: s.me.table, dist: s.other.table, pushdown };
    }
  }
  return found;
}

/** UNION / INTERSECT / EXCEPT of the statement itself (not inside a subquery, CTE or recursive CTE). */
function topLevelSetOperation(facts: QueryFacts): boolean {
  const f = facts.features;
  return f.setOperations.length > 0 && !f.recursiveCte && f.ctes === 0 && f.subqueries.length === 0;
}

function isSharded(role: TableRole): boolean {
  return role === 'distributed' || role === 'single-shard';
}

function isLocal(role: TableRole): boolean {
  return role === 'local' || role === 'citus-local';
}

/** Citus names relations without their schema in messages. */
function bare(key: string): string {
  return splitKey(key).name;
}

function isKeyFilter(f: ColumnFilter, view: DistributionView): boolean {
  return view.role(f.table) === 'distributed' && view.column(f.table) === f.column && (f.value === 'const' || f.value === 'param') && (f.op === '=' || f.op === 'in');
}

function isSingleValue(f: ColumnFilter): boolean {
  return (f.op === '=' || (f.op === 'in' && f.count === 1)) && !f.underOr;
}

/** Distributed tables grouped by equi-joins on their distribution columns within one colocation group. */
function colocatedComponents(facts: QueryFacts, view: DistributionView, dist: string[]): string[][] {
  const parent = new Map(dist.map((t) => [t, t]));
  const find = (t: string): string => {
    let r = t;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const j of facts.joins) {
    if (j.underOr) continue;
    const a = j.left.table;
    const b = j.right.table;
    if (!parent.has(a) || !parent.has(b)) continue;
    const ga = view.group(a);
    if (ga === undefined || ga !== view.group(b)) continue;
    const onKey = view.role(a) === 'single-shard' || (view.column(a) === j.left.column && view.column(b) === j.right.column);
    if (onKey) parent.set(find(a), find(b));
  }
  // Single-shard tables of one group are colocated without any join.
  const bySingleGroup = new Map<string, string>();
  for (const t of dist) {
    if (view.role(t) !== 'single-shard') continue;
    const g = view.group(t)!;
    const first = bySingleGroup.get(g);
    if (first) parent.set(find(t), find(first));
    else bySingleGroup.set(g, t);
  }
  const groups = new Map<string, string[]>();
  for (const t of dist) groups.set(find(t), [...(groups.get(find(t)) ?? []), t]);
  return [...groups.values()];
}

function componentOf(components: string[][], table: string): number | undefined {
  const i = components.findIndex((c) => c.includes(table));
  return i === -1 ? undefined : i;
}

/** Constructs Citus refuses when a query runs on more than one shard. */
function multiShardChecks(facts: QueryFacts): Route | undefined {
  if (facts.features.locking.length) {
    return {
      class: 'error',
      reason: 'FOR UPDATE/SHARE on several shards',
      error: { message: 'could not run distributed query with FOR UPDATE/SHARE commands', hint: FOR_UPDATE_HINT },
    };
  }
  // GROUPING SETS work on a CTE Citus materialises: they then run on the coordinator.
  if (facts.features.groupingSets && facts.features.materializedCtes === 0) {
    return {
      class: 'error',
      reason: 'GROUPING SETS, CUBE or ROLLUP on several shards',
      error: { message: 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP', hint: FOR_UPDATE_HINT },
    };
  }
  if (facts.features.recursiveCte) {
    return {
      class: 'error',
      reason: 'a recursive CTE without a filter on the distribution column',
      error: { message: 'recursive CTEs are only supported when they contain a filter on the distribution column' },
    };
  }
  return undefined;
}

// ------------------------------------------------------------------ modifications (§11)

function writeChecks(facts: QueryFacts, view: DistributionView, dist: string[], options: RoutingOptions): Route | undefined {
  const w = facts.write;
  if (!w) return undefined;
  const role = view.role(w.target);
  if (role === 'reference' && (facts.kind === 'update' || facts.kind === 'delete') && dist.length) {
    return {
      class: 'error',
      reason: 'a reference table modified with a join to a distributed table',
      error: { message: 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ' },
    };
  }
  if (facts.kind === 'insert') return insertChecks(facts, view, options);
  if (!isSharded(role)) return undefined;

  // UPDATE / DELETE / MERGE on a distributed or single-shard table, in the
  // order of Citus's TargetlistAndFunctionsSupported.
  const volatileSet = facts.functions.find((fn) => fn.volatility === 'volatile' && !fn.aggregate && fn.where === 'set');
  if (volatileSet) {
    return { class: 'error', reason: `volatile function ${volatileSet.name} in UPDATE ... SET`, error: { message: 'functions used in UPDATE queries on distributed tables must not be VOLATILE' } };
  }
  const key = role === 'distributed' ? view.column(w.target) : undefined;
  const changed = facts.kind === 'merge' ? (w.mergeUpdated ?? w.columns) : w.columns;
  if (key && changed.includes(key) && changesKey(facts, key, options)) {
    return {
      class: 'error',
      reason: `the statement changes the distribution column ${key}`,
      error: facts.kind === 'merge' ? { message: 'updating the distribution column is not allowed in MERGE actions' } : ERR_PARTITION_VALUE,
    };
  }
  const volatileWhere = facts.functions.find((fn) => fn.volatility === 'volatile' && !fn.aggregate && (fn.where === 'where' || fn.where === 'join'));
  if (volatileWhere) {
    return {
      class: 'error',
      reason: `volatile function ${volatileWhere.name} in the WHERE clause`,
      error: { message: 'functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE' },
    };
  }
  const stableCols = facts.functions.find((fn) => fn.volatility === 'stable' && fn.where === 'set' && fn.columnArgs && !fn.aggregate);
  if (stableCols) {
    return { class: 'error', reason: `stable function ${stableCols.name} with column arguments in SET`, error: { message: 'STABLE functions used in UPDATE queries cannot be called with column references' } };
  }
  const inCase = facts.functions.find((fn) => (fn.volatility === 'stable' || fn.volatility === 'volatile') && fn.inCaseOrCoalesce && fn.where === 'set');
  if (inCase) {
    return { class: 'error', reason: `non-immutable function ${inCase.name} inside CASE or COALESCE`, error: { message: 'non-IMMUTABLE functions are not allowed in CASE or COALESCE statements' } };
  }
  const returning = mutableReturning(facts);
  if (returning) return returning;
  if (facts.kind === 'merge') return undefined;
  return joinedWriteChecks(facts, view, dist, w.target);
}

/**
 * Whether an UPDATE may change the distribution column: allowed for
 * `SET key = key`, `SET key = <const>` when the WHERE clause says
 * `key = <const>`, and `SET key = other.col` when the WHERE clause joins
 * `key = other.col`.
 */
function changesKey(facts: QueryFacts, key: string, options: RoutingOptions): boolean {
  const w = facts.write!;
  const v = w.values?.find((x) => x.column === key);
  if (!v) return true;
  if (v.value === 'unchanged') return false;
  const legacy = options.keyUpdateBefore8214;
  if (legacy && v.source) return legacy.attno(v.source.table, v.source.column) !== legacy.attno(w.target, key);
  if (v.value === 'const' && v.constants?.length === 1) {
    const c = v.constants[0];
    return !facts.filters.some((f) => f.table === w.target && f.column === key && isSingleValue(f) && f.value === 'const' && !f.inSubquery && f.values?.length === 1 && f.values[0] === c);
  }
  if (v.source) {
    const s = v.source;
    const same = (a: { table: string; column: string }, b: { table: string; column: string }) => a.table === b.table && a.column === b.column;
    const mine = { table: w.target, column: key };
    return !facts.joins.some((j) => !j.underOr && j.joinType === 'inner' && j.where !== 'subquery' && ((same(j.left, mine) && same(j.right, s)) || (same(j.right, mine) && same(j.left, s))));
  }
  return true;
}

function mutableReturning(facts: QueryFacts): Route | undefined {
  const fn = facts.functions.find((f) => f.where === 'returning' && (f.volatility === 'stable' || f.volatility === 'volatile') && !f.aggregate);
  if (!fn) return undefined;
  return { class: 'error', reason: `non-immutable function ${fn.name} in RETURNING`, error: { message: 'non-IMMUTABLE functions are not allowed in the RETURNING clause' } };
}

/** UPDATE ... FROM / DELETE ... USING / subqueries, with tables that are not colocated on the key. */
function joinedWriteChecks(facts: QueryFacts, view: DistributionView, dist: string[], target: string): Route | undefined {
  if (dist.length < 2) return undefined;
  const components = colocatedComponents(facts, view, dist);
  if (components.length < 2) return undefined;
  const single = facts.filters.filter((f) => isKeyFilter(f, view) && isSingleValue(f));
  if (routerPlan(components, single, view)) return undefined;
  if (facts.features.ctes > 0 || facts.features.subqueries.some((s) => s.kind === 'derived' && !s.correlated)) {
    return { class: 'recursive', reason: 'a CTE or FROM subquery on tables that are not colocated with the target is planned first into an intermediate result' };
  }
  const cross = crossJoins(facts, components);
  const direct = cross.filter((j) => j.where !== 'subquery');
  const keyPair = direct.find((j) => {
    const onKey = (t: string, c: string) => view.role(t) === 'single-shard' || view.column(t) === c;
    return onKey(j.left.table, j.left.column) && onKey(j.right.table, j.right.column);
  });
  if (keyPair) return outerJoinError(keyPair, view);
  if (direct.length || facts.features.cartesian.some(([a, b]) => isSharded(view.role(a)) && isSharded(view.role(b)))) {
    return { class: 'error', reason: `${bare(target)} is joined in FROM/USING with a table that is not colocated on the distribution column`, error: ERR_COMPLEX_COLOCATED };
  }
  const correlated = facts.features.subqueries.some((s) => s.correlated);
  const uncorrelated = facts.features.subqueries.some((s) => !s.correlated);
  if (correlated && !uncorrelated) {
    return { class: 'error', reason: 'a correlated subquery on a table that is not colocated with the target', error: ERR_COMPLEX_COLOCATED };
  }
  return { class: 'recursive', reason: 'a subquery on tables that are not colocated with the target is planned first into an intermediate result' };
}

function insertChecks(facts: QueryFacts, view: DistributionView, options: RoutingOptions): Route | undefined {
  const w = facts.write!;
  const role = view.role(w.target);
  if (isLocal(role)) return undefined;
  if (facts.features.sublinkInValues || facts.features.sublinkInReturning) {
    return {
      class: 'error',
      reason: 'a subquery inside INSERT ... VALUES or RETURNING',
      error: { message: 'subqueries are not supported within INSERT queries', hint: "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax." },
    };
  }
  if (w.select) return insertSelect(facts, view, options);
  if (isSharded(role)) {
    const returning = mutableReturning(facts);
    if (returning) return returning;
    // ErrorIfOnConflictNotSupported, in its order: a mutable function in a DO UPDATE SET value, then in a WHERE, then the key.
    const mutableInSet = facts.functions.find((fn) => fn.where === 'on-conflict' && !fn.aggregate && (fn.volatility === 'stable' || fn.volatility === 'volatile'));
    if (w.onConflict?.action === 'update' && mutableInSet) {
      return {
        class: 'error',
        reason: `non-immutable function ${mutableInSet.name} in ON CONFLICT DO UPDATE SET`,
        error: { message: 'functions used in the DO UPDATE SET clause of INSERTs on distributed tables must be marked IMMUTABLE' },
      };
    }
    const ocWhere = facts.functions.find((f) => f.where === 'on-conflict-where' && (f.volatility === 'stable' || f.volatility === 'volatile'));
    if (ocWhere) {
      return {
        class: 'error',
        reason: `non-immutable function ${ocWhere.name} in the WHERE clause of ON CONFLICT`,
        error: { message: 'functions used in the WHERE clause of the ON CONFLICT clause of INSERTs on distributed tables must be marked IMMUTABLE' },
      };
    }
  }
  if (role !== 'distributed') {
    return { class: 'router', reason: role === 'reference' ? 'INSERT into a reference table: one task, written to its replica on every node (2PC)' : 'INSERT into a single-shard table: one task' };
  }
  const key = view.column(w.target)!;
  // ErrorIfOnConflictNotSupported: SET key = excluded.key (the same attribute) is allowed, any other value of the key is not.
  if (w.onConflict?.set.includes(key) && !w.onConflict.unchanged?.includes(key)) {
    return { class: 'error', reason: 'ON CONFLICT DO UPDATE sets the distribution column to another value', error: ERR_PARTITION_VALUE };
  }
  const v = w.values?.find((x) => x.column === key);
  if (!w.columns.includes(key) || !v) {
    return { class: 'error', reason: `the INSERT gives no value for the distribution column ${key}`, error: { message: 'cannot perform an INSERT without a partition column value' } };
  }
  if (facts.features.ctes > 0) {
    return { class: 'coordinator', reason: 'WITH ... INSERT ... VALUES is planned as a CTE plus INSERT ... SELECT: rows are routed from the coordinator' };
  }
  const rows = w.rows ?? 1;
  const distinct = v.constants?.length ?? (v.value === 'param' && rows === 1 ? 1 : undefined);
  if (rows <= 1 || distinct === 1) return { class: 'router', reason: `INSERT with a value for the distribution column ${key}: one shard` };
  return { class: 'multi-shard', reason: `multi-row INSERT: split by shard of ${key}, one task per shard hit` };
}

/**
 * INSERT ... SELECT (README "INSERT.. SELECT Query Planning"): pushdown when
 * the target key comes straight from a colocated source key, else repartition
 * of a multi-shard source, else pull to the coordinator.
 */
function insertSelect(facts: QueryFacts, view: DistributionView, options: RoutingOptions): Route {
  const w = facts.write!;
  const source = w.select!;
  const target = w.target;
  const role = view.role(target);
  const sharded = source.tables.filter((t) => isSharded(view.role(t)));
  const local = source.tables.some((t) => isLocal(view.role(t)));
  if (local || sharded.length === 0) {
    return { class: 'coordinator', reason: 'INSERT ... SELECT from local or reference tables: rows pulled to the coordinator and routed by shard' };
  }
  // The SELECT is planned on its own first: its errors are the statement's.
  const { write: _write, ...rest } = facts;
  void _write;
  const src = classifyQuery({ ...rest, kind: 'select', tablesWritten: [] }, view, options);
  if (src.class === 'error') return { ...src, reason: `the SELECT of INSERT ... SELECT: ${src.reason}` };
  if (role === 'reference') {
    return { class: 'coordinator', reason: 'INSERT into a reference table from distributed tables: the SELECT results are collected on the coordinator' };
  }
  if (role === 'single-shard') {
    const colocated = sharded.every((t) => view.role(t) === 'single-shard' && view.group(t) === view.group(target));
    if (colocated) return { class: 'router', reason: 'INSERT ... SELECT between colocated single-shard tables: one task' };
    return { class: 'coordinator', reason: 'INSERT ... SELECT into a single-shard table from tables in another group: pulled to the coordinator' };
  }
  const key = view.column(target)!;
  const keyFrom = source.columns.find((c) => c.column === key)?.source;
  const colocatedKey =
    keyFrom !== undefined && view.role(keyFrom.table) === 'distributed' && view.column(keyFrom.table) === keyFrom.column && view.group(keyFrom.table) === view.group(target);
  const pull = facts.features.limit || (facts.features.aggregates && !facts.groupBy.some((g) => g.table === keyFrom?.table && g.column === keyFrom?.column));
  if (colocatedKey && !pull && (src.class === 'multi-shard' || src.class === 'router')) {
    return { class: 'multi-shard', reason: `INSERT ... SELECT pushed down: ${key} comes from the colocated source's distribution column` };
  }
  if (pull) return { class: 'coordinator', reason: 'INSERT ... SELECT with LIMIT or aggregates not grouped by the key: pulled to the coordinator' };
  if (src.class !== 'multi-shard' && src.class !== 'recursive') {
    return { class: 'coordinator', reason: `INSERT ... SELECT whose SELECT is a ${src.class} query: results pulled to the coordinator and routed by shard` };
  }
  return { class: 'repartition', reason: `INSERT ... SELECT repartitioned: ${key} does not come from a colocated distribution column` };
}
