/**
 * The global design search. For each key class (a set of columns linked by
 * foreign keys, naming and joins), build the design that distributes the
 * class's tables on it, brings along the tables that reach it through
 * foreign keys (backfill), and makes small shared tables reference tables;
 * score it against the workload with Citus's routing rules and against the
 * schema's foreign keys; keep the best; then improve table by table.
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import type { Backfill } from '../design/model.js';
import type { Stats } from '../stats/model.js';
import type { Workload } from '../workload/model.js';
import { scoreCandidates, type Candidate, type ColumnUsage, type ScoreContext } from './candidates.js';
import type { Assignment, Choice, DesignLookup } from './choice.js';
import { designableTables, effectiveForeignKeyMap, effectiveForeignKeys, type JoinGraph, type KeyClass } from './graph.js';
import { RouteMemo, WorkloadRouting } from './routing.js';
import type { WorkloadShapes } from './shapes.js';

// The design types live in choice.ts (routing.ts reads them too); the advisor's entry takes them from here.
export { withChoice, type Assignment, type Choice, type DesignLookup } from './choice.js';

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
  /** Per table, the designable tables whose foreign keys reference it. */
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
): SearchContext {
  const designable = designableTables(catalog);
  const candidates = new Map<string, Candidate[]>();
  for (const t of designable) {
    const ctx: ScoreContext = { shardCount, usage, graph, stats: stats.tables[t.key], fkCount };
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
  for (const t of designable) for (const ref of new Set(fks.get(t.key)!.map((f) => root(f.refTable)))) push(referrers, ref, t.key);
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
    referrers,
    neighbours,
    edgesAt,
    coTables,
    routeMemo,
    backfillFks: new Map(),
  };
}

/** `effectiveForeignKeys`, from the context when the table is designable. */
function fksOf(ctx: SearchContext, t: Table): ForeignKey[] {
  return ctx.fks.get(t.key) ?? effectiveForeignKeys(ctx.catalog, t);
}

// ------------------------------------------------------------------ objective

export interface Score {
  readonly total: number;
  readonly workload: number;
  readonly foreignKeys: number;
  readonly coverage: number;
  readonly penalty: number;
}

/** The design's score; `workload`, when given, is its routing value (`WorkloadRouting.value`), else it is computed. */
export function scoreAssignment(ctx: SearchContext, assign: Assignment, workload?: number): Score {
  const wl = workload ?? new WorkloadRouting(ctx, assign).value();
  const fk = fkScore(ctx, assign);
  const cov = coverage(ctx, assign);
  const pen = penalty(ctx, assign);
  const hasWl = ctx.totalWeight > 0;
  const total = (hasWl ? wl : 0) + fk * (hasWl ? 0.25 : 1) + cov * (hasWl ? 0.25 : 0.5) + breadth(ctx, assign) * 0.5 - pen;
  return { total, workload: wl, foreignKeys: fk, coverage: cov, penalty: pen };
}

/** Share of foreign keys Citus keeps under the design (colocated on the key, to a reference table, or between local tables). */
export function fkScore(ctx: SearchContext, assign: Assignment): number {
  let kept = 0;
  let total = 0;
  for (const t of ctx.designable) {
    for (const fk of ctx.fks.get(t.key)!) {
      total++;
      if (fkSupported(ctx.catalog, assign, t, fk.refTable, fk.columns, fk.refColumns)) kept++;
    }
  }
  return total ? kept / total : 1;
}

export function fkSupported(catalog: Catalog, assign: DesignLookup, t: Table, refTable: string, cols: string[], refCols: string[]): boolean {
  const ref = partitionRoot(catalog, refTable);
  const a = assign.get(t.key);
  const b = assign.get(ref);
  const ka = a?.kind ?? 'local';
  const kb = b?.kind ?? 'local';
  if (kb === 'reference') return ka !== 'local' || true; // local -> reference auto-converts to citus local
  if (ka === 'local' && kb === 'local') return true;
  if (ka === 'distributed' && kb === 'distributed') {
    // Same group: kept, the key at the same position (the migration adds it to both sides when missing).
    if (a!.group !== b!.group) return false;
    const i = cols.indexOf(a!.column!);
    return i === -1 ? !!(a!.backfill || b!.backfill || !refCols.includes(b!.column!)) : refCols[i] === b!.column;
  }
  return false;
}

/**
 * How far one key reaches: the share of distributable tables in the largest
 * colocation group, counting the tables that already carry the key in full
 * and those that need it backfilled at a quarter.
 */
function breadth(ctx: SearchContext, assign: Assignment): number {
  const sizes = new Map<string, number>();
  let n = 0;
  for (const t of ctx.designable) {
    if (distributable(t)) continue;
    n++;
    const c = assign.get(t.key);
    if (c?.kind === 'distributed' && c.group) sizes.set(c.group, (sizes.get(c.group) ?? 0) + (c.backfill ? 0.25 : 1));
  }
  return n ? Math.max(0, ...sizes.values()) / n : 0;
}

function coverage(ctx: SearchContext, assign: Assignment): number {
  let dist = 0;
  let all = 0;
  for (const t of ctx.designable) {
    const rows = ctx.stats.tables[t.key]?.rows ?? 0;
    if (rows < ctx.maxRows * 0.25) continue; // only the large tables: whether they are spread is what coverage measures
    all += rows;
    const c = assign.get(t.key);
    if (c?.kind === 'distributed' || c?.kind === 'reference') dist += rows * (c.kind === 'distributed' ? 1 : 0.5);
  }
  return all ? dist / all : 0;
}

function penalty(ctx: SearchContext, assign: Assignment): number {
  let p = 0;
  let lowCardinality = 0;
  let distributed = 0;
  for (const [t, c] of assign) {
    if (c.kind !== 'distributed' || !c.column) continue;
    distributed++;
    const source = c.backfill?.path?.[c.backfill.path.length - 1]?.refTable ?? t;
    const cand = ctx.candidates.get(source)?.find((x) => x.column === c.column);
    if (cand) {
      p += (1 - cand.parts.type) * 0.05;
      // only a measured distinct count is evidence of too few keys
      if (ctx.stats.tables[source] && !ctx.stats.tables[source].estimated) lowCardinality += 1 - cand.parts.cardinality;
    }
    if (c.backfill) p += 0.01 * (c.backfill.path?.length ?? 1);
  }
  // Fewer distinct keys than shards caps parallelism: averaged, so it weighs a design, not a table count.
  if (distributed) p += (lowCardinality / distributed) * 0.15;
  // Replicating a large table to every node costs storage and every write.
  for (const [t, c] of assign) if (c.kind === 'reference') p += relSize(ctx, t) * 0.5;
  // A lookup table (types, statuses) as a distribution key puts each kind of row on one shard.
  for (const [t, c] of assign) if (c.kind === 'distributed' && isLookupShaped(ctx, t)) p += 0.1;
  return p;
}

/**
 * Shaped like a lookup table (types, statuses): a single-column primary key,
 * at most three columns, referencing no table and referenced by one or two.
 */
export function isLookupShaped(ctx: SearchContext, table: string): boolean {
  const t = ctx.catalog.tables[table];
  if (!t || t.columns.length > 3 || t.primaryKey?.columns.length !== 1) return false;
  if (fksOf(ctx, t).some((f) => f.refTable !== table)) return false;
  // referenced, but by one or two tables: a tenant or entity root is referenced by many
  const referencing = new Set((ctx.edgesAt.get(table) ?? []).filter((e) => e.kind !== 'join' && e.b.table === table && e.a.table !== table).map((e) => e.a.table));
  return referencing.size >= 1 && referencing.size <= 2;
}

// ------------------------------------------------------------------ building designs

function rows(ctx: SearchContext, t: string): number {
  return ctx.stats.tables[t]?.rows ?? 0;
}

function distributable(t: Table): string | undefined {
  if (t.relkind === 'foreign') return 'a foreign table cannot be distributed';
  if (t.persistence === 'temporary') return 'a temporary table cannot be distributed';
  if (t.inherits.length) return 'a table in a plain inheritance hierarchy cannot be distributed';
  return undefined;
}

function relSize(ctx: SearchContext, t: string): number {
  return rows(ctx, t) / ctx.maxRows;
}

function measured(ctx: SearchContext, t: string): boolean {
  const st = ctx.stats.tables[t];
  return !!st && !st.estimated;
}

/** Small next to the largest table (relative, so that sample databases and estimates read alike). */
function isSmall(ctx: SearchContext, t: string): boolean {
  return relSize(ctx, t) <= 0.02;
}

/** Not small, but read-mostly and shared: still worth replicating. */
function isSharedLookup(ctx: SearchContext, t: string): boolean {
  if (rows(ctx, t) > 1_000_000) return false;
  if (ctx.totalWeight === 0) return isSmall(ctx, t);
  return (ctx.writeShare.get(t) ?? 0) < 0.01 && relSize(ctx, t) <= 0.05;
}

/** No foreign key, join or implicit reference links it to any other table. */
function isolated(ctx: SearchContext, t: string): boolean {
  return !ctx.neighbours.has(t);
}

/** The column a member table uses for the class: best-scored of its class columns. */
function memberColumn(ctx: SearchContext, table: string, cols: string[]): string | undefined {
  const cands = ctx.candidates.get(table) ?? [];
  const usable = cols.filter((c) => !cands.find((x) => x.column === c)?.excluded);
  if (!usable.length) return undefined;
  const t = ctx.catalog.tables[table];
  return usable.sort((a, b) => {
    const sa = cands.find((x) => x.column === a)?.score ?? 0;
    const sb = cands.find((x) => x.column === b)?.score ?? 0;
    const pa = t.primaryKey?.columns.indexOf(a) ?? -1;
    const pb = t.primaryKey?.columns.indexOf(b) ?? -1;
    return sb - sa || (pa === -1 ? 99 : pa) - (pb === -1 ? 99 : pb) || (a < b ? -1 : 1);
  })[0];
}

/** Membership backed by a declared FK, a workload join or filter, or the column being part of a key. */
function strongMember(ctx: SearchContext, table: string, column: string): boolean {
  const t = ctx.catalog.tables[table];
  const u = ctx.usage.get(`${table}.${column}`);
  if (u && (u.filter > 0 || u.join > 0 || u.group > 0)) return true;
  if (t.primaryKey?.columns.includes(column)) return true;
  if (t.uniques.some((u) => u.columns.includes(column))) return true;
  return (ctx.edgesAt.get(table) ?? []).some(
    (e) => e.kind !== 'inferred' && ((e.a.table === table && e.a.column === column) || (e.b.table === table && e.b.column === column)),
  );
}

export function typeOf(catalog: Catalog, table: string, column: string): string {
  return catalog.tables[table]?.columns.find((c) => c.name === column)?.type.base ?? 'unknown';
}

/** Members of a class among the given tables, with the column each would use. */
function classMembers(ctx: SearchContext, cls: KeyClass, among: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [table, cols] of Object.entries(cls.members)) {
    if (!among.has(table)) continue;
    const t = ctx.catalog.tables[table];
    if (!t || distributable(t)) continue;
    const col = memberColumn(ctx, table, cols);
    if (col) out.set(table, col);
  }
  return out;
}

/**
 * Assign one class's group over `among`: members distributed on their class
 * column, tables that reach a member by declared FKs backfilled, the rest
 * left for later.
 */
export function assignClass(ctx: SearchContext, cls: KeyClass, among: Set<string>, assign: Assignment): void {
  const members = classMembers(ctx, cls, among);
  const weakKeptLocal = new Map<string, string>();
  // Weak members (linked by naming only) whose primary or unique keys lack the key stay out:
  // distributing them would weaken those keys for no join or filter that needs it.
  for (const [table, col] of [...members]) {
    const t = ctx.catalog.tables[table];
    const keyed = !!t.primaryKey || t.uniques.length > 0;
    if (!strongMember(ctx, table, col) && keyed && members.size > 1) {
      members.delete(table);
      weakKeptLocal.set(table, col);
      assign.set(table, {
        kind: 'local',
        reasons: [
          `kept local: it has ${col} but no foreign key or query joins it with the other ${cls.id.split('.').pop()} tables, and its keys (${t.primaryKey ? t.primaryKey.columns.join(', ') : 'none'}) do not include ${col}, so distributing it would weaken their uniqueness`,
        ],
      });
    }
  }
  if (members.size === 0) return;
  for (const [table, col] of members) {
    const group = `${cls.id}|${typeOf(ctx.catalog, table, col)}`;
    assign.set(table, { kind: 'distributed', column: col, group, reasons: [] });
  }
  // Backfill: tables among `among` that reach a member through declared FKs.
  for (const table of [...among].sort()) {
    if (assign.has(table)) continue;
    const t = ctx.catalog.tables[table];
    if (distributable(t)) continue;
    const path = fkPathToMember(ctx, table, members);
    if (!path) continue;
    const last = path[path.length - 1];
    const keyCol = members.get(last.refTable)!;
    if (t.columns.some((c) => c.name === keyCol)) continue; // a same-named column that is not the key: leave it
    const group = `${cls.id}|${typeOf(ctx.catalog, last.refTable, keyCol)}`;
    assign.set(table, {
      kind: 'distributed',
      column: keyCol,
      group,
      backfill: { from: path[0].refTable, join: path[0].columns, path },
      reasons: [],
    });
  }
  // A weak member kept local that has a foreign key to a table of the group: left local, that
  // key would point from a local table at a distributed one, which Citus refuses. It joins the group.
  for (const [table, col] of weakKeptLocal) {
    const group = `${cls.id}|${typeOf(ctx.catalog, table, col)}`;
    const target = fksOf(ctx, ctx.catalog.tables[table]).find((fk) => {
      const ref = partitionRoot(ctx.catalog, fk.refTable);
      const c = assign.get(ref);
      return ref !== table && c?.kind === 'distributed' && c.group === group;
    });
    if (!target) continue;
    assign.set(table, {
      kind: 'distributed',
      column: col,
      group,
      reasons: [`distributed on ${col} with its group: its foreign key ${target.name} points at a table of the group, and a local table cannot keep a foreign key to a distributed one`],
    });
  }
}

/** Shortest path of declared FKs from `table` to a member (at most 3 hops); NOT NULL FK columns first. */
function fkPathToMember(ctx: SearchContext, table: string, members: Map<string, string>): Backfill['path'] | undefined {
  type Hop = { table: string; columns: string[]; refTable: string; refColumns: string[] };
  const queue: Array<{ at: string; path: Hop[] }> = [{ at: table, path: [] }];
  const seen = new Set([table]);
  while (queue.length) {
    const { at, path } = queue.shift()!;
    if (path.length >= 3) continue;
    const t = ctx.catalog.tables[at];
    if (!t) continue;
    for (const fk of backfillOrder(ctx, t)) {
      const ref = partitionRoot(ctx.catalog, fk.refTable);
      if (seen.has(ref) || !fk.refColumns.length) continue;
      const hop = { table: at, columns: fk.columns, refTable: ref, refColumns: fk.refColumns };
      if (members.has(ref)) return [...path, hop];
      seen.add(ref);
      queue.push({ at: ref, path: [...path, hop] });
    }
  }
  return undefined;
}

/** A table's foreign keys in the order backfill paths try them: NOT NULL columns first, then by name. */
function backfillOrder(ctx: SearchContext, t: Table): ForeignKey[] {
  let fks = ctx.backfillFks.get(t.key);
  if (!fks) {
    fks = [...fksOf(ctx, t)].sort((a, b) => {
      const na = a.columns.every((c) => t.columns.find((x) => x.name === c)?.notNull) ? 0 : 1;
      const nb = b.columns.every((c) => t.columns.find((x) => x.name === c)?.notNull) ? 0 : 1;
      return na - nb || (a.name < b.name ? -1 : 1);
    });
    ctx.backfillFks.set(t.key, fks);
  }
  return fks;
}

/** Linked to any distributed table: by FK either way, a join, or an inferred reference. */
function linkedToDistributed(ctx: SearchContext, table: string, assign: Assignment): boolean {
  if ((ctx.neighbours.get(table) ?? []).some((other) => assign.get(other)?.kind === 'distributed')) return true;
  // read in the same query as a distributed table (joined on something other than equality)
  return (ctx.coTables.get(table) ?? []).some((t) => assign.get(t)?.kind === 'distributed');
}

/** A complete design built around one key class as the primary group. */
export function designFor(ctx: SearchContext, primary: KeyClass | undefined): Assignment {
  const assign: Assignment = new Map();
  const tables = ctx.designable;
  for (const t of tables) {
    const why = distributable(t);
    if (why) assign.set(t.key, { kind: 'local', reasons: [`local: ${why}`] });
  }
  let remaining = new Set(tables.map((t) => t.key).filter((k) => !assign.has(k)));
  if (primary) assignClass(ctx, primary, remaining, assign);
  // Secondary groups among what is left: large tables first.
  for (let round = 0; round < 8; round++) {
    remaining = new Set([...remaining].filter((k) => !assign.has(k)));
    const largeLeft = [...remaining].filter(
      (k) => !isSmall(ctx, k) && !isSharedLookupTarget(ctx, k, assign) && !(referencedByDistributed(ctx, k, assign) && relSize(ctx, k) <= 0.25),
    );
    if (!largeLeft.length) break;
    const best = bestClass(ctx, new Set(largeLeft), remaining);
    if (!best) break;
    const before = assign.size;
    assignClass(ctx, best, remaining, assign);
    if (assign.size === before) break;
  }
  // Reference and local for the small and shared; own groups for large loners.
  const left = tables.map((t) => t.key).filter((k) => !assign.has(k));
  for (const k of left) {
    if ((isSmall(ctx, k) || isSharedLookup(ctx, k) || (referencedByDistributed(ctx, k, assign) && relSize(ctx, k) <= 0.25)) && linkedToDistributed(ctx, k, assign)) {
      assign.set(k, { kind: 'reference', reasons: [] });
    }
  }
  // Tables referenced by reference tables must be reference (or local) too: close over FKs.
  let changed = true;
  while (changed) {
    changed = false;
    for (const [k, c] of assign) {
      if (c.kind !== 'reference') continue;
      for (const fk of fksOf(ctx, ctx.catalog.tables[k])) {
        const ref = partitionRoot(ctx.catalog, fk.refTable);
        if (!assign.has(ref) && ctx.catalog.tables[ref]) {
          assign.set(ref, { kind: 'reference', reasons: [] });
          changed = true;
        }
      }
    }
  }
  for (const k of tables.map((t) => t.key).filter((x) => !assign.has(x))) {
    // Read with distributed tables but joined to them by no equality: only a reference table works,
    // Citus cannot repartition a join on anything but equality.
    if (isolated(ctx, k) && linkedToDistributed(ctx, k, assign) && (ctx.writeShare.get(k) ?? 0) < 0.01) {
      assign.set(k, {
        kind: 'reference',
        reasons: ['reference table: queries read it together with distributed tables but join it by no equality on a column, which only a replicated table can serve'],
      });
      continue;
    }
    // An isolated table is worth distributing when it is measured large or the workload uses it.
    const worth = !isolated(ctx, k) || measured(ctx, k) || ctx.shapesByTable.has(k);
    if (!isSmall(ctx, k) && worth) {
      const cands = ctx.candidates.get(k) ?? [];
      const best = cands.find((c) => !c.excluded && c.parts.type >= 0.5 && c.score > 0);
      const pk = ctx.catalog.tables[k].primaryKey?.columns[0];
      const pkFit = cands.find((c) => c.column === pk && !c.excluded && c.parts.type >= 0.5);
      const col = best?.column ?? pkFit?.column;
      if (col) {
        assign.set(k, { kind: 'distributed', column: col, group: `own:${k}`, reasons: [] });
        continue;
      }
    }
    assign.set(k, { kind: 'local', reasons: [] });
  }
  return assign;
}

/** The target of a foreign key from a distributed table: it must be a reference table (or colocated) for Citus to keep the key. */
function referencedByDistributed(ctx: SearchContext, table: string, assign: Assignment): boolean {
  return (ctx.referrers.get(table) ?? []).some((t) => assign.get(t)?.kind === 'distributed');
}

/** A reference table cannot have a foreign key to a distributed table (Citus refuses it). */
function referencesDistributed(ctx: SearchContext, table: string, assign: Assignment): boolean {
  return fksOf(ctx, ctx.catalog.tables[table]).some((fk) => {
    const ref = partitionRoot(ctx.catalog, fk.refTable);
    return ref !== table && assign.get(ref)?.kind === 'distributed';
  });
}

function isSharedLookupTarget(ctx: SearchContext, table: string, assign: Assignment): boolean {
  return isSharedLookup(ctx, table) && linkedToDistributed(ctx, table, assign);
}

/** Quick score of a class over some tables: rows it covers, joins inside it, filters on it. */
export function quickClassScore(ctx: SearchContext, cls: KeyClass, among: Set<string>): number {
  let s = 0;
  for (const [table, cols] of Object.entries(cls.members)) {
    if (!among.has(table)) continue;
    s += Math.log10(2 + rows(ctx, table));
    for (const c of cols) {
      const u = ctx.usage.get(`${table}.${c}`);
      if (u) s += 10 * (u.join + u.filter);
    }
  }
  return s;
}

function bestClass(ctx: SearchContext, need: Set<string>, among: Set<string>): KeyClass | undefined {
  let best: KeyClass | undefined;
  let bestScore = 0;
  for (const cls of ctx.graph.classes) {
    if (!Object.keys(cls.members).some((t) => need.has(t))) continue;
    const s = quickClassScore(ctx, cls, among);
    if (s > bestScore) {
      best = cls;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Local search: per distributed table, try its other candidate columns and
 * making it a reference table; keep what improves the objective.
 */
export function improve(ctx: SearchContext, assign: Assignment, maxPasses = 2, only?: ReadonlySet<string>): Assignment {
  let current = new Map(assign);
  // A move changes one table: only the query shapes whose routing looked at it are classified again.
  const routing = new WorkloadRouting(ctx, current);
  let score = scoreAssignment(ctx, current, routing.value()).total;
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const table of [...current.keys()].sort()) {
      if (only && !only.has(table)) continue;
      const c = current.get(table)!;
      if (c.kind !== 'distributed' || c.backfill) continue;
      const alternatives: Choice[] = [];
      for (const cand of (ctx.candidates.get(table) ?? []).slice(0, 4)) {
        if (cand.excluded || cand.column === c.column || cand.score <= 0) continue;
        const cls = ctx.graph.classOf[`${table}.${cand.column}`];
        const group = cls ? `${cls}|${typeOf(ctx.catalog, table, cand.column)}` : `own:${table}`;
        alternatives.push({ kind: 'distributed', column: cand.column, group, reasons: [] });
      }
      if (relSize(ctx, table) <= 0.25 && !referencesDistributed(ctx, table, current)) alternatives.push({ kind: 'reference', reasons: [] });
      for (const alt of alternatives) {
        const trial = new Map(current);
        trial.set(table, alt);
        const rerouted = routing.reroute(trial, table);
        const s = scoreAssignment(ctx, trial, routing.value(rerouted)).total;
        if (s > score + 1e-9) {
          current = trial;
          score = s;
          improved = true;
          routing.commit(rerouted);
        }
      }
    }
    if (!improved) break;
  }
  return current;
}

/**
 * The tables local search tries moves on when the schema is large: the ones
 * the weighted workload touches most, else the ones most foreign keys point
 * at (ties by name, so the choice is deterministic).
 */
export function busiestTables(ctx: SearchContext, n: number): Set<string> {
  const weight = new Map<string, number>();
  for (let i = 0; i < ctx.queryShare.length; i++) {
    for (const t of ctx.shapes.shapes[ctx.shapes.shapeOf[i]].tables) weight.set(t, (weight.get(t) ?? 0) + ctx.queryShare[i]);
  }
  if (!weight.size) for (const [t, refs] of ctx.referrers) weight.set(t, refs.length);
  return new Set(
    [...weight.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n)
      .map(([t]) => t),
  );
}
