/** FK05: a plain local table referencing a distributed table is accepted but only half enforced. */
import { defineRule } from './model.js';
import { displayName, dropConstraintSql, isDistributedKind, kindWords } from './helpers.js';

export default defineRule({
  id: 'FK05',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'local') continue;
      for (const fk of facts.table.foreignKeys) {
        const refKind = ctx.kindOf(fk.refTable);
        if (!isDistributedKind(refKind) || !ctx.catalog.tables[fk.refTable]) continue;
        ctx.report({
          messageId: 'halfEnforced',
          data: { table: displayName(key), constraint: fk.name, refTable: displayName(fk.refTable), refKind: kindWords(refKind) },
          at: fk.location,
          table: key,
          fix: { sql: dropConstraintSql(key, fk.name) },
        });
      }
    }
  },
});
