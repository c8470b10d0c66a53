/** Query facts for each SQL construct, on a small schema written here. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { extractFacts } from '../../src/workload/extract.js';
import type { QueryFacts } from '../../src/workload/model.js';
import { corpusDatasets, readCorpusFile } from '../support/corpus.js';
import { readScript } from '../../src/ingest/pg/index.js';

const SCHEMA = `
CREATE TABLE tenants (id bigint PRIMARY KEY, name text);
CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint REFERENCES tenants, email text, created_at timestamptz);
CREATE TABLE orders (id bigint, tenant_id bigint, user_id bigint, total numeric, status text, PRIMARY KEY (tenant_id, id));
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, tenant_id bigint, order_id bigint, amount numeric);
CREATE VIEW active_users AS SELECT * FROM users WHERE created_at > now() - interval '1 year';
CREATE VIEW tenant_orders AS SELECT o.* FROM orders o JOIN active_users u ON u.id = o.user_id;
CREATE FUNCTION score(bigint) RETURNS int LANGUAGE sql VOLATILE AS 'select 1';
`;

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await readSchema([{ file: 'schema.sql', text: SCHEMA }])).catalog;
});

const f = (sql: string): QueryFacts => extractFacts(catalog, sql);
const joins = (x: QueryFacts): string[] =>
  x.joins.map((j) => `${j.left.table}.${j.left.column}=${j.right.table}.${j.right.column} ${j.joinType}/${j.where}${j.underOr ? '/or' : ''}`);
const filters = (x: QueryFacts): string[] =>
  x.filters.map((c) => `${c.table}.${c.column} ${c.op} ${c.value}${c.values ? ` [${c.values.join(',')}]` : ''}${c.count !== undefined ? ` #${c.count}` : ''}${c.underOr ? ' or' : ''}${c.inSubquery ? ' sub' : ''}`);

describe('resolution', () => {
  it('aliases, and an unqualified column that exists in one table only', () => {
    const x = f('SELECT email FROM users u JOIN orders o ON o.user_id = u.id WHERE status = $1');
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/on']);
    expect(filters(x)).toEqual(['public.orders.status = param']);
    expect(x.unresolved).toEqual([]);
  });

  it('an unqualified column in two tables is ambiguous, not guessed', () => {
    const x = f('SELECT 1 FROM users u, orders o WHERE tenant_id = 5 AND u.id = o.user_id');
    expect(x.unresolved).toEqual([{ column: 'tenant_id', reason: 'ambiguous' }]);
    expect(x.filters).toEqual([]);
  });

  it("system columns are the table's columns: unqualified with one table in scope, or qualified", () => {
    const x = f('SELECT ctid FROM orders WHERE ctid = $1 AND xmin IS NOT NULL');
    expect(filters(x)).toEqual(['public.orders.ctid = param']);
    expect(x.unresolved).toEqual([]);
    const y = f('SELECT 1 FROM users u, orders o WHERE u.ctid = o.ctid');
    expect(joins(y)).toEqual(['public.orders.ctid=public.users.ctid inner/where']);
    expect(y.unresolved).toEqual([]);
  });

  it('unknown columns and relations are reported', () => {
    const x = f('SELECT nope FROM users JOIN ghosts g ON g.x = users.id');
    expect(x.unknownRelations).toEqual(['public.ghosts']);
    expect(x.unresolved).toEqual([
      { column: 'g.x', reason: 'unknown-relation' },
      { column: 'nope', reason: 'unknown-relation' },
    ]);
  });

  it('a CTE maps its columns to base columns', () => {
    const x = f('WITH t AS (SELECT id AS uid, tenant_id FROM users WHERE tenant_id = 7) SELECT * FROM t JOIN orders o ON o.user_id = t.uid');
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/on']);
    expect(filters(x)).toEqual(['public.users.tenant_id = const [7] sub']);
    expect(x.features.ctes).toBe(1);
    expect(x.tablesRead).toEqual(['public.orders', 'public.users']);
  });

  it('a derived table maps through aliases and column aliases', () => {
    const x = f('SELECT * FROM (SELECT user_id, sum(total) FROM orders GROUP BY user_id) AS s(u, t) JOIN users ON users.id = s.u WHERE s.t > 10');
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/on']);
    expect(x.groupBy).toEqual([{ table: 'public.orders', column: 'user_id' }]);
    // s.t is an aggregate: resolved, but to no base column.
    expect(x.filters).toEqual([]);
    expect(x.unresolved).toEqual([]);
    expect(x.features.subqueries).toEqual([{ kind: 'derived', where: 'from', correlated: false, lateral: false, negated: false }]);
  });

  it("a join alias's column list renames the join's columns in order", () => {
    const x = f('SELECT 1 FROM (orders o LEFT JOIN users u ON u.id = o.user_id) AS j(oid, tid) JOIN tenants t ON t.id = j.tid');
    expect(joins(x)).toEqual(['public.orders.tenant_id=public.tenants.id inner/on', 'public.orders.user_id=public.users.id left/on']);
    expect(x.unresolved).toEqual([]);
  });

  it('USING and NATURAL joins', () => {
    expect(joins(f('SELECT tenant_id FROM users JOIN orders USING (tenant_id)'))).toEqual(['public.orders.tenant_id=public.users.tenant_id inner/using']);
    const nat = f('SELECT * FROM orders NATURAL LEFT JOIN users');
    // Common columns: id and tenant_id.
    expect(joins(nat)).toEqual(['public.orders.id=public.users.id left/using', 'public.orders.tenant_id=public.users.tenant_id left/using']);
    expect(nat.unresolved).toEqual([]);
  });

  it('RIGHT JOIN keeps the preserved side', () => {
    expect(joins(f('SELECT 1 FROM users u RIGHT JOIN orders o ON u.id = o.user_id'))).toEqual(['public.orders.user_id=public.users.id left/on']);
    expect(joins(f('SELECT 1 FROM users u FULL JOIN orders o ON u.id = o.user_id'))).toEqual(['public.orders.user_id=public.users.id full/on']);
  });

  it('views resolve to their base tables; their columns are not guessed', () => {
    const x = f('SELECT * FROM tenant_orders WHERE tenant_id = 1');
    expect(x.views).toEqual(['public.tenant_orders']);
    expect(x.tablesRead).toEqual(['public.orders', 'public.users']);
    expect(x.unresolved).toEqual([{ column: 'tenant_id', reason: 'view-column' }]);
  });

  it('schema-qualified names and the search path', () => {
    const x = f('SELECT i.amount FROM billing.invoices i JOIN public.orders o ON o.id = i.order_id AND o.tenant_id = i.tenant_id');
    expect(x.tablesRead).toEqual(['billing.invoices', 'public.orders']);
    expect(joins(x)).toEqual(['billing.invoices.order_id=public.orders.id inner/on', 'billing.invoices.tenant_id=public.orders.tenant_id inner/on']);
    expect(f('SELECT * FROM invoices').unknownRelations).toEqual(['public.invoices']);
    expect(extractFacts(catalog, 'SELECT amount FROM invoices WHERE id = 1', { searchPath: ['billing'] }).filters).toMatchObject([
      { table: 'billing.invoices', column: 'id', op: '=' },
    ]);
    expect(f('SELECT billing.invoices.amount FROM billing.invoices').unresolved).toEqual([]);
  });
});

describe('filters', () => {
  it('IN lists, ANY, BETWEEN and constants from the text', () => {
    const x = f("SELECT 1 FROM orders WHERE tenant_id IN (3, 1, 2) AND status = ANY($1) AND total BETWEEN 1 AND 5 AND id = -4 AND status <> 'x'");
    expect(filters(x).sort()).toEqual([
      'public.orders.id = const [-4]',
      'public.orders.status in param',
      'public.orders.status other const [x]',
      'public.orders.tenant_id in const [1,2,3] #3',
      'public.orders.total range const [1,5]',
    ]);
  });

  it('an OR with FALSE is its other arm, as PostgreSQL folds it', () => {
    expect(joins(f('SELECT 1 FROM orders o, users u WHERE o.user_id = u.id OR FALSE'))).toEqual(['public.orders.user_id=public.users.id inner/where']);
    expect(filters(f('SELECT 1 FROM orders o WHERE FALSE OR o.tenant_id = 1 OR false'))).toEqual(['public.orders.tenant_id = const [1]']);
  });

  it('OR marks filters and joins as not always holding; NOT IN is not an equality', () => {
    const x = f('SELECT 1 FROM orders o, users u WHERE o.user_id = u.id AND (o.tenant_id = 1 OR u.tenant_id = 2) AND o.id NOT IN (1, 2)');
    expect(filters(x)).toEqual(['public.orders.id other const [1,2] #2', 'public.orders.tenant_id = const [1] or', 'public.users.tenant_id = const [2] or']);
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/where']);
  });

  it('params, casts and expressions', () => {
    const x = f("SELECT 1 FROM users WHERE id = $1::bigint AND created_at > '2020-01-01'::date AND tenant_id = id + 1");
    expect(filters(x)).toEqual(['public.users.created_at range const [2020-01-01]', 'public.users.id = param', 'public.users.tenant_id = expr']);
  });
});

describe('subqueries', () => {
  it('correlated EXISTS is a semi-join; uncorrelated IN is a semi-join on the selected column', () => {
    const x = f('SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.tenant_id = u.tenant_id) AND u.tenant_id IN (SELECT id FROM tenants)');
    expect(joins(x)).toEqual([
      'public.orders.tenant_id=public.users.tenant_id semi/subquery',
      'public.orders.user_id=public.users.id semi/subquery',
      'public.tenants.id=public.users.tenant_id semi/subquery',
    ]);
    expect(x.features.subqueries).toEqual([
      { kind: 'exists', where: 'where', correlated: true, lateral: false, negated: false },
      { kind: 'in', where: 'where', correlated: false, lateral: false, negated: false },
    ]);
  });

  it('NOT EXISTS is an anti-join; a scalar subquery in the select list', () => {
    const x = f('SELECT (SELECT count(*) FROM orders o WHERE o.user_id = u.id) FROM users u WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id)');
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/subquery', 'public.tenants.id=public.users.tenant_id anti/subquery']);
    expect(x.features.subqueries.map((s) => `${s.kind}/${s.where}/${s.correlated}/${s.negated}`)).toEqual(['exists/where/true/true', 'scalar/select/true/false']);
  });

  it('LATERAL correlated on a column', () => {
    const x = f('SELECT * FROM users u, LATERAL (SELECT total FROM orders o WHERE o.user_id = u.id ORDER BY total DESC LIMIT 1) t');
    expect(x.features.lateral).toBe(true);
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/subquery']);
    expect(x.features.subqueries).toEqual([{ kind: 'derived', where: 'from', correlated: true, lateral: true, negated: false }]);
    expect(x.features.cartesian).toEqual([]);
  });

  it('a recursive CTE', () => {
    const x = f('WITH RECURSIVE r AS (SELECT id, tenant_id FROM users WHERE id = 1 UNION ALL SELECT u.id, u.tenant_id FROM users u JOIN r ON u.tenant_id = r.id) SELECT * FROM r');
    expect(x.features.recursiveCte).toBe(true);
    expect(x.features.setOperations).toEqual(['union all']);
    expect(joins(x)).toEqual(['public.users.id=public.users.tenant_id inner/on']);
    expect(x.unresolved).toEqual([]);
  });
});

describe('features', () => {
  it('cartesian products between tables with no join condition', () => {
    expect(f('SELECT 1 FROM users, orders').features.cartesian).toEqual([['public.orders', 'public.users']]);
    expect(f('SELECT 1 FROM users CROSS JOIN tenants WHERE users.tenant_id > tenants.id').features.cartesian).toEqual([]);
    expect(f('SELECT 1 FROM users u, orders o WHERE u.id = o.user_id').features.cartesian).toEqual([]);
  });

  it('grouping sets, windows, distinct, set operations, locking, tablesample', () => {
    const x = f(
      'SELECT DISTINCT tenant_id, row_number() OVER (PARTITION BY tenant_id ORDER BY created_at) FROM users TABLESAMPLE SYSTEM (1) GROUP BY ROLLUP (tenant_id), id ' +
        'UNION SELECT id, 1 FROM tenants EXCEPT SELECT 1, 1 ORDER BY 1 OFFSET 3',
    );
    expect(x.features.groupingSets).toBe(true);
    expect(x.features.windowFunctions).toBe(true);
    expect(x.features.tablesample).toBe(true);
    expect(x.features.setOperations).toEqual(['except', 'union']);
    expect(x.features.offset).toBe(true);
    expect(x.partitionBy).toEqual([{ table: 'public.users', column: 'tenant_id' }]);
    expect(x.distinct).toEqual([{ table: 'public.users', column: 'tenant_id' }]);
    expect(x.groupBy).toEqual([{ table: 'public.users', column: 'id' }]);
    expect(f('SELECT * FROM users WHERE id = 1 FOR SHARE').features.locking).toEqual(['for share']);
  });
});

describe('writes', () => {
  it('INSERT ... VALUES: value per column, constants, ON CONFLICT, RETURNING', () => {
    const x = f("INSERT INTO orders (tenant_id, id, status) VALUES (1, $1, 'new'), (2, nextval('s'), DEFAULT) ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status RETURNING id");
    expect(x.write).toEqual({
      target: 'public.orders',
      targetKnown: true,
      columns: ['id', 'status', 'tenant_id'],
      values: [
        { column: 'id', value: 'mixed' },
        { column: 'status', value: 'mixed', constants: ['new'] },
        { column: 'tenant_id', value: 'const', constants: ['1', '2'] },
      ],
      rows: 2,
      onConflict: { action: 'update', columns: ['tenant_id', 'id'], set: ['status'], unchanged: ['status'] },
    });
    expect(x.functions).toContainEqual({ name: 'pg_catalog.nextval', volatility: 'volatile', where: 'values', inCaseOrCoalesce: false, columnArgs: false, aggregate: false, window: false });
    expect(x.features.returning).toBe(true);
  });

  it('INSERT without a column list sets every column', () => {
    expect(f('INSERT INTO tenants VALUES (1, $1)').write?.columns).toEqual(['id', 'name']);
  });

  it('INSERT ... SELECT maps target columns to source columns', () => {
    const x = f('INSERT INTO billing.invoices (id, tenant_id, order_id, amount) SELECT id * 10, tenant_id, id, total FROM orders WHERE tenant_id = $1');
    expect(x.tablesRead).toEqual(['public.orders']);
    expect(x.tablesWritten).toEqual(['billing.invoices']);
    expect(x.write?.select).toEqual({
      tables: ['public.orders'],
      columns: [
        { column: 'id' },
        { column: 'tenant_id', source: { table: 'public.orders', column: 'tenant_id' } },
        { column: 'order_id', source: { table: 'public.orders', column: 'id' } },
        { column: 'amount', source: { table: 'public.orders', column: 'total' } },
      ],
    });
    expect(filters(x)).toEqual(['public.orders.tenant_id = param']);
  });

  it('UPDATE ... FROM joins the target to the FROM list', () => {
    const x = f("UPDATE orders o SET status = 'paid', total = i.amount FROM billing.invoices i WHERE i.order_id = o.id AND i.tenant_id = o.tenant_id AND o.tenant_id = 4");
    expect(x.kind).toBe('update');
    expect(x.write?.columns).toEqual(['status', 'total']);
    expect(x.tablesRead).toEqual(['billing.invoices']);
    expect(joins(x)).toEqual(['billing.invoices.order_id=public.orders.id inner/where', 'billing.invoices.tenant_id=public.orders.tenant_id inner/where']);
    expect(filters(x)).toEqual(['public.orders.tenant_id = const [4]']);
  });

  it('DELETE ... USING', () => {
    const x = f('DELETE FROM orders USING users WHERE users.id = orders.user_id AND users.email = $1');
    expect(x.tablesWritten).toEqual(['public.orders']);
    expect(joins(x)).toEqual(['public.orders.user_id=public.users.id inner/where']);
    expect(filters(x)).toEqual(['public.users.email = param']);
  });

  it('volatile and stable functions, by clause, in CASE/COALESCE', () => {
    const x = f('UPDATE users SET email = CASE WHEN random() > 0.5 THEN email END, created_at = now() WHERE id = score(tenant_id) RETURNING clock_timestamp()');
    const fn = x.functions.map((c) => `${c.name} ${c.volatility} ${c.where}${c.inCaseOrCoalesce ? ' case' : ''}${c.columnArgs ? ' cols' : ''}`);
    expect(fn).toEqual([
      'pg_catalog.clock_timestamp volatile returning',
      'pg_catalog.now stable set',
      'pg_catalog.random volatile set case',
      'public.score volatile where cols',
    ]);
    expect(filters(x)).toEqual(['public.users.id = expr']);
  });

  it('a subquery in VALUES is flagged', () => {
    expect(f('INSERT INTO users (id, tenant_id) VALUES (1, (SELECT id FROM tenants LIMIT 1))').features.sublinkInValues).toBe(true);
  });

  it('MERGE', () => {
    const x = f('MERGE INTO orders o USING billing.invoices i ON o.id = i.order_id WHEN MATCHED THEN UPDATE SET total = i.amount WHEN NOT MATCHED THEN INSERT (id, tenant_id) VALUES (i.order_id, i.tenant_id)');
    expect(x.kind).toBe('merge');
    expect(x.tablesWritten).toEqual(['public.orders']);
    expect(x.write?.columns).toEqual(['id', 'tenant_id', 'total']);
    expect(joins(x)).toEqual(['billing.invoices.order_id=public.orders.id inner/on']);
  });
});

describe('determinism', () => {
  it('the same statement gives byte-identical JSON', () => {
    const sql = 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id AND o.tenant_id = u.tenant_id WHERE u.tenant_id IN (2, 1) ORDER BY o.total';
    expect(JSON.stringify(f(sql))).toBe(JSON.stringify(f(sql)));
  });
});

describe('every corpus workload', () => {
  for (const ds of corpusDatasets().filter((d) => d.queriesPath)) {
    it(`${ds.name}: every statement gives facts`, async () => {
      const { catalog: c } = await readSchema([{ file: 'schema.sql', text: readCorpusFile(ds.schemaPath) }]);
      const script = readScript('queries.sql', readCorpusFile(ds.queriesPath!));
      let n = 0;
      for (const s of script.statements) {
        if (!s.node) continue;
        const x = extractFacts(c, s);
        for (const u of x.unresolved) expect(typeof u.column).toBe('string');
        n++;
      }
      expect(n).toBeGreaterThan(0);
    });
  }
});
