/**
 * DC02's list of types without a default hash operator class, and the types
 * citus-rules §3 lists as working distribution columns, checked against
 * PostgreSQL's own catalog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_HASHABLE } from '../../src/rules/hashable.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const WORKING = ['int2', 'int4', 'int8', 'numeric', 'text', 'varchar', 'bpchar', 'uuid', 'date', 'timestamp', 'timestamptz', 'bool', 'float8', 'jsonb'];

describe('hash operator classes per PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('hashable');
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function hashable(types: readonly string[]): Promise<Record<string, boolean>> {
    // As GetDefaultOpClass: the type's own default hash opclass, or one for a type it is implicitly binary-coercible to (varchar -> text).
    const r = await db.client.query<{ typname: string; has: boolean }>(
      `SELECT t.typname, EXISTS (
         SELECT 1 FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
         WHERE a.amname = 'hash' AND c.opcdefault
           AND (c.opcintype = t.oid OR EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = t.oid AND k.casttarget = c.opcintype AND k.castmethod = 'b' AND k.castcontext = 'i'))
       ) AS has
       FROM pg_type t WHERE t.typname = ANY($1) AND t.typnamespace = 'pg_catalog'::regnamespace`,
      [types],
    );
    return Object.fromEntries(r.rows.map((row) => [row.typname, row.has]));
  }

  it('no type in NOT_HASHABLE has a default hash operator class', async () => {
    const got = await hashable(NOT_HASHABLE);
    expect(Object.keys(got).sort()).toEqual([...NOT_HASHABLE].sort());
    expect(Object.entries(got).filter(([, has]) => has)).toEqual([]);
  });

  it('every type Citus distributes on has one', async () => {
    const got = await hashable(WORKING);
    expect(Object.entries(got).filter(([, has]) => !has)).toEqual([]);
    expect(Object.keys(got).length).toBe(WORKING.length);
  });
});
