/**
 * Phase 3, reference tables: the foreign keys in their way dropped first,
 * then each made a reference table, referenced before referencing.
 */
import { displayName } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { dropWhy, originalFk, type FkPlan } from './foreign-keys.js';
import { dropConstraint, regclassLiteral } from './sql.js';

/** The foreign keys in the way dropped, then create_reference_table for each, referenced first. */
export function referenceTables(ctx: PlanContext, fks: FkPlan[]): void {
  for (const p of fks.filter((x) => x.early)) {
    ctx.step('reference', dropConstraint(p.table, p.fk.name), `${displayName(p.table)} -> ${displayName(p.fk.refTable)}: out of the way before the reference tables are made: ${dropWhy(ctx, p)}.`, { table: p.table });
    ctx.undoStep('reference', originalFk(ctx, p), `Put back ${p.fk.name} as it was before the migration.`, [p.table, p.fk.refTable], { table: p.table });
  }
  if (!ctx.order.refs.length) return;
  const staying = fks.filter((p) => p.keep && p.table !== p.fk.refTable && ctx.kind(p.fk.refTable) === 'reference');
  if (staying.length) {
    const from = [...new Set(staying.map((p) => p.table))].map(displayName);
    const pairs = [...new Set(staying.map((p) => `${displayName(p.table)} -> ${displayName(p.fk.refTable)}`))];
    const one = from.length === 1;
    ctx.step(
      'reference',
      'SET citus.enable_local_reference_table_foreign_keys = off',
      `The foreign key${pairs.length === 1 ? '' : 's'} ${pairs.join(', ')} stay${pairs.length === 1 ? 's' : ''} in place, from ${one ? 'a table that becomes' : 'tables that become'} a Citus table only later. With this setting on (the default) and the coordinator in the metadata, create_reference_table would turn ${from.join(', ')}, and every table FK-linked to ${one ? 'it' : 'them'}, into citus local tables, which create_distributed_table then copies back into plain tables first (and refuses for tables with identity columns). Off for these calls, ${one ? 'it stays a plain table' : 'they stay plain tables'} until ${one ? 'it becomes a Citus table' : 'they become Citus tables'}, when Citus checks the foreign keys like any other to a reference table.`,
      { citus: true },
    );
  }
  for (const k of ctx.order.refs) {
    const t = ctx.table(k);
    if (t.relkind === 'partitioned') ctx.note('reference', `${displayName(k)} is partitioned: Citus only distributes partitioned tables by hash ("distributing partitioned tables in only supported for hash-distributed tables").`, k);
    const incoming = staying.filter((p) => p.fk.refTable === k);
    const stay = incoming.length ? ` The foreign key${incoming.length === 1 ? '' : 's'} to it (${incoming.map((p) => `${p.fk.name} on ${displayName(p.table)}`).join(', ')}) stay${incoming.length === 1 ? 's' : ''} in place: Citus accepts a distributed table referencing a reference table.` : '';
    ctx.step('reference', `SELECT create_reference_table(${regclassLiteral(k)})`, `${displayName(k)} becomes a reference table: one copy on every node, joinable with any distributed table.${stay}`, { table: k, citus: true });
  }
  if (staying.length) ctx.step('reference', 'RESET citus.enable_local_reference_table_foreign_keys', 'Back to the default: a foreign key between a plain table and a reference table makes the plain table a citus local table.', { citus: true });
}
