/**
 * Columns a CHECK leaves NULL by design, read from the CHECK's parse tree:
 * for each constraint, PostgreSQL says whether some row with the column NULL
 * (the other columns NULL or set) gets in; the advisor must agree whenever
 * the CHECK tests the column for NULL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalKeyOf } from '../../src/advisor/optional.js';
import { readSchema } from '../../src/catalog/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('optional');
});
afterAll(async () => {
  await db?.drop();
});

/** Each case: the CHECKs on t(a, b, c); the question is always about a. */
const CASES: Array<{ checks: string[]; optional: boolean; others?: string[] }> = [
  { checks: ['num_nonnulls(a, b) = 1'], optional: true, others: ['b'] },
  { checks: ['num_nonnulls(b, a, c) >= 1'], optional: true, others: ['b', 'c'] },
  { checks: ['num_nonnulls(a, b, c) > 0'], optional: true, others: ['b', 'c'] },
  { checks: ['num_nonnulls(a, b) = 2'], optional: false },
  { checks: ['num_nulls(a, b) = 0'], optional: false },
  { checks: ['num_nulls(a, b, c) <= 1'], optional: true, others: ['b', 'c'] },
  { checks: ['(a IS NULL) <> (b IS NULL)'], optional: true, others: ['b'] },
  { checks: ['(a IS NULL) = (b IS NULL)'], optional: true, others: [] },
  { checks: ['a IS NOT NULL OR b IS NOT NULL'], optional: true, others: ['b'] },
  { checks: ['a IS NULL OR c = a'], optional: true, others: [] },
  { checks: ['a IS NOT DISTINCT FROM NULL OR b = 1'], optional: true, others: [] },
  { checks: ['num_nonnulls(a, b, c) = 0'], optional: true, others: [] },
  { checks: ['a IS NOT NULL'], optional: false },
  { checks: ['(a IS NOT NULL) AND (b > 0)'], optional: false },
  { checks: ['NOT (a IS NULL)'], optional: false },
  { checks: ['a IS DISTINCT FROM NULL'], optional: false },
  { checks: ['(a IS NOT NULL AND b IS NULL) OR (a IS NOT NULL AND c IS NULL)'], optional: false },
  // a staged NOT NULL next to an either-or keeps the column set: taken together, no NULL gets in
  { checks: ['num_nonnulls(a, b) = 1', 'a IS NOT NULL'], optional: false },
];

/** Whether PostgreSQL lets a row with a NULL in, b and c each NULL, 1 or 2. */
async function admitsNull(table: string): Promise<boolean> {
  const values = ['NULL', '1', '2'];
  for (const b of values) {
    for (const c of values) {
      await db.client.query('SAVEPOINT s');
      try {
        await db.client.query(`INSERT INTO ${table} (a, b, c) VALUES (NULL, ${b}, ${c})`);
        await db.client.query('RELEASE SAVEPOINT s');
        return true;
      } catch {
        await db.client.query('ROLLBACK TO SAVEPOINT s');
      }
    }
  }
  return false;
}

describe('optional by a CHECK', () => {
  it('agrees with PostgreSQL on which CHECKs let the column be NULL', async () => {
    await db.client.query('BEGIN');
    try {
      for (const [i, k] of CASES.entries()) {
        const checks = k.checks.map((c, j) => `CONSTRAINT t${i}_${j} CHECK (${c})${j ? ' NOT VALID' : ''}`).join(', ');
        const sql = `CREATE TABLE t${i} (a bigint, b bigint, c bigint, ${checks});`;
        await db.client.query(sql);
        const { catalog } = await readSchema([{ file: 's.sql', text: sql }]);
        const found = optionalKeyOf(catalog.tables[`public.t${i}`], 'a');
        expect(await admitsNull(`t${i}`), `PostgreSQL on ${k.checks.join(' AND ')}`).toBe(k.optional);
        expect(!!found, k.checks.join(' AND ')).toBe(k.optional);
        if (found) {
          expect(found.check.name).toBe(`t${i}_0`);
          expect(found.others).toEqual(k.others);
        }
      }
    } finally {
      await db.client.query('ROLLBACK');
    }
  });

  it('leaves alone what does not test the column for NULL, and a column declared NOT NULL', async () => {
    const { catalog } = await readSchema([
      {
        file: 's.sql',
        text: 'CREATE TABLE t (a bigint CHECK (a > 0), b bigint NOT NULL, c bigint, CHECK (num_nonnulls(b, c) = 1), CHECK (char_length(c::text) < 9));',
      },
    ]);
    const t = catalog.tables['public.t'];
    expect(optionalKeyOf(t, 'a')).toBeUndefined();
    expect(optionalKeyOf(t, 'b')).toBeUndefined();
    expect(optionalKeyOf(t, 'c')?.others).toEqual(['b']);
  });
});
