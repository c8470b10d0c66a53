/** Estimates from the schema alone: sanity properties on the corpus, enum/boolean counts from PostgreSQL. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, partitionRoot } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { estimateStats, mergeStats, statsFromData } from '../../src/stats/index.js';
import { corpusDatasets } from '../support/corpus.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { psqlFiles } from '../support/psql.js';
import { catalogOf, dataset } from './oracle.js';

beforeAll(async () => {
  await loadParser();
});

function schemaCatalog(path: string) {
  return buildCatalog([{ file: 'schema.sql', text: readFileSync(path, 'utf8') }]).catalog;
}

describe('estimateStats', () => {
  it.each([
    ['pagila', ['public.language', 'public.film', 'public.rental']],
    ['pagila', ['public.country', 'public.city', 'public.address', 'public.customer', 'public.rental']],
    ['chinook', ['public.genre', 'public.track', 'public.invoice_line']],
    ['chinook', ['public.artist', 'public.album', 'public.track', 'public.playlist_track']],
    ['northwind', ['public.categories', 'public.products', 'public.order_details']],
    ['northwind', ['public.shippers', 'public.orders', 'public.order_details']],
  ])('%s: lookup tables estimated smaller than the tables referencing them: %j', async (name, chain) => {
    const stats = estimateStats(schemaCatalog(dataset(name).schema));
    const rows = chain.map((t) => stats.tables[t].rows);
    for (let i = 1; i < rows.length; i++) expect(rows[i], `${chain[i - 1]} < ${chain[i]}: ${rows}`).toBeGreaterThan(rows[i - 1]);
  });

  it('ranks tables in the same order as their real sizes more often than not (pagila, chinook, northwind)', async () => {
    // Kendall-style agreement over all table pairs whose real sizes differ by 10x or more
    let agree = 0;
    let pairs = 0;
    for (const name of ['pagila', 'chinook', 'northwind']) {
      const ds = dataset(name);
      const real = await statsFromData(await catalogOf([ds.schema, ds.data]));
      const est = estimateStats(schemaCatalog(ds.schema));
      const keys = Object.keys(real.tables).filter((k) => est.tables[k]);
      for (const a of keys) {
        for (const b of keys) {
          const ra = real.tables[a].rows;
          const rb = real.tables[b].rows;
          if (rb < 10 * ra || ra === 0) continue;
          pairs++;
          if (est.tables[b].rows > est.tables[a].rows) agree++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(50);
    expect(agree / pairs).toBeGreaterThan(0.65);
  });

  it('on every corpus schema: marked estimated, with a reason; nDistinct within 1..rows; a child no smaller than its parent', () => {
    for (const ds of corpusDatasets()) {
      const catalog = schemaCatalog(ds.schemaPath);
      const stats = estimateStats(catalog);
      expect(Object.keys(stats.tables).sort(), ds.name).toEqual(Object.keys(catalog.tables).sort());
      for (const [key, t] of Object.entries(stats.tables)) {
        expect(t.estimated).toBe(true);
        expect(t.source).toBe('estimate');
        expect(t.reason, key).toMatch(/\w/);
        expect(t.rows, key).toBeGreaterThan(0);
        const table = catalog.tables[key];
        expect(Object.keys(t.columns).sort()).toEqual(table.columns.map((c) => c.name).sort());
        for (const [c, s] of Object.entries(t.columns)) {
          expect(s.nDistinct, `${ds.name} ${key}.${c}`).toBeGreaterThanOrEqual(1);
          expect(s.nDistinct, `${ds.name} ${key}.${c}`).toBeLessThanOrEqual(t.rows);
        }
        const pk = table.primaryKey?.columns ?? [];
        if (pk.length === 1) expect(t.columns[pk[0]].nDistinct).toBe(t.rows);
        // a partition's references are its partitioned table's, which holds all the rows of its partitions
        const root = (k: string) => partitionRoot(catalog, k);
        for (const fk of table.foreignKeys) {
          const parent = stats.tables[fk.refTable];
          if (!parent || root(fk.refTable) === root(key)) continue;
          const back = catalog.tables[root(fk.refTable)].foreignKeys.some((f) => root(f.refTable) === root(key));
          if (back) continue; // a cycle: no order is implied
          expect(stats.tables[root(key)].rows, `${ds.name}: ${key} -> ${fk.refTable}`).toBeGreaterThanOrEqual(stats.tables[root(fk.refTable)].rows);
          const c = fk.columns[0];
          const unique = (pk.length === 1 && pk[0] === c) || table.uniques.some((u) => u.columns.length === 1 && u.columns[0] === c && !u.where);
          if (fk.columns.length === 1 && !unique) expect(t.columns[c].nDistinct, `${ds.name} ${key}.${c}`).toBe(Math.min(parent.rows, t.rows));
        }
      }
      // the partitions of a partitioned table share its rows: they add up to it, give or take rounding
      for (const t of Object.values(catalog.tables)) {
        const parts = Object.values(catalog.tables).filter((p) => p.partitionOf?.parent === t.key);
        if (!parts.length) continue;
        const sum = parts.reduce((n, p) => n + stats.tables[p.key].rows, 0);
        expect(Math.abs(sum - stats.tables[t.key].rows), `${ds.name}: ${t.key}`).toBeLessThanOrEqual(parts.length);
      }
      // deterministic
      expect(JSON.stringify(estimateStats(schemaCatalog(ds.schemaPath)))).toBe(JSON.stringify(stats));
    }
  });

  it('a table references: no smaller than what it references, round a cycle of one-way references too; a mutual pair implies no order', () => {
    const sql = `
      CREATE TABLE org (id int PRIMARY KEY);
      CREATE TABLE ns (id int PRIMARY KEY, org_id int REFERENCES org, rule_id int);
      CREATE TABLE project (id int PRIMARY KEY, ns_id int REFERENCES ns, org_id int REFERENCES org);
      ALTER TABLE ns ADD FOREIGN KEY (id) REFERENCES project;
      CREATE TABLE rule (id int PRIMARY KEY, project_id int REFERENCES project);
      ALTER TABLE ns ADD FOREIGN KEY (rule_id) REFERENCES rule;
      CREATE TABLE a (id int PRIMARY KEY, org_id int REFERENCES org, c_id int);
      CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
      CREATE TABLE c (id int PRIMARY KEY, b_id int REFERENCES b, created timestamptz);
      ALTER TABLE a ADD FOREIGN KEY (c_id) REFERENCES c;`;
    const catalog = buildCatalog([{ file: 'cycle.sql', text: sql }]).catalog;
    const stats = estimateStats(catalog);
    const rows = (t: string) => stats.tables[`public.${t}`].rows;
    // ns <-> project reference each other; ns -> rule -> project one way
    expect(rows('ns')).toBeGreaterThanOrEqual(rows('rule'));
    expect(rows('rule')).toBeGreaterThanOrEqual(rows('project'));
    expect(rows('project')).toBeGreaterThan(rows('org'));
    // a -> c -> b -> a: one size, above org
    expect(rows('b')).toBe(rows('a'));
    expect(rows('c')).toBe(rows('a'));
    expect(rows('a')).toBeGreaterThan(rows('org'));
    expect(stats.tables['public.b'].reason).toMatch(/cycle/);
  });

  it('sizes every table of a script that attaches partitions round a cycle (PostgreSQL refuses it; a dump reader need not)', () => {
    const sql = ['x', 'y', 'z'].map((t) => `CREATE TABLE ${t} (id int, k int) PARTITION BY LIST (k);`).join('\n') + `
      ALTER TABLE x ATTACH PARTITION y FOR VALUES IN (1);
      ALTER TABLE y ATTACH PARTITION z FOR VALUES IN (1);
      ALTER TABLE z ATTACH PARTITION x FOR VALUES IN (1);
      CREATE TABLE m (id int, k int) PARTITION BY LIST (k);
      CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);
      CREATE TABLE m2 PARTITION OF m FOR VALUES IN (2);`;
    const catalog = buildCatalog([{ file: 'cycle.sql', text: sql }]).catalog;
    expect(catalog.tables['public.x'].partitionOf?.parent).toBe('public.z');
    const stats = estimateStats(catalog);
    for (const t of ['x', 'y', 'z']) expect(stats.tables[`public.${t}`].rows, t).toBeGreaterThan(0);
    // the partitions of an acyclic partitioned table still share its rows
    expect(stats.tables['public.m1'].rows + stats.tables['public.m2'].rows).toBe(stats.tables['public.m'].rows);
  });

  describe('enums and booleans, against PostgreSQL', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('st_est');
      psqlFiles(db.url, [dataset('pagila').schema]);
    });
    afterAll(async () => db?.drop());

    it('an enum column has as many distinct values as the type has labels; a boolean two', async () => {
      const catalog = schemaCatalog(dataset('pagila').schema);
      const stats = estimateStats(catalog);
      const { rows } = await db.client.query(`
        SELECT n.nspname || '.' || c.relname AS key, a.attname, t.typtype, t.typname,
               (SELECT count(*)::int FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE n.nspname = 'public' AND c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped AND (t.typtype = 'e' OR t.typname = 'bool')`);
      expect(rows.length).toBeGreaterThan(2);
      for (const r of rows) {
        const s = stats.tables[r.key].columns[r.attname];
        expect(s.nDistinct, `${r.key}.${r.attname}`).toBe(Math.min(stats.tables[r.key].rows, r.typtype === 'e' ? r.labels : 2));
      }
    });
  });
});

describe('mergeStats', () => {
  it('measured beats estimated per table; earlier layers win among equals; warnings merged', async () => {
    const ds = dataset('chinook');
    const catalog = await catalogOf([ds.schema, ds.data]);
    const est = estimateStats(catalog);
    const data = await statsFromData(catalog);
    const partial = { tables: { 'public.genre': { ...data.tables['public.genre'], rows: 999 } }, warnings: ['w'] };
    const merged = mergeStats(est, partial, data);
    expect(Object.keys(merged.tables)).toEqual(Object.keys(est.tables));
    expect(merged.tables['public.genre'].rows).toBe(999);
    expect(merged.tables['public.track']).toBe(data.tables['public.track']);
    expect(merged.warnings).toEqual(['w']);
    const onlyEstimates = mergeStats(est, { tables: {} });
    expect(onlyEstimates.tables['public.track']).toBe(est.tables['public.track']);
  });
});
