/** Workload profile shares and the text report, on a workload whose shares are computed here by hand. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import type { WorkloadQuery } from '../../src/ingest/workload/model.js';
import { renderWorkloadProfile } from '../../src/report/workload.js';
import { analyzeWorkload } from '../../src/workload/extract.js';
import { profileWorkload } from '../../src/workload/profile.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = (
    await readSchema([
      {
        file: 'schema.sql',
        text: 'CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint); CREATE TABLE orders (id bigint, tenant_id bigint, user_id bigint);',
      },
    ])
  ).catalog;
});

function q(id: string, sql: string, weight: number, sample = sql): WorkloadQuery {
  return { id, fingerprint: id, sql, sample, weight, calls: weight, sources: [{ file: 'w.sql', line: 1, column: 1 }] };
}

describe('workload profile', () => {
  it('weights each use once per query', () => {
    const w = analyzeWorkload(catalog, [
      // weight 3: equality on orders.tenant_id and orders.id (router potential)
      q('a', 'SELECT * FROM orders WHERE tenant_id = $1 AND id = $2 AND id = $3', 3),
      // weight 1: join users.id = orders.user_id, group by users.tenant_id, orders.tenant_id under OR
      q('b', 'SELECT u.tenant_id, count(*) FROM users u JOIN orders o ON o.user_id = u.id WHERE o.tenant_id = $1 OR o.tenant_id = $2 GROUP BY u.tenant_id', 1),
      // weight 4: a range only
      q('c', 'SELECT 1 FROM users WHERE id > $1', 4),
    ]);
    expect(w.diagnostics).toEqual([]);
    const p = profileWorkload(w);
    expect(p.totalWeight).toBe(8);
    const row = (t: string, c: string) => p.columns.find((x) => x.table === `public.${t}` && x.column === c);
    expect(row('orders', 'tenant_id')).toMatchObject({ equality: 3 / 8, filter: 4 / 8, join: 0, group: 0 });
    expect(row('orders', 'id')).toMatchObject({ equality: 3 / 8, filter: 3 / 8, queries: { equality: 1, filter: 1, join: 0, group: 0 } });
    expect(row('orders', 'user_id')).toMatchObject({ join: 1 / 8, equality: 0 });
    expect(row('users', 'id')).toMatchObject({ join: 1 / 8, filter: 4 / 8, equality: 0 });
    expect(row('users', 'tenant_id')).toMatchObject({ group: 1 / 8, join: 0 });
    expect(p.columns.map((c) => `${c.table}.${c.column}`)).toEqual([
      'public.orders.id',
      'public.orders.tenant_id',
      'public.orders.user_id',
      'public.users.id',
      'public.users.tenant_id',
    ]);
  });

  it('renders a plain table without colour', () => {
    const w = analyzeWorkload(catalog, [q('a', 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.tenant_id = $1', 1), q('b', 'SELECT 1', 3)]);
    expect(renderWorkloadProfile(profileWorkload(w), { color: false })).toBe(
      [
        // first column 16 wide ('orders.tenant_id'), then 2 spaces before each right-aligned column of width 5, 8, 8
        `column${' '.repeat(10)}  ${' '.repeat(1)}join  filter =  group-by`,
        `orders.tenant_id  ${' '.repeat(4)}-  ${' '.repeat(3)}25.0%  ${' '.repeat(7)}-`,
        `orders.user_id${' '.repeat(2)}  25.0%  ${' '.repeat(7)}-  ${' '.repeat(7)}-`,
        `users.id${' '.repeat(8)}  25.0%  ${' '.repeat(7)}-  ${' '.repeat(7)}-`,
        '2 queries, total weight 4',
        '',
      ].join('\n'),
    );
  });

  it('lists the queries with unknown relations or unresolved columns, the heaviest first', () => {
    const w = analyzeWorkload(catalog, [
      q('ok', 'SELECT * FROM orders WHERE tenant_id = $1', 5),
      q('gone', 'SELECT x.a FROM missing x JOIN users u ON u.id = x.user_id', 2),
      q('typo', 'SELECT nme, tenant_id FROM users JOIN orders ON orders.user_id = users.id', 3),
    ]);
    const p = profileWorkload(w);
    expect(p.unresolved).toEqual([
      {
        id: 'typo',
        location: { file: 'w.sql', line: 1, column: 1 },
        weight: 3,
        relations: [],
        columns: [
          { column: 'nme', reason: 'unknown-column' },
          { column: 'tenant_id', reason: 'ambiguous' },
        ],
      },
      {
        id: 'gone',
        location: { file: 'w.sql', line: 1, column: 1 },
        weight: 2,
        relations: ['public.missing'],
        columns: [
          { column: 'x.a', reason: 'unknown-relation' },
          { column: 'x.user_id', reason: 'unknown-relation' },
        ],
      },
    ]);
    // in the JSON profile as they are
    expect(JSON.parse(JSON.stringify(p)).unresolved).toHaveLength(2);
    const text = renderWorkloadProfile(p, { color: false });
    expect(text.split('\n').slice(-4)).toEqual([
      'not resolved (2 of 3 queries): their uses of these names count nowhere above',
      '  w.sql:1:1  typo: column tenant_id (ambiguous); column nme (no such column)',
      '  w.sql:1:1  gone: unknown relation public.missing; columns x.a, x.user_id (relation not known)',
      '',
    ]);
  });

  it('caps the list of unresolved queries and counts the rest; shows labels', () => {
    const queries = Array.from({ length: 4 }, (_, i) => ({ ...q(`u${i}`, `SELECT c${i} FROM users`, 4 - i), label: `L${i}` }));
    const text = renderWorkloadProfile(profileWorkload(analyzeWorkload(catalog, queries)), { color: false, unresolved: 2 });
    expect(text.split('\n').slice(-5)).toEqual([
      'not resolved (4 of 4 queries): their uses of these names count nowhere above',
      '  w.sql:1:1  u0 [L0]: column c0 (no such column)',
      '  w.sql:1:1  u1 [L1]: column c1 (no such column)',
      '  and 2 more (all of them in --format json)',
      '',
    ]);
  });

  it('uses the sample (real values) for constants, and reports SQL that does not parse', () => {
    const w = analyzeWorkload(catalog, [q('a', 'SELECT 1 FROM users WHERE id = $1', 1, 'SELECT 1 FROM users WHERE id = 42'), q('bad', 'SELEC 1', 1)]);
    expect(w.queries).toHaveLength(1);
    expect(w.queries[0].facts.filters[0]).toMatchObject({ column: 'id', value: 'const', values: ['42'] });
    expect(w.diagnostics.map((d) => d.code)).toEqual(['syntax-error']);
  });
});
