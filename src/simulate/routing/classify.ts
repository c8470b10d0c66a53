/**
 * How Citus's planner would run a query under a design, decided from the
 * query's facts (citus-rules.md §10–11): router (one shard), multi-shard
 * pushdown, repartition join, recursive planning, coordinator only, or an
 * error with Citus's own text. This is the decision only; which shards are
 * hit is worked out from it by the shard-level router.
 */
import type { QueryFacts } from '../../workload/model.js';
import { bare, colocatedComponents, crossJoins, ERR_COMPLEX_COLOCATED, isKeyFilter, isLocal, isSharded, isSingleValue, outerJoinError, routerPlan } from './colocated-joins.js';
import type { CitusError, DistributionView, Route, RoutingOptions } from './model.js';
import { writeChecks } from './modify.js';

export type { CitusError, DistributionView, Route, RouteClass, RoutingOptions, TableRole } from './model.js';

// Citus's texts, verbatim (citus-rules.md §10–11).
const ERR_REPARTITION: CitusError = {
  message: 'the query contains a join that requires repartitioning',
  hint: 'Set citus.enable_repartition_joins to on to enable repartitioning',
};
const ERR_COMPLEX_EQUI: CitusError = {
  message: 'complex joins are only supported when all distributed tables are joined on their distribution columns with equal operator',
};
const FOR_UPDATE_HINT = "Consider using an equality filter on the distributed table's partition column.";

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
    const w = writeChecks(facts, view, dist, options, (select) => classifyQuery(select, view, options));
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
