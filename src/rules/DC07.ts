/** DC07: a date or timestamp distribution column spreads each time range over every shard. */
import { defineRule } from './model.js';
import { displayName } from './helpers.js';

const TEMPORAL = new Set(['date', 'timestamp', 'timestamptz']);

export default defineRule({
  id: 'DC07',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.type.arrayDims || !TEMPORAL.has(col.type.base)) continue;
      ctx.report({
        messageId: 'temporal',
        data: { table: displayName(key), column: col.name, type: col.type.display, shards: facts.shardCount },
        at: col.location,
        table: key,
        column: col.name,
      });
    }
  },
});
