/**
 * `QueryFacts.references`: every relation a statement names, where it is
 * written and what the name resolved to (with the search path), so that the
 * simulator rewrites names to shards without resolving them again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { extractFacts, FactExtractor } from '../../src/workload/extract.js';
import type { QueryFacts } from '../../src/workload/model.js';

let catalog: Catalog;

beforeAll(async () => {
  ({ catalog } = await readSchema([
    {
      file: 'schema.sql',
      text: `
CREATE SCHEMA app;
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
CREATE TABLE app.orders (id bigint PRIMARY KEY, note text);
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE id > 100;
`,
    },
  ]));
});

/** The references, each with the text at its location. */
function named(sql: string, facts: QueryFacts): Array<[string, string, string]> {
  const bytes = Buffer.from(sql, 'utf8');
  return facts.references.map((r) => [bytes.subarray(r.location).toString('utf8').split(/[\s,;()]/)[0], r.key, r.kind]);
}

describe('references', () => {
  it('lists tables, views and unknown relations where they are written; CTE names are not relations', () => {
    const sql = `WITH orders AS (SELECT 1 AS id) SELECT * FROM orders o JOIN public.orders p ON p.id = o.id, big_orders, "Café", nosuch WHERE EXISTS (SELECT 1 FROM customers c)`;
    expect(named(sql, extractFacts(catalog, sql))).toEqual([
      ['public.orders', 'public.orders', 'table'],
      ['big_orders', 'public.big_orders', 'view'],
      ['"Café"', 'public.Café', 'unknown'],
      ['nosuch', 'public.nosuch', 'unknown'],
      ['customers', 'public.customers', 'table'],
    ]);
  });

  it('resolves with the search path the query ran with', () => {
    const sql = 'SELECT * FROM orders JOIN customers ON true';
    const x = new FactExtractor(catalog);
    expect(x.extract(sql).references.map((r) => r.key)).toEqual(['public.orders', 'public.customers']);
    expect(x.extract(sql, { searchPath: ['app', 'public'] }).references.map((r) => r.key)).toEqual(['app.orders', 'public.customers']);
  });

  it('names the target of a write, and a CTE shadowing a table only where it is in scope', () => {
    const sql = `UPDATE orders SET customer_id = 1 WHERE id IN (WITH orders AS (SELECT 2 AS id) SELECT id FROM orders)`;
    expect(named(sql, extractFacts(catalog, sql))).toEqual([['orders', 'public.orders', 'table']]);
    const ins = 'INSERT INTO app.orders (id) SELECT id FROM orders ON CONFLICT DO NOTHING';
    expect(named(ins, extractFacts(catalog, ins))).toEqual([
      ['app.orders', 'app.orders', 'table'],
      ['orders', 'public.orders', 'table'],
    ]);
  });

  it('locates names in a statement of a script within the statement’s own text', () => {
    const script = readScript('w.sql', `-- first\nSELECT 1;\n\n  SELECT é.id FROM customers é JOIN orders ON true;\n`);
    const stmt = script.statements[1];
    const fromScript = extractFacts(catalog, stmt);
    expect(fromScript.references).toEqual(extractFacts(catalog, stmt.sql).references);
    expect(named(stmt.sql, fromScript).map((r) => r[0])).toEqual(['customers', 'orders']);
  });
});
