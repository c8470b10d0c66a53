/**
 * One workload statement planned by the real cluster: `EXPLAIN (COSTS OFF)`,
 * never ANALYZE, in the read-only session. A statement with `$n` parameters is
 * prepared first; its parameter types (pg_prepared_statements) give each one
 * a value (params.ts), and `EXPLAIN EXECUTE` plans it with those values; the
 * prepared statement is deallocated after. Statements that write are
 * explained only: EXPLAIN without ANALYZE runs nothing, and the transaction is
 * read-only besides.
 */
import { LiveError, type LiveSession } from '../ingest/live/index.js';
import { quoteIdent } from '../ingest/pg/index.js';
import { classifyExplain, explainFailure, type ExplainRouting } from '../simulate/explain.js';
import type { Catalog } from '../catalog/model.js';
import type { WorkloadView } from '../ingest/workload/model.js';
import { evaluateSequenceDefaults } from './defaults.js';
import { inlineWorkloadViews } from './workload-views.js';
import { bindValues, parameterNumbers, parameterValues, type ParameterType } from './params.js';

export interface RealPlan {
  readonly routing: ExplainRouting;
  /** `$n` -> the literal it was bound to, when the statement has parameters. */
  readonly parameters?: Record<string, string>;
  /** The statement with those literals written in: what the prediction is made on. */
  readonly bound: string;
  /** Columns whose sequence default Citus evaluates while planning, given a value for EXPLAIN (defaults.ts). */
  readonly defaults?: string[];
  /** Views the workload creates itself, planned through their queries (workload-views.ts). */
  readonly views?: string[];
}

/** Why a statement is not planned: the read-only session cannot, or it is not a query. */
export interface NotPlanned {
  readonly skipped: string;
}

interface TypeRow extends Record<string, unknown> {
  display: string;
  name: string;
  category: string;
  element_name: string | null;
  element_category: string | null;
  labels: string[] | null;
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

/** SQLSTATE 25006: the statement needs to write while it is planned (nextval() of a default, evaluated by Citus on the coordinator). */
const READ_ONLY = '25006';

function failure(e: LiveError): ExplainRouting {
  return explainFailure({ message: e.message.replace(/^query failed: /, '') });
}

/** Text to hand to EXPLAIN / PREPARE: without a final semicolon. */
function statementText(sql: string): string {
  return sql.replace(/;\s*$/, '').trim();
}

/** The search_path a statement runs with: its own, or the session's default. */
async function useSearchPath(session: LiveSession, searchPath: readonly string[] | undefined): Promise<void> {
  if (searchPath?.length) await session.query(`SET LOCAL search_path TO ${searchPath.map((s) => (s === '$user' ? '"$user"' : quoteIdent(s))).join(', ')}`);
  else await session.query('SET LOCAL search_path TO DEFAULT');
}

export class ExplainRunner {
  private prepared = 0;
  private savepoints = 0;

  /**
   * `catalog`: the cluster's, for the sequence defaults Citus evaluates while
   * planning (defaults.ts); `views`: the views the workload creates itself
   * (workload-views.ts).
   */
  constructor(
    private readonly session: LiveSession,
    private readonly context: { readonly catalog?: Catalog; readonly views?: readonly WorkloadView[] } = {},
  ) {}

  /**
   * EXPLAIN inside a savepoint that is always rolled back. Citus runs EXPLAIN
   * of a task on its worker within the coordinated transaction; when the
   * worker cannot plan it (13.2 with a parameter of an enum type: "Could not
   * get remote plan."), the worker's transaction is left aborted, and every
   * later statement of the session would fail with it. Rolling back to the
   * savepoint rolls the workers' transactions back with it.
   */
  private async explain(sql: string): Promise<{ rows: string[] } | { error: LiveError }> {
    const sp = `shardwise_verify_sp_${++this.savepoints}`;
    await this.session.query(`SAVEPOINT ${sp}`);
    try {
      const rows = await this.session.query<{ 'QUERY PLAN': string }>(sql);
      return { rows: rows.map((r) => r['QUERY PLAN']) };
    } catch (e) {
      if (e instanceof LiveError) return { error: e };
      throw e;
    } finally {
      await this.session.query(`ROLLBACK TO SAVEPOINT ${sp}`);
      await this.session.query(`RELEASE SAVEPOINT ${sp}`);
    }
  }

  /** Prepare the statement, read its parameter types, deallocate it: a value per parameter, or why it does not prepare. */
  private async parameterValues(text: string): Promise<Map<number, string> | { error: LiveError }> {
    const name = `shardwise_verify_${++this.prepared}`;
    const prep = await this.session.tryQuery(`PREPARE ${name} AS ${text}`);
    if ('error' in prep) return prep;
    try {
      const types = await this.session.query<TypeRow>(PARAMETER_TYPES, [name]);
      return parameterValues(
        text,
        types.map((t) => ({
          display: t.display,
          name: t.name,
          category: t.category,
          ...(t.element_name ? { elementName: t.element_name } : {}),
          ...(t.element_category ? { elementCategory: t.element_category } : {}),
          ...(t.labels ? { labels: t.labels } : {}),
        })) satisfies ParameterType[],
      );
    } finally {
      await this.session.tryQuery(`DEALLOCATE ${name}`);
    }
  }

  /** EXPLAIN the statement; with parameter values, through PREPARE and EXPLAIN EXECUTE. */
  private async explainWith(text: string, values: ReadonlyMap<number, string> | undefined): Promise<{ rows: string[] } | { error: LiveError }> {
    if (!values) return this.explain(`EXPLAIN (COSTS OFF) ${text}`);
    const name = `shardwise_verify_${++this.prepared}`;
    const prep = await this.session.tryQuery(`PREPARE ${name} AS ${text}`);
    if ('error' in prep) return prep;
    try {
      const list = [...values.keys()].sort((a, b) => a - b).map((k) => values.get(k)!);
      return await this.explain(`EXPLAIN (COSTS OFF) EXECUTE ${name}${list.length ? `(${list.join(', ')})` : ''}`);
    } finally {
      await this.session.tryQuery(`DEALLOCATE ${name}`);
    }
  }

  async plan(sql: string, searchPath?: readonly string[]): Promise<RealPlan | NotPlanned> {
    const text = statementText(sql);
    await useSearchPath(this.session, searchPath);
    const inlined = inlineWorkloadViews(text, this.context.views ?? []);
    const planned = inlined?.sql ?? text;
    const through = inlined ? { views: inlined.views } : {};
    let values: Map<number, string> | undefined;
    if (parameterNumbers(text).length) {
      const v = await this.parameterValues(planned);
      if ('error' in v) return { routing: failure(v.error), bound: text, ...through };
      values = v;
    }
    const bound = values ? bindValues(text, values) : text;
    const parameters = values ? { parameters: Object.fromEntries([...values.entries()].sort(([a], [b]) => a - b).map(([k, v]) => [`$${k}`, v])) } : {};
    let r = await this.explainWith(planned, values);
    let defaults: string[] | undefined;
    if ('error' in r && r.error.sqlState === READ_ONLY && this.context.catalog) {
      const schemas = await this.session.query<{ s: string[] }>('SELECT pg_catalog.current_schemas(false)::text[] AS s');
      const evaluated = evaluateSequenceDefaults(planned, this.context.catalog, schemas[0]?.s ?? []);
      if (evaluated) {
        r = await this.explainWith(evaluated.sql, values);
        defaults = evaluated.columns;
      }
    }
    if ('error' in r) return r.error.sqlState === READ_ONLY ? { skipped: readOnlyReason(r.error) } : { routing: failure(r.error), ...parameters, bound, ...through };
    return { routing: classifyExplain(r.rows), ...parameters, bound, ...through, ...(defaults ? { defaults } : {}) };
  }
}

function readOnlyReason(e: LiveError): string {
  return `Citus evaluates part of it while planning, which a read-only session refuses (${e.message.replace(/^query failed: /, '')})`;
}
