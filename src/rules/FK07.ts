/** FK07: a reference table's foreign key to a local table may only use NO ACTION / RESTRICT. */
import { defineRule } from './model.js';
import { createReferenceTableSql, displayName } from './helpers.js';

const ALLOWED = new Set(['no action', 'restrict']);

export default defineRule({
  id: 'FK07',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'reference') continue;
      for (const fk of facts.table.foreignKeys) {
        const refKind = ctx.kindOf(fk.refTable);
        if ((refKind !== 'local' && refKind !== 'citus-local') || !ctx.catalog.tables[fk.refTable]) continue;
        const actions = [
          ...(ALLOWED.has(fk.onDelete) ? [] : [`ON DELETE ${fk.onDelete.toUpperCase()}`]),
          ...(ALLOWED.has(fk.onUpdate) ? [] : [`ON UPDATE ${fk.onUpdate.toUpperCase()}`]),
        ];
        if (!actions.length) continue;
        ctx.report({
          messageId: 'action',
          data: { table: displayName(key), constraint: fk.name, refTable: displayName(fk.refTable), actions: actions.join(', ') },
          at: fk.location,
          table: key,
          fix: { sql: createReferenceTableSql(fk.refTable) },
        });
      }
    }
  },
});
