/** TB06: foreign tables cannot be distributed or made reference tables. */
import { defineRule } from './model.js';
import { displayName, isShardedKind, quoteLiteral, sqlName } from './helpers.js';

export default defineRule({
  id: 'TB06',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.table.relkind !== 'foreign' || !isShardedKind(facts.kind)) continue;
      ctx.report({
        messageId: 'foreign',
        data: { table: displayName(key) },
        at: facts.table.location,
        table: key,
        fix: { sql: `SELECT citus_add_local_table_to_metadata(${quoteLiteral(sqlName(key))});` },
      });
    }
  },
});
