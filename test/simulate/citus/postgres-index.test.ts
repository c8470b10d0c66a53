/**
 * PostgreSQL's own checks of CREATE INDEX and DROP INDEX: index names share
 * the namespace of tables, sequences and views; columns must exist; an
 * index a constraint or a partitioned table's index needs cannot be dropped
 * alone. The same statements on a real PostgreSQL and on the model.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

const STATEMENTS = [
  'CREATE TABLE items (id int PRIMARY KEY, sku text, qty int);',
  'CREATE SEQUENCE items_seq;',
  'CREATE INDEX items_sku_idx ON items (sku);',
  'CREATE INDEX items_sku_idx ON items (qty);',
  'CREATE INDEX IF NOT EXISTS items_sku_idx ON items (qty);',
  'CREATE INDEX items_seq ON items (qty);',
  'CREATE INDEX items ON items (qty);',
  'CREATE INDEX items_missing_idx ON items (no_such_column);',
  'CREATE INDEX items_sku_idx ON items (no_such_column);',
  'CREATE INDEX items_cover_idx ON items (sku) INCLUDE (no_such_column);',
  'CREATE INDEX ON items (sku);',
  'CREATE TABLE items_sku_idx (a int);',
  'DROP INDEX no_such_index;',
  'DROP INDEX IF EXISTS no_such_index;',
  'DROP INDEX items;',
  'DROP INDEX items_pkey;',
  'CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);',
  "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
  'CREATE INDEX events_at_idx ON events (at);',
  'DROP INDEX events_2024_at_idx;',
  'DROP INDEX events_at_idx;',
  'DROP INDEX items_sku_idx, items_sku_idx1;',
  'DROP INDEX items_sku_idx;',
];

const client = usePostgres('pgindex');

describe('CREATE INDEX and DROP INDEX', () => {
  it('fail where PostgreSQL fails, with its message', async () => {
    const pg = (await postgresErrors(client(), STATEMENTS)).map((e) => e?.message);
    expect(modelErrors(STATEMENTS).map((e) => e?.message)).toEqual(pg);
    expect(pg.filter(Boolean).length).toBeGreaterThanOrEqual(9);
  });
});

const CLUSTER = [
  'CREATE TABLE readings (id int PRIMARY KEY, at date);',
  'CREATE INDEX readings_at_idx ON readings (at);',
  'CLUSTER readings USING readings_at_idx;',
  'CLUSTER readings USING no_such_idx;',
  'CLUSTER no_such_table USING readings_at_idx;',
];

describe('CLUSTER', () => {
  it("looks up the table and its index as PostgreSQL does", async () => {
    const pg = (await postgresErrors(client(), CLUSTER)).map((e) => e?.message);
    expect(modelErrors(CLUSTER).map((e) => e?.message)).toEqual(pg);
    expect(pg.filter(Boolean)).toHaveLength(2);
  });
});

const DEPENDENTS = [
  'CREATE TABLE parent_t (x int);',
  'CREATE UNIQUE INDEX i1 ON parent_t (x);',
  'CREATE UNIQUE INDEX unrelated_idx ON parent_t (x);',
  'CREATE TABLE child_t (x int8, y int8);',
  'ALTER TABLE child_t ADD CONSTRAINT fkey1 FOREIGN KEY (y) REFERENCES parent_t (x);',
  'DROP INDEX unrelated_idx;',
  'DROP INDEX i1;',
  'DROP INDEX i1 CASCADE;',
  'ALTER TABLE child_t ADD CONSTRAINT fkey1 FOREIGN KEY (y) REFERENCES parent_t (x);',
  'CREATE TABLE keyed (x int UNIQUE, z int PRIMARY KEY);',
  'ALTER TABLE child_t ADD CONSTRAINT fkey2 FOREIGN KEY (y) REFERENCES keyed (x);',
  'ALTER TABLE child_t ADD CONSTRAINT fkey3 FOREIGN KEY (x) REFERENCES keyed;',
  'ALTER TABLE keyed DROP CONSTRAINT keyed_x_key;',
  'ALTER TABLE keyed DROP CONSTRAINT keyed_x_key CASCADE;',
  'ALTER TABLE child_t ADD CONSTRAINT fkey2 FOREIGN KEY (y) REFERENCES keyed (z);',
  'ALTER TABLE keyed DROP CONSTRAINT keyed_pkey;',
  'ALTER TABLE keyed DROP CONSTRAINT keyed_pkey CASCADE;',
  'ALTER TABLE child_t DROP CONSTRAINT fkey3;',
];

describe('dropping the index a foreign key is on', () => {
  it('fails without CASCADE and drops the foreign key with it, as PostgreSQL does', async () => {
    const pg = await postgresErrors(client(), DEPENDENTS);
    expect(modelErrors(DEPENDENTS).map((e) => e && [e.message, e.detail])).toEqual(pg.map((e) => e && [e.message, e.detail]));
    expect(pg.filter(Boolean)).toHaveLength(5);
  });
});
