/**
 * ALTER TABLE's lookups of the columns it names: a column to change or drop
 * must exist, one to add must not; IF [NOT] EXISTS turns either into a
 * NOTICE. The same statements on a real PostgreSQL and on the model.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

const STATEMENTS = [
  'CREATE TABLE t (a int, b text);',
  'ALTER TABLE t ADD COLUMN a int;',
  'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;',
  'ALTER TABLE t ADD COLUMN c int, ADD COLUMN c int;',
  'ALTER TABLE t DROP COLUMN nope;',
  'ALTER TABLE t DROP COLUMN IF EXISTS nope;',
  'ALTER TABLE t ALTER COLUMN nope TYPE bigint;',
  'ALTER TABLE t ALTER COLUMN nope SET NOT NULL;',
  'ALTER TABLE t ALTER COLUMN nope SET DEFAULT 1;',
  'ALTER TABLE t ALTER COLUMN nope SET STATISTICS 100;',
  'ALTER TABLE t ALTER COLUMN a SET STATISTICS 100;',
  'ALTER TABLE t DROP COLUMN b, ALTER COLUMN b SET NOT NULL;',
  'ALTER TABLE t DROP COLUMN b;',
  'ALTER TABLE t ADD COLUMN b int;',
];

const client = usePostgres('altercols');

describe('ALTER TABLE on columns', () => {
  it('finds the columns it names as PostgreSQL does', async () => {
    const pg = (await postgresErrors(client(), STATEMENTS)).map((e) => e?.message);
    expect(modelErrors(STATEMENTS).map((e) => e?.message)).toEqual(pg);
    expect(pg.filter(Boolean).length).toBeGreaterThanOrEqual(7);
  });
});
