/** FK02: a foreign key between distributed tables needs both tables in one colocation group. */
import { defineRule } from './model.js';
import { createDistributedTableSql, displayName, isDistributedKind, kindWords, quoteIdent, sqlName } from './helpers.js';

export default defineRule({
  id: 'FK02',
  needs: ['catalog', 'kinds', 'colocation'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (!isDistributedKind(facts.kind)) continue;
      for (const fk of facts.table.foreignKeys) {
        const ref = ctx.factsOf(fk.refTable);
        if (!ref || fk.refTable === key || !isDistributedKind(ref.kind) || ctx.colocated(key, fk.refTable)) continue;
        const data = {
          table: displayName(key),
          constraint: fk.name,
          refTable: displayName(fk.refTable),
          kind: kindWords(facts.kind),
          refKind: kindWords(ref.kind),
        };
        const both = facts.kind === 'distributed' && ref.kind === 'distributed' && facts.column && ref.column;
        if (!both) {
          ctx.report({ messageId: 'kinds', data, at: fk.location, table: key });
          continue;
        }
        const col = facts.column!;
        const refCol = ref.column!;
        const typeDiffers = col.type.name !== refCol.type.name || col.type.arrayDims !== refCol.type.arrayDims;
        const collationDiffers = ctx.atLeast('14.0') && (col.collation ?? 'default') !== (refCol.collation ?? 'default');
        const messageId = typeDiffers ? 'type' : collationDiffers ? 'collation' : facts.shardCount !== ref.shardCount ? 'shardCount' : 'group';
        const sql = [
          ...(typeDiffers ? [`ALTER TABLE ${sqlName(key)} ALTER COLUMN ${quoteIdent(col.name)} TYPE ${refCol.type.display};`] : []),
          createDistributedTableSql(key, col.name, fk.refTable),
        ].join('\n');
        ctx.report({
          messageId,
          data: {
            ...data,
            column: col.name,
            type: col.type.display,
            refColumn: refCol.name,
            refType: refCol.type.display,
            collation: col.collation ?? 'default',
            refCollation: refCol.collation ?? 'default',
            shardCount: facts.shardCount,
            refShardCount: ref.shardCount,
          },
          at: fk.location,
          table: key,
          column: col.name,
          fix: { sql },
        });
      }
    }
  },
});
