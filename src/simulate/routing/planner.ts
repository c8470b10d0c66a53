/**
 * Citus's distributed planner for a query (distributed_planner.c): first
 * with every CTE PostgreSQL would inline inlined
 * (InlineCtesAndCreateDistributedPlannedStmt), and when that fails, as
 * written; each time CreateDistributedPlan: the router planner, then
 * recursive planning (and, when it planned anything, the whole of
 * CreateDistributedPlan again on what is left, once), then the logical
 * planner. A subplan is planned by all of it, from the top.
 */
import { Equivalence } from './equivalence.js';
import type { Layout } from './layout.js';
import { logicalPlan } from './logical.js';
import { hasOuterJoin, hasOuterJoinExpr } from './prep.js';
import { pruneRelations } from './pruning.js';
import { ERR, Pushdown } from './pushdown.js';
import { allQueries, cloneQuery, tableRels, type Ids, type Query } from './query.js';
import { allKeysEqualInSubquery, planRecursively, type RecursiveContext } from './recursive.js';
import { routerShards } from './shards.js';
import { PlanningError, type CitusError, type RouteClass } from './types.js';
import type { ColumnFilter } from '../../workload/model.js';

export interface PlanOutcome {
  readonly class: RouteClass;
  readonly reason: string;
  readonly error?: CitusError;
  readonly subplans: number;
  readonly shardIndexes?: number[];
  readonly shardCount?: number;
  readonly keyFilters?: ColumnFilter[];
  readonly needsRepartitionGuc?: boolean;
}

export interface PlannerOptions {
  readonly enableRepartitionJoins: boolean;
  readonly nonColocatedRouter?: boolean;
  /** Modifications plan recurring outer joins recursively whatever their join (forceRecursivelyPlanRecurringOuterJoins). */
  readonly modification?: boolean;
}

/** Subplans nest at most this deep (a runaway model would otherwise not stop). */
const MAX_SUBPLAN_DEPTH = 64;

export class CitusPlanner {
  private depth = 0;

  constructor(
    private readonly layout: Layout,
    private readonly ids: Ids,
    private readonly options: PlannerOptions,
  ) {}

  /** A SELECT planned from the top; Citus's ERROR comes back as the error class. */
  plan(query: Query): PlanOutcome {
    try {
      return this.planStatement(query);
    } catch (e) {
      if (!(e instanceof PlanningError)) throw e;
      return { class: 'error', reason: e.error.message, error: e.error, subplans: 0 };
    }
  }

  /** CreateDistributedPlannedStmt: with CTEs inlined first, then as written. */
  private planStatement(q: Query): PlanOutcome {
    if (!tableRels(q).some((r) => this.layout.citus(r.table)) && !allQueries(q).some((x) => x.rels.some((r) => r.kind === 'result'))) {
      return { class: 'coordinator', reason: 'no Citus table: plain PostgreSQL on the coordinator', subplans: 0 };
    }
    if (hasInlinableCte(q)) {
      const inlined = cloneQuery(q, this.ids);
      inlineCtes(inlined, this.ids);
      try {
        return this.createPlan(inlined, true);
      } catch (e) {
        if (!(e instanceof PlanningError)) throw e;
      }
    }
    return this.createPlan(q, true);
  }

  /** CreateDistributedPlan (SELECT). */
  private createPlan(q: Query, allowRecursive: boolean): PlanOutcome {
    const layout = this.layout;
    ctidOnResults(q);
    const eq = new Equivalence(q, layout);
    const pruned = pruneRelations(q, layout, eq);
    const rels = tableRels(q);
    const routed = this.router(q, rels, pruned);
    if (routed) return routed;
    const push = new Pushdown(layout, eq);
    const ctx: RecursiveContext = {
      level: 0,
      allKeysEqual: !q.ctes.length && allKeysEqualInSubquery(q, { eq, push }),
      eq,
      push,
      layout,
      ids: this.ids,
      hasOuterJoin: hasOuterJoin(allQueries(q)),
      forceRecurringOuterJoins: !!this.options.modification,
      planSubplan: (sub) => this.subplan(sub),
      subplans: 0,
      notes: [],
    };
    const hadCtes = q.ctes.length > 0;
    // Recursive planning changes the query it plans: a copy (the same ids, so the equivalences above still name its relations).
    const working = mayPlanRecursively(q, layout) ? cloneQuery(q) : q;
    if (working !== q) planRecursively(working, ctx);
    ctidOnResults(working);
    if (ctx.subplans > 0 || hadCtes) {
      if (!allowRecursive) throw new PlanningError(ERR.recursiveComplex);
      const rest = this.createPlan(working, false);
      if (rest.class === 'error') return rest;
      const first = [...new Set(ctx.notes)].join('; ');
      return { ...rest, class: 'recursive', subplans: ctx.subplans + rest.subplans, reason: `planned first into intermediate results: ${first}; then ${rest.reason}` };
    }
    const plan = logicalPlan(q, { layout, eq, push, pruned, enableRepartitionJoins: this.options.enableRepartitionJoins });
    return {
      class: plan.class,
      reason: plan.reason,
      subplans: 0,
      ...(plan.indexes ? { shardIndexes: plan.indexes } : {}),
      ...(plan.count !== undefined ? { shardCount: plan.count } : {}),
      ...(plan.needsRepartitionGuc ? { needsRepartitionGuc: true } : {}),
      ...(plan.keyFilters ? { keyFilters: plan.keyFilters } : {}),
    };
  }

  /** CreateRouterPlan for a SELECT; undefined when the router planner cannot plan it. */
  private router(q: Query, rels: ReturnType<typeof tableRels>, pruned: ReturnType<typeof pruneRelations>): PlanOutcome | undefined {
    const layout = this.layout;
    const sharded = rels.some((r) => layout.sharded(r.table));
    const reference = rels.some((r) => layout.role(r.table) === 'reference');
    const local = rels.some((r) => layout.local(r.table) || layout.role(r.table) === 'citus-local');
    if (local && sharded) return undefined;
    if (q.outputs.some((o) => o.nextval) && (sharded || reference)) return undefined;
    // DeferErrorIfUnsupportedRouterPlannableSelectQuery: FOR UPDATE / SHARE only on distributed tables with one placement per shard
    if (q.locking && rels.some((r) => layout.sharded(r.table) && layout.replicationFactor(r.table!) > 1)) return undefined;
    if (!sharded) {
      if (local) return { class: 'coordinator', reason: 'local tables with reference tables: one task on the coordinator, which holds a replica of every reference table', subplans: 0 };
      return { class: 'router', reason: 'only reference tables: one task on one replica', subplans: 0, shardCount: 1 };
    }
    const r = routerShards(rels, pruned, layout, !!this.options.nonColocatedRouter);
    if (typeof r === 'string') return undefined;
    const by = r.keyFilters.map((f) => `${f.table}.${f.column}`);
    const reason = by.length
      ? `equality filter on the distribution column ${[...new Set(by)].join(', ')} prunes every distributed table to one shard`
      : 'single-shard tables in one colocation group: one task';
    return { class: 'router', reason, subplans: 0, ...(r.index !== undefined ? { shardIndexes: [r.index] } : {}), shardCount: 1, keyFilters: r.keyFilters };
  }

  /** CreateDistributedSubPlan: the subquery planned from the top; its error is the statement's. */
  private subplan(sub: Query): void {
    if (++this.depth > MAX_SUBPLAN_DEPTH) throw new PlanningError({ message: 'subplans nest too deep for the model' });
    try {
      // INSERT ... SELECT (in a CTE): its SELECT is planned as a distributed query, whichever way the rows then go (insert_select_planner.c)
      const out = this.planStatement(sub.kind === 'insert' && sub.source ? sub.source : sub);
      if (out.class === 'error' && out.error) throw new PlanningError(out.error);
    } finally {
      this.depth--;
    }
  }
}

/**
 * Whether recursive planning can find anything to plan: CTEs, subqueries
 * (in FROM or in expressions), set operations, functions joined with other
 * items, local tables beside Citus tables, outer joins. A query with none of
 * them passes through it unchanged.
 */
function mayPlanRecursively(q: Query, layout: Layout): boolean {
  if (q.ctes.length || q.sublinks.length || q.setOperation || q.recursiveWith) return true;
  if (q.rels.some((r) => r.kind !== 'table')) return true;
  if (hasOuterJoinExpr(q)) return true;
  const rels = q.rels;
  return rels.some((r) => layout.local(r.table) || layout.role(r.table) === 'citus-local') && rels.some((r) => layout.citus(r.table));
}

/**
 * ModifyQuerySupported: an UPDATE or DELETE that reads intermediate results
 * (read_intermediate_result) must not pick its rows by ctid, which may have
 * changed by the time the modification runs.
 */
function ctidOnResults(q: Query): void {
  if (q.kind !== 'update' && q.kind !== 'delete') return;
  const cols = [...q.equalities.flatMap((e) => [e.a, e.b]), ...q.filters.map((f) => f.column), ...q.sublinks.flatMap((s) => s.test ?? [])];
  if (!cols.some((c) => c?.column === 'ctid')) return;
  if (!allQueries(q).some((x) => x.rels.some((r) => r.kind === 'result'))) return;
  throw new PlanningError({
    message: 'cannot perform distributed planning for the given modification',
    detail: 'Recursively planned distributed modifications with ctid on where clause are not supported.',
  });
}

/** PostgreSQL's CTE inline condition (PostgreSQLCTEInlineCondition), anywhere in the tree. */
function inlinable(owner: Query, c: Query['ctes'][number]): boolean {
  return (c.materialized === false || (c.materialized === undefined && c.refs === 1)) && !c.recursive && !c.modifying && owner.kind === 'select' && !allQueries(c.query).some((x) => x.volatile);
}

function hasInlinableCte(q: Query): boolean {
  return allQueries(q).some((x) => x.ctes.some((c) => inlinable(x, c)));
}

/** RecursivelyInlineCtesInQueryTree: each reference to an inlinable CTE becomes a copy of its query. */
function inlineCtes(q: Query, ids: Ids): void {
  for (let round = 0; round < 64; round++) {
    let changed = false;
    for (const owner of allQueries(q)) {
      for (const c of owner.ctes.filter((x) => inlinable(owner, x))) {
        for (const x of allQueries(owner)) {
          x.rels = x.rels.map((r) => {
            if (r.kind !== 'cte' || r.cte?.owner !== owner || r.cte.name !== c.name) return r;
            return { id: r.id, kind: 'subquery', query: cloneQuery(c.query, ids), ...(r.name !== undefined ? { name: r.name } : {}), ...(r.columns ? { columns: r.columns } : {}) };
          });
        }
        owner.ctes = owner.ctes.filter((x) => x !== c);
        changed = true;
      }
    }
    if (!changed) return;
  }
}
