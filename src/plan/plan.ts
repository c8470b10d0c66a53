/**
 * Design -> ordered migration (and its rollback), in the order Citus needs:
 * preflight checks; the distribution columns added and filled, and the
 * sequence-fed int columns widened to bigint; the reference tables (foreign
 * keys from other tables to them stay in place); the foreign keys Citus would
 * refuse meanwhile out of the way and the keys made to include the
 * distribution column; the colocation groups, anchor first; the foreign keys
 * Citus supports back, rewritten where Citus only accepts another form; the
 * hidden local copies truncated (citus-rules.md §2, §5-§8). Each phase is a
 * module of its own; this one checks the design, fixes the order the tables
 * become Citus tables, runs the phases and puts the rollback together.
 */
import type { Catalog, FkAction } from '../catalog/model.js';
import type { Design } from '../design/model.js';
import { displayName, primeQuoting } from '../ingest/pg/index.js';
import { cleanup } from './cleanup.js';
import { constraints } from './constraints.js';
import { PlanContext, topoOrder, type TableOrder } from './context.js';
import { distribute } from './distribute.js';
import { decideKept, planForeignKeys, type FkPlan } from './foreign-keys.js';
import { PlanError, type Migration, type Phase, type PlanOptions } from './model.js';
import { preflight } from './preflight.js';
import { prepare } from './prepare.js';
import { referenceTables } from './reference.js';
import { restore } from './restore.js';
import { restoreMarkings, sequenceTypeLosses } from './undistribute-losses.js';

/** The ordered migration for a design, and its rollback. */
export function planMigration(catalog: Catalog, design: Design, options: PlanOptions = {}): Migration {
  // The migration names every table and most columns, each quoted where it must be.
  primeQuoting(Object.values(catalog.tables).flatMap((t) => [t.schema, t.name, ...t.columns.map((c) => c.name)]));
  const ctx = new PlanContext(catalog, design, options);
  checkDesign(ctx);
  for (const key of ctx.targets()) {
    if (ctx.table(key).columns.some((c) => c.identity)) ctx.stuck.add(key);
  }
  ctx.setOrder(tableOrder(ctx));
  const fks = planForeignKeys(ctx);
  decideKept(ctx, fks);
  markStuckLocals(ctx, fks);
  preflight(ctx);
  prepare(ctx);
  referenceTables(ctx, fks);
  constraints(ctx, fks);
  const order = distribute(ctx, fks);
  const { rewritten, dropped } = restore(ctx, fks);
  cleanup(ctx, order);
  const cannotUndo = [...ctx.stuck].sort().map((key) => {
    const cols = ctx.table(key).columns.filter((c) => c.identity).map((c) => c.name);
    const why = cols.length ? `tables with identity columns (${cols.join(', ')})` : 'it with the tables its foreign keys tie it to, one of which has an identity column';
    const what = ctx.stuckLocal.has(key)
      ? 'stays the citus local table a foreign key to a reference table made it, and'
      : ctx.stuckReference.has(key)
        ? 'stays a reference table (citus local tables that keep an identity column reference it) and'
        : '';
    return `${displayName(key)} ${what} cannot be turned back into a plain table: undistribute_table refuses ${why} — "cannot complete operation on a table with identity column"; its constraints, foreign keys and added columns are left as the migration made them.`.replace('  ', ' ');
  });
  restoreMarkings(ctx, order);
  cannotUndo.push(...ctx.cannotUndo, ...sequenceTypeLosses(ctx, order));
  // The rollback runs each phase's undo, last phase first, except that every
  // table is undistributed together (reference tables last) before any key or
  // foreign key comes back: undistribute_table refuses tables with foreign keys.
  const undoOrder: Phase[] = ['cleanup', 'restore', 'distribute', 'constraints', 'reference', 'prepare', 'preflight'];
  return {
    citus: ctx.citus,
    shardCount: design.shardCount,
    concurrently: ctx.concurrently,
    steps: ctx.steps,
    notes: ctx.notes,
    foreignKeys: {
      rewritten: [...rewritten].sort(byTableAndName),
      dropped: [...dropped].sort(byTableAndName),
    },
    rollback: { steps: undoOrder.flatMap((p) => ctx.undo[p]), notes: [], cannotUndo, staysCitus: [...ctx.stuck].sort() },
  };
}

/**
 * A foreign key from a local table to a reference table, put back, makes
 * Citus turn the local table, and the local tables its foreign keys tie it
 * to, into citus local tables. The rollback's drop of that key would turn
 * them back (UndistributeDisconnectedCitusLocalTables, utility_hook.c), and
 * undistribute_table refuses a table with an identity column: such a group
 * stays citus local tables, and the reference tables they reference stay
 * (undistribute_table would cascade to the group). Dropping the key with
 * citus.enable_local_reference_table_foreign_keys off would let those go
 * back, but would leave the group citus local tables tied to no reference
 * table, which Citus tries to turn back at the end of every later command
 * that drops a constraint: such commands would fail.
 */
function markStuckLocals(ctx: PlanContext, fks: readonly FkPlan[]): void {
  for (const p of fks) {
    const v = p.verdict;
    if (!v.ok || p.keep || !v.primary || ctx.kind(v.on) !== 'local' || ctx.kind(p.fk.refTable) !== 'reference') continue;
    const group = localFkGroup(ctx, v.on);
    if (!group.some((k) => ctx.table(k).columns.some((c) => c.identity))) continue;
    for (const k of group) {
      ctx.stuck.add(k);
      ctx.stuckLocal.add(k);
    }
    ctx.stuck.add(p.fk.refTable);
    ctx.stuckReference.add(p.fk.refTable);
  }
}

/** The local tables that foreign keys (either way) tie to `key` through local tables, `key` included. */
function localFkGroup(ctx: PlanContext, key: string): string[] {
  const tables = Object.values(ctx.catalog.tables);
  const seen = new Set([key]);
  for (const queue = [key]; queue.length; ) {
    const k = queue.pop()!;
    const next = [...ctx.table(k).foreignKeys.map((f) => f.refTable), ...tables.filter((t) => t.foreignKeys.some((f) => f.refTable === k)).map((t) => t.key)];
    for (const n of next) {
      if (seen.has(n) || !ctx.catalog.tables[n] || ctx.kind(n) !== 'local') continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return [...seen].sort();
}

/** Every table the design names exists, and each distributed one has its column (or a backfill to add it). */
function checkDesign(ctx: PlanContext): void {
  for (const [key, d] of Object.entries(ctx.design.tables).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const t = ctx.table(key);
    if (t.partitionOf && d.kind !== 'local') {
      ctx.note('distribute', `${displayName(key)} is a partition of ${displayName(t.partitionOf.parent)}: it follows its parent and is not distributed on its own.`, key);
    }
    if (d.kind === 'distributed' && !d.column) throw new PlanError(`the design makes ${displayName(key)} distributed without a distribution column`);
    if (d.kind === 'distributed' && !d.backfill && !t.partitionOf && !t.columns.some((c) => c.name === d.column)) {
      throw new PlanError(`the design distributes ${displayName(key)} on ${d.column}, which the table does not have (give a backfill to add it)`);
    }
  }
}

/** Reference tables (referenced first), single-shard tables, then each colocation group, anchor first. */
function tableOrder(ctx: PlanContext): TableOrder {
  const targets = ctx.targets();
  const fkDeps = (k: string) =>
    ctx
      .table(k)
      .foreignKeys.map((f) => f.refTable)
      .filter((r) => r !== k);
  const byAnchor = new Map<string, string[]>();
  for (const k of targets.filter((x) => ctx.kind(x) === 'distributed')) {
    const a = ctx.anchorOf(k);
    byAnchor.set(a, [...(byAnchor.get(a) ?? []), k]);
  }
  return {
    refs: topoOrder(
      targets.filter((k) => ctx.kind(k) === 'reference'),
      fkDeps,
    ),
    singles: topoOrder(
      targets.filter((k) => ctx.kind(k) === 'single-shard'),
      fkDeps,
    ),
    groups: [...byAnchor.keys()].sort().map((anchor) => ({
      anchor,
      members: [anchor, ...topoOrder(byAnchor.get(anchor)!.filter((m) => m !== anchor), fkDeps)],
    })),
  };
}

function byTableAndName(x: { table: string; name: string }, y: { table: string; name: string }): number {
  return x.table !== y.table ? (x.table < y.table ? -1 : 1) : x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
}

export type { FkAction };
