/**
 * `shardwise migrate SCHEMA [--plan P]`: the ordered migration script and its
 * rollback, each first run on the simulated Citus coordinator; nothing is
 * written when a step would fail.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDesignFile, DesignFileError } from '../../design/file.js';
import type { Diagnostic } from '../../catalog/model.js';
import type { Design } from '../../design/model.js';
import { displayPath, InputError } from '../../ingest/files.js';
import { displayName } from '../../ingest/pg/index.js';
import { prepareOutput, sameOutput, writeOutput } from '../../ingest/write.js';
import { planMigration, PlanError, type Migration } from '../../plan/index.js';
import { listSome } from '../../report/some.js';
import { checkMigration } from '../../simulate/citus/index.js';
import { citusFlag, oneOf, parseFlags, positiveInt, reportSkipped, toJson } from '../common.js';
import { UsageError, type Command } from '../io.js';
import { analyzeInputs, loadCatalog } from '../pipeline.js';
import { progressLine, stepsOf } from '../progress.js';

const usage = `Usage: shardwise migrate SCHEMA... [--plan shardwise.plan.yaml] [options]

Write the ordered SQL that moves the schema onto Citus under the design
(--plan, or the recommended one), and its rollback. Both scripts are first
run on a simulated Citus coordinator: if a step would fail, the step and
Citus's error are printed, nothing is written, and the exit code is 1.

Options:
  --plan FILE          the design file (default: the recommendation, as analyze makes it)
  --concurrently       create_distributed_table_concurrently where Citus allows it
  -o, --output FILE    write the migration here (default: standard output)
  --rollback FILE      write the rollback here
  --workload FILE      queries for the recommendation (repeatable; without --plan)
  --stats FILE         pg_stats / pg_class CSV export (repeatable; without --plan)
  --data FILE          data: SQL with COPY/INSERT, or a CSV per table (repeatable)
  --shards N           shard count for the recommendation (default 32)
  --citus VERSION      target Citus version (default: the plan's, else 14.0)
  --batch-size N       rows per transaction when filling added columns (default 10000)
  --format FORMAT      sql or json (default sql)
  -q, --quiet          no progress line on standard error (none either when it is not a terminal, or under CI)

Exit codes: 0 written, 1 a step would fail on Citus, 2 bad input.`;

export const migrate: Command = {
  usage,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        plan: { type: 'string' },
        concurrently: { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        rollback: { type: 'string' },
        workload: { type: 'string', multiple: true },
        stats: { type: 'string', multiple: true },
        data: { type: 'string', multiple: true },
        shards: { type: 'string' },
        citus: { type: 'string' },
        'batch-size': { type: 'string' },
        format: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
      usage,
    );
    const format = oneOf(values.format, ['sql', 'json'] as const, '--format', 'sql');
    const shardCount = positiveInt(values.shards, '--shards', 32, 64000);
    const batchSize = positiveInt(values['batch-size'], '--batch-size', 10000);
    if (!positionals.length) throw new UsageError('no schema given', 'pass the schema dump: shardwise migrate schema.sql --plan shardwise.plan.yaml');
    citusFlag(values.citus);
    if (values.plan !== undefined && (values.workload?.length || values.stats?.length)) {
      throw new UsageError('--workload and --stats only shape the recommendation; with --plan the design is given', 'drop them, or drop --plan to use the recommendation');
    }

    // Checked before the work: never an input (as a file: links count), never a file shardwise did not write, never both in one file.
    const inputs = [...positionals, ...(values.plan ? [values.plan] : []), ...(values.workload ?? []), ...(values.stats ?? []), ...(values.data ?? [])];
    const output = (flag: string, path: string | undefined) =>
      path === undefined ? undefined : prepareOutput({ flag, path, cwd: io.cwd, inputs, replace: 'own', own: (head) => /^-- shardwise |^\{\s*"citus"/.test(head) });
    const outTarget = output('-o', values.output);
    const backTarget = output('--rollback', values.rollback);
    if (outTarget && backTarget && sameOutput(outTarget, backTarget)) {
      throw new UsageError('-o and --rollback name the same file', 'write the migration and the rollback to two files', '--rollback');
    }

    const progress = progressLine(io, 'migrate', { quiet: values.quiet });
    let checked: ReturnType<typeof checkMigration>;
    let m: Migration;
    let skipped: Diagnostic[] = [];
    try {
      let loaded;
      let design: Design;
      try {
        if (values.plan !== undefined) {
          const sqlData = (values.data ?? []).filter((p) => !/\.csv$/i.test(p));
          progress.update('reading the schema');
          loaded = await loadCatalog([...positionals, ...sqlData], io.cwd);
          const planPath = resolve(io.cwd, values.plan);
          if (!existsSync(planPath)) throw new UsageError(`${displayPath(planPath, io.cwd)}: no such file`, 'write one with shardwise analyze --write-plan, or leave out --plan to use the recommendation');
          design = readDesignFile(planPath, displayPath(planPath, io.cwd), loaded.catalog);
        } else {
          const a = await analyzeInputs({ onProgress: stepsOf(progress), schema: positionals, workload: values.workload, stats: values.stats, data: values.data, cwd: io.cwd, shardCount, citus: values.citus });
          loaded = { catalog: a.catalog, scripts: a.scripts };
          design = a.advice.design;
          skipped = [...(a.workload?.diagnostics ?? []), ...(a.workloadInput?.diagnostics ?? [])];
        }
      } catch (e) {
        if (e instanceof InputError) throw new UsageError(e.message, e.hint);
        if (e instanceof DesignFileError) {
          throw new UsageError(e.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`).join('\n'), 'fix the design file');
        }
        throw e;
      }
      const { catalog, scripts } = loaded;
      skipped = [...catalog.diagnostics, ...skipped];
      if (!Object.keys(catalog.tables).length) throw new UsageError('no table was read from the schema', 'pass a schema dump that contains CREATE TABLE statements');

      progress.update('planning the migration');
      try {
        m = planMigration(catalog, design, { concurrently: !!values.concurrently, citus: values.citus, batchSize });
      } catch (e) {
        if (e instanceof PlanError) throw new UsageError(e.message, values.plan ? `fix ${values.plan}` : undefined);
        throw e;
      }
      progress.update('running the migration and its rollback on the Citus model');
      checked = checkMigration(catalog, scripts, design, m);
    } finally {
      progress.clear();
    }
    reportSkipped(io, 'migrate', skipped);
    const { migration, rollback, failures } = checked;
    if (failures.length) {
      io.stderr.write(failures.join('\n') + `\nNothing was written: ${failures.length} step${failures.length === 1 ? '' : 's'} would fail on Citus ${m.citus}.\n`);
      return 1;
    }

    if (outTarget) writeOutput(outTarget, format === 'json' ? toJson(m) : migration, displayPath(values.output!, io.cwd));
    else io.stdout.write(format === 'json' ? toJson(m) : migration);
    if (backTarget) writeOutput(backTarget, format === 'json' ? toJson(m.rollback) : rollback, displayPath(values.rollback!, io.cwd));
    if (values.output !== undefined) {
      const parts = [`wrote ${displayPath(resolve(io.cwd, values.output), io.cwd)} (${m.steps.length} steps)`];
      if (values.rollback !== undefined) parts.push(`${displayPath(resolve(io.cwd, values.rollback), io.cwd)} (${m.rollback.steps.length} steps)`);
      io.stderr.write(`${parts.join(' and ')}; every step ok on the Citus model (${m.citus})\n`);
    }
    io.stderr.write(foreignKeySummary(m));
    if (values.output !== undefined) {
      for (const c of m.rollback.cannotUndo.slice(0, EXPLAINED)) io.stderr.write(`rollback cannot undo: ${c}\n`);
      const more = m.rollback.cannotUndo.length - EXPLAINED;
      if (more > 0) io.stderr.write(`rollback cannot undo: and ${more} more, listed at the top of the rollback script (--rollback FILE writes it)\n`);
    }
    return 0;
  },
};

/** Foreign keys named in a summary line, and dropped ones explained, before the rest are counted. */
const NAMED = 5;
const EXPLAINED = 10;

/**
 * The foreign keys that do not come back as they were, for the summary on
 * standard error (whatever the output): how many are re-added in another
 * form and how many are dropped for good, a few named, each dropped one
 * (up to ten) with Citus's reason. The migration's restore phase has them all.
 */
function foreignKeySummary(m: Migration): string {
  const { rewritten, dropped } = m.foreignKeys;
  const fk = (n: number) => `${n} foreign key${n === 1 ? '' : 's'}`;
  const name = (table: string, n: string) => `${displayName(table)}.${n}`;
  const out: string[] = [];
  if (rewritten.length) {
    out.push(`re-added in another form: ${fk(rewritten.length)} (${listSome(rewritten.map((r) => name(r.table, r.name)), NAMED)}); what changed is in the restore phase of the migration`);
  }
  if (dropped.length) {
    out.push(`dropped for good: ${fk(dropped.length)} (${listSome(dropped.map((d) => name(d.table, d.name)), NAMED)})`);
    for (const d of dropped.slice(0, EXPLAINED)) out.push(`  ${name(d.table, d.name)} (${d.columns.join(', ')}) -> ${displayName(d.refTable)}: ${d.reason}`);
    if (dropped.length > EXPLAINED) out.push(`  and ${dropped.length - EXPLAINED} more, each with its reason in the restore phase of the migration`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
