/**
 * The shards a plan runs on, from what pruning left of each relation
 * instance: the router planner's one shard group (PlanRouterQuery,
 * AllShardsColocated), the pushdown planner's tasks, one per shard index
 * any distributed relation keeps (QueryPushdownSqlTaskList), and the join
 * planner's, one per shard index every locally joined relation keeps.
 */
import type { ColumnFilter } from '../../workload/model.js';
import type { Layout } from './layout.js';
import type { Pruned } from './pruning.js';
import type { Rel } from './query.js';

/** The shards one relation instance keeps: exact indexes, or a count when values cannot be hashed here. */
export type ShardSet = { readonly all: true } | { readonly indexes: ReadonlySet<number> } | { readonly count: number; readonly values: readonly string[] };

export function shardSet(rel: Rel, p: Pruned | undefined, layout: Layout): ShardSet {
  const table = rel.table!;
  if (!p || p.kind === 'all') return layout.shardCount(table) === 1 ? { indexes: new Set([0]) } : { all: true };
  if (p.kind === 'none') return { indexes: new Set() };
  // A parameter's value is bound at execution (Citus plans each execution with it): one shard, or up to one per list member.
  if (p.kind === 'param') {
    const n = p.count ?? 1;
    return { count: Math.min(n, layout.shardCount(table) ?? n), values: [] };
  }
  const idx = p.values.map((v) => layout.shardIndex(table, v));
  if (idx.every((i): i is number => i !== undefined)) return { indexes: new Set(idx) };
  return { count: p.values.length, values: p.values };
}

export interface RouterPlan {
  /** The shard index the statement runs on, when the values hash here. */
  readonly index?: number;
  /** The key filters that pinned it, for the shard router. */
  readonly keyFilters: ColumnFilter[];
}

/**
 * PlanRouterQuery for a SELECT: every hash-distributed relation pruned to at
 * most one shard, and every distributed and single-shard relation in one
 * colocation group on one shard index (reference tables go anywhere). A
 * parameter's shard is taken to be the others' (one tenant binds one key).
 */
/**
 * The router planner's shards (TargetShardIntervalsForRestrictInfo): each
 * distributed table pruned to one shard, all in one colocation group unless
 * citus.enable_non_colocated_router_query_pushdown is on (then each table's one
 * shard is taken as placed on a common node, as Citus's tests place them).
 */
export function routerShards(rels: readonly Rel[], pruned: ReadonlyMap<number, Pruned>, layout: Layout, nonColocated = false): RouterPlan | string {
  const groups = new Set<string | undefined>();
  let index: number | undefined;
  const byGroup = new Map<string | undefined, number>();
  let emptied = false;
  let literal: string | undefined;
  const keyFilters: ColumnFilter[] = [];
  for (const r of rels) {
    if (r.kind !== 'table' || !layout.sharded(r.table)) continue;
    groups.add(layout.group(r.table));
    if (!layout.hash(r.table)) continue;
    const p = pruned.get(r.id);
    const set = shardSet(r, p, layout);
    const column = layout.column(r.table)!;
    if ('all' in set) return `${r.name ?? r.table} is not filtered to one shard`;
    if ('indexes' in set) {
      // pruned to no shard (contradictory restrictions): nothing left to be colocated with
      if (set.indexes.size === 0) emptied = true;
      if (set.indexes.size > 1) return `${r.name ?? r.table} is filtered to ${set.indexes.size} shards`;
      const [i] = set.indexes;
      if (i !== undefined) {
        const g = layout.group(r.table);
        if (byGroup.has(g) ? byGroup.get(g) !== i : index !== undefined && !nonColocated && index !== i) return 'the distributed tables are filtered to different shards';
        byGroup.set(g, i);
        index ??= i;
      }
      if (p?.kind === 'values') keyFilters.push(filterOf(r.table!, column, 'const', p.values));
      continue;
    }
    if (set.values.length > 1 || set.count > 1) return `${r.name ?? r.table} is filtered to ${Math.max(set.values.length, set.count)} values`;
    if (set.values.length === 1) {
      if (literal !== undefined && literal !== set.values[0]) return 'the distributed tables are filtered to different values';
      literal = set.values[0];
      keyFilters.push(filterOf(r.table!, column, 'const', set.values));
    } else keyFilters.push(filterOf(r.table!, column, 'param'));
  }
  if (groups.size > 1 && !nonColocated && !emptied) return 'the distributed tables are not in one colocation group';
  return { ...(index !== undefined ? { index } : {}), keyFilters };
}

function filterOf(table: string, column: string, value: 'const' | 'param', values?: readonly string[], op: '=' | 'in' = '='): ColumnFilter {
  return { table, column, op, value, ...(values ? { values: [...values].sort() } : {}), ...(op === 'in' ? { count: values?.length ?? 1 } : {}), underOr: false, clause: 'where', inSubquery: false };
}

/** The distribution-column filters that narrow a multi-shard plan's relations (IN lists), for the shard router. */
export function pruningFilters(rels: readonly Rel[], pruned: ReadonlyMap<number, Pruned>, layout: Layout): ColumnFilter[] {
  const out: ColumnFilter[] = [];
  for (const r of rels) {
    if (r.kind !== 'table' || !layout.hash(r.table)) continue;
    const p = pruned.get(r.id);
    if (p?.kind === 'values' && p.values.length > 1) out.push(filterOf(r.table!, layout.column(r.table)!, 'const', p.values, 'in'));
  }
  return out;
}

/** The shards a multi-shard plan's tasks run on: the union (pushdown) or intersection (joined on the key) of what each relation keeps. */
export function taskShards(sets: readonly ShardSet[], combine: 'union' | 'intersection'): { readonly indexes?: number[]; readonly count?: number } {
  if (!sets.length) return { count: 1 };
  const exact = sets.filter((s): s is { indexes: ReadonlySet<number> } => 'indexes' in s);
  const all = sets.some((s) => 'all' in s);
  if (combine === 'union') {
    if (all) return {};
    if (exact.length === sets.length) return { indexes: [...new Set(exact.flatMap((s) => [...s.indexes]))].sort((a, b) => a - b) };
    return { count: sets.reduce((n, s) => n + ('count' in s ? s.count : 'indexes' in s ? s.indexes.size : 0), 0) };
  }
  const narrowed = sets.filter((s) => !('all' in s));
  if (!narrowed.length) return {};
  if (exact.length === narrowed.length) {
    let acc = [...exact[0].indexes];
    for (const s of exact.slice(1)) acc = acc.filter((i) => s.indexes.has(i));
    return { indexes: acc.sort((a, b) => a - b) };
  }
  return { count: Math.min(...narrowed.map((s) => ('count' in s ? s.count : 'indexes' in s ? s.indexes.size : 0))) };
}
