import { describe, expect, it } from 'vitest';
import { loadParser, readScript } from '../../src/ingest/pg/index.js';
import { createTestDatabase } from '../support/db.js';

describe('smoke', () => {
  it('parses and reaches PostgreSQL', async () => {
    await loadParser();
    const s = readScript('a.sql', "\\restrict abc\nCREATE TABLE t (a int);\nCOPY t (a) FROM stdin;\n1\n2\n\\.\nSELECT 1;\n");
    expect(s.statements.map((x) => x.location.line)).toEqual([2, 3, 7]);
    const db = await createTestDatabase();
    const r = await db.client.query('select hashint4(1) as h');
    expect(r.rows[0].h).toBe(-1905060026);
    await db.drop();
  });
});
