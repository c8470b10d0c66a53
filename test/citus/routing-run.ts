/**
 * A corpus dataset on the real Citus cluster, for the routing suite: its
 * schema loaded, the migration to the recommended design run as `shardwise
 * migrate` writes it (in-process, with a small shard count), the workload's
 * own views created, then every workload statement planned by Citus with
 * `EXPLAIN (COSTS OFF)`, never ANALYZE, inside a transaction that is rolled
 * back. A statement with `$n` parameters is prepared, each parameter gets a
 * value of the type PostgreSQL inferred for it, and `EXPLAIN EXECUTE` plans it
 * (the first executions of a prepared statement get a custom plan: Citus
 * prunes with the values). The prediction is made on the same statement with
 * the same values written in.
 */
import type pg from 'pg';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design } from '../../src/design/model.js';
import type { WorkloadQuery, WorkloadView } from '../../src/ingest/workload/model.js';
import { planMigration } from '../../src/plan/index.js';
import { quoteIdent } from '../../src/ingest/pg/index.js';
import type { CitusError, RouteClass } from '../../src/simulate/routing/types.js';
import { classifyExplain, compareRouting, explainFailure, type ExplainRouting } from '../../src/simulate/explain.js';
import { runOnCluster } from '../../src/simulate/cluster-run.js';
import { buildTopology } from '../../src/simulate/shards.js';
import { analyzeWorkload } from '../../src/workload/extract.js';
import { viewDefinitions } from '../../src/workload/views.js';
import type { Script } from '../../src/ingest/pg/index.js';
import { bindValues, parameterNumbers, parameterValues, type ParameterType } from './routing-params.js';
import type { CorpusDataset } from '../support/corpus.js';
import type { CitusDatabase } from '../support/citus.js';
import { psqlFiles } from '../support/psql.js';

export interface PlannedStatement {
  readonly query: WorkloadQuery;
  /** The statement with its parameters written in: what both sides plan. */
  readonly bound: string;
  readonly parameters?: Record<string, string>;
  /** Lines of EXPLAIN (COSTS OFF), or the error Citus gave. */
  readonly plan: { readonly lines: string[] } | { readonly error: CitusError };
}

export interface DatasetRun {
  readonly catalog: Catalog;
  readonly scripts: Script[];
  readonly design: Design;
  readonly views: readonly WorkloadView[];
  /** Migration steps that failed on the cluster, with Citus's error. */
  readonly migrationErrors: string[];
  readonly statements: PlannedStatement[];
}

const PARAMETER_TYPES = `SELECT pg_catalog.format_type(t.oid, NULL) AS display,
       COALESCE(b.typname, t.typname)::text AS name, COALESCE(b.typcategory, t.typcategory)::text AS category,
       e.typname::text AS element_name, e.typcategory::text AS element_category,
       (SELECT pg_catalog.array_agg(l.enumlabel::text ORDER BY l.enumsortorder) FROM pg_catalog.pg_enum l WHERE l.enumtypid = COALESCE(b.oid, t.oid)) AS labels
  FROM pg_catalog.pg_prepared_statements s, unnest(s.parameter_types) WITH ORDINALITY AS p(typ, ord)
  JOIN pg_catalog.pg_type t ON t.oid = p.typ
  LEFT JOIN pg_catalog.pg_type b ON b.oid = NULLIF(t.typbasetype, 0)
  LEFT JOIN pg_catalog.pg_type e ON e.oid = NULLIF(COALESCE(b.typelem, t.typelem), 0) AND COALESCE(b.typcategory, t.typcategory) = 'A'
 WHERE s.name = $1
 ORDER BY p.ord`;

interface TypeRow {
  display: string;
  name: string;
  category: string;
  element_name: string | null;
  element_category: string | null;
  labels: string[] | null;
}

function citusError(e: unknown): CitusError {
  const x = e as { message?: string; detail?: string; hint?: string };
  return { message: x.message ?? String(e), ...(x.detail ? { detail: x.detail } : {}), ...(x.hint ? { hint: x.hint } : {}) };
}

function searchPathSql(path: readonly string[] | undefined): string {
  return path?.length ? `SET LOCAL search_path TO ${path.map((s) => (s === '$user' ? '"$user"' : quoteIdent(s))).join(', ')}` : 'SET LOCAL search_path TO DEFAULT';
}

/**
 * PREPARE a statement; a parameter whose type PostgreSQL cannot infer
 * (`concat($1, ' day')`) is declared text, as the application binds a string
 * there; the others are left for PostgreSQL to infer (`unknown`).
 */
async function prepare(client: pg.Client, name: string, text: string): Promise<unknown | undefined> {
  const declared: string[] = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    await client.query('SAVEPOINT shardwise_prepare');
    try {
      await client.query(`PREPARE ${name}${declared.length ? ` (${declared.join(', ')})` : ''} AS ${text}`);
      await client.query('RELEASE SAVEPOINT shardwise_prepare');
      return undefined;
    } catch (e) {
      await client.query('ROLLBACK TO SAVEPOINT shardwise_prepare');
      const m = /could not determine data type of parameter \$(\d+)/.exec(citusError(e).message);
      if (!m) return e;
      const n = Number(m[1]);
      while (declared.length < n) declared.push('unknown');
      declared[n - 1] = 'text';
    }
  }
  return new Error('parameter types not found');
}

/** Values for the parameters of a prepared statement, of the types PostgreSQL inferred. */
async function boundValues(client: pg.Client, name: string, text: string): Promise<Map<number, string>> {
  const types = await client.query<TypeRow>(PARAMETER_TYPES, [name]);
  return parameterValues(
    text,
    types.rows.map(
      (t): ParameterType => ({
        display: t.display,
        name: t.name,
        category: t.category,
        ...(t.element_name ? { elementName: t.element_name } : {}),
        ...(t.element_category ? { elementCategory: t.element_category } : {}),
        ...(t.labels ? { labels: t.labels } : {}),
      }),
    ),
  );
}

/** Plan one statement on the cluster: EXPLAIN (or PREPARE + EXPLAIN EXECUTE) in a transaction that is rolled back. */
export async function explainStatement(client: pg.Client, query: WorkloadQuery, name: string): Promise<PlannedStatement> {
  const text = (query.sample || query.sql).replace(/;\s*$/, '').trim();
  const params = parameterNumbers(text);
  await client.query('BEGIN');
  try {
    await client.query(searchPathSql(query.searchPath));
    if (!params.length) {
      try {
        const r = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${text}`);
        return { query, bound: text, plan: { lines: r.rows.map((x) => x['QUERY PLAN']) } };
      } catch (e) {
        return { query, bound: text, plan: { error: citusError(e) } };
      }
    }
    const failed = await prepare(client, name, text);
    if (failed) return { query, bound: text, plan: { error: citusError(failed) } };
    const values = await boundValues(client, name, text);
    const ordered = [...values.keys()].sort((a, b) => a - b);
    const parameters = Object.fromEntries(ordered.map((k) => [`$${k}`, values.get(k)!]));
    const bound = bindValues(text, values);
    try {
      const r = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) EXECUTE ${name}(${ordered.map((k) => values.get(k)).join(', ')})`);
      return { query, bound, parameters, plan: { lines: r.rows.map((x) => x['QUERY PLAN']) } };
    } catch (e) {
      return { query, bound, parameters, plan: { error: citusError(e) } };
    }
  } finally {
    await client.query('ROLLBACK');
    if (params.length) await client.query(`DEALLOCATE ${name}`).catch(() => undefined);
  }
}

/**
 * A workload's CREATE VIEW with `$n` in its query (the application writes
 * values in before it runs it): the values bound as for a statement, by the
 * types PostgreSQL infers for the view's query.
 */
async function viewWithValues(client: pg.Client, sql: string): Promise<string> {
  if (!parameterNumbers(sql).length) return sql;
  const m = /^([\s\S]*?\bas\s+)(\(?\s*select\b[\s\S]*)$/i.exec(sql);
  if (!m) return sql;
  const name = 'shardwise_routing_view';
  if (await prepare(client, name, m[2])) return sql;
  try {
    return m[1] + bindValues(m[2], await boundValues(client, name, m[2]));
  } finally {
    await client.query(`DEALLOCATE ${name}`).catch(() => undefined);
  }
}

/** Load, migrate and plan one dataset on a fresh database of the cluster (`db` has the citus extension). */
export async function runDataset(ds: CorpusDataset, db: CitusDatabase, shardCount: number, citus: string): Promise<DatasetRun> {
  const analysis = await analyzeInputs({ schema: [ds.schemaPath], workload: [ds.queriesPath!], cwd: ds.dir, shardCount, citus });
  const { catalog } = analysis;
  const design = analysis.advice.design;
  psqlFiles(db.url, [ds.schemaPath]);
  const migration = planMigration(catalog, design, { citus });
  const migrationErrors: string[] = [];
  for (const step of migration.steps) {
    try {
      await db.client.query(step.sql);
    } catch (e) {
      migrationErrors.push(`${step.sql.split('\n')[0]}: ${citusError(e).message}`);
    }
  }
  const views = analysis.workloadInput?.views ?? [];
  for (const v of views) {
    await db.client.query('BEGIN');
    await db.client.query(searchPathSql(v.searchPath));
    const sql = await viewWithValues(db.client, v.sql.replace(/;\s*$/, ''));
    await db.client.query(sql).catch((e: unknown) => migrationErrors.push(`workload view: ${citusError(e).message}`));
    await db.client.query('COMMIT');
  }
  const statements: PlannedStatement[] = [];
  let n = 0;
  for (const q of analysis.workloadInput?.queries ?? []) {
    if (!['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'].includes(q.command ?? '')) continue;
    statements.push(await explainStatement(db.client, q, `shardwise_routing_${++n}`));
  }
  return { catalog, scripts: analysis.scripts, design, views, migrationErrors, statements };
}

export interface StatementComparison {
  readonly statement: PlannedStatement;
  readonly real: ExplainRouting;
  /** shardwise's class and shard count, on the design and the cluster's own workers; undefined when it could not read the statement. */
  readonly predicted?: { readonly class: RouteClass; readonly shards: number; readonly reason: string; readonly error?: CitusError };
  readonly agree: boolean;
  readonly why?: string;
}

/**
 * shardwise's prediction for every planned statement, as `simulate` makes it
 * (the router on the design's shard map, over the cluster's workers), each
 * statement with the values EXPLAIN EXECUTE used written in, against the
 * real plan.
 */
export function compareDataset(run: DatasetRun, workers: readonly string[], coordinator: string): StatementComparison[] {
  const nodes = workers.map((w) => ({ name: w.slice(0, w.lastIndexOf(':')), port: Number(w.slice(w.lastIndexOf(':') + 1)) }));
  const topology = buildTopology(run.design, { nodes });
  const queries = run.statements.map((s) => ({ ...s.query, sample: s.bound }));
  const workload = analyzeWorkload(run.catalog, queries, { views: viewDefinitions(run.catalog, run.scripts, run.views) });
  const sim = runOnCluster(run.catalog, run.design, topology, workload, [], undefined);
  const byId = new Map(sim.queries.map((q) => [q.id, q]));
  return run.statements.map((statement) => {
    const real = 'lines' in statement.plan ? classifyExplain(statement.plan.lines) : explainFailure(statement.plan.error);
    const p = byId.get(statement.query.id);
    if (!p) return { statement, real, agree: false, why: 'shardwise could not read the statement' };
    const predicted = { class: p.class, shards: p.shards, reason: p.reason, ...(p.error ? { error: p.error } : {}) };
    const c = compareRouting(predicted, real, { coordinator, exactShards: true });
    return { statement, real, predicted, agree: c.agree, ...(c.why ? { why: c.why } : {}) };
  });
}
