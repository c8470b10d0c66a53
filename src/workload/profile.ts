/**
 * Per table column: the share of the weighted workload that joins on it,
 * filters on it by equality (where a distribution column would route a query
 * to one shard) and groups or partitions by it.
 */
import type { Workload } from './model.js';

export interface ColumnUsage {
  readonly table: string;
  readonly column: string;
  /** Shares of the total weight, 0..1. */
  readonly join: number;
  /** `=` / `IN` against a constant or parameter, ANDed at the top of its clause (not under OR). */
  readonly equality: number;
  /** Any filter on the column (ranges, LIKE, under OR, ...), equality included. */
  readonly filter: number;
  /** GROUP BY, window PARTITION BY or DISTINCT. */
  readonly group: number;
  /** Number of queries (not weighted) per use. */
  readonly queries: { readonly join: number; readonly equality: number; readonly filter: number; readonly group: number };
}

export interface WorkloadProfile {
  readonly queries: number;
  /** Sum of the query weights the shares are relative to (the query count when every weight is 0). */
  readonly totalWeight: number;
  /** Sorted by table, then column. */
  readonly columns: ColumnUsage[];
}

type Use = 'join' | 'equality' | 'filter' | 'group';

export function profileWorkload(workload: Workload): WorkloadProfile {
  const allZero = workload.queries.every((q) => !(q.query.weight > 0));
  const weightOf = (w: number): number => (allZero ? 1 : w > 0 ? w : 0);
  let total = 0;
  const acc = new Map<string, { table: string; column: string; w: Record<Use, number>; n: Record<Use, number> }>();
  for (const { query, facts } of workload.queries) {
    const w = weightOf(query.weight);
    total += w;
    const seen = new Set<string>();
    const add = (table: string, column: string, use: Use): void => {
      const key = `${table}\u0000${column}`;
      if (seen.has(`${key}\u0000${use}`)) return;
      seen.add(`${key}\u0000${use}`);
      let e = acc.get(key);
      if (!e) {
        e = { table, column, w: { join: 0, equality: 0, filter: 0, group: 0 }, n: { join: 0, equality: 0, filter: 0, group: 0 } };
        acc.set(key, e);
      }
      e.w[use] += w;
      e.n[use] += 1;
    };
    for (const j of facts.joins) {
      add(j.left.table, j.left.column, 'join');
      add(j.right.table, j.right.column, 'join');
    }
    for (const f of facts.filters) {
      add(f.table, f.column, 'filter');
      if ((f.op === '=' || f.op === 'in') && (f.value === 'const' || f.value === 'param') && !f.underOr) add(f.table, f.column, 'equality');
    }
    for (const c of [...facts.groupBy, ...facts.partitionBy, ...facts.distinct]) add(c.table, c.column, 'group');
  }
  const share = (x: number): number => (total > 0 ? x / total : 0);
  const columns = [...acc.values()]
    .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
    .map((e) => ({
      table: e.table,
      column: e.column,
      join: share(e.w.join),
      equality: share(e.w.equality),
      filter: share(e.w.filter),
      group: share(e.w.group),
      queries: { ...e.n },
    }));
  return { queries: workload.queries.length, totalWeight: total, columns };
}
