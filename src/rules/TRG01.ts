/** TRG01: triggers block distributing a table or making it a reference table. */
import { defineRule } from './model.js';
import { displayName, isShardedKind, kindWords, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'TRG01',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isShardedKind(facts.kind)) continue;
      for (const trg of facts.table.triggers) {
        ctx.report({
          messageId: 'trigger',
          data: { table: displayName(key), trigger: trg.name, kind: kindWords(facts.kind), name: facts.table.name },
          at: trg.location,
          table: key,
          fix: { sql: `DROP TRIGGER ${quoteIdent(trg.name)} ON ${sqlName(key)};` },
        });
      }
    }
  },
});
