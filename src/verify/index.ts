/**
 * `verify`: a real Citus cluster after the migration, held against the design
 * and against shardwise's routing predictions. Everything it reads comes
 * through one read-only session (statement and lock timeouts, a READ ONLY
 * transaction that is rolled back at the end): the catalog, Citus's metadata,
 * and an EXPLAIN (never ANALYZE) of each workload statement.
 */
import { tableKeyOf, readDesignFile } from '../design/file.js';
import type { Design, TableDesign } from '../design/model.js';
import type { Catalog } from '../catalog/model.js';
import { connectLive, describeDatabase, LiveError, readLiveCatalog, readLiveWorkload, type Env, type LiveSession, type SessionLimits } from '../ingest/live/index.js';
import { displayName } from '../ingest/pg/index.js';
import { readWorkload, type WorkloadInput, type WorkloadQuery } from '../ingest/workload/index.js';
import { compareRouting } from '../simulate/explain.js';
import { checkDesign } from './design-check.js';
import { ExplainRunner, type RealPlan } from './explain-run.js';
import { readClusterMetadata, type ClusterMetadata } from './metadata.js';
import type { StatementCheck, VerifyReport } from './model.js';
import { predict } from './predict.js';

export type * from './model.js';
export type { TableCheck, TableDrift, DriftKind } from './design-check.js';

export interface VerifyOptions {
  readonly url?: string;
  readonly env: Env;
  readonly limits?: SessionLimits;
  /** The design file: its path and the name reports use for it. */
  readonly design: { readonly path: string; readonly display: string };
  /** Workload files; without them, the cluster's own pg_stat_statements. */
  readonly workload: readonly string[];
  readonly cwd: string;
}

/** Statements EXPLAIN takes. */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** The design's table keys resolved against the cluster's catalog (an unqualified name may live outside public). */
function resolveDesign(design: Design, catalog: Catalog): Design {
  const key = (k: string) => tableKeyOf(displayName(k), catalog);
  const tables: Record<string, TableDesign> = {};
  for (const [k, t] of Object.entries(design.tables)) tables[key(k)] = { ...t, ...(t.colocateWith ? { colocateWith: key(t.colocateWith) } : {}) };
  return { ...design, tables: Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

export async function verifyCluster(options: VerifyOptions): Promise<VerifyReport> {
  // Read first, so that a design file that does not parse costs no connection.
  const raw = readDesignFile(options.design.path, options.design.display);
  const files = options.workload.length ? await readWorkload([...options.workload], options.cwd) : undefined;
  const session = await connectLive(options.url, options.env, options.limits);
  try {
    const catalog = await readLiveCatalog(session, { serverVersionNum: session.serverVersionNum });
    const cluster = await readClusterMetadata(session);
    const design = resolveDesign(raw, catalog);
    const tables = checkDesign(design, catalog, cluster);
    const notices: string[] = [];
    let workload: WorkloadInput | undefined = files;
    if (!workload) {
      try {
        workload = await readLiveWorkload(session);
      } catch (e) {
        if (!(e instanceof LiveError && e.kind === 'extension')) throw e;
        notices.push(`${e.message}: routing is not checked (pass --workload FILE)`);
      }
    }
    const statements = workload ? await checkRouting(session, catalog, design, cluster, workload) : [];
    const tableDrift = tables.filter((t) => t.drift.length).length;
    const disagree = statements.filter((s) => s.outcome === 'disagree').length;
    return {
      source: describeDatabase(session.settings, session.database),
      citus: cluster.citusVersion,
      workers: cluster.workers,
      repartitionJoins: cluster.enableRepartitionJoins,
      ...(cluster.coordinator ? { coordinator: cluster.coordinator } : {}),
      design: options.design.display,
      tables,
      statements,
      notices,
      summary: {
        tables: tables.length,
        tableDrift,
        statements: statements.length,
        agree: statements.filter((s) => s.outcome === 'agree').length,
        disagree,
        skipped: statements.filter((s) => s.outcome === 'skipped').length,
      },
      drift: tableDrift > 0 || disagree > 0,
    };
  } finally {
    await session.close();
  }
}

async function checkRouting(
  session: LiveSession,
  catalog: Catalog,
  design: Design,
  cluster: ClusterMetadata,
  workload: WorkloadInput,
): Promise<StatementCheck[]> {
  const runner = new ExplainRunner(session, { catalog, views: workload.views ?? [] });
  const planned: Array<{ query: WorkloadQuery; plan: RealPlan }> = [];
  const out: StatementCheck[] = [];
  const base = (q: WorkloadQuery) => ({ id: q.id, ...(q.label !== undefined ? { label: q.label } : {}), weight: q.weight, sql: q.sample || q.sql });
  for (const q of workload.queries) {
    if (q.command && !EXPLAINABLE.has(q.command)) {
      out.push({ ...base(q), outcome: 'skipped', why: `not a query (${q.command}): EXPLAIN does not plan it` });
      continue;
    }
    const plan = await runner.plan(q.sample || q.sql, q.searchPath);
    if ('skipped' in plan) out.push({ ...base(q), outcome: 'skipped', why: plan.skipped });
    else planned.push({ query: q, plan });
  }
  const prediction = predict(
    catalog,
    design,
    cluster.workers,
    planned.map((p) => ({ query: p.query, bound: p.plan.bound })),
    { views: workload.views ?? [], enableRepartitionJoins: cluster.enableRepartitionJoins },
  );
  for (const { query, plan } of planned) {
    const real = plan.routing;
    const realView = {
      class: real.class,
      tasks: real.tasks,
      subplans: real.subplans,
      reason: real.reason,
      ...(real.method ? { method: real.method } : {}),
      ...(plan.defaults ? { defaults: plan.defaults } : {}),
      ...(plan.views ? { views: plan.views } : {}),
      ...(real.error ? { error: real.error } : {}),
    };
    const extra = { ...(plan.parameters ? { parameters: plan.parameters, bound: plan.bound } : {}), real: realView };
    const p = prediction.routed.get(query.id);
    if (!p) {
      out.push({ ...base(query), ...extra, outcome: 'skipped', why: `shardwise cannot read it: ${prediction.unread.get(query.id) ?? 'no facts'}` });
      continue;
    }
    const predicted = { class: p.class, shards: p.shards, reason: p.reason, ...(p.error ? { error: p.error } : {}) };
    const cmp = compareRouting(predicted, real, { ...(cluster.coordinator ? { coordinator: cluster.coordinator } : {}), exactShards: true });
    out.push({ ...base(query), ...extra, predicted, outcome: cmp.agree ? 'agree' : 'disagree', ...(cmp.why ? { why: cmp.why } : {}) });
  }
  return out.sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
