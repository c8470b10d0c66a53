/** FK06: no SET NULL / SET DEFAULT (delete) or SET NULL / SET DEFAULT / CASCADE (update) on a distribution key FK. */
import type { FkAction } from '../catalog/model.js';
import { defineRule } from './model.js';
import { addForeignKeySql, displayName, dropConstraintSql } from './helpers.js';

const BAD_ON_DELETE: readonly FkAction[] = ['set null', 'set default'];
const BAD_ON_UPDATE: readonly FkAction[] = ['set null', 'set default', 'cascade'];

export default defineRule({
  id: 'FK06',
  needs: ['catalog', 'kinds'],
  check(ctx) {
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (facts.kind !== 'distributed' || !facts.column) continue;
      const column = facts.column.name;
      for (const fk of facts.table.foreignKeys) {
        const refKind = ctx.kindOf(fk.refTable);
        if ((refKind !== 'distributed' && refKind !== 'reference') || !fk.columns.includes(column)) continue;
        const badDelete = BAD_ON_DELETE.includes(fk.onDelete);
        const badUpdate = BAD_ON_UPDATE.includes(fk.onUpdate);
        if (!badDelete && !badUpdate) continue;
        const sql = [
          dropConstraintSql(key, fk.name),
          addForeignKeySql(key, fk, { ...(badDelete ? { onDelete: 'no action' } : {}), ...(badUpdate ? { onUpdate: 'no action' } : {}) }),
        ].join('\n');
        const data = { table: displayName(key), constraint: fk.name, refTable: displayName(fk.refTable), column };
        if (badDelete) {
          ctx.report({ messageId: 'onDelete', data: { ...data, action: fk.onDelete.toUpperCase() }, at: fk.location, table: key, column, fix: { sql } });
        }
        if (badUpdate) {
          ctx.report({ messageId: 'onUpdate', data: { ...data, action: fk.onUpdate.toUpperCase() }, at: fk.location, table: key, column, fix: { sql } });
        }
      }
    }
  },
});
