/**
 * MIG02: a table the design says nothing about. It stays a plain table on the
 * coordinator; when it joins or references distributed tables that breaks.
 * The check suggests a decision from the same design: distributed and
 * colocated when it carries a group's key column (or an FK to a distributed
 * table's key), reference when other tables reference it.
 */
import type { Table } from '../catalog/model.js';
import { createDistributedTableSql, createReferenceTableSql, displayName } from './helpers.js';
import { defineRule, type RuleContext } from './model.js';

export interface Suggestion {
  readonly kind: 'distributed' | 'reference' | 'undecided';
  readonly column?: string;
  readonly colocateWith?: string;
}

/** The decision the design's groups suggest for a table it does not list. */
export function suggestDecision(ctx: Pick<RuleContext, 'tables' | 'design'>, table: Table): Suggestion {
  // Groups of the design: key column name and type -> the table the group is anchored on.
  const anchors = new Map<string, { anchor: string; size: number }>();
  for (const [key, f] of Object.entries(ctx.tables)) {
    if (f.kind !== 'distributed' || !f.column || !ctx.design.tables[key] || key === table.key) continue;
    const id = `${f.column.name}\u0000${f.column.type.name}\u0000${f.column.type.arrayDims}`;
    let anchor = key;
    for (let i = 0; i < 8 && ctx.design.tables[anchor]?.colocateWith && ctx.design.tables[anchor].colocateWith !== anchor; i++) anchor = ctx.design.tables[anchor].colocateWith!;
    const cur = anchors.get(id);
    anchors.set(id, { anchor: cur && cur.anchor < anchor ? cur.anchor : anchor, size: (cur?.size ?? 0) + 1 });
  }
  // The own one-column primary key of a table identifies its rows: it is not the key of a group.
  const ownKey = table.primaryKey && table.primaryKey.columns.length === 1 ? table.primaryKey.columns[0] : undefined;
  const byColumn = table.columns
    .filter((c) => c.name !== ownKey)
    .map((c) => ({ c, a: anchors.get(`${c.name}\u0000${c.type.name}\u0000${c.type.arrayDims}`) }))
    .filter((x) => x.a !== undefined)
    .sort((x, y) => y.a!.size - x.a!.size || (x.c.name < y.c.name ? -1 : 1));
  if (byColumn.length) return { kind: 'distributed', column: byColumn[0].c.name, colocateWith: byColumn[0].a!.anchor };
  for (const fk of [...table.foreignKeys].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const ref = ctx.tables[fk.refTable];
    if (!ref || ref.kind !== 'distributed' || !ref.column || fk.refTable === table.key) continue;
    const i = fk.refColumns.indexOf(ref.column.name);
    if (i !== -1 && fk.columns[i]) return { kind: 'distributed', column: fk.columns[i], colocateWith: ctx.design.tables[fk.refTable]?.colocateWith ?? fk.refTable };
  }
  const referenced = Object.values(ctx.tables).some((f) => f.table.key !== table.key && f.table.foreignKeys.some((fk) => fk.refTable === table.key));
  if (referenced) return { kind: 'reference' };
  return { kind: 'undecided' };
}

export default defineRule({
  id: 'MIG02',
  needs: ['catalog', 'design', 'kinds'],
  check(ctx) {
    // Outside lint a table absent from the design is local by design.
    if (ctx.options.migrations !== true) return;
    for (const [key, facts] of Object.entries(ctx.tables)) {
      if (ctx.design.tables[key]) continue;
      const parent = facts.table.partitionOf?.parent;
      if (parent && ctx.design.tables[parent]) continue;
      if (facts.table.persistence === 'temporary') continue;
      const s = suggestDecision(ctx, facts.table);
      const data = { table: displayName(key), column: s.column ?? '', colocateWith: s.colocateWith ? displayName(s.colocateWith) : '' };
      if (s.kind === 'distributed') {
        ctx.report({ messageId: 'distributed', data, at: facts.table.location, table: key, column: s.column, fix: { sql: createDistributedTableSql(key, s.column!, s.colocateWith) } });
      } else if (s.kind === 'reference') {
        ctx.report({ messageId: 'reference', data, at: facts.table.location, table: key, fix: { sql: createReferenceTableSql(key) } });
      } else {
        ctx.report({ messageId: 'undecided', data, at: facts.table.location, table: key });
      }
    }
  },
});
