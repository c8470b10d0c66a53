/**
 * catalog + workload + stats -> the recommended Design, with the evidence
 * behind every decision.
 */
import type { Catalog, ForeignKey, Table } from '../catalog/model.js';
import { DEFAULT_CITUS_VERSION, DEFAULT_SHARD_COUNT, type Backfill, type Design, type TableDesign, type TableKind } from '../design/model.js';
import { displayName } from '../ingest/pg/names.js';
import type { CitusError, RouteClass } from '../simulate/routing/classify.js';
import { estimateStats, mergeStats } from '../stats/index.js';
import type { Stats, TableStats } from '../stats/model.js';
import type { Workload } from '../workload/model.js';
import { columnUsage, fkCounts, round, type Candidate } from './candidates.js';
import { fksOf, inferredLarge, optionalKey } from './context.js';
import { buildJoinGraph, designableTables, inferredReferences, polymorphic, type KeyClass } from './graph.js';
import { isNotNull } from './keys.js';
import { usableKey } from './members.js';
import type { OptionalKey } from './optional.js';
import { WorkloadRouting } from './routing.js';
import { busiestTables, designFor, fkSupported, improve, makeContext, quickClassScore, scoreAssignment, withChoice, type Assignment, type Choice, type Score, type SearchContext } from './search.js';
import { groupShapes } from './shapes.js';

export interface AdvisorOptions {
  readonly shardCount?: number;
  readonly citus?: string;
  readonly enableRepartitionJoins?: boolean;
  /** Told how far the search is, as it goes: `done` of `total` steps, and what it is doing. */
  readonly onProgress?: (done: number, total: number, what: string) => void;
}

export interface TableAdvice {
  readonly table: string;
  readonly kind: TableKind;
  readonly column?: string;
  readonly colocateWith?: string;
  readonly group?: string;
  readonly backfill?: Backfill;
  readonly rows?: number;
  readonly rowsEstimated: boolean;
  /** For a size inferred from the schema: how it was inferred. */
  readonly rowsReason?: string;
  /** Best candidates first, with their scores and the parts of each score. */
  readonly candidates: Candidate[];
  /** Why: the decision first, then the runner-up and what it would cost. */
  readonly reasons: string[];
}

export interface ColocationGroup {
  readonly id: string;
  /** The table the others colocate with. */
  readonly anchor: string;
  readonly column: string;
  readonly type: string;
  readonly tables: string[];
  /** Tables whose key column is integer or smallint in a group keyed bigint: the migration widens them. */
  readonly widened: string[];
}

export interface QueryRouting {
  readonly id: string;
  readonly label?: string;
  readonly sql: string;
  readonly weight: number;
  readonly class: RouteClass;
  readonly reason: string;
  readonly error?: CitusError;
}

export interface WorkloadSummary {
  readonly queries: number;
  readonly totalWeight: number;
  /** Share of the weighted workload per routing class (0..1). */
  readonly shares: Record<RouteClass, number>;
  readonly routing: QueryRouting[];
}

export interface Advice {
  readonly design: Design;
  readonly tables: Record<string, TableAdvice>;
  readonly groups: ColocationGroup[];
  /** The key class chosen as the main group, and the others considered with their scores. */
  readonly keyClass?: { readonly id: string; readonly score: number };
  readonly alternatives: Array<{ readonly id: string; readonly score: number }>;
  readonly score: Score;
  readonly summary: WorkloadSummary;
  /** Caveats about the inputs. */
  readonly notes: string[];
}

/** Tables local search moves on a large schema (over 300 tables or 20,000 queries). */
const LARGE_SEARCH_TABLES = 60;

/** Below this many rows in the largest measured table, measured sizes say nothing about production. */
const INFORMATIVE_ROWS = 1000;

export function recommend(catalog: Catalog, workload: Workload | undefined, givenStats: Stats, options: AdvisorOptions = {}): Advice {
  const shardCount = options.shardCount ?? DEFAULT_SHARD_COUNT;
  const measured = Object.values(givenStats.tables).filter((t) => !t.estimated);
  const toy = measured.length > 0 && Math.max(...measured.map((t) => t.rows)) < INFORMATIVE_ROWS;
  // A toy data set (a few rows per table) would make every table look alike: size from the schema instead.
  const inferred = inferredReferences(catalog);
  // Sizes guessed from the schema count the references its names state, not only the declared ones.
  const estimated = estimateStats(catalog, {
    references: inferred.filter((e) => e.weight >= 0.5).map((e) => ({ table: e.a.table, columns: [e.a.column], refTable: e.b.table })),
    polymorphic: Object.values(catalog.tables).flatMap((t) => t.columns.filter((c) => polymorphic(t, c.name)).map((c) => ({ table: t.key, column: c.name }))),
  });
  const stats = toy ? estimated : withEstimates(givenStats, estimated);
  const graph = buildJoinGraph(catalog, workload, inferred);
  const shapes = groupShapes(catalog, workload);
  const usage = columnUsage(workload, shapes);
  const ctx = makeContext(catalog, graph, workload, shapes, stats, shardCount, usage, fkCounts(graph), options.enableRepartitionJoins ?? false, givenStats);

  // Exact over key classes: each class (and none) as the main group, scored whole.
  const all = new Set(designableTables(catalog).map((t) => t.key));
  const ranked = [...graph.classes]
    .map((c) => ({ cls: c, quick: quickClassScore(ctx, c, all) }))
    .sort((a, b) => b.quick - a.quick || (a.cls.id < b.cls.id ? -1 : 1));
  const limit = ctx.workload && ctx.workload.queries.length * all.size > 2_000_000 ? 4 : 24;
  const trials: Array<{ cls?: KeyClass; assign: Assignment; score: Score }> = [];
  const tried = ranked.slice(0, limit);
  const progress = options.onProgress ?? (() => undefined);
  for (const [i, { cls }] of tried.entries()) {
    progress(i, tried.length + 1, `design around ${cls.id}`);
    const assign = designFor(ctx, cls);
    trials.push({ cls, assign, score: scoreAssignment(ctx, assign) });
  }
  if (!trials.length) {
    const assign = designFor(ctx, undefined);
    trials.push({ assign, score: scoreAssignment(ctx, assign) });
  }
  trials.sort((a, b) => b.score.total - a.score.total || ((a.cls?.id ?? '') < (b.cls?.id ?? '') ? -1 : 1));
  const best = trials[0];
  const large = all.size > 300 || (ctx.workload?.queries.length ?? 0) > 20_000;
  progress(tried.length, tried.length + 1, 'local search and evidence');
  // Large schemas: one pass of local search over the tables the workload leans on most.
  const assign = large ? improve(ctx, best.assign, 1, busiestTables(ctx, LARGE_SEARCH_TABLES)) : improve(ctx, best.assign);
  const routing = new WorkloadRouting(ctx, assign);
  const score = scoreAssignment(ctx, assign, routing.value());
  const advice = finish(ctx, assign, routing, best.cls, trials, score, options.citus ?? DEFAULT_CITUS_VERSION);
  if (toy) return { ...advice, notes: [...advice.notes, `the data has at most ${Math.max(...measured.map((t) => t.rows))} rows per table, too few to judge sizes: table sizes were estimated from the schema`] };
  if (!measured.length) {
    return {
      ...advice,
      notes: [
        ...advice.notes,
        "no statistics: table sizes were inferred from the schema's shape (--explain TABLE says how for each): lookup and entity tables by what references them, facts and events by their references, time columns and names (*_events, *_items, line*), headers by their line tables; growth down a chain of references stops at an entity of millions of rows (ten times that for a fact), a table that a large share of the schema references or that holds polymorphic references (noteable_type, noteable_id) is large, and the partitions of a partitioned table share its rows; a table inferred large is never a reference table; pass --stats or --db for measured sizes",
      ],
    };
  }
  return advice;
}

function finish(
  ctx: SearchContext,
  assign: Assignment,
  routing: WorkloadRouting,
  primary: KeyClass | undefined,
  trials: Array<{ cls?: KeyClass; score: Score }>,
  score: Score,
  citus: string,
): Advice {
  const { catalog } = ctx;
  // Colocation groups: anchor = the table whose primary key is the key alone, else the largest.
  const byGroup = new Map<string, string[]>();
  for (const [t, c] of assign) {
    if (c.kind !== 'distributed' || !c.group) continue;
    const list = byGroup.get(c.group);
    if (list) list.push(t);
    else byGroup.set(c.group, [t]);
  }
  const groups: ColocationGroup[] = [];
  const anchorOf = new Map<string, string>();
  for (const [id, tables] of [...byGroup].sort(([a], [b]) => (a < b ? -1 : 1))) {
    tables.sort();
    const anchor = [...tables].sort((a, b) => {
      const ra = isKeyRoot(catalog, a, assign.get(a)!.column!) ? 1 : 0;
      const rb = isKeyRoot(catalog, b, assign.get(b)!.column!) ? 1 : 0;
      return rb - ra || (ctx.stats.tables[b]?.rows ?? 0) - (ctx.stats.tables[a]?.rows ?? 0) || (a < b ? -1 : 1);
    })[0];
    anchorOf.set(id, anchor);
    const column = assign.get(anchor)!.column!;
    // One key spelled integer in some tables and bigint in others: one group, the narrower ones widened.
    const keyType = (t: string) => keyColumnType(ctx, t, assign.get(t)!);
    const wide = tables.some((t) => keyType(t) === 'int8');
    const widened = wide ? tables.filter((t) => ['int2', 'int4'].includes(keyType(t))) : [];
    const type = widened.length ? 'bigint' : (catalog.tables[anchor].columns.find((c) => c.name === column)?.type.display ?? 'unknown');
    groups.push({ id, anchor, column, type, tables, widened });
  }

  const tables: Record<string, TableAdvice> = {};
  const designTables: Record<string, TableDesign> = {};
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const evidence: Evidence = { routing, workload: score.workload, fksAt: fksByTable(ctx) };
  for (const key of [...assign.keys()].sort()) {
    const c = assign.get(key)!;
    const anchor = c.group ? anchorOf.get(c.group) : undefined;
    const colocateWith = c.kind === 'distributed' && anchor && anchor !== key ? anchor : undefined;
    const st = ctx.stats.tables[key];
    const candidates = (ctx.candidates.get(key) ?? []).slice(0, 5);
    const reasons = explain(ctx, assign, evidence, key, colocateWith, c.group === undefined ? undefined : groupById.get(c.group));
    tables[key] = {
      table: key,
      kind: c.kind,
      column: c.column,
      colocateWith,
      group: c.group,
      backfill: c.backfill,
      rows: st?.rows,
      rowsEstimated: st ? st.estimated : true,
      ...(st?.estimated && st.reason ? { rowsReason: st.reason } : {}),
      candidates,
      reasons,
    };
    const td: TableDesign = { kind: c.kind };
    designTables[key] = c.kind === 'distributed' ? { ...td, column: c.column, ...(colocateWith ? { colocateWith } : {}), ...(c.backfill ? { backfill: c.backfill } : {}) } : td;
  }
  const design: Design = { citus, shardCount: ctx.shardCount, tables: designTables };
  return {
    design,
    tables,
    groups,
    keyClass: primary ? { id: primary.id, score: round(trials.find((t) => t.cls === primary)!.score.total) } : undefined,
    alternatives: trials.filter((t) => t.cls && t.cls !== primary).slice(0, 5).map((t) => ({ id: t.cls!.id, score: round(t.score.total) })),
    notes: [],
    score: { total: round(score.total), workload: round(score.workload), foreignKeys: round(score.foreignKeys), coverage: round(score.coverage), penalty: round(score.penalty) },
    summary: summarize(ctx, routing),
  };
}

/** `given` with its estimated tables replaced by `estimated`'s (measured ones stay). */
function withEstimates(given: Stats, estimated: Stats): Stats {
  const tables: Record<string, TableStats> = {};
  for (const [k, t] of Object.entries(given.tables)) tables[k] = t.estimated && estimated.tables[k] ? estimated.tables[k] : t;
  return { ...given, tables };
}

/** The base type of a table's distribution column (for a backfilled one, its source's). */
function keyColumnType(ctx: SearchContext, table: string, c: Choice): string {
  const source = c.backfill?.path?.[c.backfill.path.length - 1]?.refTable ?? table;
  return ctx.catalog.tables[source]?.columns.find((x) => x.name === c.column)?.type.base ?? 'unknown';
}

function isKeyRoot(catalog: Catalog, table: string, column: string): boolean {
  const pk = catalog.tables[table]?.primaryKey?.columns;
  return !!pk && pk.length === 1 && pk[0] === column;
}

/** The workload's routing under the design `routes` was made for (each shape classified once). */
export function summarize(ctx: SearchContext, routes: WorkloadRouting): WorkloadSummary {
  const shares: Record<RouteClass, number> = { router: 0, 'multi-shard': 0, repartition: 0, recursive: 0, coordinator: 0, error: 0 };
  const routing: QueryRouting[] = [];
  const queries = ctx.workload?.queries ?? [];
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    const r = routes.route(ctx.shapes.shapeOf[i]);
    shares[r.class] += ctx.totalWeight ? q.query.weight / ctx.totalWeight : 0;
    routing.push({ id: q.query.id, label: q.query.label, sql: q.query.sql, weight: q.query.weight, class: r.class, reason: r.reason, error: r.error });
  }
  for (const k of Object.keys(shares) as RouteClass[]) shares[k] = round(shares[k]);
  routing.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1));
  return { queries: routing.length, totalWeight: ctx.totalWeight, shares, routing };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function describeCandidate(c: Candidate, shardCount: number): string {
  const bits: string[] = [];
  if (c.parts.join > 0) bits.push(`joined in ${pct(c.parts.join)}`);
  if (c.parts.filter > 0) bits.push(`filtered by equality in ${pct(c.parts.filter)}`);
  if (c.parts.group > 0) bits.push(`grouped by in ${pct(c.parts.group)}`);
  if (c.parts.foreignKeys > 0) {
    const n = c.parts.foreignKeys;
    bits.push(Number.isInteger(n) ? `${n} foreign key${n === 1 ? '' : 's'}` : `foreign-key links worth ${n} (a declared key counts 1, a reference inferred from the column's name 0.5)`);
  }
  if (!bits.length) bits.push('not used by the workload or any foreign key');
  if (c.distinct !== undefined) bits.push(`${Math.round(c.distinct)} distinct values${c.distinct < shardCount ? ` (fewer than ${shardCount} shards)` : ''}`);
  if (c.largestShardShare !== undefined && c.largestShardShare > 2 / shardCount) bits.push(`largest shard would hold ${pct(c.largestShardShare)} of rows`);
  if (c.typeNote) bits.push(c.typeNote);
  return bits.join(', ');
}

/** What `explain` shares across tables: the design's routing and workload value, foreign keys by table. */
interface Evidence {
  readonly routing: WorkloadRouting;
  readonly workload: number;
  /** Per table, the foreign keys (declared on designable tables) from or to it. */
  readonly fksAt: Map<string, Array<{ readonly table: Table; readonly fk: ForeignKey }>>;
}

function fksByTable(ctx: SearchContext): Evidence['fksAt'] {
  const out: Evidence['fksAt'] = new Map();
  const add = (k: string, v: { table: Table; fk: ForeignKey }) => {
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  };
  for (const table of ctx.designable) {
    for (const fk of table.foreignKeys) {
      add(table.key, { table, fk });
      if (fk.refTable !== table.key) add(fk.refTable, { table, fk });
    }
  }
  return out;
}

function explain(ctx: SearchContext, assign: Assignment, evidence: Evidence, key: string, colocateWith: string | undefined, group: ColocationGroup | undefined): string[] {
  const c = assign.get(key)!;
  const st = ctx.stats.tables[key];
  const size = st ? `${Math.round(st.rows)} rows${st.estimated ? ' (estimated)' : ''}` : 'size unknown';
  const cands = ctx.candidates.get(key) ?? [];
  const out: string[] = [...c.reasons];
  if (c.kind === 'distributed' && c.column) {
    const win = cands.find((x) => x.column === c.column);
    const head = c.backfill
      ? `distributed on ${c.column} (a column to add): needs backfill from ${displayName(c.backfill.path?.[c.backfill.path.length - 1]?.refTable ?? c.backfill.from)} along ${pathText(c.backfill)}`
      : `distributed on ${c.column}${win ? ` (score ${win.score}): ${describeCandidate(win, ctx.shardCount)}` : ''}`;
    out.unshift(head);
    if (group?.widened.includes(key)) {
      out.push(`its ${c.column} is ${ctx.catalog.tables[c.backfill?.path?.[c.backfill.path.length - 1]?.refTable ?? key]?.columns.find((x) => x.name === c.column)?.type.display} where the group's key is bigint: the migration widens it to bigint, so that Citus colocates it (one type per group)`);
    }
    if (group) {
      out.push(
        colocateWith
          ? `colocated with ${displayName(colocateWith)} on ${group.column} (${group.tables.length} tables in the group), so joins and foreign keys on the key stay on one node`
          : `anchors a colocation group of ${group.tables.length} table(s) on ${group.column}`,
      );
    }
    if (!c.backfill && !colocateWith && inferredLarge(ctx, key) && (!group || group.tables.length === 1 || eitherOrKey(ctx, key))) out.push(largeLoner(ctx, key, c.column));
    const runner = cands.find((x) => x.column !== c.column && !x.excluded && usableKey(ctx, key, x.column));
    if (runner && !c.backfill) {
      let cost = runnerUpCost(ctx, assign, evidence, key, runner.column);
      if (!cost && win && runner.score > win.score) {
        // It scores higher on its own: what decides is the group, not the column alone.
        cost = group
          ? `it scores higher alone, but on it the table would leave the colocation group it joins on ${c.column}: joins and foreign keys with the ${group.tables.length - 1} other table(s) of the group would cross nodes`
          : 'it scores higher alone, but the design as a whole scores better with the chosen column';
      } else if (!cost) cost = 'it scores lower';
      out.push(`runner-up ${runner.column} (score ${runner.score}): ${describeCandidate(runner, ctx.shardCount)}; ${cost}`);
    }
  } else if (c.kind === 'reference') {
    const w = ctx.writeShare.get(key) ?? 0;
    out.unshift(
      `reference table: ${size}, written by ${pct(w)} of the weighted workload; replicated to every node so distributed tables join it and keep their foreign keys to it`,
    );
  } else if (c.kind === 'local' && !out.length) {
    out.unshift(`local: ${size}, not joined with or referenced by a distributed table, so it can stay on the coordinator`);
  }
  out.push(...optionalKeyReasons(ctx, key), ...setNullReasons(ctx, key));
  return out;
}

/** Why a table estimated large that no colocation group took is distributed on a key of its own. */
function largeLoner(ctx: SearchContext, table: string, column: string): string {
  const st = ctx.stats.tables[table];
  const t = ctx.catalog.tables[table];
  const own = t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === column ? 'its own key' : 'the best key it has';
  const eitherOr = eitherOrKey(ctx, table);
  const why = eitherOr
    ? `no group shares a key with all its rows (CHECK ${eitherOr.check.name} makes its parents an either-or), so it is distributed on ${own}, ${column}`
    : `no colocation group shares a key with it, so it is distributed on ${own}, ${column}`;
  return `large by its inferred size (${st?.rows} rows, inferred from the schema): a reference table would copy every row to every node and send every write to each; ${why}`;
}

/** A CHECK that makes the table's parents an either-or: each of its key columns NULL while another is set. */
function eitherOrKey(ctx: SearchContext, table: string): OptionalKey | undefined {
  const t = ctx.catalog.tables[table];
  for (const c of t.columns) {
    const found = optionalKey(ctx, t, c.name);
    if (found?.others.length) return found;
  }
  return undefined;
}

/** Why a nullable key column of the table is not its key: its foreign key lets the row outlive the parent. */
function setNullReasons(ctx: SearchContext, key: string): string[] {
  const t = ctx.catalog.tables[key];
  const out: string[] = [];
  for (const fk of fksOf(ctx, t)) {
    if (fk.onDelete !== 'set null') continue;
    for (const col of fk.columns) {
      if (ctx.graph.classOf[`${key}.${col}`] === undefined || isNotNull(t, col)) continue;
      out.push(`${col} is no key for it: its foreign key ${fk.name} is ON DELETE SET NULL, so a row outlives its ${displayName(fk.refTable)} row and does not belong to it`);
    }
  }
  return out;
}

/**
 * Why a key column of the table is not its key: a CHECK leaves it NULL by
 * design (the rows belong to one of several parents), one line per CHECK.
 */
function optionalKeyReasons(ctx: SearchContext, key: string): string[] {
  const t = ctx.catalog.tables[key];
  const byCheck = new Map<string, { found: OptionalKey; columns: string[] }>();
  for (const col of t.columns) {
    if (ctx.graph.classOf[`${key}.${col.name}`] === undefined) continue;
    const found = optionalKey(ctx, t, col.name);
    if (!found) continue;
    const entry = byCheck.get(found.check.name);
    if (entry) entry.columns.push(col.name);
    else byCheck.set(found.check.name, { found, columns: [col.name] });
  }
  return [...byCheck.values()].map(({ found, columns }) => {
    const one = columns.length === 1;
    const parents = [...new Set([...columns, ...found.others])].sort();
    const on = found.partition ? ` on its partition ${displayName(found.partition)}` : '';
    const head = `${columns.join(', ')} ${one ? 'is' : 'are'} no key for it: CHECK ${found.check.name}${on} (${found.check.expression.replace(/\s+/g, ' ')}) leaves ${one ? 'it' : 'each'} NULL`;
    if (!found.others.length) return `${head} for some rows, and distributing on ${one ? 'it' : 'one of them'} would fail on those rows`;
    return (
      `${head} while another of ${parents.join(', ')} is set: its rows belong to one of several parents, and distributing on ${one ? 'it' : 'one of them'} would fail on the others' rows; ` +
      'a key all its parents share, added and backfilled, would keep it with them'
    );
  });
}

function pathText(b: Backfill): string {
  return (b.path ?? [])
    .map((h) => `${displayName(h.table)}(${h.columns.join(', ')}) -> ${displayName(h.refTable)}(${h.refColumns.join(', ')})`)
    .join(', ');
}

/** What choosing another column would cost: foreign keys Citus would refuse, and the routing share. */
function runnerUpCost(ctx: SearchContext, assign: Assignment, evidence: Evidence, key: string, column: string): string {
  const c = assign.get(key)!;
  const trial = withChoice(assign, key, { ...c, column, group: `own:${key}` });
  const broken: string[] = [];
  for (const { table, fk } of evidence.fksAt.get(key) ?? []) {
    const before = fkSupported(ctx.catalog, assign, table, fk.refTable, fk.columns, fk.refColumns);
    const after = fkSupported(ctx.catalog, trial, table, fk.refTable, fk.columns, fk.refColumns);
    if (before && !after) broken.push(fk.name);
  }
  const parts: string[] = [];
  if (broken.length) {
    const names = broken.sort();
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    parts.push(`it would break ${names.length} foreign key${names.length === 1 ? '' : 's'} (${shown})`);
  }
  if (ctx.totalWeight > 0) {
    // Only the query shapes whose routing looked at this table are classified again, and the
    // workload is summed again (the value shown) only when the estimate says it may route worse.
    const a = evidence.workload;
    const rerouted = evidence.routing.reroute(trial, key);
    const { change, error } = evidence.routing.estimateChange(rerouted);
    if (change < -1e-6 + error) {
      const b = evidence.routing.value(rerouted);
      if (b < a - 1e-6) parts.push(`the workload would route worse (value ${round(b, 3)} vs ${round(a, 3)})`);
    }
  }
  return parts.join('; ');
}
