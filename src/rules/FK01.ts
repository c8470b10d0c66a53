/** FK01: a distributed table's foreign key must point at a reference or colocated distributed table. */
import { splitKey } from '../ingest/pg/names.js';
import { defineRule } from './model.js';
import { createReferenceTableSql, displayName, isDistributedKind } from './helpers.js';

export default defineRule({
  id: 'FK01',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isDistributedKind(facts.kind)) continue;
      for (const fk of facts.table.foreignKeys) {
        const refKind = ctx.kindOf(fk.refTable);
        if (refKind !== 'local' && refKind !== 'citus-local') continue;
        if (!ctx.catalog.tables[fk.refTable]) continue;
        ctx.report({
          messageId: refKind === 'local' ? 'toLocal' : 'toCitusLocal',
          data: {
            table: displayName(key),
            constraint: fk.name,
            refTable: displayName(fk.refTable),
            refName: splitKey(fk.refTable).name,
          },
          at: fk.location,
          table: key,
          fix: { sql: createReferenceTableSql(fk.refTable) },
        });
      }
    }
  },
});
