/** FK04: reference and citus local tables cannot reference distributed tables. */
import { defineRule } from './model.js';
import { displayName, dropConstraintSql, isDistributedKind, kindWords } from './helpers.js';

export default defineRule({
  id: 'FK04',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'reference' && facts.kind !== 'citus-local') continue;
      for (const fk of facts.table.foreignKeys) {
        const refKind = ctx.kindOf(fk.refTable);
        if (!isDistributedKind(refKind) || !ctx.catalog.tables[fk.refTable]) continue;
        ctx.report({
          messageId: facts.kind === 'reference' ? 'fromReference' : 'fromCitusLocal',
          data: { table: displayName(key), constraint: fk.name, refTable: displayName(fk.refTable), refKind: kindWords(refKind) },
          at: fk.location,
          table: key,
          fix: { sql: dropConstraintSql(key, fk.name) },
        });
      }
    }
  },
});
