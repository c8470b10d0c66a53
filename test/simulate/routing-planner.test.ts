/**
 * The planner model on the shapes of analytical SQL that decide a class:
 * which subqueries Citus plans on its own, which it pushes down, which it
 * refuses, and with which text. Each case names the Citus function whose
 * behaviour it pins; the corpus suite (test/citus/routing.test.ts) holds the
 * same rules against a real cluster.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { parseDesign } from '../../src/design/file.js';
import { designView } from '../../src/simulate/cluster-run.js';
import { classifyQuery, type DistributionView, type Route } from '../../src/simulate/routing/classify.js';
import { withShards } from '../../src/simulate/routing/shard-view.js';
import { buildTopology } from '../../src/simulate/shards.js';
import { extractFacts } from '../../src/workload/extract.js';
import { viewDefinitions } from '../../src/workload/views.js';

// TPC-H's shape: orders and lineitem colocated on the order key, part and
// partsupp on the part key (another group), supplier and nation reference
// tables, a local audit table.
const SCHEMA = `
CREATE TABLE orders (o_orderkey bigint PRIMARY KEY, o_custkey bigint, o_orderdate date, o_orderpriority text);
CREATE TABLE lineitem (l_orderkey bigint, l_linenumber int, l_partkey bigint, l_suppkey bigint, l_quantity numeric, l_price numeric, PRIMARY KEY (l_orderkey, l_linenumber));
CREATE TABLE part (p_partkey bigint PRIMARY KEY, p_brand text, p_size int);
CREATE TABLE partsupp (ps_partkey bigint, ps_suppkey bigint, ps_cost numeric, PRIMARY KEY (ps_partkey, ps_suppkey));
CREATE TABLE supplier (s_suppkey bigint PRIMARY KEY, s_nationkey int, s_name text);
CREATE TABLE nation (n_nationkey int PRIMARY KEY, n_name text);
CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz);
CREATE TABLE events (id bigserial PRIMARY KEY, o_orderkey bigint, kind text);
CREATE VIEW big_orders AS SELECT l_orderkey, sum(l_quantity) AS qty FROM lineitem GROUP BY l_orderkey;
`;
const DESIGN = `
shard_count: 8
tables:
  orders: { kind: distributed, column: o_orderkey }
  lineitem: { kind: distributed, column: l_orderkey, colocate_with: orders }
  events: { kind: distributed, column: id }
  part: { kind: distributed, column: p_partkey }
  partsupp: { kind: distributed, column: ps_partkey, colocate_with: part }
  supplier: { kind: reference }
  nation: { kind: reference }
`;

const COMPLEX = 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns';
const REPARTITION = 'the query contains a join that requires repartitioning';

let catalog: Catalog;
let view: DistributionView;
let route: (sql: string) => Route;

beforeAll(async () => {
  const read = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
  catalog = read.catalog;
  const design = parseDesign(DESIGN, 'plan.yaml', catalog);
  const topology = buildTopology(design, { nodes: 2 });
  view = withShards(designView(catalog, design, topology), catalog, topology);
  const views = viewDefinitions(catalog, read.scripts);
  route = (sql) => classifyQuery(extractFacts(catalog, sql, { views }), view);
});

const cases: Array<[string, string, string, string?]> = [
  // [what, sql, class, error message]
  ['a correlated EXISTS joined off the key cannot be planned on its own and is not colocated (RestrictionEquivalenceForPartitionKeys)',
    'SELECT count(*) FROM lineitem l1 WHERE EXISTS (SELECT 1 FROM lineitem l2 WHERE l2.l_suppkey = l1.l_suppkey AND l2.l_orderkey <> l1.l_orderkey)', 'error', COMPLEX],
  ['a correlated EXISTS over a reference-only FROM clause (DeferErrorIfFromClauseRecurs)',
    'SELECT count(*) FROM supplier s WHERE EXISTS (SELECT 1 FROM lineitem WHERE l_suppkey = s.s_suppkey)', 'error', 'correlated subqueries are not supported when the FROM clause contains a reference table'],
  ['a correlated EXISTS on the key is pushed down as a semi join (convert_EXISTS_sublink_to_join)',
    'SELECT o_orderpriority, count(*) FROM orders WHERE EXISTS (SELECT 1 FROM lineitem WHERE l_orderkey = o_orderkey AND l_quantity > 5) GROUP BY 1', 'multi-shard'],
  ['NOT IN is no join: its subquery is not colocated and is planned on its own (RecursivelyPlanNonColocatedSubqueries)',
    'SELECT count(*) FROM lineitem WHERE l_orderkey NOT IN (SELECT o_orderkey FROM orders WHERE o_orderpriority = $1)', 'recursive'],
  ['IN over a subquery that groups without a merge step is a semi join on the key (convert_ANY_sublink_to_join)',
    'SELECT count(*) FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 300)', 'multi-shard'],
  ['a subquery in HAVING is planned first (RecursivelyPlanAllSubqueries)',
    'SELECT l_partkey, sum(l_quantity) FROM lineitem GROUP BY l_partkey HAVING sum(l_quantity) > (SELECT avg(l_quantity) FROM lineitem)', 'recursive'],
  ['a scalar subquery over a view that aggregates is planned first (ShouldRecursivelyPlanSubquery)',
    'SELECT o_orderkey FROM orders JOIN big_orders b ON b.l_orderkey = o_orderkey WHERE b.qty = (SELECT max(qty) FROM big_orders)', 'recursive'],
  ['a join every OR arm repeats holds by itself (find_duplicate_ors): a local join',
    "SELECT sum(l_price) FROM lineitem, orders WHERE (o_orderkey = l_orderkey AND o_orderpriority = 'a') OR (o_orderkey = l_orderkey AND l_quantity > 3)", 'multi-shard'],
  ['tables in two colocation groups joined directly: the join-order planner repartitions (JobExecutorType)',
    'SELECT count(*) FROM lineitem JOIN part ON p_partkey = l_partkey', 'error', REPARTITION],
  ['the same join inside a subquery is planned on its own first (RecursivelyPlanSubqueriesAndCTEs), which needs the repartition',
    'SELECT count(*) FROM (SELECT l_orderkey, p_brand FROM lineitem JOIN part ON p_partkey = l_partkey GROUP BY 1, 2) s', 'error', REPARTITION],
  ['GROUPING() on several shards (DeferErrorIfQueryNotSupported)',
    'SELECT l_partkey, grouping(l_partkey) FROM lineitem GROUP BY l_partkey', 'error', 'could not run distributed query with GROUPING'],
  ['a CTE used once is inlined and pushed down (InlineCtesAndCreateDistributedPlannedStmt)',
    'WITH x AS (SELECT l_orderkey, sum(l_quantity) q FROM lineitem GROUP BY 1) SELECT count(*) FROM x JOIN orders ON o_orderkey = x.l_orderkey', 'multi-shard'],
  ['a CTE used twice is planned first (RecursivelyPlanCTEs)',
    'WITH x AS (SELECT l_orderkey FROM lineitem WHERE l_quantity > 3) SELECT count(*) FROM x a JOIN x b ON a.l_orderkey = b.l_orderkey', 'recursive'],
  ['a lateral subquery with LIMIT over a reference table (DeferredErrorIfUnsupportedLateralSubquery)',
    'SELECT count(*) FROM supplier s, LATERAL (SELECT l_orderkey FROM lineitem WHERE l_suppkey = s.s_suppkey LIMIT 2) q', 'error', 'cannot push down this subquery'],
  ['a local table joined with a distributed table is read first (RecursivelyPlanLocalTableJoins)',
    'SELECT count(*) FROM audit a JOIN events e ON e.id = a.id', 'recursive'],
  ['reference LEFT JOIN distributed off the key: the distributed side first (RecursivelyPlanRecurringTupleOuterJoinWalker)',
    'SELECT count(*) FROM supplier s LEFT JOIN lineitem l ON l.l_suppkey = s.s_suppkey', 'recursive'],
  ['a key filter reaches into a subquery that can take it, and routes the whole (set_subquery_pathlist, PlanRouterQuery)',
    'SELECT * FROM big_orders WHERE l_orderkey = 7', 'router'],
  ['a correlated subquery in the target list takes the pushdown path, which prunes no shard by the outer key',
    'SELECT o_orderkey, (SELECT count(*) FROM lineitem WHERE l_orderkey = o_orderkey) FROM orders WHERE o_orderkey = 7', 'multi-shard'],
  ['PostgreSQL refuses an unknown column before Citus plans',
    'SELECT o_nothing FROM orders', 'error', 'column "o_nothing" does not exist'],
  ['PostgreSQL refuses an unknown relation before Citus plans',
    'SELECT * FROM nowhere', 'error', 'relation "nowhere" does not exist'],
  ['an INSERT without a serial distribution column gets its DEFAULT on the coordinator, then one shard',
    "INSERT INTO events (o_orderkey, kind) VALUES (1, 'x') RETURNING id", 'router'],
];

describe('the planner model on analytical shapes', () => {
  for (const [what, sql, cls, message] of cases) {
    it(`${what} -> ${cls}`, () => {
      const r = route(sql);
      expect({ class: r.class, message: r.error?.message }, r.reason).toEqual({ class: cls, message });
    });
  }
});

describe('shards', () => {
  it('an IN list of constants reaches the distinct shards its values hash to', () => {
    const r = route('SELECT * FROM orders WHERE o_orderkey IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)');
    expect(r.class).toBe('multi-shard');
    const hashed = new Set(Array.from({ length: 10 }, (_, i) => view.shardIndex!('public.orders', String(i + 1))));
    expect(r.shardIndexes).toEqual([...hashed].sort((a, b) => a! - b!));
    expect(r.shardIndexes!.length).toBeLessThan(10);
  });

  it('keys of two tables that hash to one shard route as one, different ones do not', () => {
    const [a, b] = ['1', '2'].map((v) => view.shardIndex!('public.orders', v));
    let same = '3';
    for (let v = 3; view.shardIndex!('public.orders', String(v)) !== a; v++) same = String(v + 1);
    expect(route(`SELECT * FROM orders o, lineitem l WHERE o.o_orderkey = 1 AND l.l_orderkey = ${same} AND l.l_partkey = o.o_custkey`).class).toBe('router');
    if (a !== b) expect(route('SELECT * FROM orders o, lineitem l WHERE o.o_orderkey = 1 AND l.l_orderkey = 2 AND l.l_partkey = o.o_custkey').class).not.toBe('router');
  });

  it('an OR of equalities on the key prunes like the list of its values (each arm pruned on its own)', () => {
    const a = view.shardIndex!('public.orders', '1');
    let same = 2;
    while (view.shardIndex!('public.orders', String(same)) !== a) same++;
    let other = 2;
    while (view.shardIndex!('public.orders', String(other)) === a) other++;
    const one = route(`SELECT * FROM orders WHERE o_orderkey = 1 OR o_orderkey = ${same}`);
    expect({ class: one.class, shards: one.shardIndexes }).toEqual({ class: 'router', shards: [a] });
    const two = route(`SELECT * FROM orders WHERE o_orderkey = 1 OR (o_orderkey = ${other} AND o_custkey = 5)`);
    expect(two.class).toBe('multi-shard');
    expect(two.shardIndexes).toEqual([a, view.shardIndex!('public.orders', String(other))].sort((x, y) => x! - y!));
  });

  it('an OR that names columns of two tables is no restriction of either: it prunes nothing', () => {
    const r = route('SELECT * FROM orders o, lineitem l WHERE l.l_orderkey = o.o_orderkey AND ((o.o_orderkey = 1 AND l.l_partkey = o.o_custkey) OR o.o_orderkey = 2)');
    expect(r.class).toBe('multi-shard');
    expect(r.shardIndexes?.length ?? 8).toBe(8);
  });

  it('an OR with an arm that does not pin the key reaches every shard', () => {
    const r = route('SELECT * FROM orders WHERE o_orderkey = 1 OR o_custkey = 2');
    expect(r.class).toBe('multi-shard');
    expect(r.shardIndexes ?? []).not.toHaveLength(1);
    expect(r.shardCount ?? r.shardIndexes?.length ?? 8).toBe(8);
  });

  it('an IN list of parameters reaches up to one shard per member, bound at execution', () => {
    const r = route('SELECT * FROM orders WHERE o_orderkey IN ($1, $2, $3)');
    expect(r.class).toBe('multi-shard');
    expect(r.shardCount).toBe(3);
  });
});

describe('what the model does not understand', () => {
  it('says so instead of passing a guess off as an answer', () => {
    const facts = extractFacts(catalog, 'SELECT * FROM big_orders WHERE l_orderkey = 7');
    // Without the view's query (a live catalog without definitions), the model cannot see through it.
    const r = classifyQuery(facts, view);
    expect(r.unsure?.join(' ')).toMatch(/view big_orders/);
  });
});
