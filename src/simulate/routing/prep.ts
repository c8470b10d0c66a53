/**
 * What PostgreSQL's planner does to a query before Citus sees the result of
 * it (the "rewritten query" and the restriction hooks): subqueries in
 * conditions turned into semi and anti joins (pull_up_sublinks), simple
 * FROM subqueries and views merged into the query that names them
 * (pull_up_subqueries, is_simple_subquery), and so which planner level
 * plans each relation. Pure functions of the query as it stands: recursive
 * planning changes it, and these answers with it.
 */
import { children, type Query, type Rel, type Sublink } from './query.js';

export type SublinkJoin = 'semi' | 'anti';

/** The join type of a join node of `q`'s join tree, by its id. */
export function joinType(q: Query, join: number | undefined): 'inner' | 'left' | 'right' | 'full' | undefined {
  if (join === undefined) return undefined;
  const stack = [...q.from];
  while (stack.length) {
    const j = stack.pop()!;
    if ('rel' in j) continue;
    if (j.join === join) return j.type;
    stack.push(j.left, j.right);
  }
  return undefined;
}

/** A condition PostgreSQL can turn into a join: ANDed at the top of WHERE or of an inner join's ON. */
function atTopLevel(q: Query, s: Sublink): boolean {
  if (!s.condition || s.underOr) return false;
  if (s.clause === 'where') return true;
  return s.clause === 'on' && joinType(q, s.join) === 'inner';
}

/**
 * convert_EXISTS_sublink_to_join / convert_ANY_sublink_to_join: EXISTS
 * (NOT EXISTS) whose query is simple and correlated in its WHERE clause only
 * becomes a semi (anti) join; `x IN (...)` / `x op ANY (...)` on an
 * uncorrelated query becomes a semi join with that query. NOT IN, ALL,
 * scalar and ARRAY subqueries stay subplans.
 */
export function sublinkJoin(q: Query, s: Sublink): SublinkJoin | undefined {
  if (!atTopLevel(q, s)) return undefined;
  const sub = s.query;
  if (s.kind === 'exists') {
    if (sub.kind !== 'select' || sub.setOperation || sub.result) return undefined;
    if (sub.aggregates || sub.groupingSets || sub.windowFunctions || sub.targetSrf || sub.having || sub.offset || sub.locking || sub.ctes.length) return undefined;
    if (!sub.outerRefs?.where || sub.outerRefs.elsewhere) return undefined;
    return s.negated ? 'anti' : 'semi';
  }
  if ((s.kind === 'in' || s.kind === 'any') && !s.negated) {
    if (sub.correlated || !s.test?.length) return undefined;
    return 'semi';
  }
  return undefined;
}

/** is_simple_subquery: a plain SELECT PostgreSQL merges into the query that reads it. */
export function isSimple(sub: Query): boolean {
  if (sub.result) return true;
  if (sub.kind !== 'select' || sub.setOperation) return false;
  if (sub.aggregates || sub.groupBy.length || sub.having || sub.windowFunctions || sub.groupingSets || sub.distinct) return false;
  if (sub.limit || sub.offset || sub.locking || sub.targetSrf || sub.ctes.length || sub.recursiveWith) return false;
  return !sub.outputs.some((o) => o.volatile);
}

/** A FROM subquery (a derived table, a view) that PostgreSQL pulls up into its query. */
export function pulledUp(rel: Rel): boolean {
  return rel.kind === 'subquery' && !!rel.query && isSimple(rel.query);
}

/**
 * The planner level of every query under `root`: the query PostgreSQL plans
 * its relations in, after pulling simple subqueries and sublinks up into the
 * query above them. Each planner level has its own equivalence classes.
 */
export function plannerLevels(root: Query): Map<Query, Query> {
  const out = new Map<Query, Query>();
  const visit = (q: Query, level: Query): void => {
    out.set(q, level);
    const merged = new Set<Query>();
    for (const r of q.rels) if (r.query && pulledUp(r)) merged.add(r.query);
    for (const s of q.sublinks) {
      const j = sublinkJoin(q, s);
      if (j && (s.kind === 'exists' || isSimple(s.query))) merged.add(s.query);
    }
    for (const c of children(q)) visit(c, merged.has(c) ? level : c);
  };
  visit(root, root);
  return out;
}

/**
 * The sublinks PostgreSQL leaves as subplans in `q` and in what is pulled up
 * into it: what Citus's WhereOrHavingClauseContainsSubquery and
 * TargetListContainsSubquery find in the rewritten query.
 */
export function remainingSublinks(q: Query): Sublink[] {
  const out: Sublink[] = [];
  const visit = (x: Query): void => {
    for (const s of x.sublinks) {
      const j = sublinkJoin(x, s);
      if (!j) out.push(s);
      else if (s.kind === 'exists' || isSimple(s.query)) visit(s.query);
    }
    for (const r of x.rels) if (r.query && pulledUp(r)) visit(r.query);
  };
  visit(q);
  return out;
}

/** The FROM subqueries PostgreSQL does not merge into `q` (JoinTreeContainsSubquery of the rewritten query). */
export function remainingSubqueries(q: Query): Query[] {
  const out: Query[] = [];
  const visit = (x: Query): void => {
    for (const r of x.rels) {
      if (!r.query) continue;
      if (pulledUp(r)) visit(r.query);
      else out.push(r.query);
    }
    for (const s of x.sublinks) {
      const j = sublinkJoin(x, s);
      if (!j) continue;
      if (s.kind === 'exists') visit(s.query);
      else if (isSimple(s.query)) visit(s.query);
      else out.push(s.query);
    }
  };
  visit(q);
  return out;
}

/** Semi joins anywhere among the queries (Citus's joinRestrictionContext->hasSemiJoin). */
export function hasSemiJoin(all: readonly Query[]): boolean {
  return all.some((q) => q.sublinks.some((s) => sublinkJoin(q, s) === 'semi'));
}

/** Outer joins anywhere (anti joins count: IS_OUTER_JOIN), Citus's joinRestrictionContext->hasOuterJoin. */
export function hasOuterJoin(all: readonly Query[]): boolean {
  return all.some((q) => hasOuterJoinExpr(q) || q.sublinks.some((s) => sublinkJoin(q, s) === 'anti'));
}

/** An outer JoinExpr in `q`'s own join tree. */
export function hasOuterJoinExpr(q: Query): boolean {
  const stack = [...q.from];
  while (stack.length) {
    const j = stack.pop()!;
    if ('rel' in j) continue;
    if (j.type !== 'inner') return true;
    stack.push(j.left, j.right);
  }
  return false;
}
