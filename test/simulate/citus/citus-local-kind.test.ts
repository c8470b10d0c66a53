/**
 * citus_add_local_table_to_metadata refuses tables of the wrong kind before
 * it looks at the metadata (ErrorIfUnsupportedCitusLocalTableKind), with the
 * texts of Citus's citus_local_tables regression test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

describe('citus_add_local_table_to_metadata', () => {
  it('refuses inheritance, views and temporary tables', () => {
    const script = `CREATE TABLE parent_table (a int);
CREATE TABLE child_table (b int) INHERITS (parent_table);
CREATE VIEW v AS SELECT * FROM parent_table;
CREATE TEMPORARY TABLE temp_table (a int);
SELECT citus_add_local_table_to_metadata('parent_table');
SELECT citus_add_local_table_to_metadata('child_table');
SELECT citus_add_local_table_to_metadata('v');
SELECT citus_add_local_table_to_metadata('temp_table');`;
    const { catalog } = buildCatalog([]);
    const errors = simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2' }).steps.slice(4).map((s) => s.error?.message);
    expect(errors).toEqual([
      'cannot add local table "parent_table" to metadata, local tables added to metadata cannot be involved in inheritance relationships',
      'cannot add local table "child_table" to metadata, local tables added to metadata cannot be involved in inheritance relationships',
      'cannot add local table "v" to metadata, only regular tables, partitioned tables and foreign tables can be added to citus metadata ',
      'constraints on temporary tables may reference only temporary tables',
    ]);
  });
});
