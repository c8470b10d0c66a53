/** DC05: declare the distribution column NOT NULL. */
import { defineRule } from './model.js';
import { displayName, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'DC05',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.notNull || col.identity) continue;
      if (facts.table.primaryKey?.columns.includes(col.name)) continue;
      ctx.report({
        messageId: 'nullable',
        data: { table: displayName(key), column: col.name },
        at: col.location,
        table: key,
        column: col.name,
        fix: { sql: `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col.name)} SET NOT NULL;` },
      });
    }
  },
});
