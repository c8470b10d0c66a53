/**
 * Skew from the most common values: each hot value on the shard PostgreSQL's
 * hash and Citus's ranges put it on (citus-rules.md §4), the rest spread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import { largestShare } from '../../src/advisor/candidates.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('skew');
});
afterAll(async () => {
  await db?.drop();
});

describe('largest shard share', () => {
  it('adds up the hot values that hash to one shard, as PostgreSQL places them', async () => {
    const { catalog } = await readSchema([{ file: 's.sql', text: 'CREATE TABLE t (tenant bigint, name text);' }]);
    const [tenant, name] = catalog.tables['public.t'].columns;
    const values = Array.from({ length: 40 }, (_, i) => String(i * 101 + 7));
    const mcv = values.map((value, i) => ({ value, frequency: 0.4 / 2 ** (i + 1) + 0.005 }));
    const listed = mcv.reduce((s, v) => s + v.frequency, 0);
    for (const shards of [4, 32]) {
      const res = await db.client.query({
        text: `SELECT v, least(floor((hashint8(v::int8)::int8 + 2147483648) / (4294967296 / $2::int8))::int, $2 - 1) AS i FROM unnest($1::text[]) v`,
        values: [values, shards],
      });
      const perShard = new Map<number, number>();
      for (const r of res.rows as Array<{ v: string; i: number }>) perShard.set(r.i, (perShard.get(r.i) ?? 0) + mcv.find((m) => m.value === r.v)!.frequency);
      const expected = Math.max(...perShard.values()) + (1 - listed) / shards;
      expect(largestShare(tenant, mcv, shards)).toBeCloseTo(expected, 12);
    }
    // two hot values PostgreSQL puts on one shard: that shard holds both
    const four = await db.client.query({
      text: `SELECT v::text AS v, floor((hashint8(v)::int8 + 2147483648) / (4294967296 / 4))::int AS i FROM generate_series(1::int8, 20) v ORDER BY v`,
    });
    const byShard = new Map<number, string[]>();
    for (const r of four.rows as Array<{ v: string; i: number }>) byShard.set(r.i, [...(byShard.get(r.i) ?? []), r.v]);
    const [a, b] = [...byShard.values()].find((vs) => vs.length >= 2)!;
    const other = [...byShard.entries()].find(([, vs]) => !vs.includes(a))![1][0];
    const pair = [{ value: a, frequency: 0.3 }, { value: b, frequency: 0.2 }, { value: other, frequency: 0.25 }];
    expect(largestShare(tenant, pair, 4)).toBeCloseTo(0.5 + 0.25 / 4, 12);
    const texts = [{ value: 'acme', frequency: 0.3 }, { value: 'globex', frequency: 0.2 }];
    const t = await db.client.query({ text: `SELECT v, floor((hashtext(v)::int8 + 2147483648) / (4294967296 / 8))::int AS i FROM unnest($1::text[]) v`, values: [texts.map((x) => x.value)] });
    const sameShard = t.rows[0].i === t.rows[1].i;
    expect(largestShare(name, texts, 8)).toBeCloseTo((sameShard ? 0.5 : 0.3) + 0.5 / 8, 12);
  });

  it('with no hot values, an even spread', async () => {
    const { catalog } = await readSchema([{ file: 's.sql', text: 'CREATE TABLE t (k int);' }]);
    expect(largestShare(catalog.tables['public.t'].columns[0], [], 32)).toBeCloseTo(1 / 32, 12);
  });
});
