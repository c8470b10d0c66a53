import { writeDesign } from '../../design/file.js';
import { displayPath } from '../../ingest/files.js';
import { prepareOutput, writeOutput } from '../../ingest/write.js';
import { designJson, renderAdvice } from '../../report/advice.js';
import { catalogJson, renderCatalogSummary } from '../../report/catalog-summary.js';
import { renderAnswer } from '../../report/answer.js';
import { findTableAdvice, renderExplain, similarTables } from '../../report/explain.js';
import { renderAnalyzeHtml } from '../../report/html.js';
import { formatText } from '../../report/findings/text.js';
import { buildReport, failsAt, type Report } from '../../report/model.js';
import { renderTriage, triageFindings, type Triage } from '../../report/triage.js';
import { PlanError, planMigration, type Migration } from '../../plan/index.js';
import { renderWorkloadProfile } from '../../report/workload.js';
import { readRuleCatalogue } from '../../rules/catalogue.js';
import { loadRuleDocs } from '../../rules/docs.js';
import type { Finding } from '../../rules/finding.js';
import { profileWorkload } from '../../workload/profile.js';
import { bareDb, citusFlag, ANALYSIS_FLAGS, liveSource, oneOf, parseFlags, positiveInt, toJson, useColor } from '../common.js';
import { UsageError, type CliIO, type Command } from '../io.js';
import { analyzeInputs, type Analysis } from '../pipeline.js';
import { configuredRules, loadRulesConfig } from '../rules-config.js';
import { CACHE_FLAGS, CACHE_HELP, catalogCache } from '../cache.js';
import { VERSION } from '../version.js';
import { REPOSITORY } from '../../project.js';
import { progressLine, stepsOf } from '../progress.js';

const usage = `Usage: shardwise analyze SCHEMA... [options]
       shardwise analyze DIR            (a directory written by shardwise collect)
       shardwise analyze --db [URL]     (a live database, read-only)

Read a schema dump (pg_dump --schema-only, Rails db/structure.sql), and
optionally the workload and statistics, then recommend which tables to
distribute on which column, which to replicate, which to keep local, with
the evidence, and report what breaks under that design.

Options:
  --workload FILE      queries: pg_stat_statements CSV/JSON, server log, or .sql (repeatable)
  --stats FILE         pg_stats / pg_class CSV export (repeatable)
  --data FILE          data: a SQL file with COPY/INSERT data, or a CSV per table (repeatable)
  --db [URL]           read schema, stats and pg_stat_statements from a live database, read-only
                       (postgres://user@host:5432/dbname; a bare --db, or --db='', takes PGHOST,
                       PGPORT, PGUSER, PGDATABASE, PGPASSWORD, ~/.pgpass as libpq does)
  --statement-timeout MS   (--db) cancel any one query after MS milliseconds (default 30000; 0: none)
  --lock-timeout MS        (--db) give up waiting for a lock after MS milliseconds (default 2000; 0: none)
  --shards N           shard count (default 32)
  --citus VERSION      target Citus version (default 14.0)
  --format FORMAT      text, json or html (a self-contained page: the design diagram, candidates, findings) (default text)
  --write-plan         write the design to shardwise.plan.yaml (or --plan-out FILE)
  --plan-out FILE      where --write-plan writes; an existing file is kept unless --force
  --force              let --write-plan replace an existing plan file
  --fail-on LEVEL      exit 1 when a finding is at or above LEVEL: error, warning, none (default none)
  --config FILE        configuration file (default: .shardwise.yml found upwards)
  --explain TABLE      (text) why TABLE got its kind and key: every candidate column with its score and
                       the parts of it, the runner-up, its colocation group and the findings on it
  --verbose            (text) everything instead of the answer: every table of the schema, the workload
                       profile, each table's reasons and candidates, every finding with its code frame
                       and fix, and the statements that were skipped
  -q, --quiet          no progress line on standard error (none either when it is not a terminal, or under CI)
${CACHE_HELP}

The text output is the answer first: the design, how the workload routes, the findings
counted by rule with a few examples, what shardwise migrate rewrites and the decisions
left to a person. JSON and HTML carry everything.
`;

export const analyze: Command = {
  usage,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      bareDb(argv),
      {
        ...ANALYSIS_FLAGS,
        'write-plan': { type: 'boolean' },
        'plan-out': { type: 'string' },
        force: { type: 'boolean' },
        'fail-on': { type: 'string' },
        config: { type: 'string' },
        verbose: { type: 'boolean' },
        explain: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        ...CACHE_FLAGS,
      },
      usage,
    );
    const format = oneOf(values.format, ['text', 'json', 'html'] as const, '--format', 'text');
    const failOn = oneOf(values['fail-on'], ['error', 'warning', 'none'] as const, '--fail-on', 'none');
    const shardCount = positiveInt(values.shards, '--shards', 32, 64000);
    if (values.explain !== undefined && format !== 'text') {
      throw new UsageError(`--explain prints text, not --format ${format}`, `drop --format; the ${format} report already carries every table's candidates`, '--explain');
    }
    citusFlag(values.citus);
    const db = liveSource(values, io);
    if (!positionals.length && !db) {
      throw new UsageError('no schema given', 'pass a schema dump, a directory written by shardwise collect, or --db URL');
    }
    // Built, the rule files were read once into the catalogue; a checkout reads the YAML.
    const docs = readRuleCatalogue() ?? loadRuleDocs();
    const config = loadRulesConfig({ cwd: io.cwd, configPath: values.config, overrides: values.citus ? { citus: values.citus } : {} }, docs);
    const citus = values.citus ?? config.citus;
    // On a terminal, one progress line on standard error, cleared when the search is done.
    const progress = progressLine(io, 'analyze', { quiet: values.quiet });
    // The plan file is checked before the work: never an input or the configuration read (links count), never a directory.
    const planTarget =
      values['write-plan'] || values['plan-out'] !== undefined
        ? prepareOutput({
            flag: '--plan-out',
            path: values['plan-out'] ?? 'shardwise.plan.yaml',
            cwd: io.cwd,
            inputs: [...positionals, ...(values.workload ?? []), ...(values.stats ?? []), ...(values.data ?? []), ...config.files],
            replace: values.force ? 'force' : 'never',
            refuseHint: 'pass --force to replace it, or --plan-out FILE to write elsewhere',
          })
        : undefined;
    const analysis = await analyzeInputs({
      onProgress: stepsOf(progress),
      schema: positionals,
      workload: values.workload,
      stats: values.stats,
      data: values.data,
      db,
      cwd: io.cwd,
      shardCount,
      citus,
      cache: catalogCache(io.env, values['no-cache']),
    }).finally(() => progress.clear());
    for (const notice of analysis.notices) io.stderr.write(`shardwise analyze: notice: ${notice}\n`);
    const { catalog, advice } = analysis;
    if (!Object.keys(catalog.tables).length) {
      const errors = catalog.diagnostics.filter((d) => d.severity === 'error');
      const where = errors.slice(0, 20).map((d) => `\n${d.location.file}:${d.location.line}:${d.location.column}: ${d.message}`);
      if (errors.length > where.length) where.push(`\n... and ${errors.length - where.length} more`);
      throw new UsageError(`no table was read${errors.length ? ` (${errors.length} syntax error(s))` : ''}${where.join('')}`, 'pass a schema dump that contains CREATE TABLE statements');
    }

    const rules = configuredRules(config, docs);
    const findings: Finding[] = [...rules.run(catalog, advice.design), ...diagnosticFindings(analysis)];
    const report = buildReport({ tool: { name: 'shardwise', version: VERSION, informationUri: REPOSITORY }, files: catalog.files, findings, rules: rules.meta });
    const triage = triageFindings(report.findings, catalog, migrationFor(analysis), report.rules);

    const explained = values.explain === undefined ? undefined : findTableAdvice(advice, values.explain);
    if (values.explain !== undefined && !explained) {
      throw new UsageError(`--explain: no table '${values.explain}' in the schema`, `name one of its tables, e.g. ${similarTables(advice, values.explain)}`, '--explain');
    }

    let planWritten: string | undefined;
    if (planTarget) {
      planWritten = displayPath(values['plan-out'] ?? 'shardwise.plan.yaml', io.cwd);
      writeOutput(planTarget, writeDesign(advice.design), planWritten);
    }

    if (format === 'json') {
      const profile = analysis.workload ? profileWorkload(analysis.workload) : undefined;
      io.stdout.write(
        toJson({
          design: designJson(advice.design),
          tables: advice.tables,
          groups: advice.groups,
          keyClass: advice.keyClass,
          alternatives: advice.alternatives,
          score: advice.score,
          summary: advice.summary,
          notes: advice.notes,
          findings: report.findings,
          triage: { migrate: triage.migrate, person: triage.person, byRule: triage.byRule },
          diagnostics: catalog.diagnostics,
          catalog: catalogJson(catalog, analysis.stats),
          ...(profile ? { workloadProfile: profile } : {}),
          ...(planWritten ? { planWritten } : {}),
        }),
      );
    } else if (format === 'html') {
      io.stdout.write(renderAnalyzeHtml(advice, catalog, report.findings));
    } else {
      const color = useColor(io);
      // The answer names the plan it wrote among the design, so that its last lines stay the counts.
      if (!explained && !values.verbose) {
        const unresolvedQueries = analysis.workload ? profileWorkload(analysis.workload).unresolved.length : 0;
        io.stdout.write(renderAnswer({ catalog, advice, report, triage, source: analysis.source, unresolvedQueries, ...(planWritten ? { planWritten } : {}) }, { color }));
        return failsAt(report, failOn) ? 1 : 0;
      }
      if (explained) io.stdout.write(renderExplain(advice, report.findings, explained, { color }));
      else writeEverything(io, analysis, report, triage, color);
      if (planWritten) io.stdout.write(`\nWrote the design to ${planWritten}: review it, then run shardwise migrate and shardwise simulate with --plan ${planWritten}\n`);
    }
    return failsAt(report, failOn) ? 1 : 0;
  },
};

/** `--verbose`: every table of the schema, the workload profile, each table's reasons, every finding in full, the skipped statements. */
function writeEverything(io: CliIO, analysis: Analysis, report: Report, triage: Triage, color: boolean): void {
  const { catalog, advice } = analysis;
  io.stdout.write(renderCatalogSummary(catalog, { color, stats: analysis.stats, source: analysis.source }));
  if (analysis.workload) {
    io.stdout.write('\n' + renderWorkloadProfile(profileWorkload(analysis.workload), { color }) + '\n');
  }
  io.stdout.write(renderAdvice(advice, { color }));
  const sources = new Map(analysis.sources.map((s) => [s.file, s] as const));
  io.stdout.write(formatText(report, { color, sources }));
  const counted = renderTriage(triage);
  if (counted) io.stdout.write(`\n${counted}`);
  for (const s of catalog.skipped) io.stdout.write(`${s.location.file}:${s.location.line}:${s.location.column}  skipped ${s.kind}: ${s.reason}\n`);
}

/** The migration `shardwise migrate` would write for the recommended design, or undefined when it cannot be planned. */
function migrationFor(a: Analysis): Migration | undefined {
  try {
    return planMigration(a.catalog, a.advice.design);
  } catch (e) {
    if (e instanceof PlanError) return undefined;
    throw e;
  }
}

/** Syntax errors and unread statements of the inputs, as findings at their place. */
function diagnosticFindings(a: Analysis): Finding[] {
  const out: Finding[] = [];
  for (const d of [...a.catalog.diagnostics, ...(a.workload?.diagnostics ?? []), ...(a.workloadInput?.diagnostics ?? [])]) {
    if (d.code !== 'syntax-error' && d.code !== 'input-error' && d.code !== 'identifier-truncated') continue;
    const severity = d.code === 'syntax-error' || d.severity === 'error' ? 'error' : d.severity === 'info' ? 'info' : 'warning';
    out.push({ ruleId: d.code, severity, message: d.message, location: d.location, help: d.hint });
  }
  return out;
}
