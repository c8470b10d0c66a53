/**
 * The distributed tables of a query grouped as Citus's planner groups them:
 * joined on their distribution columns within one colocation group
 * (planner/relation_restriction_equivalence.c), the router planner's pruning
 * of each group to one shard (multi_router_planner.c), and the joins left
 * between groups, for SELECTs and modifications alike.
 */
import type { ColumnFilter, JoinPair, QueryFacts } from '../../workload/model.js';
import type { CitusError, DistributionView, Route, TableRole } from './model.js';

export const ERR_COMPLEX_COLOCATED: CitusError = {
  message: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns',
};

export function isSharded(role: TableRole): boolean {
  return role === 'distributed' || role === 'single-shard';
}

export function isLocal(role: TableRole): boolean {
  return role === 'local' || role === 'citus-local';
}

/** Citus names relations without their schema in messages. */
export function bare(key: string): string {
  const dot = key.indexOf('.');
  return dot === -1 ? key : key.slice(dot + 1);
}

export function isKeyFilter(f: ColumnFilter, view: DistributionView): boolean {
  return view.role(f.table) === 'distributed' && view.column(f.table) === f.column && (f.value === 'const' || f.value === 'param') && (f.op === '=' || f.op === 'in');
}

export function isSingleValue(f: ColumnFilter): boolean {
  return (f.op === '=' || (f.op === 'in' && f.count === 1)) && !f.underOr;
}

/** Distributed tables grouped by equi-joins on their distribution columns within one colocation group. */
export function colocatedComponents(facts: QueryFacts, view: DistributionView, dist: string[]): string[][] {
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

export function componentOf(components: string[][], table: string): number | undefined {
  const i = components.findIndex((c) => c.includes(table));
  return i === -1 ? undefined : i;
}

/**
 * The router planner: every distributed table filtered to one shard, all in
 * one colocation group and pruned to the same shard index (same constant).
 */
export function routerPlan(components: string[][], single: ColumnFilter[], view: DistributionView): Route | undefined {
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

/** Join pairs between distributed tables of different components. */
export function crossJoins(facts: QueryFacts, components: string[][]): JoinPair[] {
  return facts.joins.filter((j) => {
    const a = componentOf(components, j.left.table);
    const b = componentOf(components, j.right.table);
    return a !== undefined && b !== undefined && a !== b;
  });
}

/** Outer joins take the subquery-pushdown path, which repartitioning cannot serve. */
export function outerJoinError(j: JoinPair, view: DistributionView): Route {
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
