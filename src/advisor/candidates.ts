/**
 * Candidate distribution columns of one table, each scored on what makes a
 * good Citus key: cardinality against the shard count, skew when hashed,
 * weighted join and filter frequency, group-by use, foreign-key centrality,
 * and the column's type. Every part is kept as evidence.
 */
import type { Column, Table } from '../catalog/model.js';
import type { ColumnStats, TableStats, ValueFrequency } from '../stats/model.js';
import { hashabilityOf } from '../simulate/hash/index.js';
import { shardIndexForHash } from '../simulate/shards.js';
import type { QueryFacts, Workload } from '../workload/model.js';
import type { JoinGraph } from './graph.js';
import type { WorkloadShapes } from './shapes.js';

/** Types with no default hash operator class: create_distributed_table refuses them (citus-rules §3). */
const NOT_HASHABLE = new Set(['json', 'xml', 'point', 'money', 'tsvector', 'tsquery', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'bit', 'varbit', 'txid_snapshot', 'pg_snapshot']);
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'date', 'time', 'timetz', 'interval']);
const FLOAT_TYPES = new Set(['float4', 'float8']);

export interface CandidateParts {
  /** Share of the weighted workload that equi-joins on this column. */
  readonly join: number;
  /** Share that filters it by equality with a constant or parameter (router potential). */
  readonly filter: number;
  /** Share that groups or partitions by it. */
  readonly group: number;
  /** Foreign keys that use it (referencing or referenced). */
  readonly foreignKeys: number;
  /** 0..1: 1 when distinct values are plenty for the shard count. */
  readonly cardinality: number;
  /** 0..1: 1 when rows spread evenly over the shards. */
  readonly spread: number;
  /** 0..1: the type's fitness as a hash key. */
  readonly type: number;
}

export interface Candidate {
  readonly column: string;
  readonly type: string;
  readonly score: number;
  readonly parts: CandidateParts;
  /** Distinct values (measured or estimated), and whether estimated. */
  readonly distinct?: number;
  /** Share of rows the largest shard would hold, from the most common values. */
  readonly largestShardShare?: number;
  /** Why the type is penalised or excluded. */
  readonly typeNote?: string;
  /** Set when the column cannot be a distribution column at all. */
  readonly excluded?: string;
}

export interface ColumnUsage {
  join: number;
  filter: number;
  group: number;
}

/**
 * Per `table.column`, the weighted workload shares. Computed once per workload:
 * the columns each shape uses are found once, then every query adds its weight
 * to them in workload order.
 */
export function columnUsage(workload: Workload | undefined, grouped: WorkloadShapes): Map<string, ColumnUsage> {
  const usage = new Map<string, ColumnUsage>();
  if (!workload) return usage;
  const total = workload.queries.reduce((s, q) => s + q.query.weight, 0) || 1;
  // One accumulator per (column, kind), in the order first met; each adds the same weights in the same order as a per-query walk.
  const slots: Array<{ readonly u: ColumnUsage; readonly kind: keyof ColumnUsage }> = [];
  const sums: number[] = [];
  const slotOf = new Map<string, number>();
  const get = (t: string, c: string) => {
    const k = `${t}.${c}`;
    let u = usage.get(k);
    if (!u) {
      u = { join: 0, filter: 0, group: 0 };
      usage.set(k, u);
    }
    return u;
  };
  const slotsOf = (facts: QueryFacts): Int32Array => {
    const out: number[] = [];
    const seen = new Set<string>();
    const once = (kind: keyof ColumnUsage, t: string, c: string) => {
      const k = `${kind}|${t}.${c}`;
      if (seen.has(k)) return;
      seen.add(k);
      let slot = slotOf.get(k);
      if (slot === undefined) {
        slotOf.set(k, (slot = slots.length));
        slots.push({ u: get(t, c), kind });
        sums.push(0);
      }
      out.push(slot);
    };
    for (const j of facts.joins) {
      if (j.underOr) continue;
      once('join', j.left.table, j.left.column);
      once('join', j.right.table, j.right.column);
    }
    for (const f of facts.filters) {
      if ((f.op === '=' || (f.op === 'in' && (f.count ?? 1) <= 4)) && (f.value === 'const' || f.value === 'param') && !f.underOr) once('filter', f.table, f.column);
    }
    // INSERT ... VALUES with the column supplied routes like an equality filter.
    if (facts.write?.values) {
      for (const v of facts.write.values) if (v.value === 'const' || v.value === 'param') once('filter', facts.write.target, v.column);
    }
    for (const g of [...facts.groupBy, ...facts.partitionBy]) once('group', g.table, g.column);
    return Int32Array.from(out);
  };
  const perShape: Array<Int32Array | undefined> = [];
  const { queries } = workload;
  for (let i = 0; i < queries.length; i++) {
    const s = grouped.shapeOf[i];
    const list = (perShape[s] ??= slotsOf(grouped.shapes[s].facts));
    const w = queries[i].query.weight / total;
    for (let k = 0; k < list.length; k++) sums[list[k]] += w;
  }
  slots.forEach(({ u, kind }, k) => (u[kind] = sums[k]));
  return usage;
}

export function typeFitness(col: Column): { fitness: number; note?: string; excluded?: string } {
  const base = col.type.base;
  if (col.type.arrayDims > 0) return { fitness: 0.2, note: 'an array: equal arrays hash together, rarely what queries filter on' };
  if (NOT_HASHABLE.has(base)) {
    return { fitness: 0, excluded: `data type ${col.type.display} has no default operator class for specified partition method` };
  }
  if (col.generated) return { fitness: 0, excluded: 'a generated column cannot be the distribution column' };
  if (base === 'numeric' && col.type.typmods.length === 2 && col.type.typmods[1] < 0) {
    return { fitness: 0, excluded: 'numeric with negative scale cannot be the distribution column' };
  }
  if (col.type.kind === 'enum') return { fitness: 0.15, note: 'an enum hashes by its label OIDs, which differ from node to node' };
  if (base === 'bool') return { fitness: 0.05, note: 'a boolean has two values: at most two shards would hold data' };
  if (TIME_TYPES.has(base)) return { fitness: 0.3, note: 'a time column sends each period to one shard (hot shard for recent data)' };
  if (FLOAT_TYPES.has(base)) return { fitness: 0.5, note: 'floating point equality is fragile as a key' };
  if (col.type.kind === 'unknown') return { fitness: 0.6, note: `type ${col.type.display} is not known here: check it has a hash operator class` };
  return { fitness: 1 };
}

/**
 * Why a column that measured statistics show holding NULL is no distribution
 * column: Citus refuses to distribute a table with such rows ("the partition
 * column of table ... cannot be NULL"), and the migration's SET NOT NULL
 * would fail on them. Estimated figures say nothing about NULLs.
 */
function measuredNulls(stats: TableStats | undefined, cs: ColumnStats | undefined): string | undefined {
  if (!stats || !cs || !(cs.nullFraction > 0)) return undefined;
  const rows = Math.round(cs.nullFraction * stats.rows);
  const share = rows >= 1 && stats.source === 'data' ? `${rows} of its ${stats.rows} rows` : `${Math.max(0.1, Math.round(cs.nullFraction * 1000) / 10)}% of its rows`;
  return `${share} hold NULL in it (${stats.source === 'data' ? 'the data given' : 'measured statistics'}): Citus cannot distribute a table on a column with NULLs`;
}

export interface ScoreContext {
  readonly shardCount: number;
  readonly usage: Map<string, ColumnUsage>;
  readonly graph: JoinGraph;
  readonly stats?: TableStats;
  /**
   * The table's measured statistics, when there are any, also where `stats`
   * are estimates instead (a toy data set is no guide to sizes, but a NULL it
   * holds is a NULL).
   */
  readonly observed?: TableStats;
  /** FK count per `table.column`. */
  readonly fkCount: Map<string, number>;
}

export function fkCounts(graph: JoinGraph): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of graph.edges) {
    if (e.kind === 'join') continue;
    for (const s of [e.a, e.b]) {
      const k = `${s.table}.${s.column}`;
      m.set(k, (m.get(k) ?? 0) + (e.kind === 'fk' ? 1 : 0.5));
    }
  }
  return m;
}

export function scoreCandidates(table: Table, ctx: ScoreContext): Candidate[] {
  const out: Candidate[] = [];
  const rows = ctx.stats?.rows;
  for (const col of table.columns) {
    const key = `${table.key}.${col.name}`;
    const u = ctx.usage.get(key) ?? { join: 0, filter: 0, group: 0 };
    const fk = ctx.fkCount.get(key) ?? 0;
    const cs = ctx.stats?.columns[col.name];
    const tf = typeFitness(col);
    const excluded = tf.excluded ?? measuredNulls(ctx.observed, ctx.observed?.columns[col.name]);
    let distinct = cs?.nDistinct;
    if (distinct === undefined && rows !== undefined) {
      if (table.primaryKey?.columns.length === 1 && table.primaryKey.columns[0] === col.name) distinct = rows;
    }
    const cardinality = distinct === undefined ? 0.8 : Math.min(1, distinct / (ctx.shardCount * 4));
    const largestShardShare = largestShare(col, cs?.mostCommon ?? [], ctx.shardCount);
    const spread = Math.min(1, 1 / ctx.shardCount / largestShardShare) ** 0.5;
    const inPk = table.primaryKey?.columns.includes(col.name) ? 1 : 0;
    const fkNorm = Math.min(1, fk / 3);
    const relevance = 0.35 * u.join + 0.35 * u.filter + 0.1 * u.group + 0.15 * fkNorm + 0.05 * inPk;
    const score = excluded ? 0 : relevance * cardinality * spread * tf.fitness;
    out.push({
      column: col.name,
      type: col.type.display,
      score: round(score),
      parts: {
        join: round(u.join),
        filter: round(u.filter),
        group: round(u.group),
        foreignKeys: fk,
        cardinality: round(cardinality),
        spread: round(spread),
        type: tf.fitness,
      },
      distinct,
      largestShardShare: cs ? round(largestShardShare) : undefined,
      typeNote: tf.note,
      excluded,
    });
  }
  return out.sort((a, b) => b.score - a.score || (a.column < b.column ? -1 : 1));
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * The share of rows the fullest shard would hold: each most common value
 * hashed to its shard with the column type's hash and Citus's uniform shard
 * ranges (two hot values can land on one shard), the rest of the rows spread
 * evenly. Without a hash for the type, the hottest value alone on a shard.
 */
export function largestShare(col: Column, mostCommon: readonly ValueFrequency[], shardCount: number): number {
  const listed = mostCommon.reduce((sum, v) => sum + v.frequency, 0);
  const rest = Math.max(0, 1 - listed) / shardCount;
  const h = hashabilityOf(col.type);
  if (h.ok && mostCommon.length) {
    const perShard = new Map<number, number>();
    try {
      for (const v of mostCommon) {
        const i = shardIndexForHash(h.hash(v.value), shardCount);
        perShard.set(i, (perShard.get(i) ?? 0) + v.frequency);
      }
      return Math.min(1, Math.max(0, ...perShard.values()) + rest);
    } catch {
      // a value the type rejects: fall through to the type-blind estimate
    }
  }
  const top = mostCommon[0]?.frequency ?? 0;
  return top + (1 - top) / shardCount;
}
