/**
 * Append and range distributed tables (create_distributed_table(t, col,
 * 'append' | 'range')) as Citus holds them: not colocated with anything, no
 * partitioned tables, no unique indexes on append tables, no INSERT ... SELECT
 * into them through the coordinator; with the texts of Citus's
 * multi_colocation_utils, multi_foreign_key, multi_index_statements,
 * multi_partitioning, alter_distributed_table and multi_insert_select
 * regression tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

const SETUP = `CREATE TABLE d1 (id int, b int);
SELECT create_distributed_table('d1', 'id');
CREATE TABLE append_table (id int, b int);
SELECT create_distributed_table('append_table', 'id', 'append');
CREATE TABLE range_table (id int, b int);
SELECT create_distributed_table('range_table', 'id', 'range');
`;

/** The errors of the statements after the set-up, which must all pass. */
function errors(script: string): Array<string | undefined> {
  const { catalog } = buildCatalog([]);
  const sim = simulateScript(catalog, readScript('m.sql', SETUP + script), { citus: '13.2.2', settings: { 'citus.shard_count': 4 } });
  const setup = SETUP.trim().split('\n').length;
  expect(sim.steps.slice(0, setup).map((s) => s.error?.message)).toEqual(Array(setup).fill(undefined));
  return sim.steps.slice(setup).map((s) => s.error?.message);
}

describe('append and range distributed tables', () => {
  it('are their own kind, with a distribution column and no colocation group', () => {
    const { catalog } = buildCatalog([]);
    const sim = simulateScript(catalog, readScript('m.sql', SETUP), { citus: '13.2.2' });
    const kinds = Object.fromEntries(sim.final.tables.map((t) => [t.table, [t.kind, t.column, t.colocationId]]));
    expect(kinds).toEqual({ 'public.d1': ['distributed', 'id', 1], 'public.append_table': ['append', 'id', undefined], 'public.range_table': ['range', 'id', undefined] });
  });

  it('are neither hash nor single-shard tables to the colocation UDFs', () => {
    expect(
      errors(`SELECT update_distributed_table_colocation('append_table', colocate_with => 'd1');
SELECT update_distributed_table_colocation('d1', colocate_with => 'append_table');
SELECT update_distributed_table_colocation('range_table', colocate_with => 'd1');
SELECT update_distributed_table_colocation('d1', colocate_with => 'range_table');
SELECT alter_distributed_table('append_table', shard_count:=6);`),
    ).toEqual([
      'relation append_table should be a hash or single shard distributed table',
      'relation append_table should be a hash or single shard distributed table',
      'relation range_table should be a hash or single shard distributed table',
      'relation range_table should be a hash or single shard distributed table',
      'relation append_table should be a hash distributed table',
    ]);
  });

  it('cannot be colocated with, nor take colocate_with', () => {
    expect(
      errors(`CREATE TABLE table_failing (id int);
SELECT create_distributed_table('table_failing', 'id', colocate_with => 'append_table');
SELECT create_distributed_table('table_failing', 'id', 'append', 'd1');
SELECT create_distributed_table('table_failing', 'id', 'range', 'none');
SELECT create_distributed_table('table_failing', 'id', 'range');`),
    ).toEqual([undefined, 'cannot distribute relation', 'cannot distribute relation', 'cannot distribute relation', undefined]);
  });

  it('have foreign keys only to reference tables', () => {
    expect(
      errors(`CREATE TABLE referenced_table (id int PRIMARY KEY);
SELECT create_distributed_table('referenced_table', 'id');
CREATE TABLE referencing_table (id int REFERENCES referenced_table (id));
SELECT create_distributed_table('referencing_table', 'id', 'append');
SELECT create_distributed_table('referencing_table', 'id', 'range');
CREATE TABLE reference_table (id int PRIMARY KEY);
SELECT create_reference_table('reference_table');
ALTER TABLE range_table ADD FOREIGN KEY (id) REFERENCES reference_table (id);`),
    ).toEqual([
      undefined,
      undefined,
      undefined,
      'cannot create foreign key constraint since relations are not colocated or not referencing a reference table',
      'cannot create foreign key constraint since relations are not colocated or not referencing a reference table',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuse unique indexes on append tables before the distribution column is looked at', () => {
    expect(
      errors(`CREATE UNIQUE INDEX ON append_table (b);
CREATE UNIQUE INDEX ON append_table (id);
CREATE UNIQUE INDEX ON range_table (b);
CREATE UNIQUE INDEX ON range_table (id);`),
    ).toEqual([
      'creating unique indexes on append-partitioned tables is currently unsupported',
      'creating unique indexes on append-partitioned tables is currently unsupported',
      'creating unique indexes on non-partition columns is currently unsupported',
      undefined,
    ]);
  });

  it('cannot be partitioned tables', () => {
    expect(
      errors(`CREATE TABLE partitioning_test_failure (id int, time date) PARTITION BY RANGE (time);
SELECT create_distributed_table('partitioning_test_failure', 'id', 'append');
SELECT create_distributed_table('partitioning_test_failure', 'id', 'range');
SELECT create_reference_table('partitioning_test_failure');`),
    ).toEqual([
      undefined,
      'distributing partitioned tables in only supported for hash-distributed tables',
      'distributing partitioned tables in only supported for hash-distributed tables',
      'distributing partitioned tables in only supported for hash-distributed tables',
    ]);
  });

  it('take no INSERT ... SELECT through the coordinator into an append table', () => {
    expect(
      errors(`INSERT INTO append_table (id, b) SELECT id, 1 FROM d1 LIMIT 5;
INSERT INTO range_table (id, b) SELECT id, 1 FROM d1 LIMIT 5;`),
    ).toEqual(['INSERT ... SELECT into an append-distributed table is not supported', undefined]);
  });

  it('get shards from master_create_empty_shard, which refuses every other kind of table', () => {
    expect(
      errors(`CREATE TABLE ref (id int);
SELECT create_reference_table('ref');
CREATE TABLE citus_local_table_1 (id int);
SELECT citus_add_local_table_to_metadata('citus_local_table_1');
CREATE TABLE plain (id int);
SELECT master_create_empty_shard('d1');
SELECT master_create_empty_shard('ref');
SELECT master_create_empty_shard('citus_local_table_1');
SELECT master_create_empty_shard('plain');
SELECT master_create_empty_shard('append_table') AS shardid;
SELECT master_create_empty_shard('range_table');`),
    ).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'relation "d1" is a hash partitioned table',
      'relation "ref" is a reference table',
      'relation "citus_local_table_1" is a local table',
      'relation "plain" is not a distributed table',
      undefined,
      undefined,
    ]);
  });

  it('take an INSERT only once they have a shard, and COPY into an append table only with append_to_shard', () => {
    expect(
      errors(`INSERT INTO append_table VALUES (1, 2);
INSERT INTO range_table VALUES (1, 2);
COPY append_table FROM '/tmp/rows.csv';
COPY d1 FROM '/tmp/rows.csv' WITH (append_to_shard 1);
SELECT master_create_empty_shard('append_table');
INSERT INTO append_table VALUES (1, 2);
COPY append_table FROM '/tmp/rows.csv' WITH (append_to_shard 1);`),
    ).toEqual([
      'cannot run INSERT command which targets no shards',
      'cannot run INSERT command which targets no shards',
      'COPY into append-distributed table requires using the append_to_shard option',
      'append_to_shard is only valid for append-distributed tables',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('are no router queries when append tables are read: the logical planner prunes by shard ranges the model does not know', () => {
    const { catalog } = buildCatalog([]);
    const script = `${SETUP}SELECT master_create_empty_shard('append_table');
SELECT master_create_empty_shard('append_table');
SELECT master_create_empty_shard('range_table');
SELECT * FROM append_table WHERE id = 1;
SELECT * FROM range_table WHERE id = 1;`;
    const steps = simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2' }).steps.slice(-2);
    expect(steps.map((s) => [s.outcome, s.class, s.shards])).toEqual([
      ['ok', 'multi-shard', 2],
      ['ok', 'router', 1],
    ]);
  });
});
