/**
 * The CHECK that stages NOT NULL (`CHECK (x IS NOT NULL) NOT VALID`), read
 * from the expression's tree as pg_dump writes it back: PostgreSQL decides
 * the form of the expression text, the catalog keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import { notNullCheck } from '../../src/catalog/not-null.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SQL = `
CREATE TABLE t (a int, "B" int, c int, d int, e int);
ALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID;
ALTER TABLE t ADD CONSTRAINT b_nn CHECK ("B" IS NOT NULL);
ALTER TABLE t ADD CONSTRAINT c_and CHECK (c IS NOT NULL AND c > 0);
ALTER TABLE t ADD CONSTRAINT d_or CHECK (d IS NOT NULL OR e IS NOT NULL);
`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('not_null_check');
  await db.client.query(SQL);
});
afterAll(async () => {
  await db?.drop();
});

describe('notNullCheck', () => {
  it('finds CHECK (x IS NOT NULL), valid or not, quoted or not, as written and as PostgreSQL gives it back; no other CHECK', async () => {
    const { catalog } = await readSchema([{ file: 't.sql', text: SQL }]);
    const fromPg = (await db.client.query<{ conname: string; def: string }>("SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY conname")).rows;
    expect(fromPg.map((r) => r.conname)).toEqual(['a_nn', 'b_nn', 'c_and', 'd_or']);
    const t = catalog.tables['public.t'];
    expect(['a', 'B', 'c', 'd', 'e'].map((col) => notNullCheck(t, col)?.name)).toEqual(['a_nn', 'b_nn', undefined, undefined, undefined]);
    expect(notNullCheck(t, 'a')?.notValid).toBe(true);
    // PostgreSQL's own text of the same constraints (pg_get_constraintdef, as a dump or a live read has them)
    const written = { ...t, checks: fromPg.map((r) => ({ name: r.conname, expression: r.def.replace(/^CHECK \((.*)\)( NOT VALID)?$/, '$1'), noInherit: false, notValid: r.def.endsWith('NOT VALID'), location: t.location })) };
    expect(['a', 'B', 'c', 'd'].map((col) => notNullCheck(written, col)?.name)).toEqual(['a_nn', 'b_nn', undefined, undefined]);
  });
});
