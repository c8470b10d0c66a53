/**
 * citus_schema_distribute's checks of the schema itself
 * (EnsureTenantSchemaNameAllowed, EnsureSchemaCanBeDistributed), with the
 * texts of Citus's citus_schema_distribute_undistribute regression test; a
 * schema given by OID is not one the model can name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';
import { simulateScript } from '../../../src/simulate/citus/index.js';

beforeAll(async () => {
  await loadParser();
});

describe('citus_schema_distribute', () => {
  it('refuses the schemas every database has, and Citus its own', () => {
    const script = ['public', 'pg_catalog', 'pg_toast', 'information_schema', 'pg_temp_3', 'citus', 'no_such_schema'].map((n) => `SELECT citus_schema_distribute('${n}');`).join('\n');
    const { catalog } = buildCatalog([]);
    expect(simulateScript(catalog, readScript('m.sql', script), { citus: '13.2.2' }).steps.map((s) => s.error?.message)).toEqual([
      'public schema cannot be distributed',
      'pg_catalog schema cannot be distributed',
      'pg_toast schema cannot be distributed',
      'information_schema schema cannot be distributed',
      'temporary schema cannot be distributed',
      'schema citus, which is owned by an extension, cannot be distributed',
      'schema "no_such_schema" does not exist',
    ]);
  });

  it('says when the schema is distributed already, and does not guess which schema an OID names', () => {
    const { catalog } = buildCatalog([]);
    const steps = simulateScript(catalog, readScript('m.sql', "CREATE SCHEMA s;\nSELECT citus_schema_distribute('s');\nSELECT citus_schema_distribute('s');\nSELECT citus_schema_distribute(1);"), { citus: '13.2.2' }).steps;
    expect(steps[2].notices).toEqual(['schema s is already distributed']);
    expect(steps[3].outcome).toBe('not-modelled');
  });
});
