/** FK08: no ON DELETE / ON UPDATE SET DEFAULT onto columns whose default is a sequence. */
import { defineRule } from './model.js';
import { addForeignKeySql, displayName, dropConstraintSql, isCitusKind } from './helpers.js';

export default defineRule({
  id: 'FK08',
  needs: ['catalog', 'kinds', 'sequences'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isCitusKind(facts.kind)) continue;
      for (const fk of facts.table.foreignKeys) {
        if (fk.onDelete !== 'set default' && fk.onUpdate !== 'set default') continue;
        const seqColumns = fk.columns.filter((name) => {
          const c = facts.table.columns.find((col) => col.name === name);
          return !!c && (c.serial || c.defaultSequence !== undefined);
        });
        if (!seqColumns.length) continue;
        const change = {
          ...(fk.onDelete === 'set default' ? { onDelete: 'no action' as const } : {}),
          ...(fk.onUpdate === 'set default' ? { onUpdate: 'no action' as const } : {}),
        };
        ctx.report({
          messageId: 'sequenceDefault',
          data: { table: displayName(key), constraint: fk.name, column: seqColumns[0] },
          at: fk.location,
          table: key,
          column: seqColumns[0],
          fix: { sql: [dropConstraintSql(key, fk.name), addForeignKeySql(key, fk, change)].join('\n') },
        });
      }
    }
  },
});
