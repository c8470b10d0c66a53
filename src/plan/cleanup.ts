/**
 * Phase 7, cleanup: the local copies distribution left behind on the
 * coordinator truncated.
 */
import { displayName } from '../ingest/pg/index.js';
import type { PlanContext } from './context.js';
import { regclassLiteral } from './sql.js';

/** One truncate per table made a Citus table, in the order they were made. */
export function cleanup(ctx: PlanContext, order: string[]): void {
  for (const k of order) {
    ctx.step(
      'cleanup',
      `SELECT truncate_local_data_after_distributing_table(${regclassLiteral(k)})`,
      `The rows of ${displayName(k)} were copied into its shards; the copy left on the coordinator is invisible but still on disk. Remove it (nothing to do for an empty table).`,
      { table: k, citus: true },
    );
  }
}
