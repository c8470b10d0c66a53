/** TB07: temporary tables cannot be Citus tables. */
import { defineRule } from './model.js';
import { displayName, isShardedKind } from './helpers.js';

export default defineRule({
  id: 'TB07',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.table.persistence !== 'temporary' || !isShardedKind(facts.kind)) continue;
      ctx.report({ messageId: 'temporary', data: { table: displayName(key) }, at: facts.table.location, table: key });
    }
  },
});
