/**
 * partitionRoot against PostgreSQL's own pg_partition_root(), on a tree two
 * levels deep: the advisor, the plan and the simulator all ask it which
 * table a partition's rows belong to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionRoot, readSchema } from '../../src/catalog/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SCHEMA = `
CREATE TABLE events (tenant_id bigint NOT NULL, at date NOT NULL, region text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region);
CREATE TABLE events_2024_eu PARTITION OF events_2024 FOR VALUES IN ('eu');
CREATE TABLE events_2024_us PARTITION OF events_2024 FOR VALUES IN ('us');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE plain (id bigint PRIMARY KEY);
`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('proot');
  await db.client.query(SCHEMA);
});
afterAll(async () => {
  await db?.drop();
});

describe('partitionRoot', () => {
  it('names the table PostgreSQL gives as pg_partition_root, at every depth', async () => {
    const { catalog } = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
    const res = await db.client.query(
      `SELECT n.nspname || '.' || c.relname AS key, coalesce(rn.nspname || '.' || r.relname, n.nspname || '.' || c.relname) AS root
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class r ON r.oid = pg_partition_root(c.oid) LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    expect(res.rows.length).toBe(6);
    for (const { key, root } of res.rows as Array<{ key: string; root: string }>) expect(partitionRoot(catalog, key), key).toBe(root);
    expect(partitionRoot(catalog, 'public.events_2024_eu')).toBe('public.events');
  });
});
