/** SEQ01: int/smallint sequence defaults on Citus tables fail for inserts run on workers. */
import { needsBigint } from '../design/version.js';
import { defineRule } from './model.js';
import { displayName, isShardedKind, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'SEQ01',
  needs: ['catalog', 'kinds', 'sequences', 'version'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isShardedKind(facts.kind)) continue;
      for (const col of facts.table.columns) {
        if (needsBigint(ctx.citus, col, facts.table.relkind === 'partitioned') !== 'default-worker-inserts') continue;
        const seq = col.defaultSequence ?? '';
        const seqSql = seq && ctx.catalog.sequences[seq] ? `\nALTER SEQUENCE ${sqlName(seq)} AS bigint;` : '';
        ctx.report({
          messageId: 'intSequence',
          data: { table: displayName(key), column: col.name, type: col.type.display },
          at: col.location,
          table: key,
          column: col.name,
          fix: { sql: `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col.name)} TYPE bigint;${seqSql}` },
        });
      }
    }
  },
});
