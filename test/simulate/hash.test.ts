/**
 * Every hash is checked value by value against the PostgreSQL of the test run:
 * the type's own hash function where SQL can call it, and in every case the
 * type's default hash support function reached through the type cache
 * (hash_array over a one-element array is 31 + the element's hash), which is
 * the path Citus takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFor, hashabilityOf, hashInt4, hashInt8, HASHABLE_TYPES } from '../../src/simulate/hash/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('hash');
});
afterAll(async () => {
  await db?.drop();
});

interface Case {
  /** Type name as given to hashFor. */
  readonly type: string;
  /** A SELECT giving column v of that type (one row per value). */
  readonly values: string;
  /** SQL hash of v by the type's own function, when SQL can call it. */
  readonly direct?: string;
  readonly min?: number;
  readonly timezone?: string;
}

const CASES: Case[] = [
  { type: 'smallint', values: `SELECT g::int2 AS v FROM generate_series(-32768, 32767) g`, direct: 'hashint2(v)' },
  {
    type: 'integer',
    values: `SELECT g::int4 AS v FROM generate_series(-6000, 6000) g
             UNION ALL SELECT ((g::bigint * 2654435761) % 4294967296 - 2147483648)::int4 FROM generate_series(1, 6000) g
             UNION ALL SELECT unnest(ARRAY[-2147483648, 2147483647, -2147483647, 2147483646, 65536, -65536])::int4`,
    direct: 'hashint4(v)',
  },
  {
    type: 'bigint',
    values: `SELECT g::int8 AS v FROM generate_series(-3000, 3000) g
             UNION ALL SELECT (g::numeric * 3074457345618258)::int8 FROM generate_series(-3000, 3000) g
             UNION ALL SELECT (g::int8 * 4294967296 + g) FROM generate_series(-1000, 1000) g
             UNION ALL SELECT (g::int8 * 1000000007) FROM generate_series(-2000, 2000) g
             UNION ALL SELECT unnest(ARRAY[-9223372036854775808, 9223372036854775807, 4294967296, -4294967296, 4294967295, -4294967295,
               2147483648, -2147483649, 9007199254740991, -9007199254740991, 9007199254740993, -9007199254740993])::int8`,
    direct: 'hashint8(v)',
  },
  {
    type: 'text',
    values: `SELECT left(repeat(md5(g::text), 3), g % 53) AS v FROM generate_series(0, 4000) g
             UNION ALL SELECT repeat(chr(160 + g % 1200), 1 + g % 7) || g FROM generate_series(1, 3000) g
             UNION ALL SELECT chr(128512 + g % 80) || repeat('é', g % 13) || chr(19968 + g % 5000) FROM generate_series(1, 3000) g
             UNION ALL SELECT 'tenant-' || g FROM generate_series(1, 1000) g
             UNION ALL SELECT unnest(ARRAY['', ' ', 'a', 'abc', 'trailing  ', E'tab\\tnl\\n', 'ZWJ 👩‍👩‍👧', '日本語'])`,
    direct: 'hashtext(v)',
  },
  {
    type: 'character varying(40)',
    values: `SELECT left(md5(g::text) || 'ü', g % 41)::varchar(40) AS v FROM generate_series(0, 10000) g`,
    direct: 'hashtext(v)',
  },
  {
    type: 'character(12)',
    values: `SELECT left(md5(g::text), g % 13)::char(12) AS v FROM generate_series(0, 5000) g
             UNION ALL SELECT (repeat('ñ', g % 5) || g)::char(12) FROM generate_series(0, 5000) g`,
    direct: 'hashbpchar(v)',
  },
  {
    type: 'bpchar',
    values: `SELECT (left(md5(g::text), g % 9) || repeat(' ', g % 4))::bpchar AS v FROM generate_series(0, 10000) g
             UNION ALL SELECT unnest(ARRAY['', ' ', '   ', 'a b ', ' a'])::bpchar`,
    direct: 'hashbpchar(v)',
  },
  {
    type: 'uuid',
    values: `SELECT md5(g::text)::uuid AS v FROM generate_series(0, 10000) g
             UNION ALL SELECT unnest(ARRAY['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001',
               'ffffffff-ffff-ffff-ffff-ffffffffffff'])::uuid`,
    direct: 'uuid_hash(v)',
  },
  {
    type: 'numeric',
    values: `SELECT round(g / 7.0, g % 12) AS v FROM generate_series(-3000, 3000) g
             UNION ALL SELECT (g::numeric * 10 ^ (g % 40 - 20))::numeric FROM generate_series(1, 2000) g
             UNION ALL SELECT (g || '.' || repeat('0', g % 6))::numeric FROM generate_series(-1000, 1000) g
             UNION ALL SELECT ('0.' || repeat('0', g % 9) || g)::numeric FROM generate_series(1, 1000) g
             UNION ALL SELECT (g::numeric * 123456789012345678901234567890.123) FROM generate_series(-100, 100) g
             UNION ALL SELECT unnest(ARRAY['0', '0.000', '-0.0', '1', '1.0', '1.00000', '-1', '10000', '10000.0000',
               '1e100', '1e-100', '99999999', '0.0001', '0.00010', '12345.6789', 'NaN', 'Infinity', '-Infinity'])::numeric`,
    direct: 'hash_numeric(v)',
  },
  {
    type: 'double precision',
    values: `SELECT (g / 7.0)::float8 AS v FROM generate_series(-3000, 3000) g
             UNION ALL SELECT (g::float8 * 1e15 + 0.5) FROM generate_series(-1000, 1000) g
             UNION ALL SELECT power(2::float8, g) FROM generate_series(-1070, 1020) g
             UNION ALL SELECT -power(3::float8, g % 600 - 300) FROM generate_series(1, 1000) g
             UNION ALL SELECT unnest(ARRAY['0', '-0', 'NaN', 'Infinity', '-Infinity', '1e308', '4.9e-324', '2.2250738585072014e-308',
               '0.1', '-0.1', '1', '-1'])::float8`,
    direct: 'hashfloat8(v)',
  },
  {
    type: 'real',
    values: `SELECT (g / 7.0)::float4 AS v FROM generate_series(-5000, 5000) g
             UNION ALL SELECT power(2::float8, g)::float4 FROM generate_series(-140, 120) g
             UNION ALL SELECT unnest(ARRAY['0', '-0', 'NaN', 'Infinity', '-Infinity', '3.4028235e38', '1e-45', '0.1', '16777217'])::float4`,
    direct: 'hashfloat4(v)',
  },
  {
    type: 'date',
    values: `SELECT '2000-01-01'::date + g * 37 AS v FROM generate_series(-50000, 50000) g WHERE '2000-01-01'::date + g * 37 > '4713-01-01 BC'::date
             UNION ALL SELECT '1970-01-01'::date + g FROM generate_series(-2000, 2000) g
             UNION ALL SELECT unnest(ARRAY['infinity', '-infinity', '4713-01-01 BC', '0001-01-01', '0001-12-31 BC', '5874897-12-31', '2000-02-29'])::date`,
  },
  {
    type: 'timestamp without time zone',
    values: `SELECT '2000-01-01'::timestamp + g * interval '3 days 7 hours 11 minutes 13.123457 seconds' AS v FROM generate_series(-60000, 60000) g
             UNION ALL SELECT '1999-12-31 23:59:59.999999'::timestamp + g * interval '1 microsecond' FROM generate_series(0, 2000) g
             UNION ALL SELECT unnest(ARRAY['infinity', '-infinity', '4713-01-01 00:00:00 BC', '0001-01-01 00:00:00', '294276-12-31 23:59:59.999999',
               '2000-01-01 00:00:00', '1970-01-01 00:00:00.5'])::timestamp`,
    direct: 'timestamp_hash(v)',
  },
  {
    type: 'timestamp with time zone',
    timezone: 'America/New_York',
    values: `SELECT '2000-01-01 00:00:00+00'::timestamptz + g * interval '5 days 3 hours 1.000001 seconds' AS v FROM generate_series(-40000, 40000) g
             UNION ALL SELECT unnest(ARRAY['infinity', '-infinity', '1800-06-01 12:00:00+00', '0044-03-15 12:00:00+00 BC', '2024-03-10 07:30:00+00',
               '2024-11-03 06:30:00+00'])::timestamptz`,
  },
  {
    type: 'timestamptz',
    timezone: 'Asia/Kolkata',
    values: `SELECT '1850-01-01 00:00:00+00'::timestamptz + g * interval '13 days 1 hour 1.5 seconds' AS v FROM generate_series(0, 12000) g`,
  },
  {
    type: 'boolean',
    values: `SELECT (g % 2 = 0) AS v FROM generate_series(1, 10000) g`,
  },
  {
    type: '"char"',
    values: `SELECT chr(1 + g % 127)::"char" AS v FROM generate_series(0, 10000) g
             UNION ALL SELECT ('\\' || lpad(to_char(g, 'FM999'), 3, '0'))::"char" FROM (SELECT (o / 64) * 100 + ((o / 8) % 8) * 10 + o % 8 AS g FROM generate_series(128, 255) o) x
             UNION ALL SELECT ''::"char"`,
    direct: 'hashchar(v)',
  },
  { type: 'oid', values: `SELECT (g::bigint * 429496)::oid AS v FROM generate_series(0, 10000) g`, direct: 'hashoid(v)' },
  { type: 'name', values: `SELECT (md5(g::text) || 'ß')::name AS v FROM generate_series(0, 10000) g`, direct: 'hashname(v)' },
  {
    type: 'bytea',
    values: `SELECT decode(left(repeat(md5(g::text), 2), 2 * (g % 32)), 'hex') AS v FROM generate_series(0, 10000) g`,
  },
  {
    type: 'time without time zone',
    values: `SELECT '00:00'::time + g * interval '8.640001 seconds' AS v FROM generate_series(0, 9999) g
             UNION ALL SELECT unnest(ARRAY['00:00:00', '23:59:59.999999', '24:00:00'])::time`,
    direct: 'time_hash(v)',
  },
];

describe('hashFor against PostgreSQL', () => {
  for (const c of CASES) {
    it(`${c.type}: every value hashes as in PostgreSQL`, async () => {
      const hash = hashFor(c.type);
      expect(hash, `hashFor(${c.type})`).toBeDefined();
      if (c.timezone) await db.client.query(`SET TimeZone = '${c.timezone}'`);
      else await db.client.query(`SET TimeZone = 'UTC'`);
      const sql = `SELECT v::text AS t, ${c.direct ?? 'NULL::int4'} AS d, (hash_array(ARRAY[v])::int8 - 31)::bit(32)::int4 AS h FROM (${c.values}) s(v)`;
      const res = await db.client.query({ text: sql, rowMode: 'array' });
      expect(res.rows.length).toBeGreaterThanOrEqual(c.min ?? 10000);
      const mismatches: string[] = [];
      for (const [text, direct, viaType] of res.rows as Array<[string, number | null, number]>) {
        if (c.direct) expect(direct).toBe(viaType); // the direct function is the type's support function
        const got = hash!(text);
        if (got !== viaType) mismatches.push(`${JSON.stringify(text)}: ${got} != ${viaType}`);
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(mismatches.length).toBe(0);
    });
  }

  it('the values citus-rules.md states', () => {
    const ints: Array<[number, number]> = [
      [1, -1905060026], [2, 1134484726], [5, -1330264708], [42, 1509752520], [-1, 385747274], [1000000, -723906379], [2147483647, -96758253],
    ];
    for (const [v, h] of ints) {
      expect(hashInt4(v)).toBe(h);
      expect(hashInt8(v)).toBe(h);
      expect(hashInt8(BigInt(v))).toBe(h);
      expect(hashFor('bigint')!(String(v))).toBe(h);
    }
    expect(hashInt8(4294967296)).toBe(hashInt8(1));
    const text = hashFor('text')!;
    expect(text('a')).toBe(1075015857);
    expect(text('abc')).toBe(-785388649);
    expect(text('tenant-1')).toBe(-475081847);
    expect(text('')).toBe(-1477818771);
    expect(hashFor('uuid')!('00000000-0000-0000-0000-000000000001')).toBe(-1046387463);
  });

  it('the fast typed variants agree with PostgreSQL', async () => {
    const res = await db.client.query({
      text: `SELECT g::text, hashint4(g::int4), hashint8(g * 1000003::int8) FROM generate_series(-10000, 10000) g`,
      rowMode: 'array',
    });
    for (const [g, h4, h8] of res.rows as Array<[string, number, number]>) {
      expect(hashInt4(Number(g))).toBe(h4);
      expect(hashInt8(Number(g) * 1000003)).toBe(h8);
      expect(hashInt8(BigInt(g) * 1000003n)).toBe(h8);
    }
  });

  it('equal values in other spellings hash alike, as PostgreSQL input reads them', async () => {
    const spellings: Array<[string, string]> = [
      ['numeric', '1.000'], ['numeric', '-0.000'], ['numeric', '1e3'], ['numeric', '+12.50'], ['numeric', '.5'], ['numeric', '5.'],
      ['integer', ' 42 '], ['integer', '+7'], ['bigint', '-0'],
      ['boolean', 'true'], ['boolean', 'yes'], ['boolean', 'off'], ['boolean', '0'],
      ['uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'], ['uuid', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'], ['uuid', 'a0eebc999c0b4ef8bb6d6bb9bd380a11'],
      ['double precision', '1e3'], ['double precision', '-0.0'], ['double precision', 'nan'], ['double precision', '-inf'],
      ['timestamp', '2020-05-06T07:08:09.5'], ['timestamp', '2020-05-06 07:08:09+02'], ['timestamptz', '2020-05-06 07:08:09.25-07:30'],
      ['timestamptz', '2020-05-06T07:08:09Z'], ['timestamptz', '1900-01-01 00:00:00+00:53:28'], ['date', '0010-02-03 BC'], ['date', '2021/1/2'], ['timestamp', '2021/1/2 3:04:05'],
    ];
    await db.client.query(`SET TimeZone = 'UTC'`);
    for (const [type, text] of spellings) {
      const sqlType = type === 'timestamp' ? 'timestamp' : type;
      const r = await db.client.query({ text: `SELECT (hash_array(ARRAY[$1::${sqlType}])::int8 - 31)::bit(32)::int4`, values: [text], rowMode: 'array' });
      expect(hashFor(type)!(text), `${type} ${text}`).toBe(r.rows[0][0]);
    }
  });

  it('knows which types it cannot hash exactly', () => {
    expect(hashFor('jsonb')).toBeUndefined();
    expect(hashFor('public.mood')).toBeUndefined();
    expect(hashabilityOf({ base: 'public.mood', kind: 'enum', arrayDims: 0 })).toEqual({ ok: false, reason: 'node-dependent' });
    expect(hashabilityOf({ base: 'int4', kind: 'base', arrayDims: 1 })).toEqual({ ok: false, reason: 'unsupported' });
    expect(hashabilityOf({ base: 'int8', kind: 'domain', arrayDims: 0 }).ok).toBe(true);
    const tested = new Set(['int2', 'int4', 'int8', 'text', 'varchar', 'bpchar', 'uuid', 'numeric', 'float8', 'float4', 'date', 'timestamp', 'timestamptz', 'bool', 'char', 'oid', 'name', 'bytea', 'time']);
    expect(HASHABLE_TYPES.filter((t) => !tested.has(t))).toEqual([]);
  });

  it('rejects input the type rejects', () => {
    expect(() => hashFor('integer')!('2147483648')).toThrow(/out of range/);
    expect(() => hashFor('integer')!('1.5')).toThrow(/invalid input/);
    expect(() => hashFor('uuid')!('not-a-uuid')).toThrow(/invalid input/);
    expect(() => hashFor('numeric')!('1.2.3')).toThrow(/invalid input/);
    expect(() => hashFor('bigint')!('9223372036854775808')).toThrow(/out of range/);
  });
});
