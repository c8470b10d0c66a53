/** ID01: identity columns on distributed tables, by Citus version. */
import { splitKey } from '../ingest/pg/names.js';
import { sequenceColumnVerdict, type SequenceColumnVerdict } from '../design/version.js';
import { defineRule } from './model.js';
import { displayName, isDistributedKind, quoteIdent, sqlName } from './helpers.js';

const MESSAGES: Partial<Record<SequenceColumnVerdict, string>> = {
  'identity-unsupported': 'unsupported',
  'identity-partitioned': 'partitioned',
  'identity-bigint-only': 'bigintOnly',
  'identity-worker-inserts': 'workerInserts',
};

export default defineRule({
  id: 'ID01',
  needs: ['catalog', 'kinds', 'version'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isDistributedKind(facts.kind)) continue;
      for (const col of facts.table.columns) {
        if (!col.identity) continue;
        const bigint = col.type.base === 'int8';
        const verdict = sequenceColumnVerdict(ctx.citus, col, facts.table.relkind === 'partitioned');
        const messageId = verdict && MESSAGES[verdict];
        if (!messageId) continue;
        ctx.report({
          messageId,
          data: {
            table: displayName(key),
            column: col.name,
            type: col.type.display,
            citus: ctx.citus.text,
            sequence: splitKey(col.identity.sequence).name,
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
