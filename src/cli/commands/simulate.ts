/**
 * `shardwise simulate`: the design on a simulated cluster (placement, skew,
 * how each query routes, transactions), or with `--migration FILE` each
 * statement of a migration run on a simulated Citus coordinator, with the
 * errors and notices Citus gives.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readSchema } from '../../catalog/index.js';
import type { Catalog, Diagnostic } from '../../catalog/model.js';
import { readDesignFile, DesignFileError } from '../../design/file.js';
import type { Design } from '../../design/model.js';
import { displayPath, InputError, readSqlFile } from '../../ingest/files.js';
import { readScript, type Script } from '../../ingest/pg/index.js';
import { planMigration, PlanError } from '../../plan/index.js';
import { renderSimulateHtml } from '../../report/html.js';
import { compareSimulations, renderComparisonText, renderSimulationText } from '../../report/simulation.js';
import { simulateScript, tableDataFromSchema, type Simulation } from '../../simulate/citus/index.js';
import { runOnCluster, type ClusterSimulation } from '../../simulate/cluster-run.js';
import { nodeLoads, placeCsvData, placeDumpData, placeSampleData, type DataPlacement } from '../../simulate/placement.js';
import type { SampleData } from '../../ingest/live/index.js';
import { buildTopology } from '../../simulate/shards.js';
import { tableForFile } from '../../stats/data.js';
import { bareDb, citusFlag, ANALYSIS_FLAGS, liveSource, oneOf, parseFlags, positiveInt, reportSkipped, toJson } from '../common.js';
import { UsageError, type CliIO, type Command } from '../io.js';
import { analyzeInputs, loadInputs, type Analysis } from '../pipeline.js';
import { checkMigration } from '../../simulate/citus/index.js';
import { progressLine, stepsOf, type Progress } from '../progress.js';

const USAGE = `Usage: shardwise simulate SCHEMA... [--plan P] [--workload F]... [--data F]... [--nodes 4] [--shards 32] [--compare B]
       shardwise simulate DIR [...]          (a directory written by shardwise collect; its sample/ is the data)
       shardwise simulate --db [URL] [--sample N] [...]   (a live database, read-only)
       shardwise simulate SCHEMA... --migration FILE [--citus VERSION]

Without --migration: the design (--plan, or the recommended one) on a
simulated cluster: the shard map, where the rows of the data land (rows per
shard and worker, imbalance, hottest values), how every query of the
workload routes (router, multi-shard, repartition, recursive, coordinator,
error) with the tasks it sends to each shard, whether each transaction stays
on one shard, and the weighted shares.

With --migration FILE: each statement of FILE, after the schema, run on a
simulated Citus coordinator: ok, or the ERROR/DETAIL/HINT Citus gives, with
NOTICEs; queries in the script also get their routing class.

Options:
  --plan FILE          the design file (default: the recommendation, as analyze makes it)
  --compare FILE       a second design file: the difference in single-shard share, repartition joins and imbalance
  --workload FILE      queries: pg_stat_statements CSV/JSON, server log, or .sql (repeatable)
  --stats FILE         pg_stats / pg_class CSV export, for the recommendation (repeatable)
  --data FILE          data: SQL with COPY/INSERT, or a CSV per table (repeatable); a dump's own data counts too
  --db [URL]           read schema, stats and pg_stat_statements from a live database, read-only
                       (a bare --db, or --db='', takes PGHOST, PGPORT, PGUSER, ... as libpq does)
  --sample N           (--db) place up to N rows per table read with TABLESAMPLE SYSTEM ... LIMIT N
                       (at most 1000000; default 0: no data placement)
  --statement-timeout MS   (--db) cancel any one query after MS milliseconds (default 30000; 0: none)
  --lock-timeout MS        (--db) give up waiting for a lock after MS milliseconds (default 2000; 0: none)
  --nodes N            worker count (default 4)
  --shards N           shard count (default: the design's, else 32)
  --enable-repartition-joins   plan joins of tables that are not colocated by repartitioning
  --tasks N            shard tasks printed per query in text (default 4; 0 prints all)
  --verbose            (text) every table, every table's placement and every query; by default
                       they are counted by colocation group, with a few named, and the 10 heaviest
                       queries shown
  --migration FILE     simulate this migration script instead
  --citus VERSION      target Citus version (default: the plan's, else 14.0)
  --format FORMAT      text, json or html (default text)
  --no-coordinator     (--migration) the coordinator is not in the metadata
  --no-metadata-sync   (--migration) metadata is not synced to the workers
  -q, --quiet          no progress line on standard error (none either when it is not a terminal, or under CI)

Exit codes: 0 done (every migration step ok), 1 a migration step fails or a
query would fail on Citus, 2 bad input.`;

export const simulate: Command = {
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(
      bareDb(argv),
      {
        migration: { type: 'string' },
        plan: { type: 'string' },
        compare: { type: 'string' },
        ...ANALYSIS_FLAGS,
        quiet: { type: 'boolean', short: 'q' },
        sample: { type: 'string' },
        nodes: { type: 'string' },
        'enable-repartition-joins': { type: 'boolean' },
        tasks: { type: 'string' },
        verbose: { type: 'boolean' },
        'no-coordinator': { type: 'boolean' },
        'no-metadata-sync': { type: 'boolean' },
      },
      USAGE,
    );
    citusFlag(values.citus);
    const progress = progressLine(io, 'simulate', { quiet: values.quiet });
    try {
      if (values.migration !== undefined) return await runMigration(values.migration, positionals, values, io, progress);
      return await runDesign(positionals, values, io, progress);
    } finally {
      progress.clear();
    }
  },
};

interface DesignFlags {
  plan?: string;
  compare?: string;
  workload?: string[];
  stats?: string[];
  data?: string[];
  db?: string;
  'statement-timeout'?: string;
  'lock-timeout'?: string;
  sample?: string;
  nodes?: string;
  shards?: string;
  'enable-repartition-joins'?: boolean;
  tasks?: string;
  verbose?: boolean;
  citus?: string;
  format?: string;
}

async function runDesign(positionals: string[], values: DesignFlags, io: CliIO, progress: Progress): Promise<number> {
  const format = oneOf(values.format, ['text', 'json', 'html'] as const, '--format', 'text');
  const nodes = positiveInt(values.nodes, '--nodes', 4, 1000);
  const shards = values.shards !== undefined ? positiveInt(values.shards, '--shards', 32, 64000) : undefined;
  const maxTasks = values.tasks === '0' ? 0 : positiveInt(values.tasks, '--tasks', 4);
  const db = liveSource(values, io);
  if (!positionals.length && !db) throw new UsageError('no schema given', 'pass the schema dump: shardwise simulate schema.sql --plan shardwise.plan.yaml');
  if (values.compare !== undefined && format === 'html') throw new UsageError('--compare prints text or JSON', 'drop --format html');

  let analysis: Omit<Analysis, 'advice'>;
  let design: Design;
  let other: Design | undefined;
  try {
    const inputs = {
      schema: positionals,
      workload: values.workload,
      stats: values.stats,
      data: values.data,
      db,
      cwd: io.cwd,
      sample: true,
      shardCount: shards,
      citus: values.citus,
      onProgress: stepsOf(progress),
    };
    if (values.plan !== undefined) {
      analysis = await loadInputs(inputs);
      design = readPlan(values.plan, analysis.catalog, io);
    } else {
      const a = await analyzeInputs(inputs);
      analysis = a;
      design = a.advice.design;
    }
    if (values.compare !== undefined) other = readPlan(values.compare, analysis.catalog, io);
    progress.clear();
    for (const notice of analysis.notices) io.stderr.write(`shardwise simulate: notice: ${notice}\n`);
    reportSkipped(io, 'simulate', [...analysis.catalog.diagnostics, ...(analysis.workload?.diagnostics ?? []), ...(analysis.workloadInput?.diagnostics ?? [])]);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message, e.hint);
    if (e instanceof DesignFileError) {
      throw new UsageError(e.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`).join('\n'), 'fix the design file');
    }
    throw e;
  }
  const { catalog } = analysis;
  if (!Object.keys(catalog.tables).length) throw new UsageError('no table was read from the schema', 'pass a schema dump that contains CREATE TABLE statements');

  const csv = (values.data ?? []).filter((p) => /\.csv$/i.test(p));
  const run = async (d: Design): Promise<ClusterSimulation> => {
    const withVersion: Design = values.citus ? { ...d, citus: values.citus } : d;
    const topology = buildTopology(withVersion, { nodes, ...(shards ? { shardCount: shards } : {}) });
    progress.update('placing the data on the shards');
    const placement = await placeData(catalog, topology, csv, analysis.sample, io);
    progress.update(`routing ${analysis.workload?.queries.length ?? 0} queries on ${nodes} workers`);
    const sim = runOnCluster(catalog, withVersion, topology, analysis.workload, analysis.workloadInput?.transactions ?? [], placement, {
      enableRepartitionJoins: !!values['enable-repartition-joins'],
    });
    progress.update('running the migration on the Citus model');
    return { ...sim, migration: migrationCheck(catalog, analysis.scripts, withVersion) };
  };
  const sim = await run(design);
  const failing = sim.queries.some((q) => q.class === 'error') || !!sim.migration?.failures.length;
  if (other) {
    const b = await run(other);
    progress.clear();
    const rows = compareSimulations(sim, b);
    const nameA = values.plan ?? 'the recommended design';
    if (format === 'json') io.stdout.write(toJson({ a: sim, b, comparison: rows }));
    else io.stdout.write(renderComparisonText(rows, nameA, values.compare!, sim, b));
    return failing ? 1 : 0;
  }
  progress.clear();
  if (format === 'json') io.stdout.write(toJson(sim));
  else if (format === 'html') {
    io.stdout.write(
      renderSimulateHtml({
        placements: sim.placement?.tables ?? [],
        nodes: sim.placement?.nodes ?? [],
        design,
        catalog,
        shares: sim.summary.shares,
        queries: sim.queries.map((q) => ({ id: q.id, sql: q.sql, weight: q.weight, class: q.class, reason: q.reason })),
      }),
    );
  } else io.stdout.write(renderSimulationText(sim, { maxTasks, verbose: !!values.verbose }));
  return failing ? 1 : 0;
}

/** The migration `shardwise migrate` would write for the design, and its rollback, on the Citus model. */
function migrationCheck(catalog: Catalog, scripts: Script[], design: Design): NonNullable<ClusterSimulation['migration']> {
  let m;
  try {
    m = planMigration(catalog, design, { citus: design.citus });
  } catch (e) {
    if (e instanceof PlanError) return { steps: 0, rollbackSteps: 0, failures: [e.message] };
    throw e;
  }
  const { failures } = checkMigration(catalog, scripts, design, m);
  return { steps: m.steps.length, rollbackSteps: m.rollback.steps.length, failures };
}

function readPlan(path: string, catalog: Catalog, io: CliIO): Design {
  const full = resolve(io.cwd, path);
  if (!existsSync(full)) throw new UsageError(`${displayPath(full, io.cwd)}: no such file`, 'write one with shardwise analyze --write-plan');
  return readDesignFile(full, displayPath(full, io.cwd), catalog);
}

/**
 * Rows of the dump's own data, of CSV files (one per table) and of a sample
 * (`--db --sample N`, a collected directory's sample/), placed on the shard
 * map; per table a CSV file wins over the sample, the sample over the dump.
 * Undefined without data.
 */
async function placeData(catalog: Catalog, topology: ReturnType<typeof buildTopology>, csv: string[], sample: SampleData | undefined, io: CliIO): Promise<DataPlacement | undefined> {
  const sampled = sample && Object.keys(sample).length ? sample : undefined;
  if (!catalog.data.length && !csv.length && !sampled) return undefined;
  const dump = catalog.data.length ? await placeDumpData(catalog, topology, { cwd: io.cwd }) : undefined;
  if (!csv.length && !sampled) return dump;
  const files = csv.map((p) => ({ table: tableForFile(catalog, displayPath(resolve(io.cwd, p), io.cwd)).key, path: resolve(io.cwd, p) }));
  const fromCsv = files.length ? await placeCsvData(catalog, topology, files) : undefined;
  const fromSample = sampled ? await placeSampleData(catalog, topology, sampled) : undefined;
  const csvTables = new Set(files.map((f) => f.table));
  const pick = (key: string): DataPlacement => {
    if (fromCsv && (csvTables.has(key) || (!fromSample?.sampled.has(key) && !dump))) return fromCsv;
    if (fromSample && (fromSample.sampled.has(key) || !dump)) return fromSample.placement;
    return dump ?? fromCsv ?? fromSample!.placement;
  };
  const tables = topology.tables.map((t) => pick(t.key).tables.find((x) => x.table === t.key)!);
  return { tables, ...nodeLoads(topology, tables) };
}

interface MigrationFlags {
  citus?: string;
  format?: string;
  'no-coordinator'?: boolean;
  'no-metadata-sync'?: boolean;
}

async function runMigration(migrationPath: string, positionals: string[], values: MigrationFlags, io: CliIO, progress: Progress): Promise<number> {
  if (!positionals.length) throw new UsageError('missing SCHEMA', 'pass the schema dump first: shardwise simulate schema.sql --migration migrate.sql');
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const citus = values.citus ?? '14.0';
  let sim: Simulation;
  let schemaDiagnostics: Diagnostic[] = [];
  try {
    const schemaFiles = positionals.map((p) => readSqlFile(p, io.cwd));
    const migration = readSqlFile(migrationPath, io.cwd);
    progress.update('reading the schema');
    const { catalog, scripts } = await readSchema(schemaFiles.map((f) => ({ file: f.file, text: f.text, gaps: f.gaps })));
    schemaDiagnostics = catalog.diagnostics;
    const script = readScript(migration.file, migration.text);
    progress.update(`running ${migration.file} on the Citus model`);
    sim = simulateScript(catalog, script, {
      citus,
      coordinatorInMetadata: !values['no-coordinator'],
      metadataSync: !values['no-metadata-sync'],
      data: tableDataFromSchema(catalog, scripts),
    });
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(e.message, e.hint);
    throw e;
  }
  progress.clear();
  reportSkipped(io, 'simulate', schemaDiagnostics);
  io.stdout.write(format === 'json' ? formatJson(sim) : formatText(sim));
  return sim.steps.some((s) => s.outcome === 'error') ? 1 : 0;
}

/** The JSON report (schemas/simulation.schema.json). */
export function formatJson(sim: Simulation): string {
  const steps = sim.steps.map((s) => ({
    index: s.index,
    sql: s.sql,
    location: { file: s.location.file, line: s.location.line, column: s.location.column },
    outcome: s.outcome,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.error ? { error: { message: s.error.message, ...(s.error.detail !== undefined ? { detail: s.error.detail } : {}), ...(s.error.hint !== undefined ? { hint: s.error.hint } : {}) } } : {}),
    notices: s.notices,
    ...(s.class !== undefined ? { class: s.class, shards: s.shards ?? 0 } : {}),
  }));
  return JSON.stringify({ citus: sim.citus, steps, ...(sim.stopped ? { stopped: sim.stopped } : {}) }, null, 2) + '\n';
}

/** One block per step: location, first line of SQL, outcome, then the server messages as psql prints them. */
export function formatText(sim: Simulation): string {
  const out: string[] = [];
  for (const s of sim.steps) {
    const first = s.sql.split('\n')[0];
    out.push(`${s.location.file}:${s.location.line}:${s.location.column}: step ${s.index}: ${first}${s.sql.includes('\n') ? ' ...' : ''}`);
    for (const n of s.notices) out.push(`NOTICE:  ${n}`);
    if (s.error) {
      out.push(`ERROR:  ${s.error.message}`);
      if (s.error.detail !== undefined) out.push(`DETAIL:  ${s.error.detail}`);
      if (s.error.hint !== undefined) out.push(`HINT:  ${s.error.hint}`);
    } else if (s.outcome === 'not-modelled') out.push(`not modelled: ${s.reason ?? 'shardwise does not know this statement'}`);
    else out.push(s.class !== undefined ? `ok (${s.class}${s.shards ? `, ${s.shards} shard${s.shards === 1 ? '' : 's'}` : ''})` : 'ok');
    out.push('');
  }
  if (sim.stopped) {
    out.push(`ON_ERROR_STOP is on: psql stops at step ${sim.stopped.step}; ${sim.stopped.notRun} later statement${sim.stopped.notRun === 1 ? ' is' : 's are'} not run`, '');
  }
  const failed = sim.steps.filter((s) => s.outcome === 'error').length;
  const unknown = sim.steps.filter((s) => s.outcome === 'not-modelled').length;
  out.push(`${sim.steps.length} step${sim.steps.length === 1 ? '' : 's'}, ${failed} failed${unknown ? `, ${unknown} not modelled (no prediction)` : ''} (Citus ${sim.citus})`);
  return out.join('\n') + '\n';
}
