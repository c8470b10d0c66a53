/**
 * Reference tables and the hash distributed tables that reference them,
 * reached in one transaction (relation_access_tracking.c): the cases of
 * Citus's foreign_key_restriction_enforcement regression test, with the
 * texts its expected output prints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

const SCHEMA = `
CREATE TABLE transitive_reference_table (id int PRIMARY KEY);
CREATE TABLE reference_table (id int PRIMARY KEY, value_1 int);
CREATE TABLE on_update_fkey_table (id int PRIMARY KEY, value_1 int);
CREATE TABLE unrelated_dist_table (id int PRIMARY KEY, value_1 int);`;

const SETUP = `
SET citus.shard_replication_factor TO 1;
SELECT create_reference_table('transitive_reference_table');
SELECT create_reference_table('reference_table');
SELECT create_distributed_table('on_update_fkey_table', 'id');
SELECT create_distributed_table('unrelated_dist_table', 'id');
ALTER TABLE on_update_fkey_table ADD CONSTRAINT fkey FOREIGN KEY (value_1) REFERENCES reference_table (id) ON UPDATE CASCADE;
ALTER TABLE reference_table ADD CONSTRAINT fkey FOREIGN KEY (value_1) REFERENCES transitive_reference_table (id) ON UPDATE CASCADE;
`;

const HINT = `Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`;

/** The outcome of each statement of `block` after the setup: 'ok' or the error message. */
function outcomes(block: string): Array<string> {
  const { catalog } = buildCatalog([{ file: 'schema.sql', text: SCHEMA }]);
  const setup = readScript('setup.sql', SETUP).statements.length;
  const sim = simulateScript(catalog, readScript('m.sql', SETUP + block), { citus: '13.2.2', settings: { 'citus.shard_count': 4 } });
  expect(sim.steps.slice(0, setup).map((s) => s.outcome)).toEqual(Array(setup).fill('ok'));
  return sim.steps.slice(setup).map((s) => s.error?.message ?? s.outcome);
}

describe('parallel access to a distributed table and its reference tables in one transaction', () => {
  it('DML on a reference table after a parallel DML on a table referencing it, directly or transitively', () => {
    const conflict = (t: string) => `cannot execute DML on table "${t}" because there was a parallel DML access to distributed table "on_update_fkey_table" in the same transaction`;
    expect(outcomes('BEGIN;\nUPDATE on_update_fkey_table SET value_1 = 16 WHERE value_1 = 15;\nUPDATE reference_table SET id = 160 WHERE id = 15;\nROLLBACK;')).toEqual(['ok', 'ok', conflict('reference_table'), 'ok']);
    expect(outcomes('BEGIN;\nUPDATE on_update_fkey_table SET value_1 = 16 WHERE value_1 = 15;\nUPDATE transitive_reference_table SET id = 160 WHERE id = 15;\nROLLBACK;')).toEqual(['ok', 'ok', conflict('transitive_reference_table'), 'ok']);
  });

  it('a router query is not parallel; sequential mode records no parallel access', () => {
    expect(outcomes('BEGIN;\nUPDATE on_update_fkey_table SET value_1 = 16 WHERE id = 15;\nUPDATE reference_table SET id = 160 WHERE id = 15;\nROLLBACK;')).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(outcomes("BEGIN;\nSET LOCAL citus.multi_shard_modify_mode TO 'sequential';\nUPDATE on_update_fkey_table SET value_1 = 16 WHERE value_1 = 15;\nUPDATE reference_table SET id = 160 WHERE id = 15;\nROLLBACK;")).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('DDL on a reference table after a parallel SELECT, SELECT after a parallel DDL, with the hint', () => {
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: SCHEMA }]);
    const sim = simulateScript(catalog, readScript('m.sql', `${SETUP}BEGIN;\nSELECT count(*) FROM on_update_fkey_table;\nALTER TABLE reference_table ADD COLUMN x int;\nROLLBACK;`), { citus: '13.2.2', settings: { 'citus.shard_count': 4 } });
    expect(sim.steps.find((s) => s.error)?.error).toEqual({
      message: 'cannot execute DDL on table "reference_table" because there was a parallel SELECT access to distributed table "on_update_fkey_table" in the same transaction',
      hint: HINT,
    });
    expect(outcomes('BEGIN;\nALTER TABLE on_update_fkey_table ADD COLUMN x int;\nSELECT count(*) FROM reference_table;\nROLLBACK;')).toEqual([
      'ok',
      'ok',
      'cannot execute SELECT on table "reference_table" because there was a parallel DDL access to distributed table "on_update_fkey_table" in the same transaction',
      'ok',
    ]);
  });

  it('a modification of a reference table after an unrelated parallel query cannot switch to sequential mode', () => {
    expect(outcomes('BEGIN;\nSELECT count(*) FROM unrelated_dist_table;\nUPDATE reference_table SET id = 101 WHERE id = 99;\nROLLBACK;')).toEqual([
      'ok',
      'ok',
      'cannot modify table "reference_table" because there was a parallel operation on a distributed table',
      'ok',
    ]);
    expect(outcomes('BEGIN;\nSELECT count(*) FROM unrelated_dist_table;\nALTER TABLE on_update_fkey_table DROP COLUMN value_1 CASCADE;\nROLLBACK;')).toEqual([
      'ok',
      'ok',
      'cannot modify table "on_update_fkey_table" because there was a parallel operation on a distributed table in the transaction',
      'ok',
    ]);
  });

  it('outside a transaction block nothing carries over to the next statement', () => {
    expect(outcomes('UPDATE on_update_fkey_table SET value_1 = 16 WHERE value_1 = 15;\nUPDATE reference_table SET id = 160 WHERE id = 15;')).toEqual(['ok', 'ok']);
  });

  it('TRUNCATE naming a referenced reference table runs sequentially (ExecuteTruncateStmtSequentialIfNecessary)', () => {
    expect(outcomes('TRUNCATE on_update_fkey_table, reference_table, transitive_reference_table;')).toEqual(['ok']);
    expect(outcomes('BEGIN;\nTRUNCATE on_update_fkey_table, reference_table, transitive_reference_table;\nUPDATE on_update_fkey_table SET value_1 = 1;\nROLLBACK;')).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
});
