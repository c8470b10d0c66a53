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
import { analyzeInputs, type Analysis } from '../../src/cli/pipeline.js';
import { assertOwnershipPath } from '../support/backfill-path.js';
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
      // a table whose own rows (the data its schema carries) hold NULL in the tenant column holds rows
      // every tenant shares: Citus cannot distribute it on that column, so it is not counted
      const shared = (key: string, column: string) => {
        const st = a.stats.tables[key];
        return !!st && !st.estimated && (st.columns[column]?.nullFraction ?? 0) > 0;
      };
      const carrying = Object.values(catalog.tables).filter((t) => !t.partitionOf && t.columns.some((c) => spelling(c.name) === spelling(app.tenant) && !shared(t.key, c.name)));
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
