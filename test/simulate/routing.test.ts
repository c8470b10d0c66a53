/**
 * The routing classifier against citus-rules.md §10 (query execution) and
 * §11 (modifications): SQL text -> query facts (the workload extractor) ->
 * route class, and for errors Citus's exact message, DETAIL and HINT.
 *
 * Every case names the rule it comes from. A few pin behaviour the rules
 * state only broadly; those also cite the Citus regression output (v14,
 * `src/test/regress/expected/*.out`) that decides the exact text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema, type Catalog } from '../../src/catalog/index.js';
import { classifyQuery, type CitusError, type DistributionView, type RouteClass, type RoutingOptions, type TableRole } from '../../src/simulate/routing/classify.js';
import { typeKey } from '../../src/simulate/routing/layout.js';
import { extractFacts } from '../../src/workload/extract.js';

// A multi-tenant schema: companies / campaigns / ads distributed on the tenant
// key and colocated; two reference tables; a plain local table; events
// distributed on another column (own group); visits distributed on the tenant
// key but in another colocation group (int4 key, §13.4); two single-shard
// tables in different groups (two tenant schemas, §1).
const SCHEMA = `
CREATE TABLE companies (id bigint PRIMARY KEY, name text, country text);
CREATE TABLE campaigns (company_id bigint, id bigint, name text, budget numeric, state text, updated_at timestamptz, PRIMARY KEY (company_id, id));
CREATE TABLE ads (company_id bigint, id bigint, campaign_id bigint, title text, clicks int, shown_at timestamptz, PRIMARY KEY (company_id, id));
CREATE TABLE countries (code text PRIMARY KEY, name text);
CREATE TABLE featured (company_id bigint PRIMARY KEY, since date);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, company_id bigint, msg text, at timestamptz);
CREATE TABLE events (id bigint PRIMARY KEY, company_id bigint, ad_id bigint, kind text, at timestamptz);
CREATE TABLE visits (company_id int, id bigint, ad_id bigint, at timestamptz);
CREATE TABLE settings (company_id bigint, key text, value text);
CREATE TABLE notes (company_id bigint, body text);
`;

const DESIGN: Record<string, { role: TableRole; column?: string; group?: string }> = {
  'public.companies': { role: 'distributed', column: 'id', group: 'tenant' },
  'public.campaigns': { role: 'distributed', column: 'company_id', group: 'tenant' },
  'public.ads': { role: 'distributed', column: 'company_id', group: 'tenant' },
  'public.countries': { role: 'reference' },
  'public.featured': { role: 'reference' },
  'public.events': { role: 'distributed', column: 'id', group: 'events' },
  'public.visits': { role: 'distributed', column: 'company_id', group: 'visits' },
  'public.settings': { role: 'single-shard', group: 'tenant_a' },
  'public.notes': { role: 'single-shard', group: 'tenant_b' },
};

const view: DistributionView = {
  role: (t) => DESIGN[t]?.role ?? 'local',
  column: (t) => DESIGN[t]?.column,
  group: (t) => DESIGN[t]?.group,
};

const REPARTITION_ON: RoutingOptions = { enableRepartitionJoins: true };

// Citus's texts, verbatim from citus-rules.md.
const E = {
  repartition: { message: 'the query contains a join that requires repartitioning', hint: 'Set citus.enable_repartition_joins to on to enable repartitioning' },
  complexColocated: { message: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns' },
  complexEqui: { message: 'complex joins are only supported when all distributed tables are joined on their distribution columns with equal operator' },
  notColocated: (a: string, b: string) => ({ message: 'cannot push down this subquery', detail: `${a} and ${b} are not colocated` }),
  cartesian: { message: 'cannot perform distributed planning on this query', detail: 'Cartesian products are currently unsupported' },
  recursiveCte: { message: 'recursive CTEs are only supported when they contain a filter on the distribution column' },
  forUpdate: { message: 'could not run distributed query with FOR UPDATE/SHARE commands', hint: "Consider using an equality filter on the distributed table's partition column." },
  groupingSets: { message: 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP', hint: "Consider using an equality filter on the distributed table's partition column." },
  insertSubquery: { message: 'subqueries are not supported within INSERT queries', hint: "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax." },
  noKeyValue: { message: 'cannot perform an INSERT without a partition column value' },
  partitionValue: { message: 'modifying the partition value of rows is not allowed' },
  mergeKey: { message: 'updating the distribution column is not allowed in MERGE actions' },
  volatileSet: { message: 'functions used in UPDATE queries on distributed tables must not be VOLATILE' },
  volatileWhere: { message: 'functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE' },
  stableColumns: { message: 'STABLE functions used in UPDATE queries cannot be called with column references' },
  caseCoalesce: { message: 'non-IMMUTABLE functions are not allowed in CASE or COALESCE statements' },
  returning: { message: 'non-IMMUTABLE functions are not allowed in the RETURNING clause' },
  onConflictWhere: { message: 'functions used in the WHERE clause of the ON CONFLICT clause of INSERTs on distributed tables must be marked IMMUTABLE' },
  referenceWithDistributed: { message: 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ' },
} satisfies Record<string, CitusError | ((a: string, b: string) => CitusError)>;

interface Case {
  /** The citus-rules.md section and rule the expectation comes from. */
  readonly rule: string;
  readonly sql: string;
  readonly class: RouteClass;
  readonly error?: CitusError;
  /** citus.enable_repartition_joins on (default off). */
  readonly repartition?: boolean;
  /** Distribution-column filters the route must hand to the shard router: `table.column op #count`. */
  readonly keyFilters?: string[];
}

// ---------------------------------------------------------------- §10 Query execution

const ROUTER: Case[] = [
  { rule: '§10 Router, fast path: key = <const>', sql: 'SELECT * FROM campaigns WHERE company_id = 42', class: 'router', keyFilters: ['public.campaigns.company_id = #-'] },
  { rule: '§10 Router, fast path: key = <param>', sql: 'SELECT * FROM campaigns WHERE company_id = $1', class: 'router', keyFilters: ['public.campaigns.company_id = #-'] },
  { rule: '§10 Router, fast path: key equality inside a top-level AND', sql: "SELECT name FROM campaigns WHERE state = 'active' AND company_id = 42 AND budget > 10", class: 'router' },
  { rule: '§10 Router: an IN list of one value prunes to one shard', sql: 'SELECT * FROM ads WHERE company_id IN (7)', class: 'router' },
  {
    rule: '§10 Router: colocated tables joined on the key, one filter prunes all to the same shard',
    sql: 'SELECT c.name, a.title FROM campaigns c JOIN ads a ON a.company_id = c.company_id AND a.campaign_id = c.id WHERE c.company_id = 42',
    class: 'router',
  },
  {
    rule: '§10 Router: three colocated tables joined on the key, filter by parameter',
    sql: 'SELECT co.name, count(*) FROM companies co JOIN campaigns c ON c.company_id = co.id JOIN ads a ON a.company_id = c.company_id AND a.campaign_id = c.id WHERE co.id = $1 GROUP BY co.name',
    class: 'router',
  },
  { rule: '§10 Router: reference tables can be joined on any column', sql: 'SELECT a.title, k.name FROM ads a JOIN countries k ON k.code = a.title WHERE a.company_id = 7', class: 'router' },
  { rule: '§10 Router: CTEs are fine when every distributed table is filtered to one shard', sql: 'WITH mine AS (SELECT * FROM ads WHERE company_id = 5) SELECT count(*) FROM mine', class: 'router' },
  {
    rule: '§10 Router: a set operation of colocated tables pruned to the same shard index',
    sql: 'SELECT id FROM ads WHERE company_id = 3 UNION SELECT id FROM campaigns WHERE company_id = 3',
    class: 'router',
  },
  {
    rule: '§10 Router: colocated tables joined off the key, each filtered on its key by a parameter: one shard when the bound values hash alike (TPC-C StockLevel)',
    sql: 'SELECT count(*) FROM ads a, campaigns c WHERE a.company_id = $1 AND c.company_id = $2 AND a.campaign_id = c.id',
    class: 'router',
  },
  {
    rule: '§10 Router: colocated tables joined off the key and filtered to two different constants are not one shard',
    sql: 'SELECT count(*) FROM ads a, campaigns c WHERE a.company_id = 1 AND c.company_id = 2 AND a.campaign_id = c.id',
    class: 'error',
    error: E.repartition,
  },
  { rule: '§10 Reference-table-only queries: Task Count 1, one replica', sql: 'SELECT * FROM countries ORDER BY name', class: 'router' },
  { rule: '§1 single-shard table (§10 router): one shard, one task', sql: "SELECT value FROM settings WHERE key = 'theme'", class: 'router' },
  { rule: '§10 Router: a single-shard table joined with a reference table', sql: 'SELECT s.value, k.name FROM settings s JOIN countries k ON k.code = s.value', class: 'router' },
  {
    rule: '§10 Router: non-colocated tables each filtered to one shard are not routed (12.0: non-colocated router pushdown off)',
    sql: 'SELECT * FROM ads a JOIN events e ON e.ad_id = a.id WHERE a.company_id = 1 AND e.id = 5',
    class: 'error',
    error: E.repartition,
  },
];

const MULTI_SHARD: Case[] = [
  { rule: '§10 Router: IN (...) on the key touching several shards is multi-shard', sql: 'SELECT * FROM campaigns WHERE company_id IN (1, 2, 3)', class: 'multi-shard', keyFilters: ['public.campaigns.company_id in #3'] },
  { rule: '§10 Router: = ANY(ARRAY[...]) on the key is an IN list', sql: 'SELECT * FROM campaigns WHERE company_id = ANY (ARRAY[1, 2])', class: 'multi-shard', keyFilters: ['public.campaigns.company_id in #2'] },
  { rule: '§10 Router: OR on the key touching several shards is multi-shard', sql: 'SELECT * FROM campaigns WHERE company_id = 1 OR company_id = 2', class: 'multi-shard' },
  { rule: '§10 Multi-shard: no filter on the key runs on every shard', sql: 'SELECT * FROM ads', class: 'multi-shard' },
  { rule: '§10 Multi-shard: a range on the key is not an equality', sql: 'SELECT * FROM ads WHERE company_id > 100', class: 'multi-shard' },
  {
    rule: '§10 Multi-shard pushdown: colocated tables equi-joined on their keys',
    sql: 'SELECT c.name, sum(a.clicks) FROM campaigns c JOIN ads a ON a.company_id = c.company_id AND a.campaign_id = c.id GROUP BY c.name',
    class: 'multi-shard',
  },
  { rule: '§10 Multi-shard pushdown: reference tables anywhere on the inner side', sql: 'SELECT a.title, k.name FROM ads a JOIN countries k ON k.code = a.title', class: 'multi-shard' },
  { rule: '§10 Multi-shard pushdown: distributed LEFT JOIN reference', sql: 'SELECT a.title, k.name FROM ads a LEFT JOIN countries k ON k.code = a.title', class: 'multi-shard' },
  {
    rule: '§10 reference LEFT JOIN distributed on the key: pushed down since 13.2 (enable_recurring_outer_join_pushdown)',
    sql: 'SELECT f.company_id, count(a.id) FROM featured f LEFT JOIN ads a ON a.company_id = f.company_id GROUP BY f.company_id',
    class: 'multi-shard',
  },
  { rule: '§10 Multi-shard pushdown: IN subquery colocated on the key', sql: "SELECT * FROM ads WHERE company_id IN (SELECT company_id FROM campaigns WHERE state = 'paused')", class: 'multi-shard' },
  {
    rule: '§10 Multi-shard pushdown: correlated EXISTS on the key',
    sql: 'SELECT * FROM ads a WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.company_id = a.company_id AND c.id = a.campaign_id)',
    class: 'multi-shard',
  },
  {
    rule: '§10 Multi-shard pushdown: LATERAL correlated on the key',
    sql: 'SELECT * FROM campaigns c JOIN LATERAL (SELECT * FROM ads a WHERE a.company_id = c.company_id ORDER BY a.clicks DESC LIMIT 3) top ON true',
    class: 'multi-shard',
  },
  { rule: '§10 GROUP BY key, aggregates: pushed down', sql: 'SELECT company_id, count(*), sum(clicks) FROM ads GROUP BY company_id', class: 'multi-shard' },
  { rule: '§10 GROUP BY another column: two-phase aggregation', sql: 'SELECT campaign_id, avg(clicks) FROM ads GROUP BY campaign_id', class: 'multi-shard' },
  { rule: '§10 DISTINCT / count(DISTINCT x): supported', sql: 'SELECT count(DISTINCT title) FROM ads', class: 'multi-shard' },
  { rule: '§10 ORDER BY … LIMIT: limit pushed to each shard', sql: 'SELECT * FROM ads ORDER BY clicks DESC LIMIT 10', class: 'multi-shard' },
  { rule: '§10 window function PARTITION BY key: pushed down', sql: 'SELECT title, rank() OVER (PARTITION BY company_id ORDER BY clicks DESC) FROM ads', class: 'multi-shard' },
  { rule: '§10 window function, other partitioning: rows pulled, WindowAgg on the coordinator', sql: 'SELECT title, rank() OVER (PARTITION BY campaign_id ORDER BY clicks DESC) FROM ads', class: 'multi-shard' },
  { rule: '§10 CTEs: inlined when possible', sql: 'WITH per AS (SELECT company_id, count(*) AS n FROM ads GROUP BY company_id) SELECT co.name, per.n FROM per JOIN companies co ON co.id = per.company_id', class: 'multi-shard' },
  { rule: '§10 TABLESAMPLE works multi-shard', sql: 'SELECT * FROM ads TABLESAMPLE SYSTEM (10)', class: 'multi-shard' },
];

const RECURSIVE: Case[] = [
  { rule: '§10 plain local table joined with a distributed table: local table becomes an intermediate result', sql: 'SELECT * FROM ads a JOIN audit_log l ON l.company_id = a.company_id', class: 'recursive' },
  {
    rule: '§10 plain local table joined with a key-filtered distributed table (local_table_join_policy = auto)',
    sql: 'SELECT * FROM ads a JOIN audit_log l ON l.company_id = a.company_id WHERE a.company_id = 5',
    class: 'recursive',
  },
  { rule: '§10 non-colocated subquery IN (SELECT non_key FROM other): planned recursively', sql: "SELECT * FROM ads WHERE campaign_id IN (SELECT ad_id FROM events WHERE kind = 'click')", class: 'recursive' },
  { rule: '§10 CTEs: MATERIALIZED is an intermediate result', sql: 'WITH top AS MATERIALIZED (SELECT * FROM ads WHERE clicks > 100) SELECT count(*) FROM top', class: 'recursive' },
  { rule: '§10 CTEs: referenced twice is an intermediate result', sql: 'WITH t AS (SELECT company_id, clicks FROM ads) SELECT * FROM t t1 JOIN t t2 ON t2.company_id = t1.company_id', class: 'recursive' },
  {
    rule: '§10 CTEs: a CTE that cannot be pushed down with a non-colocated join is materialised',
    sql: 'WITH top AS (SELECT * FROM ads ORDER BY clicks DESC LIMIT 10) SELECT * FROM top JOIN events e ON e.ad_id = top.id',
    class: 'recursive',
  },
  { rule: '§10 non-colocated subquery in FROM: planned recursively', sql: 'SELECT * FROM (SELECT * FROM ads ORDER BY clicks DESC LIMIT 10) top JOIN events e ON e.ad_id = top.id', class: 'recursive' },
  { rule: '§10 top-level UNION: each branch planned recursively', sql: 'SELECT id FROM ads UNION SELECT ad_id FROM events', class: 'recursive' },
  { rule: '§10 top-level UNION of colocated tables without key filters: planned recursively', sql: 'SELECT company_id FROM ads UNION ALL SELECT company_id FROM campaigns', class: 'recursive' },
  { rule: '§10 EXCEPT: recursive planning', sql: 'SELECT company_id FROM ads EXCEPT SELECT id FROM companies', class: 'recursive' },
  { rule: '§10 INTERSECT: recursive planning', sql: 'SELECT ad_id FROM events INTERSECT SELECT id FROM ads', class: 'recursive' },
  { rule: '§10 reference LEFT JOIN distributed not on the key: distributed side planned recursively', sql: 'SELECT k.name, a.title FROM countries k LEFT JOIN ads a ON a.title = k.name', class: 'recursive' },
  {
    rule: '§10 GROUPING SETS work on a CTE Citus materialises',
    sql: 'WITH t AS MATERIALIZED (SELECT company_id, campaign_id, clicks FROM ads) SELECT company_id, campaign_id, sum(clicks) FROM t GROUP BY ROLLUP (company_id, campaign_id)',
    class: 'recursive',
  },
];

const COORDINATOR: Case[] = [
  { rule: '§1 plain local table (§10: no Citus table involved): plain PostgreSQL on the coordinator', sql: 'SELECT * FROM audit_log WHERE id = 1', class: 'coordinator' },
  { rule: '§1 reference tables have a replica on the coordinator (§10): local joined with reference', sql: 'SELECT * FROM audit_log l JOIN countries k ON k.code = l.msg', class: 'coordinator' },
];

const QUERY_ERRORS: Case[] = [
  { rule: '§10 Errors: join on a non-key column, repartition joins off', sql: 'SELECT * FROM ads a JOIN campaigns c ON c.id = a.campaign_id', class: 'error', error: E.repartition },
  { rule: '§10 Errors: with enable_repartition_joins on, inner equi-joins run as repartition joins', sql: 'SELECT * FROM ads a JOIN campaigns c ON c.id = a.campaign_id', class: 'repartition', repartition: true },
  { rule: '§10 Errors: non-colocated tables joined, repartition joins off', sql: 'SELECT * FROM ads a JOIN events e ON e.ad_id = a.id', class: 'error', error: E.repartition },
  { rule: '§10 Errors: non-colocated tables joined, repartition joins on', sql: 'SELECT a.title, count(*) FROM ads a JOIN events e ON e.ad_id = a.id GROUP BY a.title', class: 'repartition', repartition: true },
  { rule: '§10 Errors + §13.4: keys joined but in different colocation groups (int4 vs int8)', sql: 'SELECT * FROM ads a JOIN visits v ON v.company_id = a.company_id', class: 'error', error: E.repartition },
  { rule: '§10 Errors: keys joined across colocation groups, repartition joins on', sql: 'SELECT * FROM ads a JOIN visits v ON v.company_id = a.company_id', class: 'repartition', repartition: true },
  {
    rule: '§10 Errors: repartition joins cannot do outer joins (names in alphabetical order)',
    sql: 'SELECT * FROM visits v LEFT JOIN ads a ON a.company_id = v.company_id',
    class: 'error',
    error: E.notColocated('ads', 'visits'),
    repartition: true,
  },
  {
    rule: '§10 Errors: outer join of non-colocated tables, also with repartition joins off',
    sql: 'SELECT * FROM ads a RIGHT JOIN visits v ON v.company_id = a.company_id',
    class: 'error',
    error: E.notColocated('ads', 'visits'),
  },
  {
    rule: '§10 Errors: outer join not on the keys; regress multi_outer_join.out (LEFT JOIN on a non-key column)',
    sql: 'SELECT * FROM ads a LEFT JOIN events e ON e.ad_id = a.id',
    class: 'error',
    error: E.complexColocated,
    repartition: true,
  },
  { rule: '§10 Errors: FULL JOIN not on the key', sql: 'SELECT * FROM ads a FULL JOIN events e ON e.ad_id = a.id', class: 'error', error: E.complexColocated, repartition: true },
  { rule: '§10 Errors: repartition joins cannot do non-equi joins', sql: 'SELECT * FROM ads a JOIN events e ON e.ad_id < a.id', class: 'error', error: E.complexEqui, repartition: true },
  { rule: '§10 Errors: correlated subquery not on the key', sql: 'SELECT * FROM ads a WHERE EXISTS (SELECT 1 FROM events e WHERE e.ad_id = a.id)', class: 'error', error: E.complexColocated },
  { rule: '§10 Errors: Cartesian product of distributed tables', sql: 'SELECT * FROM ads, events', class: 'error', error: E.cartesian },
  { rule: '§10 Errors: Cartesian product, even of colocated tables', sql: 'SELECT * FROM ads a CROSS JOIN campaigns c', class: 'error', error: E.cartesian },
  {
    rule: '§10 Errors: recursive CTE that is not router-routable',
    sql: 'WITH RECURSIVE tree AS (SELECT id, campaign_id FROM ads UNION ALL SELECT a.id, a.campaign_id FROM ads a JOIN tree t ON a.campaign_id = t.id) SELECT * FROM tree',
    class: 'error',
    error: E.recursiveCte,
  },
  {
    rule: '§10 Errors: a recursive CTE with a key filter is routed',
    sql: 'WITH RECURSIVE tree AS (SELECT id, campaign_id FROM ads WHERE company_id = 1 UNION ALL SELECT a.id, a.campaign_id FROM ads a JOIN tree t ON a.campaign_id = t.id WHERE a.company_id = 1) SELECT * FROM tree',
    class: 'router',
  },
  { rule: '§10 Errors: multi-shard FOR UPDATE', sql: 'SELECT * FROM ads WHERE clicks = 0 FOR UPDATE', class: 'error', error: E.forUpdate },
  { rule: '§10 Errors: multi-shard FOR SHARE, IN list on several shards', sql: 'SELECT * FROM ads WHERE company_id IN (1, 2) FOR SHARE', class: 'error', error: E.forUpdate },
  { rule: '§10 Errors: single-shard FOR UPDATE is fine', sql: 'SELECT * FROM ads WHERE company_id = 9 FOR UPDATE', class: 'router' },
  { rule: '§10 Errors: reference-table FOR UPDATE is fine', sql: 'SELECT * FROM countries WHERE code = $1 FOR UPDATE', class: 'router' },
  { rule: '§10 Errors: single-shard table FOR UPDATE is fine', sql: 'SELECT * FROM settings FOR UPDATE', class: 'router' },
  { rule: '§10 Errors: multi-shard GROUPING SETS', sql: 'SELECT company_id, campaign_id, sum(clicks) FROM ads GROUP BY GROUPING SETS ((company_id), (campaign_id))', class: 'error', error: E.groupingSets },
  { rule: '§10 Errors: multi-shard CUBE', sql: 'SELECT company_id, sum(clicks) FROM ads GROUP BY CUBE (company_id)', class: 'error', error: E.groupingSets },
  { rule: '§10 Errors: ROLLUP works when routed', sql: 'SELECT campaign_id, sum(clicks) FROM ads WHERE company_id = 1 GROUP BY ROLLUP (campaign_id)', class: 'router' },
  {
    rule: '§1 joining across two tenant schemas needs repartitioning (§10 Errors)',
    sql: 'SELECT * FROM settings s JOIN notes n ON n.company_id = s.company_id',
    class: 'error',
    error: E.repartition,
  },
];

// ---------------------------------------------------------------- §11 Modifications

const INSERTS: Case[] = [
  { rule: '§11 INSERT … VALUES: key constant, one shard (fast path)', sql: "INSERT INTO ads (company_id, id, title) VALUES (1, 2, 'hello')", class: 'router' },
  { rule: '§11 INSERT … VALUES: key parameter', sql: 'INSERT INTO ads (company_id, id, title) VALUES ($1, $2, $3)', class: 'router' },
  { rule: '§11 INSERT … VALUES: volatile key expression evaluated on the coordinator first', sql: "INSERT INTO ads (company_id, id) VALUES (nextval('company_seq'), 1)", class: 'router' },
  { rule: '§11 INSERT … VALUES without a column list', sql: "INSERT INTO ads VALUES (1, 2, 3, 'x', 0, now())", class: 'router' },
  { rule: '§5 / §11 INSERT that leaves out the key', sql: "INSERT INTO ads (id, title) VALUES (2, 'x')", class: 'error', error: E.noKeyValue },
  { rule: '§11 multi-row VALUES: split by shard, Task Count = distinct shards', sql: 'INSERT INTO ads (company_id, id) VALUES (1, 1), (2, 2), (3, 3)', class: 'multi-shard' },
  { rule: '§11 multi-row VALUES with one key value: one shard', sql: 'INSERT INTO ads (company_id, id) VALUES (4, 1), (4, 2)', class: 'router' },
  { rule: '§11 subquery in VALUES', sql: 'INSERT INTO ads (company_id, id) VALUES ((SELECT max(id) FROM companies), 1)', class: 'error', error: E.insertSubquery },
  { rule: '§11 subquery in RETURNING', sql: 'INSERT INTO ads (company_id, id) VALUES (1, 1) RETURNING (SELECT name FROM companies WHERE id = 1)', class: 'error', error: E.insertSubquery },
  { rule: '§10 PostgreSQL: a data-modifying CTE inside a subquery (multi_router_planner.out)', sql: 'SELECT * FROM (WITH n AS (INSERT INTO ads (company_id, id) VALUES (1, 1) RETURNING *) SELECT * FROM n) s', class: 'error', error: { message: 'WITH clause containing a data-modifying statement must be at the top level' } },
  { rule: "§10 PostgreSQL: a data-modifying CTE inside a CTE's query", sql: 'WITH a AS (WITH n AS (DELETE FROM ads WHERE company_id = 1 RETURNING *) SELECT * FROM n) SELECT * FROM a', class: 'error', error: { message: 'WITH clause containing a data-modifying statement must be at the top level' } },
  { rule: '§10 PostgreSQL: a data-modifying CTE at the top level is fine', sql: 'WITH n AS (DELETE FROM ads WHERE company_id = 1 RETURNING *) SELECT * FROM n', class: 'router' },
  { rule: '§11 subquery in ON CONFLICT DO UPDATE SET (multi_upsert.out)', sql: 'INSERT INTO ads (company_id, id) VALUES (1, 1) ON CONFLICT (company_id, id) DO UPDATE SET clicks = (SELECT count(*) FROM ads)', class: 'error', error: E.insertSubquery },
  { rule: '§11 subquery on a distributed table in a local table\'s VALUES (multi_modifications.out)', sql: 'INSERT INTO audit_log (company_id, msg) VALUES ((SELECT min(id) FROM companies), 1)', class: 'error', error: E.insertSubquery },
  { rule: '§11 subquery on local tables only: plain PostgreSQL', sql: "INSERT INTO audit_log (company_id, msg) VALUES ((SELECT min(company_id) FROM audit_log), 'x')", class: 'coordinator' },
  { rule: '§11 Volatility: non-IMMUTABLE function in RETURNING', sql: 'INSERT INTO ads (company_id, id) VALUES (1, 1) RETURNING id, random()', class: 'error', error: E.returning },
  { rule: '§11 RETURNING plain columns is fine', sql: 'INSERT INTO ads (company_id, id) VALUES (1, 1) RETURNING id, clicks', class: 'router' },
  {
    rule: '§11 ON CONFLICT DO UPDATE SET key = … changes the partition value',
    sql: 'INSERT INTO ads (company_id, id, clicks) VALUES (1, 1, 0) ON CONFLICT (company_id, id) DO UPDATE SET company_id = 2',
    class: 'error',
    error: E.partitionValue,
  },
  {
    rule: '§11 ON CONFLICT DO UPDATE SET key = excluded.key keeps the value (ErrorIfOnConflictNotSupported allows the same attribute; ORM upserts set every column)',
    sql: 'INSERT INTO ads (company_id, id, clicks) VALUES (1, 1, 0) ON CONFLICT (company_id, id) DO UPDATE SET company_id = excluded.company_id, clicks = excluded.clicks',
    class: 'router',
  },
  {
    rule: '§11 Volatility: a mutable function in a DO UPDATE SET value (ErrorIfOnConflictNotSupported), before the key check',
    sql: 'INSERT INTO ads (company_id, id, clicks) VALUES (1, 1, 0) ON CONFLICT (company_id, id) DO UPDATE SET company_id = 3, shown_at = now()',
    class: 'error',
    error: { message: 'functions used in the DO UPDATE SET clause of INSERTs on distributed tables must be marked IMMUTABLE' },
  },
  {
    rule: '§11 ON CONFLICT DO UPDATE of other columns is routed',
    sql: 'INSERT INTO ads (company_id, id, clicks) VALUES (1, 1, 0) ON CONFLICT (company_id, id) DO UPDATE SET clicks = ads.clicks + excluded.clicks',
    class: 'router',
  },
  {
    rule: '§11 Volatility: ON CONFLICT WHERE with a mutable function',
    sql: 'INSERT INTO ads (company_id, id, clicks) VALUES (1, 1, 0) ON CONFLICT (company_id, id) DO UPDATE SET clicks = 0 WHERE ads.shown_at < now()',
    class: 'error',
    error: E.onConflictWhere,
  },
  { rule: '§1 / §11 INSERT into a single-shard table: one shard', sql: "INSERT INTO settings (company_id, key, value) VALUES (1, 'theme', 'dark')", class: 'router' },
];

const INSERT_SELECT: Case[] = [
  {
    rule: '§11 INSERT … SELECT without the target key, repartitioned: the rows cannot be routed (multi_insert_select.out)',
    sql: 'INSERT INTO ads (id) SELECT id FROM events',
    class: 'error',
    error: { message: 'the partition column of table public.ads should have a value' },
  },
  {
    rule: '§11 INSERT … SELECT without the target key, pulled to the coordinator: the same from the COPY into the target',
    sql: 'INSERT INTO ads (id) SELECT id FROM events LIMIT 5',
    class: 'error',
    error: { message: 'the partition column of table public.ads should have a value' },
  },
  { rule: '§11 INSERT … SELECT pushdown: colocated, target key straight from the source key', sql: 'INSERT INTO ads (company_id, id, campaign_id) SELECT company_id, id, id FROM campaigns', class: 'multi-shard' },
  {
    rule: '§11 INSERT … SELECT pushdown: aggregates grouped by the key',
    sql: 'INSERT INTO ads (company_id, id, clicks) SELECT company_id, 0, count(*) FROM campaigns GROUP BY company_id',
    class: 'multi-shard',
  },
  { rule: '§11 INSERT … SELECT repartition: source not colocated', sql: 'INSERT INTO ads (company_id, id) SELECT company_id, ad_id FROM events', class: 'repartition' },
  { rule: '§11 INSERT … SELECT repartition: target key from a non-key source column', sql: 'INSERT INTO ads (company_id, id) SELECT id, company_id FROM campaigns', class: 'repartition' },
  { rule: '§11 INSERT … SELECT pull to coordinator: ORDER BY … LIMIT', sql: 'INSERT INTO ads (company_id, id) SELECT company_id, id FROM campaigns ORDER BY budget DESC LIMIT 10', class: 'coordinator' },
  { rule: '§11 INSERT … SELECT pull to coordinator: aggregate without GROUP BY key', sql: 'INSERT INTO ads (company_id, id, clicks) SELECT 1, 1, count(*) FROM campaigns', class: 'coordinator' },
  { rule: '§11 INSERT … SELECT into a reference table from a distributed table: pulled to the coordinator', sql: 'INSERT INTO countries (code, name) SELECT DISTINCT title, title FROM ads', class: 'coordinator' },
  { rule: '§11 WITH … INSERT … SELECT works (a CTE plus INSERT … SELECT)', sql: 'WITH fresh AS (SELECT 7 AS company_id, 1 AS id) INSERT INTO ads (company_id, id) SELECT company_id, id FROM fresh', class: 'coordinator' },
  { rule: '§11 INSERT … SELECT: the SELECT fails as a query would (§10 repartition error)', sql: 'INSERT INTO ads (company_id, id) SELECT a.company_id, e.id FROM ads a JOIN events e ON e.ad_id = a.id', class: 'error', error: E.repartition },
];

const UPDATES: Case[] = [
  { rule: '§11 UPDATE joined with itself, not on the key: multi-shard and not joined (multi_modifications.out)', sql: 'UPDATE ads SET clicks = 0 FROM ads other', class: 'error', error: E.complexColocated },
  { rule: '§11 UPDATE joined with itself on the key: pushed down', sql: 'UPDATE ads SET clicks = other.clicks FROM ads other WHERE other.company_id = ads.company_id', class: 'multi-shard' },
  { rule: '§11 UPDATE routed with a key filter', sql: 'UPDATE ads SET clicks = clicks + 1 WHERE company_id = $1 AND id = $2', class: 'router' },
  { rule: '§11 DELETE routed with a key filter', sql: 'DELETE FROM ads WHERE company_id = 5 AND id = 9', class: 'router' },
  { rule: '§11 UPDATE without a key filter: parallel across all shards', sql: 'UPDATE ads SET clicks = 0 WHERE clicks IS NULL', class: 'multi-shard' },
  { rule: '§11 DELETE without a key filter: parallel across all shards', sql: "DELETE FROM campaigns WHERE state = 'archived'", class: 'multi-shard' },
  { rule: '§11 Changing the distribution column', sql: 'UPDATE ads SET company_id = 2 WHERE id = 5', class: 'error', error: E.partitionValue },
  { rule: '§11 Changing the distribution column to another constant than the WHERE clause implies', sql: 'UPDATE ads SET company_id = 2 WHERE company_id = 1', class: 'error', error: E.partitionValue },
  { rule: '§11 SET key = <const> when the WHERE clause implies key = <const> is allowed', sql: 'UPDATE ads SET company_id = 2, clicks = 0 WHERE company_id = 2', class: 'router' },
  { rule: '§11 SET key = key is allowed', sql: 'UPDATE ads SET company_id = company_id, clicks = 0 WHERE id = 1', class: 'multi-shard' },
  { rule: '§11 Volatility: VOLATILE in the SET list (random())', sql: 'UPDATE ads SET clicks = (random() * 10)::int WHERE company_id = 1', class: 'error', error: E.volatileSet },
  { rule: '§11 Volatility: VOLATILE in the SET list (gen_random_uuid())', sql: 'UPDATE ads SET title = gen_random_uuid()::text WHERE company_id = 1', class: 'error', error: E.volatileSet },
  { rule: '§11 Volatility: VOLATILE in the SET list (clock_timestamp())', sql: 'UPDATE campaigns SET updated_at = clock_timestamp()', class: 'error', error: E.volatileSet },
  { rule: '§11 Volatility: VOLATILE in WHERE', sql: 'UPDATE ads SET clicks = 0 WHERE company_id = 1 AND random() > 0.5', class: 'error', error: E.volatileWhere },
  { rule: '§11 Volatility: VOLATILE in a DELETE WHERE', sql: 'DELETE FROM ads WHERE random() < 0.01', class: 'error', error: E.volatileWhere },
  { rule: '§11 Volatility: SET ts = now() is fine (STABLE, evaluated on the coordinator)', sql: 'UPDATE campaigns SET updated_at = now() WHERE company_id = 3', class: 'router' },
  { rule: '§11 Volatility: STABLE function with column arguments', sql: "UPDATE ads SET title = to_char(shown_at, 'YYYY-MM') WHERE company_id = 1", class: 'error', error: E.stableColumns },
  { rule: '§11 Volatility: mutable function inside COALESCE', sql: 'UPDATE ads SET shown_at = COALESCE(shown_at, now()) WHERE company_id = 1', class: 'error', error: E.caseCoalesce },
  { rule: '§11 Volatility: mutable function inside CASE', sql: 'UPDATE ads SET shown_at = CASE WHEN clicks > 0 THEN now() END WHERE company_id = 1', class: 'error', error: E.caseCoalesce },
  { rule: '§11 Volatility: non-IMMUTABLE function in RETURNING of an UPDATE', sql: 'UPDATE ads SET clicks = 0 WHERE company_id = 1 RETURNING now()', class: 'error', error: E.returning },
  {
    rule: '§11 UPDATE … FROM colocated on the key: pushed down',
    sql: "UPDATE ads a SET clicks = 0 FROM campaigns c WHERE c.company_id = a.company_id AND c.id = a.campaign_id AND c.state = 'archived'",
    class: 'multi-shard',
  },
  {
    rule: '§11 UPDATE … FROM colocated on the key, routed by a key filter',
    sql: 'UPDATE ads a SET clicks = 0 FROM campaigns c WHERE c.company_id = a.company_id AND c.id = a.campaign_id AND a.company_id = 4',
    class: 'router',
  },
  { rule: '§11 UPDATE … FROM a non-colocated table', sql: 'UPDATE ads a SET clicks = 0 FROM events e WHERE e.ad_id = a.id', class: 'error', error: E.complexColocated },
  { rule: '§11 DELETE … USING a non-colocated table', sql: "DELETE FROM ads a USING events e WHERE e.ad_id = a.id AND e.kind = 'spam'", class: 'error', error: E.complexColocated },
  {
    rule: '§11 UPDATE … FROM joined on both keys but not colocated; regress multi_shard_update_delete.out',
    sql: 'UPDATE ads a SET clicks = 0 FROM visits v WHERE v.company_id = a.company_id',
    class: 'error',
    error: E.notColocated('ads', 'visits'),
  },
  { rule: '§11 UPDATE with a non-colocated subquery: planned recursively', sql: "UPDATE ads SET clicks = 0 WHERE campaign_id IN (SELECT ad_id FROM events WHERE kind = 'spam')", class: 'recursive' },
  { rule: '§11 DELETE with a subquery colocated on the key: pushed down', sql: "DELETE FROM ads WHERE company_id IN (SELECT id FROM companies WHERE country = 'NL')", class: 'multi-shard' },
  {
    rule: '§11 Modifying a reference table with a join to a distributed table (note the trailing space)',
    sql: 'UPDATE countries k SET name = a.title FROM ads a WHERE a.title = k.code',
    class: 'error',
    error: E.referenceWithDistributed,
  },
  { rule: '§11 DELETE from a reference table using a distributed table', sql: 'DELETE FROM countries k USING ads a WHERE a.title = k.code', class: 'error', error: E.referenceWithDistributed },
  {
    rule: '§11 the same, the distributed table pruned to one shard: the router planner refuses it (SingleShardTaskList; expected/multi_modifications.out)',
    sql: 'DELETE FROM countries k USING ads a WHERE a.title = k.code AND a.company_id = 3',
    class: 'error',
    error: { message: 'cannot perform select on a distributed table and modify a reference table' },
  },
  { rule: '§10 fast path (reference tables always eligible) / §1 2PC: UPDATE of a reference table', sql: "UPDATE countries SET name = 'Nederland' WHERE code = 'NL'", class: 'router' },
  { rule: '§10 fast path / §1: INSERT into a reference table', sql: "INSERT INTO countries (code, name) VALUES ('BE', 'Belgium')", class: 'router' },
  {
    rule: '§11 MERGE changing the distribution column',
    sql: 'MERGE INTO ads a USING campaigns c ON a.company_id = c.company_id AND a.campaign_id = c.id WHEN MATCHED THEN UPDATE SET company_id = 5',
    class: 'error',
    error: E.mergeKey,
  },
  {
    rule: '§11 MERGE whose NOT MATCHED INSERT gives the key: only UPDATE actions change it (colocated source joined on the key: pushed down)',
    sql: 'MERGE INTO ads a USING campaigns c ON a.company_id = c.company_id AND a.campaign_id = c.id WHEN MATCHED THEN UPDATE SET clicks = 0 WHEN NOT MATCHED THEN INSERT (company_id, id, campaign_id) VALUES (c.company_id, c.id, c.id)',
    class: 'multi-shard',
  },
  {
    rule: '§11 Volatility on a single-shard table too; regress query_single_shard_table.out',
    sql: 'UPDATE settings SET value = random()::text',
    class: 'error',
    error: E.volatileSet,
  },
];

const SECTIONS: Array<[string, Case[]]> = [
  ['§10 router', ROUTER],
  ['§10 multi-shard pushdown', MULTI_SHARD],
  ['§10 recursive planning', RECURSIVE],
  ['§10 coordinator', COORDINATOR],
  ['§10 errors', QUERY_ERRORS],
  ['§11 INSERT … VALUES', INSERTS],
  ['§11 INSERT … SELECT', INSERT_SELECT],
  ['§11 UPDATE / DELETE / MERGE', UPDATES],
];

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await readSchema([{ file: 'schema.sql', text: SCHEMA }])).catalog;
});

const route = (sql: string, repartition = false) => classifyQuery(extractFacts(catalog, sql), view, { enableRepartitionJoins: repartition });

for (const [title, cases] of SECTIONS) {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.rule} -> ${c.class}${c.repartition ? ' (enable_repartition_joins)' : ''}: ${c.sql}`, () => {
        const facts = extractFacts(catalog, c.sql);
        expect(facts.unresolved, 'the schema resolves every column').toEqual([]);
        expect(facts.unknownRelations).toEqual([]);
        const r = classifyQuery(facts, view, { enableRepartitionJoins: !!c.repartition });
        expect({ class: r.class, error: r.error }, r.reason).toEqual({ class: c.class, error: c.error });
        expect(r.reason.length).toBeGreaterThan(0);
        if (c.keyFilters) expect((r.keyFilters ?? []).map((f) => `${f.table}.${f.column} ${f.op} #${f.count ?? '-'}`)).toEqual(c.keyFilters);
      });
    }
  });
}

describe('§10 FOR UPDATE with replicated shards (fast_path_router_modify.out)', () => {
  const replicated: DistributionView = { ...view, replicationFactor: (t) => (DESIGN[t]?.role === 'distributed' || DESIGN[t]?.role === 'single-shard' ? 2 : 1) };
  const routeOn = (sql: string) => classifyQuery(extractFacts(catalog, sql), replicated, { enableRepartitionJoins: false });

  it('the router planner refuses FOR UPDATE / SHARE on a distributed table with two placements per shard: the logical planner errors', () => {
    expect(routeOn('SELECT * FROM ads WHERE company_id = 9 FOR UPDATE').error).toEqual(E.forUpdate);
    expect(routeOn('SELECT * FROM settings FOR SHARE').error).toEqual(E.forUpdate);
  });

  it('reference tables, and the same query without the lock, stay router queries', () => {
    expect(routeOn('SELECT * FROM countries WHERE code = $1 FOR UPDATE').class).toBe('router');
    expect(routeOn('SELECT * FROM ads WHERE company_id = 9').class).toBe('router');
  });
});

describe('§11 INSERT … SELECT with CTEs on the INSERT (multi_insert_select.out)', () => {
  it('the SELECT is planned with the CTEs moved onto it, so a CTE read in a correlated subquery is no CTE in a subquery', () => {
    const cte = 'WITH c AS MATERIALIZED (SELECT company_id FROM campaigns) INSERT INTO ads (company_id, id) SELECT t.company_id, t.id FROM campaigns t';
    expect(route(`${cte} WHERE EXISTS (SELECT 1 FROM c WHERE c.company_id = t.company_id)`).class).not.toBe('error');
    expect(route(`${cte} WHERE t.budget > (SELECT count(*) FROM c WHERE c.company_id = t.company_id)`).class).not.toBe('error');
  });
});

describe('§10 repartition joins need columns of one type (multi_insert_select.out)', () => {
  const typed = (): DistributionView => ({ ...view, columnType: (t, c) => typeKey(catalog.tables[t]?.columns.find((x) => x.name === c)?.type) });
  const routeOn = (sql: string) => classifyQuery(extractFacts(catalog, sql), typed(), REPARTITION_ON);

  it('an int4 column joined with an int8 one cannot be repartitioned (one hash function for both sides): no join order', () => {
    expect(routeOn('SELECT * FROM ads a JOIN visits v ON v.company_id = a.company_id').error).toEqual(E.complexEqui);
  });

  it('columns of one type are repartitioned', () => {
    expect(routeOn('SELECT * FROM ads a JOIN events e ON e.ad_id = a.id').class).toBe('repartition');
  });
});

describe('§11 modifications by ctid that read intermediate results (with_modifying.out)', () => {
  const ctid = { message: 'cannot perform distributed planning for the given modification', detail: 'Recursively planned distributed modifications with ctid on where clause are not supported.' };

  it('a DELETE in a CTE whose ctid subquery is planned first into an intermediate result is refused', () => {
    expect(route('WITH d AS (DELETE FROM ads WHERE ctid IN (SELECT ctid FROM ads WHERE company_id = 1) RETURNING *) SELECT * FROM d').error).toEqual(ctid);
    expect(route('WITH s AS (SELECT ctid FROM ads WHERE company_id = 1), d AS (DELETE FROM ads WHERE ctid IN (SELECT ctid FROM s) RETURNING *) SELECT * FROM d').error).toEqual(ctid);
  });

  it('by the key, the same DELETE is fine', () => {
    expect(route('WITH d AS (DELETE FROM ads WHERE company_id IN (SELECT company_id FROM ads WHERE company_id = 1) RETURNING *) SELECT * FROM d').class).not.toBe('error');
  });
});

describe('§10 a LATERAL subquery that needs a merge step over a subquery without FROM (unsupported_lateral_subqueries.out)', () => {
  it('the subquery without FROM recurs on every shard: LIMIT in the lateral subquery cannot be pushed down', () => {
    expect(route('SELECT count(*) FROM (SELECT generate_series(1, 3)) r(a), LATERAL (SELECT ads.clicks FROM ads WHERE ads.clicks = r.a LIMIT 2) q').error).toEqual({
      message: 'cannot push down this subquery',
      detail: 'Limit clause is currently unsupported when a lateral subquery references a column from a subquery without FROM (r)',
    });
  });

  it('a reference table two LATERAL levels up is at the same planner level once PostgreSQL merges the simple subquery between', () => {
    expect(route('SELECT count(*) FROM countries c, LATERAL (SELECT * FROM LATERAL (SELECT ads.clicks FROM ads WHERE ads.title = c.code LIMIT 2) q) q2').error).toEqual({
      message: 'cannot push down this subquery',
      detail: 'Limit clause is currently unsupported when a lateral subquery references a column from a reference table (c)',
    });
  });
});

describe('§10 WHERE with a constant FALSE prunes every shard (multi_router_planner.out)', () => {
  it('tables in two colocation groups, both pruned to nothing, are a router query', () => {
    expect(route('SELECT * FROM ads a, visits v WHERE a.company_id = 10 AND a.company_id = v.company_id AND false').class).toBe('router');
    expect(route('SELECT * FROM ads a, visits v WHERE a.company_id = 10 AND a.company_id = v.company_id AND NULL').class).toBe('router');
  });

  it('FALSE under an OR or a NOT prunes nothing', () => {
    expect(route('SELECT * FROM ads a, visits v WHERE a.company_id = 10 AND a.company_id = v.company_id AND (false OR a.clicks > 1)').class).not.toBe('router');
    expect(route('SELECT * FROM ads a, visits v WHERE a.company_id = 10 AND a.company_id = v.company_id AND NOT false').class).not.toBe('router');
  });
});

describe('the suite itself', () => {
  const all = SECTIONS.flatMap(([, cs]) => cs);

  it('has at least 45 cases, each citing its citus-rules.md section', () => {
    expect(all.length).toBeGreaterThanOrEqual(45);
    for (const c of all) expect(c.rule, c.sql).toMatch(/^§\d+/);
  });

  it('covers every route class', () => {
    expect(new Set(all.map((c) => c.class))).toEqual(new Set<RouteClass>(['router', 'multi-shard', 'repartition', 'recursive', 'coordinator', 'error']));
  });

  it('gives every error a message, and the options default to repartition joins off', () => {
    const sql = 'SELECT * FROM ads a JOIN events e ON e.ad_id = a.id';
    expect(classifyQuery(extractFacts(catalog, sql), view)).toEqual(route(sql));
    for (const c of all) if (c.class === 'error') expect(c.error?.message, c.sql).toBeTruthy();
  });

  it('marks repartition routes as needing the GUC', () => {
    expect(route('SELECT * FROM ads a JOIN events e ON e.ad_id = a.id', true).needsRepartitionGuc).toBe(true);
    expect(route('SELECT * FROM ads a JOIN events e ON e.ad_id = a.id').needsRepartitionGuc).toBe(true);
  });
});
