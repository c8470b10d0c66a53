/** DC04: the distribution column must not be numeric with a negative scale. */
import { defineRule } from './model.js';
import { displayName, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'DC04',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.type.base !== 'numeric' || col.type.arrayDims) continue;
      const typmods = col.type.kind === 'domain' ? ctx.catalog.types[col.type.name]?.baseType?.typmods ?? [] : col.type.typmods;
      if (!(typmods.length > 1 && typmods[1] < 0)) continue;
      ctx.report({
        messageId: 'negativeScale',
        data: { table: displayName(key), column: col.name, type: col.type.display },
        at: col.location,
        table: key,
        column: col.name,
        fix: { sql: `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col.name)} TYPE numeric;` },
      });
    }
  },
});
