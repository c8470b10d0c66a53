/** Columns resolved through views: a plain output column of a view's query is the base column it shows. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/index.js';
import { readSchema } from '../../src/catalog/index.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { extractFacts } from '../../src/workload/extract.js';
import type { QueryFacts } from '../../src/workload/model.js';
import { schemaViewDefinitions, statementViewDefinitions, workloadViewDefinitions, type ViewDefinition } from '../../src/workload/views.js';

const SCHEMA = `
CREATE TABLE customers (id bigint PRIMARY KEY, tenant_id bigint, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id bigint, customer_id bigint, total numeric);
CREATE VIEW customer_orders AS
  SELECT c.tenant_id, c.id AS customer_id, o.id AS order_id, o.total * 1.2 AS gross
  FROM customers c JOIN orders o ON o.customer_id = c.id AND o.tenant_id = c.tenant_id;
CREATE VIEW renamed (t, cid) AS SELECT tenant_id, id FROM customers;
CREATE VIEW big_customer_orders AS SELECT * FROM customer_orders WHERE gross > 1000;
CREATE VIEW all_ids AS SELECT tenant_id, id FROM customers UNION ALL SELECT tenant_id, id FROM orders;
CREATE VIEW same_ids AS SELECT tenant_id FROM customers UNION SELECT tenant_id FROM customers;
CREATE MATERIALIZED VIEW totals AS SELECT tenant_id, sum(total) AS total FROM orders GROUP BY tenant_id;
CREATE SCHEMA rep;
SET search_path = rep, public;
CREATE VIEW tenants AS SELECT DISTINCT tenant_id FROM customers;
`;

let catalog: Catalog;
let views: ViewDefinition[];
const f = (sql: string, withViews = true): QueryFacts => extractFacts(catalog, sql, withViews ? { views } : {});

beforeAll(async () => {
  const r = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
  catalog = r.catalog;
  views = schemaViewDefinitions(catalog, r.scripts);
});

describe('views of the schema', () => {
  it('every plain view has its definition, matched to the catalog key', () => {
    expect(views.map((v) => v.key).sort()).toEqual(['public.all_ids', 'public.big_customer_orders', 'public.customer_orders', 'public.renamed', 'public.same_ids', 'rep.tenants']);
  });

  it('a filter on a view column is a filter on the base column', () => {
    const x = f('SELECT * FROM customer_orders WHERE tenant_id = 5 AND order_id = 7');
    expect(x.unresolved).toEqual([]);
    expect(x.tablesRead).toEqual(['public.customers', 'public.orders']);
    expect(x.filters.map((y) => `${y.table}.${y.column} ${y.op}`)).toEqual(['public.customers.tenant_id =', 'public.orders.id =']);
    // without the definitions: as before, the view's columns are not known
    expect(f('SELECT * FROM customer_orders WHERE tenant_id = 5', false).unresolved).toEqual([{ column: 'tenant_id', reason: 'view-column' }]);
  });

  it('a join to a view column joins the base column; a computed column resolves to nothing', () => {
    const x = f('SELECT v.gross FROM orders o JOIN customer_orders v ON v.order_id = o.id WHERE v.gross > 10');
    expect(x.unresolved).toEqual([]);
    expect(x.joins).toMatchObject([{ left: { table: 'public.orders', column: 'id' }, right: { table: 'public.orders', column: 'id' }, joinType: 'inner', where: 'on' }]);
    expect(x.filters).toEqual([]);
  });

  it('column names given with the view, aliases in FROM, views over views, qualified view names', () => {
    expect(f('SELECT 1 FROM renamed WHERE cid = 3').filters).toMatchObject([{ table: 'public.customers', column: 'id' }]);
    expect(f('SELECT 1 FROM renamed AS r (a, b) WHERE r.b = 3').filters).toMatchObject([{ table: 'public.customers', column: 'id' }]);
    const nested = f('SELECT 1 FROM big_customer_orders WHERE customer_id = 3');
    expect(nested.unresolved).toEqual([]);
    expect(nested.filters).toMatchObject([{ table: 'public.customers', column: 'id' }]);
    expect(nested.tablesRead).toEqual(['public.customers', 'public.orders']);
    expect(f('SELECT 1 FROM public.renamed WHERE public.renamed.t = 1').filters).toMatchObject([{ table: 'public.customers', column: 'tenant_id' }]);
  });

  it('a view created under its own search_path reads what the catalog resolved', () => {
    const x = f('SELECT 1 FROM rep.tenants WHERE tenant_id = 1');
    expect(x.tablesRead).toEqual(['public.customers']);
    expect(x.filters).toMatchObject([{ table: 'public.customers', column: 'tenant_id' }]);
  });

  it('set operations: a base column only where every branch shows the same one', () => {
    const x = f('SELECT 1 FROM all_ids WHERE tenant_id = 1');
    expect(x.unresolved).toEqual([]);
    expect(x.filters).toEqual([]);
    expect(f('SELECT 1 FROM same_ids WHERE tenant_id = 1').filters).toMatchObject([{ table: 'public.customers', column: 'tenant_id' }]);
  });

  it('a materialized view keeps its own rows: its columns are not mapped', () => {
    expect(f('SELECT 1 FROM totals WHERE tenant_id = 1').unresolved).toEqual([{ column: 'tenant_id', reason: 'view-column' }]);
  });

  it('writes through a view: the target columns resolve too', () => {
    const x = f('UPDATE renamed SET t = 2 WHERE cid = 1');
    expect(x.tablesWritten).toEqual(['public.renamed']);
    expect(x.filters).toMatchObject([{ table: 'public.customers', column: 'id' }]);
    expect(x.unresolved).toEqual([]);
  });
});

describe('views a workload creates', () => {
  it('CREATE VIEW statements of a script, each with the search path set before it', () => {
    const stmts = readScript('w.sql', 'SET search_path = rep; CREATE VIEW v1 AS SELECT id FROM customers; RESET search_path; CREATE VIEW v2 (x) AS SELECT id FROM orders;').statements;
    const defs = statementViewDefinitions(catalog, stmts);
    expect(defs.map((d) => [d.key, d.columns, d.searchPath])).toEqual([
      ['rep.v1', [], ['rep']],
      ['public.v2', ['x'], undefined],
    ]);
    // rep.v1 reads customers through its path rep (which has no customers): unknown inside, so its columns are not known
    const x = extractFacts(catalog, 'SELECT * FROM rep.v1 WHERE id = 1', { views: defs });
    expect(x.unknownRelations).toEqual([]);
    expect(x.views).toEqual(['rep.v1']);
    expect(x.tablesRead).toEqual([]);
    expect(x.unresolved).toEqual([{ column: 'id', reason: 'view-column' }]);
    expect(extractFacts(catalog, 'SELECT * FROM v2 WHERE x = 1', { views: defs }).filters).toMatchObject([{ table: 'public.orders', column: 'id' }]);
  });

  it('from WorkloadView records; a temporary view is found before the path', () => {
    const defs = workloadViewDefinitions(catalog, [
      { sql: 'CREATE TEMP VIEW customers AS SELECT id AS cid FROM orders', location: { file: 'w.sql', line: 1, column: 1 } },
      { sql: 'CREATE VIEW nope AS', location: { file: 'w.sql', line: 2, column: 1 } },
    ]);
    expect(defs.map((d) => d.key)).toEqual(['pg_temp.customers']);
    const x = extractFacts(catalog, 'SELECT 1 FROM customers WHERE cid = 1', { views: defs });
    expect(x.views).toEqual(['pg_temp.customers']);
    expect(x.filters).toMatchObject([{ table: 'public.orders', column: 'id' }]);
  });
});
