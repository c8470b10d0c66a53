/** DC03: the distribution column must not be a generated column. */
import { defineRule } from './model.js';
import { displayName } from './helpers.js';

export default defineRule({
  id: 'DC03',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col?.generated) continue;
      ctx.report({
        messageId: col.generated.kind === 'virtual' ? 'virtual' : 'stored',
        data: { table: displayName(key), column: col.name, expression: col.generated.expression },
        at: col.location,
        table: key,
        column: col.name,
      });
    }
  },
});
