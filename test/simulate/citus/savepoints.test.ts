/**
 * SAVEPOINT, ROLLBACK TO and RELEASE inside a transaction block: what a
 * rollback to a savepoint undoes, that it revives an aborted block, and
 * PostgreSQL's errors for a savepoint that does not exist or a block that
 * is not there. The same statements on a real PostgreSQL and on the model.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

const STATEMENTS = [
  'SAVEPOINT outside;',
  'CREATE TABLE t (a int);',
  'BEGIN;',
  'ALTER TABLE t ADD COLUMN b int;',
  'SAVEPOINT one;',
  'ALTER TABLE t ADD COLUMN c int;',
  'SAVEPOINT two;',
  'ALTER TABLE t ADD COLUMN d int;',
  'ROLLBACK TO SAVEPOINT one;',
  'ALTER TABLE t ALTER COLUMN c SET NOT NULL;',
  'ROLLBACK TO SAVEPOINT two;',
  'ALTER TABLE t ALTER COLUMN b SET NOT NULL;',
  'ALTER TABLE t DROP COLUMN no_such_column;',
  'ALTER TABLE t ALTER COLUMN b DROP NOT NULL;',
  'ROLLBACK TO one;',
  'ALTER TABLE t ALTER COLUMN b DROP NOT NULL;',
  'RELEASE SAVEPOINT one;',
  'ROLLBACK TO one;',
  'COMMIT;',
  'ALTER TABLE t ALTER COLUMN b DROP NOT NULL;',
  'RELEASE SAVEPOINT one;',
];

const client = usePostgres('savepoints');

describe('savepoints', () => {
  it('undo and revive as in PostgreSQL', async () => {
    const pg = (await postgresErrors(client(), STATEMENTS)).map((e) => e?.message);
    expect(modelErrors(STATEMENTS).map((e) => e?.message)).toEqual(pg);
    expect(pg.filter(Boolean).length).toBeGreaterThanOrEqual(6);
  });
});
