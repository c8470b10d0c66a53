/**
 * Phase 5, distribute: the single-shard tables, then each colocation group,
 * anchor first.
 */
import { displayName, quoteLiteral } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import type { FkPlan } from './foreign-keys.js';
import { dropConstraint, regclassLiteral } from './sql.js';
import { dropBeforeUndistribute, restoreAfterUndistribute } from './undistribute-losses.js';

/** The create_distributed_table calls; returns every table made a Citus table, in order (reference tables first). */
export function distribute(ctx: PlanContext, fks: FkPlan[]): string[] {
  const order: string[] = [...ctx.order.refs];
  for (const k of ctx.order.singles) {
    ctx.step('distribute', `SELECT create_distributed_table(${regclassLiteral(k)}, NULL)`, `${displayName(k)} becomes a single-shard distributed table (no distribution column).`, { table: k, citus: true });
    order.push(k);
  }
  const anchors = ctx.order.groups.map((g) => g.anchor);
  for (const { anchor, members } of ctx.order.groups) {
    for (const k of members) {
      const col = ctx.distColumn(k)!;
      const args = [regclassLiteral(k), quoteLiteral(col)];
      const sc = ctx.design.tables[k].shardCount;
      if (k === anchor) {
        if (anchors.length > 1) args.push(`colocate_with => 'none'`);
        if ((sc ?? ctx.design.shardCount) !== 32) args.push(`shard_count => ${sc ?? ctx.design.shardCount}`);
      } else args.push(`colocate_with => ${regclassLiteral(anchor)}`);
      const concurrent = ctx.concurrently ? ctx.concurrentRefusal(k) : 'not asked';
      const fn = concurrent === undefined ? 'create_distributed_table_concurrently' : 'create_distributed_table';
      let why =
        k === anchor
          ? `${displayName(k)} is distributed on ${col}${members.length > 1 ? `, first of its colocation group (${members.map(displayName).join(', ')})` : ''}${anchors.length > 1 ? `; colocate_with => 'none' keeps the groups apart` : ''}.`
          : `${displayName(k)} is distributed on ${col}, colocated with ${displayName(anchor)}: same shard for the same ${col}, so joins and foreign keys on it stay on one node.`;
      if (concurrent === undefined) why += ' Concurrently: writes continue while the shards are copied; it cannot run inside a transaction block, and it first makes the table a citus local table, so the coordinator must be in the metadata (checked in the preflight).';
      else if (ctx.concurrently) why += ` Not concurrently: ${concurrent}; the blocking call takes a lock that stops writes until the copy is done.`;
      ctx.step('distribute', `SELECT ${fn}(${args.join(', ')})`, why, { table: k, citus: true, transactional: concurrent !== undefined });
      order.push(k);
    }
  }
  // rollback: the FKs that stayed out of undistribute_table's way (it refuses
  // tables with foreign keys; they come back as they were with the keys), then
  // every table back, last distributed first
  for (const p of fks.filter((x) => x.keep && !(x.table === x.fk.refTable && ctx.stuck.has(x.table)))) {
    ctx.undoStep('distribute', dropConstraint(p.table, p.fk.name), `${p.fk.name} stayed in place through the migration; undistribute_table refuses tables with foreign keys, so it is dropped here and comes back as it was further down.`, [], { table: p.table });
  }
  dropBeforeUndistribute(ctx, order);
  for (const k of [...order].reverse()) {
    ctx.undoStep('distribute', `SELECT undistribute_table(${regclassLiteral(k)})`, `${displayName(k)} back to a plain PostgreSQL table: its rows come back from the shards.`, [k], { table: k, citus: true });
  }
  restoreAfterUndistribute(ctx, order);
  return order;
}
