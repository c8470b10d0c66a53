import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../../src/design/model.js';
import { hashFor, hashInt4, hashInt8 } from '../../src/simulate/hash/index.js';
import { buildTopology, findRangeIndex, shardForHash, shardIndexForHash, shardRanges, sortedNodes } from '../../src/simulate/shards.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('shards');
});
afterAll(async () => {
  await db?.drop();
});

describe('shard ranges', () => {
  it('are the ranges citus-rules.md states', () => {
    const r32 = shardRanges(32);
    expect(r32[0]).toEqual({ min: -2147483648, max: -2013265921 });
    expect(r32[1]).toEqual({ min: -2013265920, max: -1879048193 });
    expect(r32[31]).toEqual({ min: 2013265920, max: 2147483647 });
    expect(shardRanges(3)).toEqual([
      { min: -2147483648, max: -715827884 },
      { min: -715827883, max: 715827881 },
      { min: 715827882, max: 2147483647 },
    ]);
    const r7 = shardRanges(7);
    expect(r7[0].max).toBe(-1533916893);
    expect(r7[6]).toEqual({ min: 1533916888, max: 2147483647 });
  });

  it('equal the ranges PostgreSQL computes with 64-bit integer arithmetic, for 1, 2, 3, 4, 7, 32, 64 and more shards', async () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 16, 31, 32, 33, 48, 64, 100, 127, 128, 1000]) {
      const res = await db.client.query({
        text: `SELECT -2147483648 + i * (4294967296 / $1::int8) AS lo,
                      CASE WHEN i = $1 - 1 THEN 2147483647 ELSE -2147483648 + (i + 1) * (4294967296 / $1::int8) - 1 END AS hi
               FROM generate_series(0, $1 - 1) i ORDER BY i`,
        values: [n],
        rowMode: 'array',
      });
      const expected = (res.rows as Array<[string, string]>).map(([lo, hi]) => ({ min: Number(lo), max: Number(hi) }));
      expect(shardRanges(n), `${n} shards`).toEqual(expected);
    }
  });

  it('cover the int32 space without gap or overlap', () => {
    for (const n of [1, 2, 3, 7, 32, 64, 4097]) {
      const r = shardRanges(n);
      expect(r[0].min).toBe(-2147483648);
      expect(r[n - 1].max).toBe(2147483647);
      for (let i = 1; i < n; i++) expect(r[i].min).toBe(r[i - 1].max + 1);
    }
  });
});

describe('shard index', () => {
  it('holds for the examples in citus-rules.md', () => {
    const table: Array<[number, number, number, number, number]> = [
      [1, -1905060026, 1, 0, 0],
      [2, 1134484726, 24, 3, 5],
      [5, -1330264708, 6, 0, 1],
      [42, 1509752520, 27, 3, 5],
      [-1, 385747274, 18, 2, 4],
      [1000000, -723906379, 10, 1, 2],
      [2147483647, -96758253, 15, 1, 3],
    ];
    for (const [v, h, i32, i4, i7] of table) {
      expect(hashInt4(v)).toBe(h);
      expect(shardIndexForHash(h, 32)).toBe(i32);
      expect(shardIndexForHash(h, 4)).toBe(i4);
      expect(shardIndexForHash(h, 7)).toBe(i7);
      expect(shardIndexForHash(hashInt8(v), 32)).toBe(i32);
    }
    const text = hashFor('text')!;
    expect(shardIndexForHash(text('a'), 32)).toBe(24);
    expect(shardIndexForHash(text('abc'), 32)).toBe(10);
    expect(shardIndexForHash(text('tenant-1'), 32)).toBe(12);
    expect(shardIndexForHash(text(''), 32)).toBe(4);
    expect(shardIndexForHash(hashFor('uuid')!('00000000-0000-0000-0000-000000000001'), 32)).toBe(8);
  });

  it('agrees with a range lookup in PostgreSQL for 20,000 hashes and every tested shard count', async () => {
    for (const n of [1, 3, 7, 32, 64, 100]) {
      const res = await db.client.query({
        text: `WITH r AS MATERIALIZED (SELECT i, -2147483648 + i * (4294967296 / $1::int8) AS lo,
                                 CASE WHEN i = $1 - 1 THEN 2147483647 ELSE -2147483648 + (i + 1) * (4294967296 / $1::int8) - 1 END AS hi
                          FROM generate_series(0, $1 - 1) i)
               SELECT h, r.i FROM (
                 SELECT hashint4(g) AS h FROM generate_series(-10000, 9995) g
                 UNION ALL SELECT unnest(ARRAY[-2147483648, 2147483647, -1, 0])) s JOIN r ON h BETWEEN r.lo AND r.hi`,
        values: [n],
        rowMode: 'array',
      });
      const ranges = shardRanges(n);
      expect(res.rows.length).toBe(20000);
      for (const [h, idx] of res.rows as Array<[number, number]>) {
        expect(shardIndexForHash(h, n)).toBe(idx);
        expect(findRangeIndex(ranges, h)).toBe(idx);
      }
    }
  });
});

describe('topology', () => {
  const design: Design = {
    citus: '14.0',
    shardCount: 4,
    tables: {
      'public.events': { kind: 'distributed', column: 'device_id', colocateWith: 'public.devices' },
      'public.devices': { kind: 'distributed', column: 'device_id' },
      'public.device_types': { kind: 'reference' },
      'public.users_auth': { kind: 'local' },
      'app.settings': { kind: 'single-shard' },
      'public.big': { kind: 'distributed', column: 'id', shardCount: 3 },
    },
  };

  it('numbers shards from 102008 in creation order, colocated tables after their source', () => {
    const t = buildTopology(design, { nodes: 2 });
    expect(t.nodes.map((n) => n.id)).toEqual(['worker-1:5432', 'worker-2:5432']);
    expect(t.tables.map((x) => x.key)).toEqual(['public.devices', 'public.events', 'public.device_types', 'app.settings', 'public.big']);
    const ids = t.tables.flatMap((x) => x.shards.map((s) => s.shardId));
    expect(ids).toEqual(Array.from({ length: 4 + 4 + 1 + 1 + 3 }, (_, i) => 102008 + i));
    const devices = t.tables[0];
    expect(devices.shards.map((s) => s.name)).toEqual(['devices_102008', 'devices_102009', 'devices_102010', 'devices_102011']);
    expect(devices.shards.map((s) => s.placements)).toEqual([['worker-1:5432'], ['worker-2:5432'], ['worker-1:5432'], ['worker-2:5432']]);
    const events = t.tables[1];
    expect(events.colocatedWith).toBe('public.devices');
    expect(events.colocationId).toBe(devices.colocationId);
    expect(events.shards.map((s) => s.range)).toEqual(devices.shards.map((s) => s.range));
    expect(events.shards.map((s) => s.placements)).toEqual(devices.shards.map((s) => s.placements));
    expect(t.tables[2].shards[0].placements).toEqual(['worker-1:5432', 'worker-2:5432']);
    const settings = t.tables[3];
    expect(settings.shards[0].key).toBe('app.settings_102017');
    expect(settings.shards[0].placements).toEqual([t.nodes[settings.colocationId % 2].id]);
    expect(t.tables[4].shards.map((s) => s.range)).toEqual(shardRanges(3));
    expect(t.tables.some((x) => x.key === 'public.users_auth')).toBe(false);
  });

  it('places shard i on nodes[i % n] with nodes sorted by name (strcmp) then port', () => {
    const nodes = sortedNodes([
      { name: 'worker-2', port: 5432 },
      { name: 'worker-10', port: 5432 },
      { name: '127.0.0.1', port: 9702 },
      { name: '127.0.0.1', port: 9701 },
    ]);
    expect(nodes.map((n) => n.id)).toEqual(['127.0.0.1:9701', '127.0.0.1:9702', 'worker-10:5432', 'worker-2:5432']);
    const t = buildTopology({ citus: '14.0', shardCount: 6, tables: { 'public.t': { kind: 'distributed', column: 'id' } } }, { nodes: [...nodes] });
    expect(t.tables[0].shards.map((s) => s.placements[0])).toEqual([
      '127.0.0.1:9701', '127.0.0.1:9702', 'worker-10:5432', 'worker-2:5432', '127.0.0.1:9701', '127.0.0.1:9702',
    ]);
  });

  it('routes a hash to the shard whose range holds it', () => {
    const t = buildTopology(design, { nodes: 3, shardCount: 32, order: ['public.devices', 'public.events'] });
    const devices = t.tables[0];
    for (let v = -500; v < 500; v++) {
      const h = hashInt4(v);
      const s = shardForHash(devices, h);
      expect(h).toBeGreaterThanOrEqual(s.range!.min);
      expect(h).toBeLessThanOrEqual(s.range!.max);
    }
    expect(shardForHash(devices, hashInt4(1)).index).toBe(1);
  });
});
