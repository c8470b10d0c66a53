/** TB01: distributed tables without a primary key or replica identity. */
import { defineRule } from './model.js';
import { displayName, sqlName } from './helpers.js';

export default defineRule({
  id: 'TB01',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'distributed' || facts.table.primaryKey || facts.table.partitionOf) continue;
      const ri = facts.table.replicaIdentity;
      if (ri === 'f' || ri === 'i') continue;
      ctx.report({
        messageId: 'noPrimaryKey',
        data: { table: displayName(key), name: facts.table.name },
        at: facts.table.location,
        table: key,
        fix: { sql: `ALTER TABLE ${sqlName(key)} REPLICA IDENTITY FULL;` },
      });
    }
  },
});
