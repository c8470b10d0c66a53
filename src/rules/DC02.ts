/** DC02: the distribution column's type needs a default hash operator class. */
import { defineRule } from './model.js';
import { displayName } from './helpers.js';
import { NOT_HASHABLE } from './hashable.js';

export default defineRule({
  id: 'DC02',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.type.arrayDims) continue;
      if (!NOT_HASHABLE.includes(col.type.base)) continue;
      ctx.report({
        messageId: 'noHash',
        data: { table: displayName(key), column: col.name, type: col.type.base },
        at: col.location,
        table: key,
        column: col.name,
      });
    }
  },
});
