/**
 * Citus's recursive planning (recursive_planning.c,
 * RecursivelyPlanSubqueriesAndCTEs): what of a query is planned first, on
 * its own, into an intermediate result: every CTE that is still one,
 * subqueries that cannot be pushed down or are not joined on the
 * distribution column, the leaves of a set operation, subqueries in HAVING,
 * subqueries not colocated with the query's anchor relation, local tables
 * joined with distributed ones, the distributed side of an outer join whose
 * outer side recurs on every shard, and subqueries over a FROM clause that
 * recurs. Each such subquery is planned by the whole planner (and its error
 * is the statement's), then replaced by the read of its result, as
 * RecursivelyPlanSubquery does. A subquery that refers to the query around
 * it cannot be planned on its own and stays.
 */
import type { Equivalence } from './equivalence.js';
import { columnIndex } from './equivalence.js';
import type { Layout } from './layout.js';
import { ERR, type Pushdown } from './pushdown.js';
import { allQueries, blank, children, replaceByResult, resultQuery, setLeaves, tableRels, type Ids, type Query, type Rel } from './query.js';
import { PlanningError } from './types.js';

export interface RecursiveContext {
  level: number;
  readonly allKeysEqual: boolean;
  readonly eq: Equivalence;
  readonly push: Pushdown;
  readonly layout: Layout;
  readonly ids: Ids;
  /** Any outer (or anti) join in the query as PostgreSQL planned it. */
  readonly hasOuterJoin: boolean;
  /** Modifications plan every recurring outer join recursively. */
  readonly forceRecurringOuterJoins: boolean;
  /** Plan a query as a subplan (the whole planner); throws its PlanningError. */
  readonly planSubplan: (q: Query) => void;
  subplans: number;
  /** What was planned first, in words. */
  readonly notes: string[];
}

/** RecursivelyPlanSubqueriesAndCTEs. */
export function planRecursively(q: Query, ctx: RecursiveContext): void {
  planCtes(q, ctx);
  wrapFunctions(q, ctx);
  for (const c of children(q)) {
    if (c.result) continue;
    ctx.level++;
    planRecursively(c, ctx);
    ctx.level--;
    if (shouldPlanSubquery(c, ctx)) planSubquery(c, ctx, 'a subquery that cannot be pushed down with the rest');
  }
  if (shouldPlanSetOperation(q, ctx)) {
    for (const leaf of setLeaves(q)) {
      if (!leaf.result && allQueries(leaf).some((x) => x.rels.some((r) => r.kind === 'table' && ctx.layout.sharded(r.table)))) planSubquery(leaf, ctx, `each branch of the ${q.setOperation!.op.toUpperCase()}`);
    }
  }
  const having = q.sublinks.filter((s) => s.clause === 'having');
  if (having.some((s) => s.query.correlated)) throw new PlanningError(ERR.havingOuter);
  for (const s of having) if (!s.query.result && ctx.push.hasCitusTable(s.query)) planSubquery(s.query, ctx, 'a subquery in HAVING');
  if (shouldPlanNonColocated(q, ctx)) planNonColocated(q, ctx);
  if (localTableJoin(q, ctx)) planLocalTables(q, ctx);
  if (ctx.hasOuterJoin) for (const j of q.from) outerJoinWalk(j, q, ctx, false);
  if (!ctx.push.rtableHasSharded(q)) {
    for (const s of q.sublinks) {
      if ((s.clause === 'where' || s.clause === 'other') && !s.query.result && ctx.push.hasCitusTable(s.query)) planSubquery(s.query, ctx, 'a subquery over a FROM clause without a distributed table');
    }
  }
}

/** RecursivelyPlanSubquery: plan it on its own and read its result; not possible when it refers to the query around it. */
function planSubquery(sub: Query, ctx: RecursiveContext, why: string): boolean {
  if (sub.correlated) return false;
  ctx.planSubplan(sub);
  ctx.subplans++;
  ctx.notes.push(why);
  replaceByResult(sub, ctx.ids);
  return true;
}

/** RecursivelyPlanCTEs: every CTE still there (not inlined) is a subplan; a recursive one is refused. */
function planCtes(q: Query, ctx: RecursiveContext): void {
  if (!q.ctes.length) return;
  if (q.recursiveWith) throw new PlanningError(ERR.recursiveCte);
  for (const cte of q.ctes) {
    if (cte.query.correlated) throw new PlanningError(ERR.cteOuter);
    if (cte.refs === 0 && !cte.modifying) continue;
    ctx.planSubplan(cte.query);
    ctx.subplans++;
    ctx.notes.push(`CTE ${cte.name}`);
    const names = (cte.query.setOperation ? setLeaves(cte.query)[0].outputs : cte.query.outputs).map((o) => o.name);
    for (const x of allQueries(q)) {
      x.rels = x.rels.map((r) => {
        if (r.kind !== 'cte' || r.cte?.owner !== q || r.cte.name !== cte.name) return r;
        return { id: r.id, kind: 'subquery', query: resultQuery(ctx.ids, names), ...(r.name !== undefined ? { name: r.name } : {}), ...(r.columns ? { columns: r.columns } : {}) } satisfies Rel;
      });
    }
  }
  q.ctes = [];
}

/** WrapFunctionsInSubqueries: a function joined with other items is read as `(SELECT * FROM f()) f`; a mutable one cannot be pushed down. */
function wrapFunctions(q: Query, ctx: RecursiveContext): void {
  if (q.rels.length < 2) return;
  q.rels = q.rels.map((r) => {
    if (r.kind !== 'function' || r.lateral || r.ordinality) return r;
    const inner: Rel = { id: ctx.ids.fresh(), kind: 'function', ...(r.volatility ? { volatility: r.volatility } : {}) };
    const sub: Query = { ...blank(ctx.ids.fresh(), 'select'), rels: [inner], from: [{ rel: inner.id }] };
    return { id: r.id, kind: 'subquery', query: sub, ...(r.name !== undefined ? { name: r.name } : {}) } satisfies Rel;
  });
}

/** ShouldRecursivelyPlanSubquery. */
function shouldPlanSubquery(sub: Query, ctx: RecursiveContext): boolean {
  if (sub.result) return false;
  if (hasLocalTable(sub, ctx)) return true;
  if (ctx.push.cannotPushdown(sub)) return true;
  return !ctx.allKeysEqual && !allKeysEqualInSubquery(sub, ctx);
}

/** A local table, citus local table or materialized view in the query (IsLocalTableRteOrMatView). */
function hasLocalTable(q: Query, ctx: RecursiveContext): boolean {
  return tableRels(q).some((r) => ctx.layout.local(r.table) || ctx.layout.role(r.table) === 'citus-local');
}

/** AllDistributionKeysInSubqueryAreEqual, with the restrictions of the relations the subquery still holds. */
export function allKeysEqualInSubquery(sub: Query, ctx: { readonly eq: Equivalence; readonly push: Pushdown }): boolean {
  if (sub.ctes.length) return false;
  const rels = tableRels(sub);
  // The restrictions of every planner level in the subquery, its own join restrictions (a FULL JOIN's ON) too (FilterPlannerRestrictionForQuery)
  const levels = new Set(allQueries(sub).map((x) => ctx.eq.levels.get(x) ?? x));
  if (ctx.eq.keysEqual(rels, levels)) return true;
  if (sub.setOperation || ctx.push.containsUnionSubquery(sub)) return ctx.push.safeToPushdownUnion(sub, rels);
  return false;
}

/** ShouldRecursivelyPlanSetOperation. */
function shouldPlanSetOperation(q: Query, ctx: RecursiveContext): boolean {
  if (!q.setOperation) return false;
  if (ctx.level === 0) return true;
  if (q.setOperation.op !== 'union') return true;
  if (ctx.push.unsupportedUnion(q)) return true;
  return !ctx.push.safeToPushdownUnion(q, tableRels(q));
}

/** ShouldRecursivelyPlanNonColocatedSubqueries. */
function shouldPlanNonColocated(q: Query, ctx: RecursiveContext): boolean {
  if (ctx.allKeysEqual) return false;
  const containsSubquery = q.rels.some((r) => r.kind === 'subquery') || q.sublinks.some((s) => s.clause === 'where' || s.clause === 'on' || s.clause === 'having');
  if (!containsSubquery) return false;
  if (hasLocalTable(q, ctx)) return false;
  return !allKeysEqualInSubquery(q, ctx);
}

/**
 * RecursivelyPlanNonColocatedSubqueries: the first distributed relation of
 * the FROM clause (else the first subquery over one) is the anchor; every
 * FROM subquery and WHERE subquery whose distributed relations are not
 * equal on their keys to the anchor's, by the anchor's equivalences, is
 * planned on its own (SubqueryColocated).
 */
function planNonColocated(q: Query, ctx: RecursiveContext): void {
  let anchor: Rel | undefined;
  for (const r of q.rels) {
    if (r.kind === 'table' && ctx.layout.sharded(r.table)) {
      anchor = r;
      break;
    }
    if (!anchor && r.kind === 'subquery' && r.query && !r.query.setOperation && !ctx.push.containsUnionSubquery(r.query) && tableRels(r.query).some((t) => ctx.layout.sharded(t.table))) anchor = r;
  }
  if (!anchor) return;
  const anchorRels = anchor.kind === 'table' ? [anchor] : tableRels(anchor.query!);
  const levels = new Set(anchorRels.map((r) => ctx.eq.levelOfRel(r.id)).filter((l): l is Query => !!l));
  const colocated = (sub: Query): boolean => {
    const rels = tableRels(sub);
    if (!rels.length) return true;
    const union = [...anchorRels, ...rels.filter((r) => !anchorRels.includes(r))];
    return ctx.eq.keysEqual(union.filter((r) => !ctx.layout.local(r.table)), levels);
  };
  for (const r of q.rels) {
    if (r.kind !== 'subquery' || !r.query || r === anchor || r.query.result) continue;
    if (!colocated(r.query)) planSubquery(r.query, ctx, 'a subquery not joined with the rest on the distribution column');
  }
  for (const s of q.sublinks) {
    if (s.clause !== 'where' || s.query.result) continue;
    if (!colocated(s.query)) planSubquery(s.query, ctx, 'a subquery in WHERE not joined with the rest on the distribution column');
  }
}

/** ContainsLocalTableDistributedTableJoin: a local table and a distributed or reference table side by side in this FROM clause. */
function localTableJoin(q: Query, ctx: RecursiveContext): boolean {
  let local = false;
  let distributed = false;
  for (const r of q.rels) {
    const deep = r.kind === 'table' ? [r] : r.query ? tableRels(r.query) : [];
    if (deep.some((t) => ctx.layout.sharded(t.table) || ctx.layout.role(t.table) === 'reference')) distributed = true;
    else if (r.kind === 'table' && (ctx.layout.local(r.table) || ctx.layout.role(r.table) === 'citus-local')) local = true;
  }
  return local && distributed;
}

/** RecursivelyPlanLocalTableJoins (citus.local_table_join_policy = auto): the local tables are read into intermediate results. */
function planLocalTables(q: Query, ctx: RecursiveContext): void {
  const isLocal = (r: Rel) => r.kind === 'table' && (ctx.layout.local(r.table) || ctx.layout.role(r.table) === 'citus-local');
  // The result relation is never converted; when it is the only local table, the Citus tables are (GetNextRTEToConvertToSubquery).
  const locals = q.rels.filter((r) => isLocal(r) && r.id !== q.target);
  if (!locals.length && q.target !== undefined && q.rels.some((r) => r.id === q.target && isLocal(r))) {
    q.rels = q.rels.map((r) => (r.kind === 'table' && r.id !== q.target && ctx.layout.citus(r.table) ? tableAsResult(r, ctx, `${ctx.layout.sharded(r.table) ? 'distributed' : 'reference'} table ${r.name ?? r.table}`) : r));
    return;
  }
  q.rels = q.rels.map((r) => (isLocal(r) && r.id !== q.target ? tableAsResult(r, ctx, `local table ${r.name ?? r.table}`) : r));
}

/** A table replaced by a subquery over it, planned on its own: its result. */
function tableAsResult(r: Rel, ctx: RecursiveContext, why: string): Rel {
  const inner: Rel = { ...r, id: ctx.ids.fresh() };
  const sub: Query = { ...blank(ctx.ids.fresh(), 'select'), rels: [inner], from: [{ rel: inner.id }] };
  ctx.planSubplan(sub);
  ctx.subplans++;
  ctx.notes.push(why);
  replaceByResult(sub, ctx.ids);
  return { id: r.id, kind: 'subquery', query: sub, ...(r.name !== undefined ? { name: r.name } : {}) };
}

/** IsRTERefRecurring: no distributed table in the item. */
function recurring(r: Rel | undefined, ctx: RecursiveContext): boolean {
  if (!r) return true;
  if (r.kind === 'table') return !ctx.layout.sharded(r.table);
  if (r.query) return !allQueries(r.query).some((x) => x.rels.some((t) => t.kind === 'table' && ctx.layout.sharded(t.table)));
  return true;
}

type JoinNode = Query['from'][number];

/** RecursivelyPlanRecurringTupleOuterJoinWalker: whether the node recurs, planning the distributed side of `<recurring> LEFT JOIN <distributed>`. */
function outerJoinWalk(node: JoinNode, q: Query, ctx: RecursiveContext, chained: boolean): boolean {
  if ('rel' in node) return recurring(q.rels.find((r) => r.id === node.rel), ctx);
  const l = outerJoinWalk(node.left, q, ctx, true);
  const r = outerJoinWalk(node.right, q, ctx, true);
  switch (node.type) {
    case 'left':
      if (l && !r) {
        if (ctx.forceRecurringOuterJoins || chained || !canPushdownRecurringOuterJoin(node, q, ctx)) planDistributedNode(node.right, q, ctx);
        else return false;
      }
      return l;
    case 'right':
      if (!l && r) {
        if (ctx.forceRecurringOuterJoins || chained || !canPushdownRecurringOuterJoin(node, q, ctx)) planDistributedNode(node.left, q, ctx);
        else return false;
      }
      return r;
    case 'full':
      if (l && !r) planDistributedNode(node.right, q, ctx);
      else if (!l && r) planDistributedNode(node.left, q, ctx);
      return l || r;
    default:
      return l && r;
  }
}

/** RecursivelyPlanDistributedJoinNode. */
function planDistributedNode(node: JoinNode, q: Query, ctx: RecursiveContext): void {
  if (!('rel' in node)) {
    planDistributedNode(node.left, q, ctx);
    planDistributedNode(node.right, q, ctx);
    return;
  }
  const i = q.rels.findIndex((r) => r.id === node.rel);
  const rel = q.rels[i];
  if (!rel || recurring(rel, ctx)) return;
  if (rel.kind === 'table') q.rels[i] = tableAsResult(rel, ctx, `${rel.name ?? rel.table} on the inner side of an outer join with a table that recurs on every shard`);
  else if (rel.query) planSubquery(rel.query, ctx, 'a subquery on the inner side of an outer join with a table that recurs on every shard');
}

/**
 * CanPushdownRecurringOuterJoinExtended (13.2, citus.enable_recurring_outer_join_pushdown):
 * `reference LEFT JOIN distributed` of two single items, no LATERAL, joined
 * by an equality between a reference table column and the distributed
 * table's distribution column (directly, or through a subquery's output).
 */
function canPushdownRecurringOuterJoin(node: Extract<JoinNode, { join: number }>, q: Query, ctx: RecursiveContext): boolean {
  if (node.type !== 'left' && node.type !== 'right') return false;
  if (!('rel' in node.left) || !('rel' in node.right)) return false;
  const outerId = node.type === 'left' ? node.left.rel : node.right.rel;
  const innerId = node.type === 'left' ? node.right.rel : node.left.rel;
  const outer = q.rels.find((r) => r.id === outerId);
  const inner = q.rels.find((r) => r.id === innerId);
  if (outer?.kind !== 'table' || ctx.layout.role(outer.table) !== 'reference') return false;
  if (outer.lateral || inner?.lateral) return false;
  for (const e of q.equalities) {
    if (e.clause !== 'on' || e.join !== node.join || e.underOr || e.negated) continue;
    const innerCol = e.a.rel === outerId ? e.b : e.b.rel === outerId ? e.a : undefined;
    if (!innerCol || innerCol.rel !== innerId || !inner) continue;
    if (inner.kind === 'table' && ctx.layout.isKey(inner.table, innerCol.column)) return true;
    if (inner.kind === 'subquery' && inner.query) {
      const base = resolveBase(inner, innerCol.column, ctx);
      if (base && ctx.layout.isKey(base.table, base.column)) return true;
    }
  }
  return false;
}

/** ResolveBaseVarFromSubquery: the table column a subquery output shows. */
function resolveBase(rel: Rel, column: string, ctx: RecursiveContext, depth = 0): { table?: string; column: string } | undefined {
  if (depth > 64) return undefined;
  if (rel.kind === 'table') return { ...(rel.table !== undefined ? { table: rel.table } : {}), column };
  if (!rel.query || rel.query.setOperation) return undefined;
  const i = columnIndex(rel, column);
  const o = i < 0 ? undefined : rel.query.outputs[i]?.column;
  if (!o) return undefined;
  const next = rel.query.rels.find((r) => r.id === o.rel);
  return next ? resolveBase(next, o.column, ctx, depth + 1) : undefined;
}
