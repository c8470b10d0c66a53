/** DC08: a low-cardinality distribution column leaves most shards empty. */
import { defineRule } from './model.js';
import { displayName } from './helpers.js';

export default defineRule({
  id: 'DC08',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    const types = (ctx.options.types as Record<string, number>) ?? {};
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.type.arrayDims) continue;
      const enumLabels = ctx.catalog.types[col.type.base]?.kind === 'enum' ? ctx.catalog.types[col.type.base]?.labels?.length : undefined;
      const values = types[col.type.base] ?? types[col.type.name] ?? enumLabels;
      if (values === undefined || values >= facts.shardCount) continue;
      ctx.report({
        messageId: 'lowCardinality',
        data: { table: displayName(key), column: col.name, type: col.type.display, values, shards: facts.shardCount },
        at: col.location,
        table: key,
        column: col.name,
      });
    }
  },
});
