/**
 * TRUNCATE takes a table's partitions and inheritance children with it, so
 * a foreign key from a partition is satisfied when the partitioned table is
 * truncated too: the same statements on a real PostgreSQL and on the model.
 */
import { describe, expect, it } from 'vitest';
import { modelErrors, postgresErrors, usePostgres } from '../../support/pg-vs-model.js';

const STATEMENTS = [
  'CREATE TABLE referenced_table (id int PRIMARY KEY);',
  'CREATE TABLE referencing_table (id int, value_1 int) PARTITION BY RANGE (id);',
  'CREATE TABLE referencing_table_0 PARTITION OF referencing_table FOR VALUES FROM (0) TO (2);',
  'ALTER TABLE referencing_table_0 ADD CONSTRAINT fkey_to_ref FOREIGN KEY (value_1) REFERENCES referenced_table;',
  'CREATE TABLE other_ref (id int PRIMARY KEY);',
  'CREATE TABLE parent_t (id int);',
  'CREATE TABLE child_t (r int REFERENCES other_ref) INHERITS (parent_t);',
  'TRUNCATE referencing_table, referenced_table;',
  'TRUNCATE referenced_table, referencing_table;',
  'TRUNCATE referenced_table;',
  'TRUNCATE parent_t, other_ref;',
  'TRUNCATE ONLY parent_t, other_ref;',
  'CREATE VIEW vw AS SELECT * FROM other_ref;',
  'TRUNCATE vw;',
];

const client = usePostgres('trunc');

describe('TRUNCATE', () => {
  it('goes down to partitions and children, as PostgreSQL does', async () => {
    const pg = (await postgresErrors(client(), STATEMENTS)).map((e) => e?.message);
    expect(modelErrors(STATEMENTS).map((e) => e?.message)).toEqual(pg);
    expect(pg.filter(Boolean)).toHaveLength(3);
  });
});
