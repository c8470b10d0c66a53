/**
 * A foreign key's own definition, checked as PostgreSQL checks it
 * (ATAddForeignKeyConstraint): the same statements on a real PostgreSQL and
 * on the model give the same errors.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

const STATEMENTS = [
  'CREATE TABLE referenced (id int UNIQUE, test_column int, other int, PRIMARY KEY (id, test_column));',
  'CREATE TABLE no_pk (id int);',
  'CREATE TABLE referencing (id int, ref_id int);',
  'ALTER TABLE referencing ADD CONSTRAINT c1 FOREIGN KEY (ref_id) REFERENCES referenced ON DELETE CASCADE;',
  'ALTER TABLE referencing ADD CONSTRAINT c2 FOREIGN KEY (ref_id) REFERENCES referenced (id, test_column);',
  'ALTER TABLE referencing ADD CONSTRAINT c3 FOREIGN KEY (col_99) REFERENCES referenced (id);',
  'ALTER TABLE referencing ADD CONSTRAINT c4 FOREIGN KEY (ref_id) REFERENCES referenced (col_99);',
  'ALTER TABLE referencing ADD CONSTRAINT c5 FOREIGN KEY (ref_id) REFERENCES referenced (other);',
  'ALTER TABLE referencing ADD CONSTRAINT c6 FOREIGN KEY (ref_id) REFERENCES no_pk;',
  'ALTER TABLE referencing ADD COLUMN x int, ADD CONSTRAINT c7 FOREIGN KEY (x) REFERENCES referenced (id);',
  'CREATE TABLE t1 (a int, FOREIGN KEY (a) REFERENCES referenced (col_99));',
  'CREATE TABLE t2 (a int, FOREIGN KEY (b) REFERENCES referenced (id));',
  'CREATE TABLE t3 (a int REFERENCES table_does_not_exist (id));',
  'CREATE TABLE t4 (a int, b int, FOREIGN KEY (a, b) REFERENCES referenced (test_column, id));',
];

const client = usePostgres('fkdef');

describe('a foreign key definition', () => {
  it('fails where PostgreSQL fails, with its message', async () => {
    const pg = (await postgresErrors(client(), STATEMENTS)).map((e) => e?.message);
    expect(modelErrors(STATEMENTS).map((e) => e?.message)).toEqual(pg);
    expect(pg.filter(Boolean).length).toBeGreaterThanOrEqual(8);
  });
});
