/**
 * Statistics measured on a dump's data (COPY blocks, INSERT statements) and on
 * CSV files, against what PostgreSQL counts once the same files are loaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { statsFromData } from '../../src/stats/index.js';
import { findPgBinDir } from '../support/cluster.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { catalogOf, dataset, diffTable, loadDataset, qt } from './oracle.js';

let dir: string;
beforeAll(async () => {
  await loadParser();
  dir = mkdtempSync(join(tmpdir(), 'shardwise-stats-data-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function psql(url: string, cwd: string, script: string): void {
  const file = join(cwd, 'script.psql');
  writeFileSync(file, script);
  execFileSync(join(findPgBinDir(), 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.each([
  ['pagila', 'COPY blocks, a partitioned table'],
  ['chinook', 'multi-row INSERTs'],
  ['northwind', 'one INSERT per row'],
])('%s (%s)', (name) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(`st_${name}`);
    const errors = loadDataset(db.url, dataset(name));
    // pagila 17 has two statements PostgreSQL 15 refuses (SET transaction_timeout, a JSON_TABLE view)
    expect(errors.length).toBeLessThanOrEqual(name === 'pagila' ? 3 : 0);
  });
  afterAll(async () => db?.drop());

  it('gives exact rows, distinct counts, null fractions and top values for every column of every table', async () => {
    const ds = dataset(name);
    const catalog = await catalogOf([ds.schema, ds.data]);
    const stats = await statsFromData(catalog);
    const withData = new Set(catalog.data.map((d) => d.table));
    for (const t of Object.values(catalog.tables)) if (t.partitionOf && withData.has(t.key)) withData.add(t.partitionOf.parent);
    expect(Object.keys(stats.tables).sort()).toEqual([...withData].sort());
    const problems: string[] = [];
    for (const [key, t] of Object.entries(stats.tables)) {
      expect(t.source).toBe('data');
      expect(t.estimated).toBe(false);
      // every column the data gives (generated columns are not in the data)
      const given = new Set(catalog.data.filter((d) => d.table === key || catalog.tables[d.table].partitionOf?.parent === key).flatMap((d) => d.columns));
      expect(Object.keys(t.columns).sort()).toEqual([...given].sort());
      problems.push(...(await diffTable(db.client, key, t)));
    }
    expect(problems).toEqual([]);
  });

  it('approximates heap bytes within a factor of 1.6 for tables of 1,000 rows or more', async () => {
    const ds = dataset(name);
    const stats = await statsFromData(await catalogOf([ds.schema, ds.data]));
    let checked = 0;
    for (const [key, t] of Object.entries(stats.tables)) {
      const { rows } = await db.client.query(`SELECT c.relkind, pg_relation_size(c.oid)::float8 AS heap FROM pg_class c WHERE c.oid = $1::regclass`, [qt(key)]);
      if (t.rows < 1000 || rows[0].relkind !== 'r') continue;
      checked++;
      const ratio = t.bytes! / rows[0].heap;
      expect(ratio, `${key}: ${t.bytes} estimated, heap ${rows[0].heap}`).toBeGreaterThan(1 / 1.6);
      expect(ratio, `${key}: ${t.bytes} estimated, heap ${rows[0].heap}`).toBeLessThan(1.6);
    }
    expect(checked).toBeGreaterThan(0);
  });

  if (name === 'pagila') {
    it('switches to sketches past the exact limit and stays within 3 % of count(DISTINCT)', async () => {
      const ds = dataset(name);
      const catalog = await catalogOf([ds.schema, ds.data]);
      const stats = await statsFromData(catalog, { exactDistinctLimit: 500 });
      let sketched = 0;
      for (const key of ['public.rental', 'public.payment', 'public.film', 'public.inventory']) {
        for (const [col, s] of Object.entries(stats.tables[key].columns)) {
          const { rows } = await db.client.query(`SELECT count(DISTINCT ${JSON.stringify(col)}::text)::int AS d FROM ${qt(key)}`);
          const d = rows[0].d as number;
          if (d <= 500) {
            expect(s.nDistinct, `${key}.${col}`).toBe(d);
            expect(s.approximate).toBeUndefined();
          } else {
            sketched++;
            expect(s.approximate, `${key}.${col}`).toBe(true);
            expect(Math.abs(s.nDistinct - d) / d, `${key}.${col}: ${s.nDistinct} vs ${d}`).toBeLessThan(0.03);
          }
        }
      }
      expect(sketched).toBeGreaterThan(5);
    });

    it('reads a table exported to CSV with \\copy ... WITH CSV HEADER, like its COPY block', async () => {
      const sub = mkdtempSync(join(dir, 'csv-'));
      psql(db.url, sub, `\\copy public.rental TO 'rental.csv' WITH CSV HEADER\n\\copy public.customer TO 'public.customer.csv' WITH CSV HEADER\n`);
      const catalog = await catalogOf([dataset(name).schema]);
      expect(catalog.data).toEqual([]);
      const stats = await statsFromData(catalog, { cwd: sub, csvFiles: ['rental.csv', join(sub, 'public.customer.csv')] });
      expect(Object.keys(stats.tables).sort()).toEqual(['public.customer', 'public.rental']);
      const problems: string[] = [];
      for (const [key, t] of Object.entries(stats.tables)) problems.push(...(await diffTable(db.client, key, t)));
      expect(problems).toEqual([]);
    });
  }
});

describe('CSV and COPY edge values', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('st_edge');
  });
  afterAll(async () => db?.drop());

  const ddl = `CREATE TABLE public.edge (id int PRIMARY KEY, label text, flag boolean, amount numeric(8,2), score real, tags text[]);`;

  async function fill(): Promise<void> {
    await db.client.query(ddl);
    await db.client.query(`
      INSERT INTO public.edge
      SELECT g,
             CASE WHEN g % 7 = 0 THEN NULL WHEN g % 7 = 1 THEN '' WHEN g % 7 = 2 THEN 'with,comma "quoted"' WHEN g % 7 = 3 THEN E'multi\\nline' WHEN g % 7 = 4 THEN 'NULL' ELSE 'v' || (g % 13) END,
             CASE WHEN g % 5 = 0 THEN NULL ELSE g % 3 = 0 END,
             CASE WHEN g % 4 = 0 THEN NULL ELSE (g % 17) * 1.25 END,
             (g % 11) / 10.0,
             CASE WHEN g % 9 = 0 THEN NULL ELSE ARRAY['a' || (g % 3), 'b c'] END
      FROM generate_series(1, 3000) g`);
  }

  it('CSV: unquoted empty is NULL, "" is an empty string, quotes and newlines survive', async () => {
    await fill();
    const sub = mkdtempSync(join(dir, 'edge-'));
    psql(db.url, sub, `\\copy public.edge TO 'edge.csv' WITH CSV HEADER\n`);
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: ddl }]);
    const stats = await statsFromData(catalog, { cwd: sub, csvFiles: ['edge.csv'] });
    expect(await diffTable(db.client, 'public.edge', stats.tables['public.edge'])).toEqual([]);
  });

  it('COPY text format inside a dump (pg_dump --data-only)', async () => {
    const sub = mkdtempSync(join(dir, 'dump-'));
    const dump = execFileSync(join(findPgBinDir(), 'pg_dump'), ['--data-only', '--table=public.edge', db.url], { maxBuffer: 1 << 26 });
    writeFileSync(join(sub, 'data.sql'), dump);
    const { catalog } = buildCatalog([
      { file: 'schema.sql', text: ddl },
      { file: 'data.sql', text: dump.toString('utf8') },
    ]);
    expect(catalog.data.length).toBe(1);
    const stats = await statsFromData(catalog, { cwd: sub });
    expect(await diffTable(db.client, 'public.edge', stats.tables['public.edge'])).toEqual([]);
  });

  it('INSERT literals written in non-canonical forms count as PostgreSQL counts them', async () => {
    const sub = mkdtempSync(join(dir, 'ins-'));
    const ddl2 = `CREATE TABLE public.lit (a int, b boolean, c numeric(6,2), d float8, e real, f bigint, g date, h timestamp);`;
    const ins =
      `INSERT INTO public.lit VALUES (7, true, 1.5, 0.5, 0.1, 10, '2021/3/4', '2021/3/4'), (007, 'yes', 1.50, 5e-1, 0.10, 010, '2021-03-04', '2021-03-04 00:00'), ` +
      `('7', 't', 1.505, .5, 1e-1, -0, '2021-3-4', '2021-03-04 00:00:00.000'), (8, 'off', 2, 2.0, 2.5, 0, '2021/12/31', '2021/12/31 7:05'), ` +
      `(8, false, 2.004, 2, 2.50, 0, '2021-12-31', '2021-12-31 07:05:00');\n`;
    writeFileSync(join(sub, 'data.sql'), ins);
    await db.client.query(ddl2);
    await db.client.query(ins);
    const { catalog } = buildCatalog([
      { file: 'schema.sql', text: ddl2 },
      { file: 'data.sql', text: ins },
    ]);
    const stats = await statsFromData(catalog, { cwd: sub });
    expect(await diffTable(db.client, 'public.lit', stats.tables['public.lit'])).toEqual([]);
  });
});
