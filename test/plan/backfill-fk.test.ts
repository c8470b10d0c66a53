/**
 * A key the migration fills along one foreign key agrees with that parent's
 * key, not with every table the row references: the migration adds the key
 * to the foreign key it was filled through, and drops (with the reason) the
 * others from such a table, which Citus would refuse on the rows where the
 * two keys differ. PostgreSQL shows the refusal: with the key filled, the
 * composite foreign key the migration leaves out fails on the rows given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Design } from '../../src/design/model.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { planMigration, type Migration } from '../../src/plan/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SCHEMA = `
CREATE TABLE regions (id bigint PRIMARY KEY);
CREATE TABLE shops (id bigint PRIMARY KEY, region_id bigint NOT NULL REFERENCES regions (id));
CREATE TABLE buyers (id bigint PRIMARY KEY, region_id bigint NOT NULL REFERENCES regions (id));
CREATE TABLE sales (id bigint PRIMARY KEY, buyer_id bigint NOT NULL REFERENCES buyers (id), shop_id bigint NOT NULL REFERENCES shops (id));
`;

const ROWS = `
INSERT INTO regions VALUES (1), (2);
INSERT INTO shops VALUES (10, 1);
INSERT INTO buyers VALUES (20, 2);
INSERT INTO sales VALUES (30, 20, 10);
`;

const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.regions': { kind: 'distributed', column: 'id' },
    'public.shops': { kind: 'distributed', column: 'region_id', colocateWith: 'public.regions' },
    'public.buyers': { kind: 'distributed', column: 'region_id', colocateWith: 'public.regions' },
    'public.sales': {
      kind: 'distributed',
      column: 'region_id',
      colocateWith: 'public.regions',
      backfill: { from: 'public.buyers', join: ['buyer_id'], path: [{ table: 'public.sales', columns: ['buyer_id'], refTable: 'public.buyers', refColumns: ['id'] }] },
    },
  },
};

let m: Migration;
let db: TestDatabase;
beforeAll(async () => {
  await loadParser();
  m = planMigration((await readSchema([{ file: 'schema.sql', text: SCHEMA }])).catalog, design);
  db = await createTestDatabase('bfk');
  await db.client.query(SCHEMA + ROWS);
});
afterAll(async () => {
  await db?.drop();
});

describe('foreign keys of a table whose key the migration fills', () => {
  it('keeps the one it fills through, with the key', () => {
    const kept = m.foreignKeys.rewritten.find((f) => f.table === 'public.sales' && f.name === 'sales_buyer_id_fkey');
    expect(kept?.changes.join(' ')).toContain('(region_id, buyer_id) -> buyers (region_id, id)');
  });

  it('drops the other, saying why', () => {
    const dropped = m.foreignKeys.dropped.find((f) => f.table === 'public.sales' && f.name === 'sales_shop_id_fkey');
    expect(dropped?.reason).toMatch(/region_id of sales is filled from buyers \(buyer_id\), not through this foreign key/);
  });

  it('PostgreSQL refuses the dropped one with the key added, on rows whose two parents differ', async () => {
    await db.client.query('ALTER TABLE sales ADD COLUMN region_id bigint');
    await db.client.query('UPDATE sales s SET region_id = b.region_id FROM buyers b WHERE b.id = s.buyer_id');
    await db.client.query('ALTER TABLE shops ADD UNIQUE (region_id, id)');
    await expect(db.client.query('ALTER TABLE sales ADD FOREIGN KEY (region_id, shop_id) REFERENCES shops (region_id, id)')).rejects.toThrow(/violates foreign key constraint/);
  });
});
