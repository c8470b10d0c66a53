/**
 * alter_distributed_table's parameter checks (CheckAlterDistributedTableConversionParameters),
 * in Citus's order and with the texts of Citus's alter_distributed_table regression test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

const SETUP = `CREATE TABLE dist_table (a int, b int);
SELECT create_distributed_table('dist_table', 'a', colocate_with := 'none');
CREATE TABLE colocation_table (a int);
SELECT create_distributed_table('colocation_table', 'a', colocate_with := 'dist_table');
CREATE TABLE different_type_table (a text);
SELECT create_distributed_table('different_type_table', 'a');
CREATE TABLE reference_table (a int);
SELECT create_reference_table('reference_table');
CREATE TABLE single_shard_table (a int);
SELECT create_distributed_table('single_shard_table', null);
`;

function outcome(call: string): { error?: string; notices: string[] } {
  const { catalog } = buildCatalog([]);
  const sim = simulateScript(catalog, readScript('m.sql', `${SETUP}SELECT alter_distributed_table(${call});`), { citus: '13.2.2', settings: { 'citus.shard_count': 4, 'citus.shard_replication_factor': 1 } });
  const steps = sim.steps;
  expect(steps.slice(0, -1).map((s) => s.error?.message)).toEqual(steps.slice(0, -1).map(() => undefined));
  const last = steps[steps.length - 1];
  return { ...(last.error ? { error: last.error.message } : {}), notices: last.notices };
}

describe('alter_distributed_table', () => {
  it('refuses calls that change nothing or cannot cascade', () => {
    const none = "this call doesn't change any properties of the table";
    expect(outcome("'dist_table', distribution_column := 'a'").error).toBe(none);
    expect(outcome("'dist_table', shard_count := 4").error).toBe(none);
    expect(outcome("'dist_table', colocate_with := 'colocation_table'").error).toBe(none);
    expect(outcome("'dist_table', distribution_column := 'b', cascade_to_colocated := true").error).toBe('distribution_column cannot be cascaded to colocated tables');
    expect(outcome("'dist_table', cascade_to_colocated := true").error).toBe('shard_count or colocate_with is necessary for cascading to colocated tables');
    expect(outcome("'dist_table', colocate_with := 'none', cascade_to_colocated := true").error).toBe("colocate_with := 'none' cannot be cascaded to colocated tables");
    expect(outcome("'dist_table', shard_count := 14").error).toBe('cascade_to_colocated parameter is necessary');
    expect(outcome("'dist_table', shard_count := 0").error).toBe('shard_count cannot be 0');
  });

  it('checks the colocate_with table', () => {
    expect(outcome("'dist_table', colocate_with := 'reference_table'").error).toBe('cannot colocate with reference_table because it is not a distributed table');
    expect(outcome("'dist_table', colocate_with := 'single_shard_table'").error).toBe('cannot colocate with single_shard_table because it is a single shard distributed table');
    expect(outcome("'dist_table', colocate_with := 'different_type_table'").error).toBe('cannot colocate with different_type_table because data type of its distribution column is different than dist_table');
    expect(outcome("'dist_table', distribution_column := 'a', colocate_with := 'different_type_table'").error).toBe(
      'cannot colocate with different_type_table and change distribution column to a because data type of column a is different then the distribution column of the different_type_table',
    );
    expect(outcome("'dist_table', colocate_with := 'different_type_table', shard_count := 16, cascade_to_colocated := false").error).toBe('shard_count cannot be different than the shard count of the table in colocate_with');
    expect(outcome("'single_shard_table', shard_count := 6").error).toBe('relation single_shard_table should be a hash distributed table');
  });

  it('says which parameters it already has, and cascades a new shard count to the colocated tables', () => {
    expect(outcome("'dist_table', distribution_column := 'b', shard_count := 4, cascade_to_colocated := false")).toEqual({
      notices: ['shard count of the table is already 4', 'creating a new table for public.dist_table', 'moving the data of public.dist_table', 'dropping the old public.dist_table', 'renaming the new table to public.dist_table'],
    });
    expect(outcome("'dist_table', shard_count := 6, cascade_to_colocated := true").notices.filter((n) => n.startsWith('creating'))).toEqual([
      'creating a new table for public.dist_table',
      'creating a new table for public.colocation_table',
    ]);
  });
});
