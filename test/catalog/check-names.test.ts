/**
 * The names PostgreSQL gives unnamed CHECK constraints: `<table>_<column>_check`
 * when the expression reads one column (written on a column or on the
 * table), `<table>_check` when it reads several, a number added while the
 * name is taken anywhere in the schema. The catalog against a real PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import { usePostgres } from '../support/pg-vs-model.js';

const SCHEMA = `
CREATE TABLE t (a int CHECK (a > 0), b int CHECK (b > a), c int, CHECK (c > 0), CHECK (a < c), CHECK (a + a > 0));
CREATE TABLE u (a int);
ALTER TABLE u ADD CHECK (a > 1);
ALTER TABLE u ADD CHECK (a > 2);
ALTER TABLE u ADD COLUMN d int CHECK (d <> a);
CREATE TABLE t_check (x int);
CREATE TABLE v (x int, CONSTRAINT v_x_check CHECK (x > 0), CHECK (x < 10));
`;

const client = usePostgres('checknames');

describe('unnamed CHECK constraints', () => {
  it('get the names PostgreSQL gives them', async () => {
    await client().query(SCHEMA);
    const pg = await client().query<{ t: string; n: string }>("SELECT conrelid::regclass::text AS t, conname AS n FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace ORDER BY 1, 2");
    const { catalog } = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
    const ours = Object.values(catalog.tables)
      .flatMap((t) => t.checks.map((c) => ({ t: t.name, n: c.name })))
      .sort((x, y) => (x.t + ' ' + x.n < y.t + ' ' + y.n ? -1 : 1));
    expect(ours).toEqual(pg.rows.map((r) => ({ t: r.t, n: r.n })));
    expect(ours.length).toBe(10);
  });
});

const INDEXES = `
CREATE TABLE w (a int, b int, c int PRIMARY KEY, d int UNIQUE);
CREATE UNIQUE INDEX ON w (a);
CREATE UNIQUE INDEX ON w (a, b);
CREATE INDEX ON w (b);
ALTER TABLE w ADD UNIQUE (b);
`;

describe('unnamed indexes', () => {
  it('get the names PostgreSQL gives them (idx for CREATE INDEX, unique or not; key and pkey for constraints)', async () => {
    await client().query(INDEXES);
    const pg = await client().query<{ n: string }>("SELECT indexrelid::regclass::text AS n FROM pg_index WHERE indrelid = 'w'::regclass ORDER BY 1");
    const { catalog } = await readSchema([{ file: 'schema.sql', text: INDEXES }]);
    expect(catalog.tables['public.w'].indexes.map((i) => i.name).sort()).toEqual(pg.rows.map((r) => r.n));
    expect(pg.rows).toHaveLength(6);
  });
});
