/** The backfill paths the advisor gives, checked against the schema. */
import { expect } from 'vitest';
import type { Catalog } from '../../src/catalog/model.js';

/** Each hop is a declared foreign key whose columns are NOT NULL; the last hop lands on a table that has the key. */
export function assertOwnershipPath(catalog: Catalog, table: string, path: ReadonlyArray<{ table: string; columns: string[]; refTable: string; refColumns: string[] }>, key: string): void {
  expect(path.length, table).toBeGreaterThan(0);
  expect(path[0].table).toBe(table);
  for (let i = 0; i < path.length; i++) {
    const hop = path[i];
    if (i > 0) expect(hop.table).toBe(path[i - 1].refTable);
    const t = catalog.tables[hop.table];
    const fks = [t, ...Object.values(catalog.tables).filter((p) => p.partitionOf?.parent === t.key)].flatMap((x) => x.foreignKeys);
    expect(
      fks.some((f) => f.refTable === hop.refTable && f.columns.join() === hop.columns.join() && f.refColumns.join() === hop.refColumns.join()),
      `${hop.table}(${hop.columns}) -> ${hop.refTable}(${hop.refColumns}) is a foreign key`,
    ).toBe(true);
    for (const c of hop.columns) {
      const col = t.columns.find((x) => x.name === c)!;
      const checked = t.checks.some((k) => new RegExp(`^\\(*"?${c}"?\\s+IS\\s+NOT\\s+NULL\\)*$`, 'i').test(k.expression.trim()));
      expect(col.notNull || checked || t.primaryKey?.columns.includes(c), `${hop.table}.${c} is NOT NULL: an ownership link`).toBe(true);
    }
  }
  const last = catalog.tables[path[path.length - 1].refTable];
  expect(last.columns.some((c) => c.name === key), `${last.key} has ${key}`).toBe(true);
}
