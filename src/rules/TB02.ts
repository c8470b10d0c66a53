/** TB02: partitioned tables only as hash-distributed (or single-shard) tables, partitions only with their parent. */
import { defineRule } from './model.js';
import { displayName, isShardedKind } from './helpers.js';

export default defineRule({
  id: 'TB02',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const t = facts.table;
      const data = { table: displayName(key), name: t.name, parent: t.partitionOf ? displayName(t.partitionOf.parent) : '' };
      if (t.relkind === 'partitioned' && facts.kind === 'reference') {
        ctx.report({ messageId: 'partitionedReference', data, at: t.location, table: key });
        continue;
      }
      if (!t.partitionOf || !isShardedKind(facts.kind)) continue;
      const parentKind = ctx.kindOf(t.partitionOf.parent);
      if (parentKind !== 'distributed' && parentKind !== 'single-shard') {
        ctx.report({ messageId: 'partitionAlone', data, at: t.location, table: key });
      } else if (t.relkind === 'partitioned') {
        ctx.report({ messageId: 'multiLevel', data, at: t.location, table: key });
      }
    }
  },
});
