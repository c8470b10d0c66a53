/** DC01: do not distribute on an enum column (hashed by OID, which differs per node). */
import { defineRule } from './model.js';
import { displayName } from './helpers.js';

export default defineRule({
  id: 'DC01',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.type.arrayDims) continue;
      const isEnum = col.type.kind === 'enum' || ctx.catalog.types[col.type.base]?.kind === 'enum';
      if (!isEnum) continue;
      ctx.report({
        messageId: 'enumKey',
        data: { table: displayName(key), column: col.name, type: col.type.display },
        at: col.location,
        table: key,
        column: col.name,
      });
    }
  },
});
