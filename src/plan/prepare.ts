/**
 * Phase 2, prepare: everything that must change while the tables are still
 * plain PostgreSQL tables: sequence-fed int columns widened to bigint, the
 * distribution columns added and filled, the nullable ones made NOT NULL,
 * triggers let through.
 */
import { displayName } from '../ingest/pg/index.js';
import { backfill, backfills } from './backfill.js';
import type { PlanContext } from './context.js';
import { notNullKeys } from './not-null.js';
import { node, planWidening, widen } from './widen.js';

/** The widening steps first (a distribution column added in a widened group is added as bigint), then each fill, then the trigger setting. */
export function prepare(ctx: PlanContext): void {
  const fills = backfills(ctx);
  const groups = planWidening(ctx, fills);
  const bigint = new Set<string>();
  for (const g of groups.filter((x) => !x.blockers.length)) {
    for (const c of [...g.columns, ...g.added]) bigint.add(node(c.table, c.column));
  }
  for (const b of fills) if (bigint.has(node(b.table, b.column))) b.type = 'bigint';
  const undoBefore = ctx.undo.prepare.length;
  widen(ctx, groups);
  const widenUndo = ctx.undo.prepare.splice(undoBefore);
  for (const b of fills) backfill(ctx, b);
  notNullKeys(ctx, new Set(fills.map((b) => b.table)));
  triggers(ctx);
  // rollback: the added columns go first, then the types come back
  ctx.undo.prepare.push(...widenUndo);
}

/** citus.enable_unsafe_triggers on, when a table that changes kind has triggers. */
function triggers(ctx: PlanContext): void {
  const withTriggers = ctx.targets().filter((k) => ctx.table(k).triggers.some((tr) => !tr.constraint));
  if (!withTriggers.length) return;
  const list = withTriggers.map((k) => `${displayName(k)} (${ctx.table(k).triggers.filter((tr) => !tr.constraint).map((tr) => tr.name).join(', ')})`).join('; ');
  ctx.step(
    'prepare',
    'SET citus.enable_unsafe_triggers = on',
    `Citus refuses to distribute tables with triggers ("cannot distribute relation ... because it has triggers") unless this is on: ${list}. With it on, each trigger runs on the shards, per shard: one that reads or writes other tables only sees the rows of that shard (or must touch reference tables only). Review each one, or drop it before running this.`,
    { citus: true },
  );
  ctx.undoStep('prepare', 'RESET citus.enable_unsafe_triggers', 'Back to the default: Citus refuses triggers on Citus tables.', [], { citus: true });
}
