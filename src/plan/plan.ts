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
import { decideKept, planForeignKeys } from './foreign-keys.js';
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
  preflight(ctx);
  prepare(ctx);
  referenceTables(ctx, fks);
  constraints(ctx, fks);
  const order = distribute(ctx, fks);
  const { rewritten, dropped } = restore(ctx, fks);
  cleanup(ctx, order);
  const cannotUndo = [...ctx.stuck].sort().map((key) => {
    const cols = ctx.table(key).columns.filter((c) => c.identity).map((c) => c.name);
    return `${displayName(key)} cannot be turned back into a plain table: undistribute_table refuses tables with identity columns (${cols.join(', ')}) — "cannot complete operation on a table with identity column"; its constraints, foreign keys and added columns are left as the migration made them.`;
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
    rollback: { steps: undoOrder.flatMap((p) => ctx.undo[p]), notes: [], cannotUndo },
  };
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
