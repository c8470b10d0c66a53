/**
 * The objective a design is scored on: the workload's routing value, the
 * foreign keys Citus keeps, how much of the data is spread, how far the main
 * key reaches, less penalties (weak key types, backfills, large reference
 * tables, lookup tables as keys).
 */
import { partitionRoot } from '../catalog/index.js';
import type { Catalog, Table } from '../catalog/model.js';
import type { Assignment, DesignLookup } from './choice.js';
import { distributable, fksOf, relSize, type SearchContext } from './context.js';
import { WorkloadRouting } from './routing.js';

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

/**
 * Below this many tables a backfill hop costs a fixed 0.01; above, one
 * table's share of the schema (see `penalty`).
 */
const HOP_SHARE_FROM = 100;

function penalty(ctx: SearchContext, assign: Assignment): number {
  let p = 0;
  // A backfill hop costs a share of the schema's tables, like the rest of the objective (the
  // foreign keys kept, the breadth of the key): a fixed cost per hop would add up over hundreds
  // of tables until it outweighed every foreign key the backfill keeps.
  // ... and no more than one foreign key kept, the unit of what a backfill buys.
  const hopCost = 1 / Math.max(HOP_SHARE_FROM, ctx.designable.length, ctx.fkTotal);
  let lowCardinality = 0;
  let distributed = 0;
  for (const [t, c] of assign) {
    if (c.kind === 'reference') {
      // Replicating a large table to every node costs storage and every write,
      // and every write to one goes to every node, in a two-phase commit.
      p += relSize(ctx, t) * 0.5 + (ctx.writeShare.get(t) ?? 0) * 0.5;
      continue;
    }
    if (c.kind !== 'distributed' || !c.column) continue;
    distributed++;
    const source = c.backfill?.path?.[c.backfill.path.length - 1]?.refTable ?? t;
    const k = keyCost(ctx, source, c.column);
    p += k.type;
    lowCardinality += k.lowCardinality;
    if (c.backfill) p += hopCost * (c.backfill.path?.length ?? 1);
    // A lookup table (types, statuses) as a distribution key puts each kind of row on one shard.
    if (isLookupShaped(ctx, t)) p += 0.1;
  }
  // Fewer distinct keys than shards caps parallelism: averaged, so it weighs a design, not a table count.
  if (distributed) p += (lowCardinality / distributed) * 0.15;
  return p;
}

/** What distributing on a column costs for its type, and its shortfall of distinct keys (measured only), asked once per column. */
function keyCost(ctx: SearchContext, table: string, column: string): { readonly type: number; readonly lowCardinality: number } {
  const k = `${table}\u0000${column}`;
  let cost = ctx.keyCosts.get(k);
  if (!cost) {
    const cand = ctx.candidates.get(table)?.find((x) => x.column === column);
    // only a measured distinct count is evidence of too few keys
    const measuredRows = !!ctx.stats.tables[table] && !ctx.stats.tables[table].estimated;
    cost = cand ? { type: (1 - cand.parts.type) * 0.05, lowCardinality: measuredRows ? 1 - cand.parts.cardinality : 0 } : { type: 0, lowCardinality: 0 };
    ctx.keyCosts.set(k, cost);
  }
  return cost;
}

/**
 * Shaped like a lookup table (types, statuses): a single-column primary key,
 * at most three columns, referencing no table and referenced by one or two.
 */
export function isLookupShaped(ctx: SearchContext, table: string): boolean {
  let shaped = ctx.lookupShaped.get(table);
  if (shaped === undefined) ctx.lookupShaped.set(table, (shaped = lookupShaped(ctx, table)));
  return shaped;
}

function lookupShaped(ctx: SearchContext, table: string): boolean {
  const t = ctx.catalog.tables[table];
  if (!t || t.columns.length > 3 || t.primaryKey?.columns.length !== 1) return false;
  if (fksOf(ctx, t).some((f) => f.refTable !== table)) return false;
  // referenced, but by one or two tables: a tenant or entity root is referenced by many
  const referencing = new Set((ctx.edgesAt.get(table) ?? []).filter((e) => e.kind !== 'join' && e.b.table === table && e.a.table !== table).map((e) => e.a.table));
  return referencing.size >= 1 && referencing.size <= 2;
}

