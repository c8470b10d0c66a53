/**
 * Unqualified names in a workload resolve with the search_path the workload
 * set: a schema whose tables live in `app` and a workload that does
 * `SET search_path = app` touch app's tables, through the whole pipeline.
 */
import { describe, expect, it } from 'vitest';
import { loadInputs } from '../../src/cli/pipeline.js';
import { readSchema } from '../../src/catalog/index.js';
import type { WorkloadQuery } from '../../src/ingest/workload/model.js';
import { analyzeWorkload } from '../../src/workload/extract.js';
import type { AnalyzedQuery } from '../../src/workload/model.js';
import { profileWorkload } from '../../src/workload/profile.js';
import { renderWorkloadProfile } from '../../src/report/workload.js';

const FIXTURES = 'test/fixtures/workload';
const cwd = process.cwd();

function q(id: string, sql: string, searchPath?: string[]): WorkloadQuery {
  return { id, fingerprint: id, sql, sample: sql, weight: 1, calls: 1, sources: [{ file: 'w.sql', line: 1, column: 1 }], ...(searchPath ? { searchPath } : {}) };
}

function find(queries: AnalyzedQuery[], sql: string): AnalyzedQuery {
  const found = queries.find((x) => x.query.sql === sql);
  if (!found) throw new Error(`no query ${sql}; have:\n${queries.map((x) => x.query.sql).join('\n')}`);
  return found;
}

describe('SET search_path in a workload', () => {
  it('resolves the queries after it in the schema it names (schema and workload files, as the CLI reads them)', async () => {
    const a = await loadInputs({ schema: [`${FIXTURES}/app-schema.sql`], workload: [`${FIXTURES}/search-path.sql`], cwd });
    const qs = a.workload!.queries;
    expect(a.workload!.diagnostics).toEqual([]);
    // the session statements are not queries
    expect(qs.map((x) => x.query.sql).filter((s) => /^(SET|SHOW|RESET)\b|set_config/i.test(s))).toEqual([]);

    const orders = find(qs, 'SELECT * FROM orders WHERE account_id = $1').facts;
    expect(orders.tablesRead).toEqual(['app.orders']);
    expect(orders.unknownRelations).toEqual([]);
    expect(orders.filters).toMatchObject([{ table: 'app.orders', column: 'account_id', op: '=', values: ['3'] }]);

    const join = find(qs, 'SELECT name FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.id = $1').facts;
    expect(join.tablesRead).toEqual(['app.accounts', 'app.orders']);
    expect(join.joins).toMatchObject([{ left: { table: 'app.accounts', column: 'id' }, right: { table: 'app.orders', column: 'account_id' } }]);

    // after RESET search_path: the default path, and public has no orders (public.audit_log keeps the single-schema guess off)
    const reset = find(qs, 'SELECT count(*) FROM orders WHERE account_id = $1').facts;
    expect(reset.tablesRead).toEqual([]);
    expect(reset.unknownRelations).toEqual(['public.orders']);

    // set_config('search_path', 'app, public', false): both schemas
    expect(find(qs, 'SELECT count(*) FROM orders o JOIN audit_log l ON l.id = o.id').facts.tablesRead).toEqual(['app.orders', 'public.audit_log']);
    expect(a.workload!.assumedSchema).toBeUndefined();
  });

  it('a view of the schema, under the search path: its columns are base columns', async () => {
    const a = await loadInputs({ schema: [`${FIXTURES}/app-schema.sql`], workload: [`${FIXTURES}/search-path.sql`], cwd });
    const f = find(a.workload!.queries, 'SELECT account_id FROM big_orders WHERE order_id = $1').facts;
    expect(f.views).toEqual(['app.big_orders']);
    expect(f.tablesRead).toEqual(['app.orders']);
    expect(f.unresolved).toEqual([]);
    expect(f.filters).toMatchObject([{ table: 'app.orders', column: 'id', op: '=' }]);
    // a computed output column of the view is resolved, but to no base column
    const doubled = find(a.workload!.queries, 'SELECT doubled FROM big_orders WHERE account_id = $1').facts;
    expect(doubled.unresolved).toEqual([]);
    expect(doubled.filters).toMatchObject([{ table: 'app.orders', column: 'account_id' }]);
  });

  it('a view the workload creates: known, read through, created in the first schema of its path', async () => {
    const a = await loadInputs({ schema: [`${FIXTURES}/app-schema.sql`], workload: [`${FIXTURES}/search-path.sql`], cwd });
    const f = find(a.workload!.queries, 'SELECT a.name FROM recent_orders r JOIN accounts a ON a.id = r.account_id WHERE r.order_no = $1').facts;
    expect(f.views).toEqual(['app.recent_orders']);
    expect(f.unknownRelations).toEqual([]);
    expect(f.unresolved).toEqual([]);
    expect(f.tablesRead).toEqual(['app.accounts', 'app.orders']);
    expect(f.joins).toMatchObject([{ left: { table: 'app.accounts', column: 'id' }, right: { table: 'app.orders', column: 'account_id' } }]);
    expect(f.filters).toMatchObject([{ table: 'app.orders', column: 'id', op: '=', values: ['7'] }]);
  });

  it('the profile lists what did not resolve', async () => {
    const a = await loadInputs({ schema: [`${FIXTURES}/app-schema.sql`], workload: [`${FIXTURES}/search-path.sql`], cwd });
    expect(profileWorkload(a.workload!).unresolved).toEqual([
      {
        id: expect.stringMatching(/:orders$/),
        location: { file: `${FIXTURES}/search-path.sql`, line: 20, column: 1 },
        label: 'back to the default: public has no orders',
        weight: 1,
        relations: ['public.orders'],
        columns: [{ column: 'account_id', reason: 'unknown-relation' }],
      },
    ]);
  });
});

describe('search path of a query', () => {
  const schema = `
    CREATE SCHEMA app; CREATE SCHEMA billing;
    CREATE TABLE public.items (id bigint, name text);
    CREATE TABLE app.orders (id bigint, item_id bigint);
    CREATE TABLE billing.orders (id bigint, invoice_id bigint);
    CREATE FUNCTION billing.tax(numeric) RETURNS numeric IMMUTABLE LANGUAGE sql AS 'SELECT $1';`;

  it('each query with its own path; the default path is public', async () => {
    const { catalog } = await readSchema([{ file: 's.sql', text: schema }]);
    const w = analyzeWorkload(catalog, [
      q('a', 'SELECT * FROM orders WHERE id = 1', ['app']),
      q('b', 'SELECT * FROM orders WHERE invoice_id = 1', ['billing', 'public']),
      q('c', 'SELECT * FROM orders JOIN items ON items.id = orders.id', ['$user', 'billing', 'public']),
      q('d', 'SELECT * FROM orders'),
      q('e', 'SELECT tax(1) FROM items', ['billing', 'public']),
    ]);
    const by = Object.fromEntries(w.queries.map((x) => [x.query.id, x.facts]));
    expect(by.a.tablesRead).toEqual(['app.orders']);
    expect(by.b.tablesRead).toEqual(['billing.orders']);
    expect(by.b.unresolved).toEqual([]);
    expect(by.c.tablesRead).toEqual(['billing.orders', 'public.items']);
    expect(by.d.unknownRelations).toEqual(['public.orders']);
    expect(by.e.functions.map((f) => [f.name, f.volatility])).toEqual([['billing.tax', 'immutable']]);
    expect(w.assumedSchema).toBeUndefined();
  });

  it('every table in one schema other than public: unqualified names resolve there, unless the query set its path', async () => {
    const { catalog } = await readSchema([{ file: 's.sql', text: 'CREATE SCHEMA app; SET search_path = app; CREATE TABLE orders (id bigint); CREATE TABLE items (id bigint);' }]);
    const w = analyzeWorkload(catalog, [q('a', 'SELECT * FROM orders o JOIN items i ON i.id = o.id'), q('b', 'SELECT * FROM items', ['other'])]);
    const by = Object.fromEntries(w.queries.map((x) => [x.query.id, x.facts]));
    expect(by.a.tablesRead).toEqual(['app.items', 'app.orders']);
    expect(by.a.joins).toHaveLength(1);
    expect(by.b.unknownRelations).toEqual(['other.items']);
    expect(w.assumedSchema).toBe('app');
    expect(profileWorkload(w).assumedSchema).toBe('app');
    expect(renderWorkloadProfile(profileWorkload(w), { color: false })).toContain('unqualified names resolved in schema app: every table is there and no SET search_path said otherwise');
    // an explicit search path in the options turns the guess off
    expect(analyzeWorkload(catalog, [q('a', 'SELECT * FROM orders')], { searchPath: ['public'] }).queries[0].facts.unknownRelations).toEqual(['public.orders']);
  });
});
