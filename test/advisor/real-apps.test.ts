/**
 * The advisor on real multi-tenant applications nobody here wrote, from their
 * schema alone: each is distributed on the tenant column it documents (the
 * `tenant:` line of its SOURCE.md; lago-api and pagila-multitenant named
 * here), for at least 95% of the tables that carry it, declared foreign keys
 * or not; the tables reached only through a parent get the key backfilled
 * along a path of NOT NULL foreign keys.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/model.js';
import { analyzeInputs, type Analysis } from '../../src/cli/pipeline.js';
import { corpusDatasets, repoRoot } from '../support/corpus.js';

/** Spellings of one column name compare equal: `tenant_id`, `tenantId`, `"TenantId"`. */
const spelling = (s: string) => s.toLowerCase().replace(/_/g, '');

function tenantOf(dir: string): string | undefined {
  const source = join(dir, 'SOURCE.md');
  if (!existsSync(source)) return undefined;
  return /^tenant:\s*(\S+)\s*$/m.exec(readFileSync(source, 'utf8'))?.[1];
}

const apps = [
  { name: 'lago-api', tenant: 'organization_id' },
  { name: 'pagila-multitenant', tenant: 'tenant_id' },
  ...corpusDatasets()
    .map((d) => ({ name: d.name, tenant: tenantOf(d.dir) }))
    .filter((d): d is { name: string; tenant: string } => d.tenant !== undefined && d.name !== 'lago-api' && d.name !== 'pagila-multitenant'),
];

async function analyzeSchema(name: string): Promise<Analysis> {
  const dir = corpusDatasets().find((d) => d.name === name)!.dir;
  return analyzeInputs({ schema: [join(dir, 'schema.sql')], cwd: repoRoot });
}

describe('real multi-tenant applications, from their schema alone', () => {
  it('the corpus has at least four applications that name their tenant column besides lago-api and pagila-multitenant', () => {
    expect(apps.length).toBeGreaterThanOrEqual(6);
  });

  for (const app of apps) {
    it(`${app.name}: distributed on ${app.tenant} wherever the column is, backfills along NOT NULL foreign keys`, async () => {
      const a = await analyzeSchema(app.name);
      const { catalog } = a;
      const d = a.advice.design.tables;
      const carrying = Object.values(catalog.tables).filter((t) => !t.partitionOf && t.columns.some((c) => spelling(c.name) === spelling(app.tenant)));
      expect(carrying.length, 'tables that carry the tenant column').toBeGreaterThan(5);
      const onTenant = carrying.filter((t) => d[t.key]?.kind === 'distributed' && spelling(d[t.key].column ?? '') === spelling(app.tenant));
      const missed = carrying.filter((t) => !onTenant.includes(t)).map((t) => `${t.key}: ${d[t.key]?.kind} ${d[t.key]?.column ?? ''}`);
      expect(onTenant.length / carrying.length, `not on ${app.tenant}: ${missed.join('; ')}`).toBeGreaterThanOrEqual(0.95);
      // the tenant tables are one colocation group
      const groups = new Set(onTenant.map((t) => a.advice.tables[t.key].group));
      expect(groups.size, [...groups].join(', ')).toBe(1);
      for (const t of Object.values(a.advice.tables)) if (t.backfill) assertOwnershipPath(catalog, t.table, t.backfill.path ?? [], t.column!);
    });
  }
});

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
