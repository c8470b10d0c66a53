/**
 * What one design search reads again and again, computed once: candidates per
 * table, the workload's shapes and shares, foreign keys, neighbours and
 * referrers per table; and the size and link questions asked of a table.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import { LARGE_ROWS } from '../stats/index.js';
import type { Stats } from '../stats/model.js';
import type { Workload } from '../workload/model.js';
import { scoreCandidates, type Candidate, type ColumnUsage, type ScoreContext } from './candidates.js';
import { designableTables, effectiveForeignKeyMap, effectiveForeignKeys, type JoinGraph, type KeyClass } from './graph.js';
import { optionalKeyOf, partitionsByRoot, type OptionalKey } from './optional.js';
import { RouteMemo } from './routing.js';
import type { WorkloadShapes } from './shapes.js';

export interface SearchContext {
  readonly catalog: Catalog;
  readonly graph: JoinGraph;
  readonly workload?: Workload;
  readonly stats: Stats;
  readonly shardCount: number;
  readonly usage: Map<string, ColumnUsage>;
  readonly fkCount: Map<string, number>;
  readonly enableRepartitionJoins: boolean;
  /** Per table, candidates (computed once). */
  readonly candidates: Map<string, Candidate[]>;
  /** The workload's distinct query facts. */
  readonly shapes: WorkloadShapes;
  /** Per query (index into `workload.queries`), its weight over the total. */
  readonly queryShare: Float64Array;
  /** Per (root) table, the shapes that touch it. */
  readonly shapesByTable: Map<string, number[]>;
  readonly totalWeight: number;
  /** Written share of the weighted workload, per table. */
  readonly writeShare: Map<string, number>;
  readonly maxRows: number;
  /** The tables the advisor decides on (`designableTables`), in catalog order. */
  readonly designable: Table[];
  /** Per designable table, its `effectiveForeignKeys`. */
  readonly fks: Map<string, ForeignKey[]>;
  /** How many foreign keys `fks` holds. */
  readonly fkTotal: number;
  /** Per table, the designable tables that reference it: by foreign key, or by a key named after it. */
  readonly referrers: Map<string, string[]>;
  /** Per table, the other tables an edge of the join graph links it to. */
  readonly neighbours: Map<string, string[]>;
  /** Per table, the edges of the join graph at it, in graph order. */
  readonly edgesAt: Map<string, JoinGraph['edges']>;
  /** Per table, the other tables some query reads or writes with it. */
  readonly coTables: Map<string, string[]>;
  /** The routes decided so far in this run (designs share most of them). */
  readonly routeMemo: RouteMemo;
  /** Per table, its foreign keys in backfill order (filled as asked). */
  readonly backfillFks: Map<string, ForeignKey[]>;
  /** Per `table\u0000column`, what distributing on it costs in the objective (asked once). */
  readonly keyCosts: Map<string, { readonly type: number; readonly lowCardinality: number }>;
  /** Per key class, whether its int columns can all be widened to bigint (asked once). */
  readonly widenable: Map<string, boolean>;
  /** Per table, whether it is shaped like a lookup table (asked once). */
  readonly lookupShaped: Map<string, boolean>;
  /** Per key class, the members it can take as entries (made when first asked). */
  readonly classEntries: Map<string, ReadonlyArray<readonly [string, readonly string[]]>>;
  /** The join graph's key classes by id. */
  readonly classById: Map<string, KeyClass>;
  /** Per key class, its canonical column name (`canonicalName`), computed when first asked. */
  readonly classNames: Map<string, string>;
  /** Per partitioned table, its partitions (`partitionsByRoot`). */
  readonly partitions: Map<string, Table[]>;
  /** Per `table\u0000column`, the CHECK that leaves it NULL by design, or null (asked once). */
  readonly optionalKeys: Map<string, OptionalKey | null>;
}

export function makeContext(
  catalog: Catalog,
  graph: JoinGraph,
  workload: Workload | undefined,
  shapes: WorkloadShapes,
  stats: Stats,
  shardCount: number,
  usage: Map<string, ColumnUsage>,
  fkCount: Map<string, number>,
  enableRepartitionJoins: boolean,
  observed: Stats = stats,
): SearchContext {
  const designable = designableTables(catalog);
  const candidates = new Map<string, Candidate[]>();
  for (const t of designable) {
    const seen = observed.tables[t.key];
    const ctx: ScoreContext = { shardCount, usage, graph, stats: stats.tables[t.key], fkCount, ...(seen && !seen.estimated ? { observed: seen } : {}) };
    candidates.set(t.key, scoreCandidates(t, ctx));
  }
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  // Per shape first (tables, co-read tables), then per query in workload order (sums).
  const shapesByTable = new Map<string, number[]>();
  const coSets = new Map<string, Set<string>>();
  shapes.shapes.forEach((shape, i) => {
    for (const t of shape.tables) {
      push(shapesByTable, t, i);
      let co = coSets.get(t);
      if (!co) coSets.set(t, (co = new Set()));
      for (const o of shape.tables) if (o !== t) co.add(o);
    }
  });
  const coTables = new Map([...coSets].map(([t, set]) => [t, [...set].sort()]));
  const writeShare = new Map<string, number>();
  let totalWeight = 0;
  const queries = workload?.queries ?? [];
  queries.forEach((q, i) => {
    totalWeight += q.query.weight;
    for (const t of shapes.shapes[shapes.shapeOf[i]].written) writeShare.set(t, (writeShare.get(t) ?? 0) + q.query.weight);
  });
  if (totalWeight > 0) for (const [t, w] of writeShare) writeShare.set(t, w / totalWeight);
  const queryShare = new Float64Array(queries.length);
  queries.forEach((q, i) => (queryShare[i] = q.query.weight / totalWeight));
  const maxRows = Math.max(1, ...Object.values(stats.tables).map((s) => s.rows));

  const fks = effectiveForeignKeyMap(catalog);
  const root = (k: string) => partitionRoot(catalog, k);
  const referrers = new Map<string, string[]>();
  // Declared foreign keys, and the references a key's name states (the application keeps them).
  const implied = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    if (e.kind !== 'inferred' || e.weight < 0.5 || e.a.table === e.b.table) continue;
    let set = implied.get(e.a.table);
    if (!set) implied.set(e.a.table, (set = new Set()));
    set.add(e.b.table);
  }
  for (const t of designable) for (const ref of new Set([...fks.get(t.key)!.map((f) => root(f.refTable)), ...(implied.get(t.key) ?? [])])) push(referrers, ref, t.key);
  const neighbourSets = new Map<string, Set<string>>();
  const edgesAt = new Map<string, JoinGraph['edges']>();
  for (const e of graph.edges) {
    push(edgesAt, e.a.table, e);
    if (e.b.table !== e.a.table) push(edgesAt, e.b.table, e);
    if (e.a.table === e.b.table) continue;
    for (const [x, y] of [
      [e.a.table, e.b.table],
      [e.b.table, e.a.table],
    ]) {
      let set = neighbourSets.get(x);
      if (!set) neighbourSets.set(x, (set = new Set()));
      set.add(y);
    }
  }
  const neighbours = new Map([...neighbourSets].map(([t, set]) => [t, [...set].sort()]));
  const routeMemo = new RouteMemo({ catalog, shapes, enableRepartitionJoins });
  return {
    catalog,
    graph,
    workload,
    stats,
    shardCount,
    usage,
    fkCount,
    enableRepartitionJoins,
    candidates,
    shapes,
    queryShare,
    shapesByTable,
    totalWeight,
    writeShare,
    maxRows,
    designable,
    fks,
    fkTotal: designable.reduce((n, t) => n + fks.get(t.key)!.length, 0),
    referrers,
    neighbours,
    edgesAt,
    coTables,
    routeMemo,
    backfillFks: new Map(),
    classNames: new Map(),
    optionalKeys: new Map(),
    partitions: partitionsByRoot(catalog),
    keyCosts: new Map(),
    widenable: new Map(),
    classEntries: new Map(),
    lookupShaped: new Map(),
    classById: new Map(graph.classes.map((c) => [c.id, c])),
  };
}

/** The CHECK that leaves the column NULL by design (`optionalKeyOf`), asked once per run. */
export function optionalKey(ctx: SearchContext, t: Table, column: string): OptionalKey | undefined {
  const k = `${t.key}\u0000${column}`;
  let found = ctx.optionalKeys.get(k);
  if (found === undefined) ctx.optionalKeys.set(k, (found = optionalKeyOf(t, column, ctx.partitions.get(t.key)) ?? null));
  return found ?? undefined;
}

/** `effectiveForeignKeys`, from the context when the table is designable. */
export function fksOf(ctx: SearchContext, t: Table): ForeignKey[] {
  return ctx.fks.get(t.key) ?? effectiveForeignKeys(ctx.catalog, t);
}

export function rows(ctx: SearchContext, t: string): number {
  return ctx.stats.tables[t]?.rows ?? 0;
}

export function distributable(t: Table): string | undefined {
  if (t.relkind === 'foreign') return 'a foreign table cannot be distributed';
  if (t.persistence === 'temporary') return 'a temporary table cannot be distributed';
  if (t.inherits.length) return 'a table in a plain inheritance hierarchy cannot be distributed';
  return undefined;
}

export function relSize(ctx: SearchContext, t: string): number {
  return rows(ctx, t) / ctx.maxRows;
}

export function measured(ctx: SearchContext, t: string): boolean {
  const st = ctx.stats.tables[t];
  return !!st && !st.estimated;
}

/**
 * Large by its inferred size: the schema alone says it holds millions of rows
 * (a hub, a fact, a table deep in a chain of references). Never a reference
 * table: every node would hold all of it, and every write would go to each.
 */
export function inferredLarge(ctx: SearchContext, t: string): boolean {
  const st = ctx.stats.tables[t];
  return !!st && st.estimated && st.rows >= LARGE_ROWS;
}

/** Small next to the largest table (relative, so that sample databases and estimates read alike). */
export function isSmall(ctx: SearchContext, t: string): boolean {
  return relSize(ctx, t) <= 0.02;
}

/** Not small, but read-mostly and shared: still worth replicating. */
export function isSharedLookup(ctx: SearchContext, t: string): boolean {
  if (rows(ctx, t) > LARGE_ROWS) return false;
  if (ctx.totalWeight === 0) return isSmall(ctx, t);
  return (ctx.writeShare.get(t) ?? 0) < 0.01 && relSize(ctx, t) <= 0.05;
}

/** No foreign key, join or implicit reference links it to any other table. */
export function isolated(ctx: SearchContext, t: string): boolean {
  return !ctx.neighbours.has(t);
}

