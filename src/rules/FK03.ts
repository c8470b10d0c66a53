/** FK03: a foreign key between colocated distributed tables must pair the two distribution columns. */
import { defineRule } from './model.js';
import { addForeignKeySql, displayName, dropConstraintSql } from './helpers.js';

export default defineRule({
  id: 'FK03',
  needs: ['catalog', 'kinds', 'colocation'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'distributed' || !facts.column) continue;
      for (const fk of facts.table.foreignKeys) {
        const ref = ctx.factsOf(fk.refTable);
        if (!ref || ref.kind !== 'distributed' || !ref.column || !ctx.colocated(key, fk.refTable)) continue;
        const i = fk.columns.indexOf(facts.column.name);
        if (i !== -1 && fk.refColumns[i] === ref.column.name) continue;
        const canAdd = i === -1 && !fk.refColumns.includes(ref.column.name);
        ctx.report({
          messageId: i === -1 ? 'missing' : 'position',
          data: {
            table: displayName(key),
            constraint: fk.name,
            refTable: displayName(fk.refTable),
            column: facts.column.name,
            refColumn: ref.column.name,
          },
          at: fk.location,
          table: key,
          column: facts.column.name,
          ...(canAdd
            ? {
                fix: {
                  sql: [
                    dropConstraintSql(key, fk.name),
                    addForeignKeySql(key, fk, {
                      columns: [facts.column.name, ...fk.columns],
                      refColumns: [ref.column.name, ...fk.refColumns],
                    }),
                  ].join('\n'),
                },
              }
            : {}),
        });
      }
    }
  },
});
