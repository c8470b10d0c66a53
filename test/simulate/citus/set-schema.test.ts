/**
 * ALTER TABLE ... SET SCHEMA: PostgreSQL's existence checks (against a real
 * PostgreSQL), then Citus's rules for distributed schemas, with the texts of
 * Citus's schema_based_sharding regression test.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';
import { usePostgres } from '../../support/pg-vs-model.js';

const SETUP = `CREATE SCHEMA existing_schema;
CREATE SCHEMA another_existing_schema;
CREATE TABLE existing_schema.table_set_schema (id int);`;

const STATEMENTS = [
  'ALTER TABLE non_existent_schema.table_set_schema SET SCHEMA another_existing_schema;',
  'ALTER TABLE IF EXISTS non_existent_schema.table_set_schema SET SCHEMA another_existing_schema;',
  'ALTER TABLE existing_schema.non_existent_table SET SCHEMA another_existing_schema;',
  'ALTER TABLE IF EXISTS existing_schema.non_existent_table SET SCHEMA another_existing_schema;',
  'ALTER TABLE existing_schema.table_set_schema SET SCHEMA non_existent_schema;',
  'ALTER TABLE IF EXISTS existing_schema.table_set_schema SET SCHEMA non_existent_schema;',
  'ALTER TABLE existing_schema.table_set_schema SET SCHEMA another_existing_schema;',
  'SELECT * FROM another_existing_schema.table_set_schema;',
];

const client = usePostgres('setschema');

function model(script: string): Array<{ error?: string; notices: string[] }> {
  const { catalog } = buildCatalog([]);
  return simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2' }).steps.map((s) => ({ ...(s.error ? { error: s.error.message } : {}), notices: s.notices }));
}

describe('ALTER TABLE ... SET SCHEMA', () => {
  it('checks the table, its schema and the new schema as PostgreSQL does', async () => {
    const pg: Array<{ error?: string; notices: string[] }> = [];
    let notices: string[] = [];
    client().on('notice', (n) => notices.push(n.message ?? ''));
    for (const sql of [...SETUP.split('\n'), ...STATEMENTS]) {
      notices = [];
      try {
        await client().query(sql);
        pg.push({ notices });
      } catch (e) {
        pg.push({ error: (e as Error).message, notices });
      }
    }
    expect(model([SETUP, ...STATEMENTS].join('\n'))).toEqual(pg);
  });

  it('a table leaves a distributed schema undistributed unless FKs tie it to other tenant tables; only plain and citus local tables move in', () => {
    const script = `SET citus.enable_schema_based_sharding TO ON;
CREATE SCHEMA tenant_2;
SET citus.enable_schema_based_sharding TO OFF;
CREATE SCHEMA regular_schema;
CREATE TABLE regular_schema.ref_tbl (id int PRIMARY KEY);
SELECT create_reference_table('regular_schema.ref_tbl');
ALTER TABLE regular_schema.ref_tbl SET SCHEMA tenant_2;
CREATE TABLE tenant_2.tenant_tbl (id int);
ALTER TABLE tenant_2.tenant_tbl SET SCHEMA regular_schema;
CREATE TABLE tenant_2.tenant_tbl1 (id int PRIMARY KEY);
CREATE TABLE tenant_2.tenant_tbl2 (id int REFERENCES tenant_2.tenant_tbl1 (id));
ALTER TABLE tenant_2.tenant_tbl1 SET SCHEMA regular_schema;
ALTER TABLE regular_schema.tenant_tbl SET SCHEMA tenant_2;`;
    const steps = model(script);
    expect(steps[6].error).toBe('distributed schema cannot have distributed tables');
    expect(steps[8]).toEqual({ notices: ['undistributing table tenant_tbl in distributed schema tenant_2 before altering its schema'] });
    expect(steps[11].error).toBe('set schema is not allowed for table tenant_tbl1 in distributed schema tenant_2');
    expect(steps[12]).toEqual({ notices: ['Moving tenant_tbl into distributed schema tenant_2'] });
  });

  it('a renamed distributed schema stays distributed, its tables with it', () => {
    const steps = model(`SET citus.enable_schema_based_sharding TO ON;
CREATE SCHEMA "tenant'_2";
CREATE TABLE "tenant'_2".test_table (a int);
ALTER SCHEMA "tenant'_2" RENAME TO tenant_2;
SELECT create_distributed_table('tenant_2.test_table', 'a');
SELECT undistribute_table('tenant_2.test_table');`);
    expect(steps.slice(4).map((s) => s.error)).toEqual(['table "test_table" is already distributed', 'tenant_2.test_table is not allowed for undistribute_table because it belongs to a distributed schema']);
  });
});
