/**
 * Modifications (citus-rules.md §11), as Citus's router planner checks them
 * (planner/multi_router_planner.c ModifyQuerySupported,
 * TargetlistAndFunctionsSupported, TargetEntryChangesValue,
 * ErrorIfOnConflictNotSupported, MultiShardUpdateDeleteSupported) and plans
 * INSERT ... SELECT (planner/insert_select_planner.c): the errors they raise
 * before planning, and how an INSERT is routed.
 */
import type { QueryFacts } from '../../workload/model.js';
import { bare, colocatedComponents, crossJoins, ERR_COMPLEX_COLOCATED, isKeyFilter, isLocal, isSharded, isSingleValue, outerJoinError, routerPlan } from './colocated-joins.js';
import type { CitusError, DistributionView, Route, RoutingOptions } from './model.js';

/** How the query a modification reads is planned (INSERT ... SELECT's SELECT). */
export type ClassifySelect = (facts: QueryFacts) => Route;

const ERR_PARTITION_VALUE: CitusError = { message: 'modifying the partition value of rows is not allowed' };

/** A modification's errors before planning, and an INSERT's route; undefined when the query is planned as it reads. */
export function writeChecks(facts: QueryFacts, view: DistributionView, dist: string[], options: RoutingOptions, classifySelect: ClassifySelect): Route | undefined {
  const w = facts.write;
  if (!w) return undefined;
  const role = view.role(w.target);
  if (facts.kind === 'insert') return insertChecks(facts, view, classifySelect);
  if (role === 'reference' && facts.kind !== 'merge') {
    // TargetlistAndFunctionsSupported checks a reference table's UPDATE / DELETE
    // too (it has no distribution column); a join with a distributed table is
    // refused after it (MultiShardUpdateDeleteSupported).
    const volatile = volatileInSet(facts) ?? volatileInWhere(facts);
    if (volatile) return volatile;
    if (!dist.length) return undefined;
    return {
      class: 'error',
      reason: 'a reference table modified with a join to a distributed table',
      error: { message: 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ' },
    };
  }
  if (!isSharded(role)) return undefined;

  // UPDATE / DELETE / MERGE on a distributed or single-shard table, in the
  // order of Citus's TargetlistAndFunctionsSupported.
  const volatileSet = volatileInSet(facts);
  if (volatileSet) return volatileSet;
  const key = role === 'distributed' ? view.column(w.target) : undefined;
  const changed = facts.kind === 'merge' ? (w.mergeUpdated ?? w.columns) : w.columns;
  if (key && changed.includes(key) && changesKey(facts, key, options)) {
    return {
      class: 'error',
      reason: `the statement changes the distribution column ${key}`,
      error: facts.kind === 'merge' ? { message: 'updating the distribution column is not allowed in MERGE actions' } : ERR_PARTITION_VALUE,
    };
  }
  const volatileWhere = volatileInWhere(facts);
  if (volatileWhere) return volatileWhere;
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

/** A VOLATILE function in an UPDATE's SET list. */
function volatileInSet(facts: QueryFacts): Route | undefined {
  const fn = facts.functions.find((f) => f.volatility === 'volatile' && !f.aggregate && f.where === 'set');
  if (!fn) return undefined;
  return { class: 'error', reason: `volatile function ${fn.name} in UPDATE ... SET`, error: { message: 'functions used in UPDATE queries on distributed tables must not be VOLATILE' } };
}

/** A VOLATILE function in a modification's WHERE clause or join condition. */
function volatileInWhere(facts: QueryFacts): Route | undefined {
  const fn = facts.functions.find((f) => f.volatility === 'volatile' && !f.aggregate && (f.where === 'where' || f.where === 'join'));
  if (!fn) return undefined;
  return {
    class: 'error',
    reason: `volatile function ${fn.name} in the WHERE clause`,
    error: { message: 'functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE' },
  };
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

function insertChecks(facts: QueryFacts, view: DistributionView, classifySelect: ClassifySelect): Route | undefined {
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
  if (w.select) return insertSelect(facts, view, classifySelect);
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
  // A key left out takes its default (a sequence's nextval), evaluated on the coordinator row by row.
  const defaulted = !w.columns.includes(key) && !!view.hasDefault?.(w.target, key);
  if (!defaulted && (!w.columns.includes(key) || !v)) {
    return { class: 'error', reason: `the INSERT gives no value for the distribution column ${key}`, error: { message: 'cannot perform an INSERT without a partition column value' } };
  }
  if (facts.features.ctes > 0) {
    return { class: 'coordinator', reason: 'WITH ... INSERT ... VALUES is planned as a CTE plus INSERT ... SELECT: rows are routed from the coordinator' };
  }
  const rows = w.rows ?? 1;
  const distinct = v?.constants?.length ?? (v?.value === 'param' && rows === 1 ? 1 : undefined);
  if (rows <= 1 || distinct === 1) {
    return { class: 'router', reason: defaulted ? `INSERT whose distribution column ${key} takes its default, evaluated on the coordinator: one shard` : `INSERT with a value for the distribution column ${key}: one shard` };
  }
  return { class: 'multi-shard', reason: `multi-row INSERT: split by shard of ${key}, one task per shard hit` };
}

/**
 * INSERT ... SELECT (README "INSERT.. SELECT Query Planning"): pushdown when
 * the target key comes straight from a colocated source key, else repartition
 * of a multi-shard source, else pull to the coordinator.
 */
function insertSelect(facts: QueryFacts, view: DistributionView, classifySelect: ClassifySelect): Route {
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
  const src = classifySelect({ ...rest, kind: 'select', tablesWritten: [] });
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
