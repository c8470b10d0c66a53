/**
 * A name given as text (a regclass argument, nextval('...')) is cut to 63
 * bytes like an identifier in SQL (SplitIdentifierString): it names the
 * table PostgreSQL created under the truncated name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitQualified } from '../../src/catalog/builder.js';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser, readScript } from '../../src/ingest/pg/index.js';
import { simulateScript } from '../../src/simulate/citus/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const LONG = 'abcde_0123456789012345678901234567890123456789012345678901234567890123456789';
const QUOTED = '"LocalTabLE.1!?!9012345678901234567890123456789012345678901234567890123456789"';
const SCHEMA = `
CREATE TABLE ${LONG} (x int, y int);
CREATE TABLE ${QUOTED} (id int);
CREATE SEQUENCE seq_${LONG};
CREATE TABLE uses_seq (id bigint DEFAULT nextval('seq_${LONG}'));
`;

let db: TestDatabase;
beforeAll(async () => {
  await loadParser();
  db = await createTestDatabase('longnames');
  await db.client.query(SCHEMA);
});
afterAll(async () => {
  await db?.drop();
});

describe('names over 63 bytes given as text', () => {
  it('resolve to the relation PostgreSQL created', async () => {
    for (const text of [LONG, QUOTED, `public.${LONG}`]) {
      const res = await db.client.query(`SELECT c.relname FROM pg_class c WHERE c.oid = $1::regclass`, [text]);
      expect(splitQualified(text).pop()).toBe(res.rows[0].relname);
    }
  });

  it('a nextval default names the truncated sequence, and Citus UDFs find the tables', async () => {
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: SCHEMA }]);
    const res = await db.client.query(`SELECT pg_get_expr(adbin, adrelid) AS d FROM pg_attrdef WHERE adrelid = 'uses_seq'::regclass`);
    const seq = /nextval\('([^']+)'/.exec(res.rows[0].d)![1];
    expect(catalog.tables['public.uses_seq'].columns[0].defaultSequence).toBe(`public.${seq}`);
    const sim = simulateScript(catalog, readScript('m.sql', `SELECT create_distributed_table('${LONG}', 'x');\nSELECT citus_add_local_table_to_metadata('${QUOTED}');`), { citus: '13.2.2' });
    expect(sim.steps.map((s) => s.error?.message ?? s.outcome)).toEqual(['ok', 'ok']);
  });
});
