/**
 * Phase 6, restore: the foreign keys Citus enforces put back, in the form it
 * accepts; the others recorded as dropped for good.
 */
import { displayName } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import type { FkPlan } from './foreign-keys.js';
import type { DroppedForeignKey, RewrittenForeignKey } from './model.js';
import { addForeignKey, dropConstraint } from './sql.js';

/** Re-adds the foreign keys Citus enforces; returns those that come back rewritten and those dropped for good. */
export function restore(ctx: PlanContext, fks: FkPlan[]): { rewritten: RewrittenForeignKey[]; dropped: DroppedForeignKey[] } {
  const rewritten: RewrittenForeignKey[] = [];
  const dropped: DroppedForeignKey[] = [];
  for (const p of fks) {
    if (p.verdict.ok) continue;
    dropped.push({ table: p.table, name: p.fk.name, columns: [...p.fk.columns], refTable: p.fk.refTable, reason: p.verdict.reason });
    ctx.note('restore', `dropped for good: ${p.fk.name} on ${displayName(p.table)} (${p.fk.columns.join(', ')}) -> ${displayName(p.fk.refTable)}: ${p.verdict.reason}`, p.table);
  }
  for (const p of fks) {
    const v = p.verdict;
    if (!v.ok || p.keep || !v.primary) continue;
    const { shape, changes, on } = v;
    const from = ctx.kind(on);
    const to = ctx.kind(p.fk.refTable);
    let why = `${displayName(on)} -> ${displayName(p.fk.refTable)} (${from} -> ${to}): a foreign key Citus enforces.`;
    if (changes.length) {
      why += ` Re-added in the form Citus accepts: ${changes.join('; ')}.`;
      const merged = fks.filter((x) => x.verdict.ok && x.verdict.on === on && x.verdict.shape.name === shape.name);
      for (const m of merged) rewritten.push({ table: m.table, name: m.fk.name, refTable: m.fk.refTable, as: { table: on, name: shape.name }, changes });
    }
    if (from === 'local') why += ` Citus turns ${displayName(on)} into a citus local table for it (the coordinator must be in the metadata).`;
    ctx.step('restore', addForeignKey(on, shape), why, { table: on });
    // a citus local table for good (an identity column) keeps the key that ties it to a reference table
    ctx.undoStep('restore', dropConstraint(on, shape.name), `Drop ${shape.name} as the migration re-added it.`, ctx.stuckLocal.has(on) ? [on] : [], { table: on });
  }
  ctx.undo.restore.reverse();
  return { rewritten, dropped };
}
