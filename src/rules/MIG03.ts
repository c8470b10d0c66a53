/**
 * MIG03: work that runs on every shard. Over a schema and a design: a
 * materialized view over distributed tables, whose every REFRESH runs its
 * query on all shards and gathers the rows on the coordinator. `shardwise
 * lint` also reports migration queries without a distribution-column filter.
 */
import type { Location } from '../catalog/model.js';
import { displayName } from './helpers.js';
import { defineRule, type Report } from './model.js';

/** A migration query that runs on all shards of a table, as this rule reports it. */
export function scatteringQuery(kind: string, table: string, column: string, shards: number, at: Location): Report {
  return {
    messageId: 'query',
    data: { kind: kind.toUpperCase(), table: displayName(table), column, shards },
    at,
    table,
    column,
  };
}

export default defineRule({
  id: 'MIG03',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const view of Object.values(ctx.catalog.views).sort((a, b) => (a.key < b.key ? -1 : 1))) {
      if (!view.materialized) continue;
      const sharded = view.reads.filter((t) => ctx.factsOf(t)?.kind === 'distributed').sort();
      if (!sharded.length) continue;
      const first = ctx.factsOf(sharded[0])!;
      ctx.report({
        messageId: 'matview',
        data: { view: displayName(view.key), table: sharded.map(displayName).join(', '), shards: first.shardCount },
        at: view.location,
        table: sharded[0],
      });
    }
  },
});
