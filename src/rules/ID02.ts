/** ID02: tables with identity columns cannot be rebuilt by alter_distributed_table / undistribute_table. */
import { defineRule } from './model.js';
import { displayName, isShardedKind } from './helpers.js';

export default defineRule({
  id: 'ID02',
  needs: ['catalog', 'kinds', 'version'],
  check(ctx) {
    if (!ctx.atLeast('11.2.1')) return;
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isShardedKind(facts.kind)) continue;
      for (const col of facts.table.columns) {
        if (!col.identity) continue;
        ctx.report({
          messageId: 'rebuildBlocked',
          data: { table: displayName(key), column: col.name },
          at: col.location,
          table: key,
          column: col.name,
        });
      }
    }
  },
});
