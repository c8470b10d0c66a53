/**
 * Per table column: the share of the weighted workload that joins on it,
 * filters on it by equality (where a distribution column would route a query
 * to one shard) and groups or partitions by it.
 */
import type { Location } from '../catalog/model.js';
import type { UnresolvedColumn, Workload } from './model.js';

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

/** A query some of whose relations or columns could not be resolved: its uses of them count nowhere above. */
export interface UnresolvedQuery {
  readonly id: string;
  /** Where it was first seen. */
  readonly location?: Location;
  readonly label?: string;
  readonly weight: number;
  /** Relations named that the catalog does not have (as catalog keys, sorted). */
  readonly relations: string[];
  /** Column references that did not resolve to a base column. */
  readonly columns: UnresolvedColumn[];
}

export interface WorkloadProfile {
  readonly queries: number;
  /** Sum of the query weights the shares are relative to (the query count when every weight is 0). */
  readonly totalWeight: number;
  /** Sorted by table, then column. */
  readonly columns: ColumnUsage[];
  /** Queries with unknown relations or unresolved columns, the heaviest first (then by id). */
  readonly unresolved: UnresolvedQuery[];
  /** Unqualified names were resolved in this schema, the only one holding tables (no search_path said otherwise). */
  readonly assumedSchema?: string;
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
  const unresolved: UnresolvedQuery[] = workload.queries
    .filter(({ facts }) => facts.unknownRelations.length > 0 || facts.unresolved.length > 0)
    .map(({ query, facts }) => ({
      id: query.id,
      ...(query.sources[0] ? { location: query.sources[0] } : {}),
      ...(query.label !== undefined ? { label: query.label } : {}),
      weight: query.weight,
      relations: [...facts.unknownRelations],
      columns: [...facts.unresolved],
    }))
    .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    queries: workload.queries.length,
    totalWeight: total,
    columns,
    unresolved,
    ...(workload.assumedSchema !== undefined ? { assumedSchema: workload.assumedSchema } : {}),
  };
}
