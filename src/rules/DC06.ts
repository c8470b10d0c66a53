/** DC06: no constant default on the distribution column. */
import { defineRule } from './model.js';
import { displayName, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'DC06',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      const col = facts.column;
      if (facts.kind !== 'distributed' || !col || col.default === undefined) continue;
      if (col.serial || col.defaultSequence !== undefined || /\bnextval\s*\(/i.test(col.default)) continue;
      ctx.report({
        messageId: 'default',
        data: { table: displayName(key), column: col.name, default: col.default },
        at: col.location,
        table: key,
        column: col.name,
        fix: { sql: `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col.name)} DROP DEFAULT;` },
      });
    }
  },
});
