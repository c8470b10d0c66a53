/** TB04: rewrite rules on Citus tables are not propagated to the shards. */
import { defineRule } from './model.js';
import { displayName, isShardedKind } from './helpers.js';

export default defineRule({
  id: 'TB04',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isShardedKind(facts.kind)) continue;
      for (const rule of facts.table.rules) {
        ctx.report({ messageId: 'rule', data: { table: displayName(key), rule }, at: facts.table.location, table: key });
      }
    }
  },
});
