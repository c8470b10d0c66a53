/** TB05: row-level security policies with subqueries cannot be distributed. */
import { defineRule } from './model.js';
import { displayName, isShardedKind } from './helpers.js';

export default defineRule({
  id: 'TB05',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isShardedKind(facts.kind)) continue;
      for (const p of facts.table.policies) {
        if (!p.hasSubquery) continue;
        ctx.report({ messageId: 'subquery', data: { table: displayName(key), policy: p.name }, at: p.location, table: key });
      }
    }
  },
});
