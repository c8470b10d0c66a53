/** SEQ02: one sequence must not feed columns of different types in Citus tables. */
import type { Column } from '../catalog/model.js';
import { defineRule } from './model.js';
import { displayName, isShardedKind, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'SEQ02',
  needs: ['catalog', 'kinds', 'sequences'],
  check(ctx) {
    const users = new Map<string, Array<{ table: string; column: Column }>>();
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isShardedKind(facts.kind)) continue;
      for (const column of facts.table.columns) {
        if (column.defaultSequence === undefined) continue;
        const list = users.get(column.defaultSequence) ?? [];
        list.push({ table: key, column });
        users.set(column.defaultSequence, list);
      }
    }
    for (const [seq, list] of [...users.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const first = list[0];
      for (const u of list.slice(1)) {
        if (u.column.type.base === first.column.type.base) continue;
        ctx.report({
          messageId: 'mixedTypes',
          data: {
            table: displayName(u.table),
            column: u.column.name,
            type: u.column.type.display,
            sequence: displayName(seq),
            otherTable: displayName(first.table),
            otherColumn: first.column.name,
            otherType: first.column.type.display,
          },
          at: u.column.location,
          table: u.table,
          column: u.column.name,
          fix: { sql: `ALTER TABLE ${sqlName(u.table)} ALTER COLUMN ${quoteIdent(u.column.name)} TYPE ${first.column.type.display};` },
        });
      }
    }
  },
});
