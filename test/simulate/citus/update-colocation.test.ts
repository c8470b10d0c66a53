/**
 * update_distributed_table_colocation (colocation_utils.c MarkTablesColocated):
 * its checks in Citus's order, with the texts of Citus's citus_local_tables
 * and multi_reference_table regression tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

const SETUP = `CREATE TABLE citus_local_table (a int);
SELECT citus_add_local_table_to_metadata('citus_local_table');
CREATE TABLE reference_table (a int);
SELECT create_reference_table('reference_table');
CREATE TABLE dist_rf1 (a int);
SELECT create_distributed_table('dist_rf1', 'a');
SET citus.shard_replication_factor TO 2;
CREATE TABLE dist_rf2 (a int);
SELECT create_distributed_table('dist_rf2', 'a');
`;

function error(call: string): string | undefined {
  const { catalog } = buildCatalog([]);
  const sim = simulateScript(catalog, readScript('m.sql', `${SETUP}SELECT update_distributed_table_colocation(${call});`), { citus: '13.2.2', settings: { 'citus.shard_count': 4 } });
  expect(sim.steps.slice(0, -1).every((s) => !s.error)).toBe(true);
  return sim.steps[sim.steps.length - 1].error?.message;
}

describe('update_distributed_table_colocation', () => {
  it('refuses citus local tables first, then tables that are not hash or single-shard distributed', () => {
    expect(error("'citus_local_table', colocate_with => 'reference_table'")).toBe('local tables cannot be colocated with other tables');
    expect(error("'dist_rf1', colocate_with => 'citus_local_table'")).toBe('local tables cannot be colocated with other tables');
    expect(error("'dist_rf1', colocate_with => 'reference_table'")).toBe('relation reference_table should be a hash or single shard distributed table');
    expect(error("'reference_table', colocate_with => 'dist_rf1'")).toBe('relation reference_table should be a hash or single shard distributed table');
    expect(error("'reference_table', colocate_with => 'none'")).toBe('relation reference_table should be a hash or single shard distributed table');
  });

  it('tables of different replication models cannot share a group', () => {
    expect(error("'dist_rf1', colocate_with => 'dist_rf2'")).toBe('cannot colocate tables dist_rf2 and dist_rf1');
  });

  it('a single-shard table (streaming) cannot be created colocated with a reference table or a replicated hash table', () => {
    const { catalog } = buildCatalog([]);
    const script = `${SETUP}SET citus.shard_replication_factor TO 1;\nCREATE TABLE t (a int);\nSELECT create_distributed_table('t', null, colocate_with => 'reference_table');\nSELECT create_distributed_table('t', null, colocate_with => 'dist_rf2');\nSELECT create_distributed_table_concurrently('t', 'a', colocate_with => 'dist_rf2');`;
    const steps = simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2', settings: { 'citus.shard_count': 4 } }).steps;
    expect(steps.slice(-3).map((s) => s.error?.message)).toEqual([
      'cannot colocate tables reference_table and t',
      'cannot colocate tables dist_rf2 and t',
      'cannot create distributed table concurrently because Citus allows concurrent table distribution only when citus.shard_replication_factor = 1',
    ]);
  });
});
