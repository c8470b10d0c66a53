/**
 * Modifications (citus-rules.md §11): the checks Citus makes of INSERT,
 * UPDATE, DELETE and MERGE before it plans them, in its order
 * (TargetlistAndFunctionsSupported, ErrorIfOnConflictNotSupported,
 * ModifyQuerySupported), INSERT ... VALUES routing by the distribution
 * column's value, and INSERT ... SELECT's choice between pushdown,
 * repartition and pulling the rows to the coordinator
 * (insert_select_planner.c).
 */
import { splitKey, sqlName } from '../../ingest/pg/names.js';
import type { ColumnFilter, JoinPair, QueryFacts } from '../../workload/model.js';
import type { CitusError, DistributionView, Route, RoutingOptions, TableRole } from './types.js';

/** Plans the SELECT of an INSERT ... SELECT on its own. */
export type SourcePlanner = () => Route;

const ERR_COMPLEX_COLOCATED: CitusError = {
  message: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns',
};
const ERR_PARTITION_VALUE: CitusError = { message: 'modifying the partition value of rows is not allowed' };

/** The checks of a modification, in Citus's order; undefined when it plans like the query it is (router or multi-shard). */
export function writeChecks(facts: QueryFacts, view: DistributionView, dist: string[], options: RoutingOptions, planSource: SourcePlanner): Route | undefined {
  const w = facts.write;
  if (!w) return undefined;
  const role = view.role(w.target);
  if (role === 'reference' && (facts.kind === 'update' || facts.kind === 'delete') && dist.length) {
    // The router planner takes it when the distributed tables prune to one shard (SingleShardTaskList); else MultiShardUpdateDeleteSupported
    const single = facts.filters.filter((f) => isKeyFilter(f, view) && isSingleValue(f));
    if (routerPlan(colocatedComponents(facts, view, dist), single, view)) {
      return { class: 'error', reason: 'a reference table modified with a select on a distributed table pruned to one shard', error: { message: 'cannot perform select on a distributed table and modify a reference table' } };
    }
    return {
      class: 'error',
      reason: 'a reference table modified with a join to a distributed table',
      error: { message: 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ' },
    };
  }
  if (facts.kind === 'insert') return insertChecks(facts, view, planSource);
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

function insertChecks(facts: QueryFacts, view: DistributionView, planSource: SourcePlanner): Route | undefined {
  const w = facts.write!;
  const role = view.role(w.target);
  // ModifyPartialQuerySupported: an INSERT with a subquery anywhere (VALUES, ON CONFLICT, RETURNING) once Citus plans it, that is once it names a Citus table (NeedsDistributedPlanning)
  const f = facts.features;
  const sublink = f.sublinkInValues || f.sublinkInReturning || f.subqueries.some((s) => s.where === 'on-conflict' || s.where === 'on-conflict-where');
  const citus = [...facts.tablesRead, ...facts.tablesWritten].some((t) => view.role(t) !== 'local');
  if (sublink && citus) {
    return {
      class: 'error',
      reason: 'a subquery inside INSERT ... VALUES, ON CONFLICT or RETURNING',
      error: { message: 'subqueries are not supported within INSERT queries', hint: "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax." },
    };
  }
  if (isLocal(role)) return undefined;
  if (w.select) return insertSelect(facts, view, planSource);
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
    // PostgreSQL's rewriter fills a column left out with its DEFAULT; Citus evaluates it (nextval()) on the coordinator, then routes each row.
    if (view.hasDefault?.(w.target, key)) {
      const rows = w.rows ?? 1;
      if (rows <= 1) return { class: 'router', reason: `INSERT without ${key}: its DEFAULT is evaluated on the coordinator, one shard` };
      return { class: 'multi-shard', reason: `multi-row INSERT without ${key}: each row's DEFAULT is evaluated on the coordinator, one task per shard hit` };
    }
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
function insertSelect(facts: QueryFacts, view: DistributionView, planSource: SourcePlanner): Route {
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
  const src = planSource();
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
  // The rows are routed by the key's value, which neither the SELECT nor a DEFAULT gives (insert_select_executor.c, and CitusCopyDestReceiverStartup when pulled)
  if (!w.columns.includes(key) && !view.hasDefault?.(target, key)) {
    return {
      class: 'error',
      reason: `INSERT ... SELECT gives no value for the distribution column ${key}: the rows cannot be routed (raised when it runs)`,
      error: { message: `the partition column of table ${sqlName(target, true)} should have a value` },
    };
  }
  if (pull) return { class: 'coordinator', reason: 'INSERT ... SELECT with LIMIT or aggregates not grouped by the key: pulled to the coordinator' };
  if (src.class !== 'multi-shard' && src.class !== 'recursive') {
    return { class: 'coordinator', reason: `INSERT ... SELECT whose SELECT is a ${src.class} query: results pulled to the coordinator and routed by shard` };
  }
  return { class: 'repartition', reason: `INSERT ... SELECT repartitioned: ${key} does not come from a colocated distribution column` };
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

export function isSharded(role: TableRole): boolean {
  return role === 'distributed' || role === 'single-shard';
}

export function isLocal(role: TableRole): boolean {
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

