/** ID01: identity columns on distributed tables, by Citus version. */
import { defineRule } from './model.js';
import { displayName, isDistributedKind, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'ID01',
  needs: ['catalog', 'kinds', 'version'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isDistributedKind(facts.kind)) continue;
      for (const col of facts.table.columns) {
        if (!col.identity) continue;
        const bigint = col.type.base === 'int8';
        let messageId: string | undefined;
        if (!ctx.atLeast('11.2')) messageId = 'unsupported';
        else if (facts.table.relkind === 'partitioned' && !ctx.atLeast('13.0')) messageId = 'partitioned';
        else if (!bigint && ctx.atLeast('11.2.1') && !ctx.atLeast('12.0')) messageId = 'bigintOnly';
        else if (!bigint && ctx.atLeast('12.0')) messageId = 'workerInserts';
        if (!messageId) continue;
        ctx.report({
          messageId,
          data: {
            table: displayName(key),
            column: col.name,
            type: col.type.display,
            citus: ctx.citus.text,
            sequence: col.identity.sequence.split('.').slice(1).join('.'),
            max: col.type.base === 'int2' ? 32767 : 2147483647,
          },
          at: col.location,
          table: key,
          column: col.name,
          ...(bigint ? {} : { fix: { sql: `ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col.name)} TYPE bigint;` } }),
        });
      }
    }
  },
});
