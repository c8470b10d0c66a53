/**
 * pg_dump sets the search path with set_config(): the tables that follow land
 * in the schema PostgreSQL resolves the value to (bare names folded to lower
 * case, quoted ones kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SCHEMA = `
CREATE SCHEMA app;
CREATE SCHEMA "Sales";
SELECT pg_catalog.set_config('search_path', 'App, public', false);
CREATE TABLE orders (id bigint PRIMARY KEY);
SELECT pg_catalog.set_config('search_path', '"Sales"', false);
CREATE TABLE leads (id bigint PRIMARY KEY);
`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('spath');
  await db.client.query(SCHEMA);
});
afterAll(async () => {
  await db?.drop();
});

describe('set_config search_path in a dump', () => {
  it('puts the tables where PostgreSQL puts them', async () => {
    const { catalog } = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
    const res = await db.client.query(`SELECT schemaname || '.' || tablename AS key FROM pg_tables WHERE tablename IN ('orders', 'leads') ORDER BY 1`);
    expect(Object.keys(catalog.tables).sort()).toEqual(res.rows.map((r: { key: string }) => r.key));
    expect(Object.keys(catalog.tables).sort()).toEqual(['Sales.leads', 'app.orders']);
  });
});
