/**
 * Oracle: pagila, chinook and northwind (schema + data) are loaded into a real
 * PostgreSQL; rows per shard are counted there with PostgreSQL's own hash
 * functions and the Citus ranges, and compared with the placement computed
 * from the dump's COPY blocks / INSERT statements (and from CSV exports).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import type { Design, TableDesign } from '../../src/design/model.js';
import { imbalance, placeCsvData, placeDumpData, TableAccumulator, type DataPlacement } from '../../src/simulate/placement.js';
import { hashFor } from '../../src/simulate/hash/index.js';
import { buildTopology } from '../../src/simulate/shards.js';
import { findPgBinDir } from '../support/cluster.js';
import { corpusDir } from '../support/corpus.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { psqlFiles } from '../support/psql.js';

interface Corpus {
  readonly name: string;
  /** Realistic design, then one that exercises other column types. */
  readonly designs: Array<{ shardCount: number; nodes: number; tables: Record<string, TableDesign> }>;
}

const d = (column: string, colocateWith?: string): TableDesign => ({ kind: 'distributed', column, ...(colocateWith ? { colocateWith } : {}) });
const ref: TableDesign = { kind: 'reference' };

const CORPORA: Corpus[] = [
  {
    name: 'pagila',
    designs: [
      {
        shardCount: 32,
        nodes: 4,
        tables: { 'public.customer': d('customer_id'), 'public.rental': d('customer_id'), 'public.payment': d('customer_id'), 'public.film': ref, 'public.address': ref },
      },
      {
        shardCount: 7,
        nodes: 3,
        tables: {
          'public.payment': d('amount'),
          'public.customer': d('create_date'),
          'public.rental': d('last_update'),
          'public.address': d('district'),
          'public.film': d('rental_rate'),
        },
      },
    ],
  },
  {
    name: 'chinook',
    designs: [
      {
        shardCount: 32,
        nodes: 4,
        tables: { 'public.customer': d('customer_id'), 'public.invoice': d('customer_id', 'public.customer'), 'public.invoice_line': d('invoice_id'), 'public.track': d('track_id'), 'public.genre': ref },
      },
      {
        shardCount: 4,
        nodes: 2,
        tables: { 'public.invoice': d('invoice_date'), 'public.invoice_line': d('unit_price'), 'public.track': d('name'), 'public.customer': d('country') },
      },
    ],
  },
  {
    name: 'northwind',
    designs: [
      {
        shardCount: 32,
        nodes: 4,
        tables: { 'public.orders': d('order_id'), 'public.order_details': d('order_id', 'public.orders'), 'public.customers': d('customer_id'), 'public.products': ref },
      },
      {
        shardCount: 3,
        nodes: 2,
        tables: { 'public.orders': d('shipped_date'), 'public.order_details': d('unit_price'), 'public.customers': d('city') },
      },
    ],
  },
];

/** SQL that hashes `col` with the function PostgreSQL (and so Citus) uses for its type. */
function sqlHash(col: string, type: string): string {
  const direct: Record<string, string> = {
    int2: 'hashint2', int4: 'hashint4', int8: 'hashint8', text: 'hashtext', varchar: 'hashtext', bpchar: 'hashbpchar',
    numeric: 'hash_numeric', timestamp: 'timestamp_hash', float4: 'hashfloat4', float8: 'hashfloat8', uuid: 'uuid_hash',
  };
  if (direct[type]) return `${direct[type]}(${col})`;
  if (type === 'date') return `hashint4(${col} - '2000-01-01'::date)`;
  throw new Error(`no SQL hash for ${type}`);
}

const dbs: TestDatabase[] = [];
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'shardwise-placement-'));
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('data placement against PostgreSQL', () => {
  for (const corpus of CORPORA) {
    it(`${corpus.name}: rows per shard and per worker, hottest values`, async () => {
      const dir = join(corpusDir(), corpus.name);
      const schemaPath = join(dir, 'schema.sql');
      const dataPath = join(dir, 'data', `${corpus.name}-data.sql`);
      const db = await createTestDatabase(corpus.name);
      dbs.push(db);
      psqlFiles(db.url, [schemaPath, dataPath]); // pagila has two PG17-only statements: their errors are expected
      const { catalog } = await readSchema([
        { file: schemaPath, text: readFileSync(schemaPath, 'utf8') },
        { file: dataPath, text: readFileSync(dataPath, 'utf8') },
      ]);
      for (const spec of corpus.designs) {
        const design: Design = { citus: '14.0', shardCount: spec.shardCount, tables: spec.tables };
        const topology = buildTopology(design, { nodes: spec.nodes });
        const placement = await placeDumpData(catalog, topology, { topN: 5 });
        await checkAgainstSql(db, catalog, placement, spec.shardCount, spec.nodes);

        // The same tables exported as CSV place identically.
        const files = Object.keys(spec.tables).map((table) => {
          const path = join(tmp, `${corpus.name}-${table}.csv`);
          const csv = execFileSync(join(findPgBinDir(), 'psql'), ['-X', '-q', '-d', db.url, '-c', `COPY (SELECT * FROM ${table}) TO STDOUT WITH (FORMAT csv, HEADER)`], { maxBuffer: 1 << 28 });
          writeFileSync(path, csv);
          return { table, path };
        });
        const fromCsv = await placeCsvData(catalog, topology, files, { topN: 5 });
        for (const t of placement.tables) {
          const c = fromCsv.tables.find((x) => x.table === t.table)!;
          expect(c.shards.map((s) => s.rows), `${t.table} from CSV`).toEqual(t.shards.map((s) => s.rows));
          expect(c.nullRows).toBe(t.nullRows);
          // INSERT literals may be spelled otherwise than PostgreSQL's output ('2021/1/2'): compare the counts
          expect(c.hottest.map((h) => h.rows)).toEqual(t.hottest.map((h) => h.rows)); // ties may order differently
        }
        expect(fromCsv.nodes.map((n) => n.rows)).toEqual(placement.nodes.map((n) => n.rows));
      }
    });
  }
});

async function checkAgainstSql(db: TestDatabase, catalog: Catalog, placement: DataPlacement, n: number, nodes: number): Promise<void> {
  const nodeRows = new Array<number>(nodes).fill(0);
  for (const t of placement.tables) {
    const total = Number((await db.client.query(`SELECT count(*) FROM ${t.table}`)).rows[0].count);
    expect(t.rows, `${t.table} rows`).toBe(total);
    expect(total, `${t.table} has data`).toBeGreaterThan(0);
    if (t.kind === 'reference') {
      expect(t.shards.map((s) => s.rows)).toEqual([total]);
      for (let i = 0; i < nodes; i++) nodeRows[i] += total;
      continue;
    }
    expect(t.status, t.table).toBe('placed');
    expect(t.invalidRows, `${t.table} values the hash could not read`).toBe(0);
    const col = t.column!;
    const colType = catalog.tables[t.table].columns.find((c) => c.name === col)!.type;
    const type = colType.base;
    const res = await db.client.query({
      text: `SELECT least(((${sqlHash(col, type)})::int8 + 2147483648) / (4294967296 / ${n}), ${n - 1})::int AS idx, count(*)::int
             FROM ${t.table} WHERE ${col} IS NOT NULL GROUP BY 1`,
      rowMode: 'array',
    });
    const expected = new Array<number>(n).fill(0);
    for (const [idx, count] of res.rows as Array<[number, number]>) expected[idx] = count;
    expect(t.shards.map((s) => s.rows), `${t.table}.${col} (${type}) rows per shard`).toEqual(expected);
    expect(t.imbalance).toBeCloseTo(imbalance(expected), 12);
    const nulls = Number((await db.client.query(`SELECT count(*) FROM ${t.table} WHERE ${col} IS NULL`)).rows[0].count);
    expect(t.nullRows, `${t.table}.${col} NULLs`).toBe(nulls);
    expected.forEach((rows, i) => (nodeRows[i % nodes] += rows));

    // hottest values: the top counts, and each reported value's count
    const top = await db.client.query({
      text: `SELECT count(*)::int FROM ${t.table} WHERE ${col} IS NOT NULL GROUP BY ${col} ORDER BY 1 DESC LIMIT 5`,
      rowMode: 'array',
    });
    expect(t.hottest.map((h) => h.rows), `${t.table}.${col} top counts`).toEqual(top.rows.map((r) => r[0]));
    for (const h of t.hottest) {
      const c = await db.client.query({ text: `SELECT count(*)::int FROM ${t.table} WHERE ${col} = CAST($1 AS ${colType.display})`, values: [h.value], rowMode: 'array' });
      expect(h.rows, `${t.table}.${col} = ${h.value}`).toBe(c.rows[0][0]);
      expect(h.share).toBeCloseTo(h.rows / (total - nulls), 12);
    }
    // isolating the hottest value: its shard splits into the value alone and the rest
    if (t.isolation) {
      const hot = t.hottest[0];
      const shard = t.shards.find((s) => s.shardId === hot.shardId)!;
      const others = t.shards.filter((s) => s !== shard).map((s) => s.rows);
      const placed = total - nulls;
      expect(t.isolation.maxShardShareBefore).toBeCloseTo(Math.max(...expected) / placed, 12);
      expect(t.isolation.maxShardShareAfter).toBeCloseTo(Math.max(hot.rows, shard.rows - hot.rows, ...others) / placed, 12);
      expect(t.isolation.maxShardShareAfter).toBeLessThanOrEqual(t.isolation.maxShardShareBefore);
    }
  }
  expect(placement.nodes.map((x) => x.rows)).toEqual(nodeRows);
}

describe('hottest values beyond the tracked limit', () => {
  it('still finds a heavy hitter, with counts marked as lower bounds', () => {
    const topology = buildTopology({ citus: '14.0', shardCount: 8, tables: { 'public.t': d('k') } }, { nodes: 2 });
    const acc = new TableAccumulator(topology.tables[0], hashFor('text'), 'placed', 'text', { maxTrackedValues: 100, topN: 1 });
    const total = 13000;
    for (let i = 0; i < total; i++) acc.add([i % 13 < 3 ? 'hot' : `v${i}`], 0); // 'hot' is 3/13 of the rows
    const r = acc.result();
    expect(r.hottestApproximate).toBe(true);
    expect(r.hottest[0].value).toBe('hot');
    expect(r.hottest[0].rows).toBeLessThanOrEqual(3000);
    expect(r.hottest[0].rows).toBeGreaterThanOrEqual(3000 - Math.floor(total / 101)); // Misra-Gries error bound n/(k+1)
    expect(r.shards.reduce((a, s) => a + s.rows, 0)).toBe(total); // shard counts stay exact
  });
});
