/** TB03: tables in plain (non-partition) inheritance cannot become Citus tables. */
import { defineRule } from './model.js';
import { displayName, isCitusKind } from './helpers.js';

export default defineRule({
  id: 'TB03',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    const parents = new Set(Object.values(ctx.catalog.tables).flatMap((t) => t.inherits));
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isCitusKind(facts.kind)) continue;
      const t = facts.table;
      if (!t.inherits.length && !parents.has(key)) continue;
      ctx.report({
        messageId: t.inherits.length ? 'child' : 'parent',
        data: { table: displayName(key), parents: t.inherits.map(displayName).join(', ') },
        at: t.location,
        table: key,
      });
    }
  },
});
