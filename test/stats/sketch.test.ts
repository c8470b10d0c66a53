/** PostgreSQL array text against PostgreSQL's array_out; sketches against known cardinalities. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayTextError, ColumnCounter, ExactBudget, heldBytes, HyperLogLog, MAX_HEAVY_VALUE, parseArrayText } from '../../src/stats/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('parseArrayText against PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('st_arr');
  });
  afterAll(async () => db?.drop());

  const raw = { getTypeParser: () => (v: string) => v } as never;

  it('splits what array_out writes for every awkward element into the elements PostgreSQL holds', async () => {
    const specials = [
      'plain', '', ' ', '  lead and trail  ', 'with space', 'comma,inside', 'semi;colon', 'quote"inside', 'back\\slash', '\\', '"', '{', '}', '{a,b}',
      'NULL', 'null', 'Null ', 'tab\there', 'new\nline', 'cr\rlf', 'héllo wörld', '日本語', '🎉 emoji', "apos'trophe", '\\N', 'a\\"b',
    ];
    for (let c = 1; c < 128; c++) specials.push(String.fromCharCode(c));
    const { rows } = await db.client.query({
      text: `SELECT $1::text[]::text AS t, array_to_json($1::text[])::text AS j`,
      values: [specials],
      types: raw,
    });
    expect(parseArrayText(rows[0].t)).toEqual(JSON.parse(rows[0].j));
    expect(JSON.parse(rows[0].j)).toEqual(specials);

    // NULL elements, numbers, dates, nested arrays (as their own text), the box delimiter
    const more = await db.client.query({
      text: `SELECT ARRAY['x', NULL, 'NULL']::text AS a, ARRAY[1.5, -2, 1e20]::numeric[]::text AS b,
                    ARRAY['2020-01-01 10:00'::timestamp, '2021-02-03']::text AS c, ARRAY[[1,2],[3,4]]::text AS d,
                    ARRAY[box '((0,0),(1,1))', box '((2,2),(3,3))']::text AS e, '[0:1]={7,8}'::int[]::text AS f, '{}'::int[]::text AS g`,
      types: raw,
    });
    const r = more.rows[0];
    expect(parseArrayText(r.a)).toEqual(['x', null, 'NULL']);
    expect(parseArrayText(r.b)).toEqual(['1.5', '-2', '100000000000000000000']);
    expect(parseArrayText(r.c)).toEqual(['2020-01-01 10:00:00', '2021-02-03 00:00:00']);
    expect(parseArrayText(r.d)).toEqual(['{1,2}', '{3,4}']);
    expect(parseArrayText(r.e, ';')).toEqual(['(1,1),(0,0)', '(3,3),(2,2)']);
    expect(parseArrayText(r.f)).toEqual(['7', '8']);
    expect(parseArrayText(r.g)).toEqual([]);
  });

  it('refuses what PostgreSQL refuses', async () => {
    for (const bad of ['{a,b', 'a,b}', '{"a}', '{a,,b}', '{a}x', '{a"b}', '{a,}']) {
      const pgError = await db.client.query('SELECT $1::text[]', [bad]).then(
        () => undefined,
        (e: Error) => e.message,
      );
      expect(pgError, bad).toMatch(/malformed array literal/);
      expect(() => parseArrayText(bad), bad).toThrow(ArrayTextError);
    }
  });
});

describe('HyperLogLog', () => {
  it.each([1_000, 50_000, 1_000_000])('counts %i distinct values within 3 %', (n) => {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) {
      h.add(`v${i}`);
      if (i % 3 === 0) h.add(`v${i}`); // repeats change nothing
    }
    expect(Math.abs(h.count() - n) / n).toBeLessThan(0.03);
  });
});

describe('ColumnCounter', () => {
  it('is exact below the limit and finds heavy hitters above it', () => {
    const exact = new ColumnCounter({ exactLimit: 1000, heavyHitters: 100 });
    for (let i = 0; i < 5000; i++) exact.add(String(i % 700), 1);
    exact.addNull();
    const r = exact.result(3);
    expect(r).toMatchObject({ nonNull: 5000, nulls: 1, nDistinct: 700, approximate: false });
    // 5000 = 7 * 700 + 100: values 0..99 occur 8 times, the others 7; ties by value
    expect(r.top).toEqual([
      { value: '0', count: 8 },
      { value: '1', count: 8 },
      { value: '10', count: 8 },
    ]);

    const c = new ColumnCounter({ exactLimit: 1000, heavyHitters: 100 });
    const n = 200_000;
    let hot = 0;
    let warm = 0;
    for (let i = 0; i < n; i++) {
      if (i % 10 === 0) {
        c.add('hot', 3);
        hot++;
      } else if (i % 50 === 1) {
        c.add('warm', 4);
        warm++;
      } else c.add(`u${i}`, 5);
    }
    const s = c.result(10);
    expect(s.approximate).toBe(true);
    expect(Math.abs(s.nDistinct - (n - hot - warm + 2)) / n).toBeLessThan(0.03);
    expect(s.top[0].value).toBe('hot');
    expect(s.top[1].value).toBe('warm');
    // Misra-Gries: never over, under by at most n / k
    expect(s.top[0].count).toBeLessThanOrEqual(hot);
    expect(s.top[0].count).toBeGreaterThanOrEqual(hot - n / 100);
    expect(s.top[1].count).toBeGreaterThanOrEqual(warm - n / 100);
  });
});

describe('ExactBudget', () => {
  it('bounds the values all columns hold exactly: the column holding most switches to sketches, the others stay exact', () => {
    const budget = new ExactBudget(1000);
    const wide = new ColumnCounter({ exactLimit: 100_000, heavyHitters: 100, budget });
    const narrow = new ColumnCounter({ exactLimit: 100_000, heavyHitters: 100, budget });
    for (let i = 0; i < 5000; i++) {
      wide.add(`w${i}`, 1);
      narrow.add(String(i % 300), 1);
    }
    expect(budget.used).toBeLessThanOrEqual(1000);
    expect(narrow.result(1)).toMatchObject({ nDistinct: 300, approximate: false });
    const w = wide.result(1);
    expect(w.approximate).toBe(true);
    expect(Math.abs(w.nDistinct - 5000) / 5000).toBeLessThan(0.03);
    expect(w.nonNull).toBe(5000);
  });

  it('bounds the bytes they hold too: a column of long distinct texts switches to sketches long before the value count is reached', () => {
    const budget = new ExactBudget(200_000, 1_000_000);
    const long = new ColumnCounter({ exactLimit: 100_000, heavyHitters: 100, budget });
    const short = new ColumnCounter({ exactLimit: 100_000, heavyHitters: 100, budget });
    const body = 'x'.repeat(10_000);
    for (let i = 0; i < 400; i++) {
      long.add(`${i}:${body}`, 1);
      short.add(String(i % 50), 1);
    }
    expect(budget.usedBytes).toBeLessThanOrEqual(1_000_000);
    expect(short.result(1)).toMatchObject({ nDistinct: 50, approximate: false });
    expect(long.result(1)).toMatchObject({ approximate: true, nonNull: 400 });
    expect(Math.abs(long.result(1).nDistinct - 400) / 400).toBeLessThan(0.03);
    expect(heldBytes('abc')).toBe(46);
  });

  it('past the exact limit, texts longer than the common-value bound count for the distinct estimate only', () => {
    const c = new ColumnCounter({ exactLimit: 10, heavyHitters: 5 });
    const big = 'y'.repeat(MAX_HEAVY_VALUE + 1);
    for (let i = 0; i < 100; i++) c.add(i % 2 ? big : `v${i % 20}`, 1);
    const r = c.result(5);
    expect(r.approximate).toBe(true);
    expect(r.top.map((t) => t.value)).not.toContain(big);
    expect(r.nDistinct).toBe(11);
  });
});
