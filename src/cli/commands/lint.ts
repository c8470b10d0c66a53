/**
 * `shardwise lint FILE...`: new migrations checked against the distributed
 * design, for CI and pull requests. Exit 0 clean, 1 findings at or above
 * --fail-on, 2 usage or input errors.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readSchemaCatalog } from '../../catalog/cache.js';
import { buildCatalog, CatalogBuilder, type Catalog } from '../../catalog/index.js';
import { isExcluded, resolveRule } from '../../config/rules.js';
import { DesignFileError, readDesignFile } from '../../design/file.js';
import { DEFAULT_CITUS_VERSION, DEFAULT_SHARD_COUNT, type Design } from '../../design/model.js';
import { displayPath, InputError, readSqlFile } from '../../ingest/files.js';
import { loadParser } from '../../ingest/pg/parser.js';
import { expandMigrationArgs, MigrationPathError } from '../../lint/files.js';
import { lintMigrations, migrationScript, type MigrationInput } from '../../lint/lint.js';
import { formatFindings, FINDINGS_FORMATS } from '../../report/findings/index.js';
import { buildReport, failsAt, toRuleMeta } from '../../report/model.js';
import { readRuleCatalogue } from '../../rules/catalogue.js';
import { loadRuleDocs } from '../../rules/docs.js';
import { citusFlag, oneOf, parseFlags, useColor } from '../common.js';
import { loadRulesConfig } from '../rules-config.js';
import { UsageError, type Command } from '../io.js';
import { progressLine, stepsOf } from '../progress.js';
import { CACHE_FLAGS, CACHE_HELP, catalogCache } from '../cache.js';
import { VERSION } from '../version.js';
import { REPOSITORY } from '../../project.js';

const usage = `Usage: shardwise lint [options] [--] FILE|DIR|GLOB...

Apply each migration, in order, to the schema brought to the distributed
design on a model of Citus, and report, at file:line:column, what Citus
would reject (its ERROR, DETAIL and HINT), new tables without a distribution
decision, foreign keys that are not colocated, unique keys without the
distribution column, identity and serial problems, changes to a
distribution column, and queries that would run on every shard.

Files are linted in the order given; a directory or a glob gives its .sql
files in the order the frameworks apply them (Flyway V1__x.sql, V1.1__x.sql;
golang-migrate 000001_x.up.sql, .down.sql left out; timestamped
20240101120000_x.sql). A whole schema file (Rails db/structure.sql, a
pg_dump, or a file that creates again most tables of --schema) is checked
for what it changes against --schema: new tables, columns, constraints and
indexes, at their lines in the file. The plan may name tables the
migrations create.

Options:
  --schema FILE        the schema the migrations apply to (repeatable; default: .shardwise.yml schema)
  --plan FILE          the design, shardwise.plan.yaml (default: .shardwise.yml plan, else the
                       design shardwise analyze recommends for --schema)
  --citus VERSION      target Citus version (default: the plan's, .shardwise.yml's, 14.0)
  --format FORMAT      text, json, sarif, github, markdown or html (default text)
  --fail-on LEVEL      exit 1 on findings at or above error, warning, info; none never fails
                       (default: .shardwise.yml fail_on, else error)
  --config FILE        configuration file (default: .shardwise.yml found upwards)
  -q, --quiet          no progress line on standard error (none either when it is not a terminal, or under CI)
${CACHE_HELP}

Suppress a finding with a comment above the statement:
  -- shardwise-ignore MIG01 -- why

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.`;

const FORMATS = [...FINDINGS_FORMATS, 'html'] as const;

/**
 * The schema as the migrations leave it, read statically (no Citus model):
 * what the plan's table names are checked against when it names what they
 * create. Binary files are skipped; lintMigrations reports them. Each
 * migration's script is kept, so lint reads every file once.
 */
function catalogAfter(schema: Catalog, migrations: MigrationInput[]): Catalog {
  const builder = CatalogBuilder.fromCatalog(schema);
  migrations.forEach((m, i) => {
    if (m.content.subarray(0, 65536).includes(0)) return;
    const script = migrationScript(m);
    migrations[i] = { ...m, script };
    builder.addScript(script);
  });
  return builder.view();
}

export const lint: Command = {
  usage,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        schema: { type: 'string', multiple: true },
        plan: { type: 'string' },
        citus: { type: 'string' },
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        config: { type: 'string' },
        ...CACHE_FLAGS,
      },
      usage,
    );
    const format = oneOf(values.format, FORMATS, '--format', 'text');
    const failOnFlag = values['fail-on'] === undefined ? undefined : oneOf(values['fail-on'], ['error', 'warning', 'info', 'none'] as const, '--fail-on', 'error');
    if (!positionals.length) throw new UsageError('no migration file given', 'pass the migration files, a directory or a glob: shardwise lint --schema db/structure.sql -- db/migrate/*.sql');
    citusFlag(values.citus);
    // Built, the rule files were read once into the catalogue; a checkout reads the YAML.
    const docs = readRuleCatalogue() ?? loadRuleDocs();
    const config = loadRulesConfig({
      cwd: io.cwd,
      configPath: values.config,
      overrides: {
        ...(values.citus ? { citus: values.citus } : {}),
        ...(failOnFlag ? { failOn: failOnFlag } : {}),
      },
    }, docs);
    const failOn = failOnFlag ?? config.failOn;

    const progress = progressLine(io, 'lint', { quiet: values.quiet });
    let result: ReturnType<typeof lintMigrations>;
    let migrations: MigrationInput[];
    try {
      progress.update('reading the schema');
      await loadParser();
      const schemaPaths = values.schema?.length ? values.schema : config.schema ? [config.schema] : [];
      const planPath = values.plan ?? config.plan;
      const cache = catalogCache(io.env, values['no-cache']);
      let catalog: Catalog;
      try {
        catalog = schemaPaths.length
          ? await readSchemaCatalog(
              schemaPaths.map((p) => readSqlFile(p, io.cwd)).map((f) => ({ file: f.file, text: f.text, gaps: f.gaps })),
              cache,
            )
          : buildCatalog([]).catalog;
      } catch (e) {
        if (e instanceof InputError) throw new UsageError(e.message, e.hint);
        throw e;
      }

      let files: string[];
      try {
        files = expandMigrationArgs(positionals, io.cwd);
      } catch (e) {
        if (e instanceof MigrationPathError) throw new UsageError(e.message, e.hint);
        throw e;
      }
      files = files.filter((f) => !isExcluded(config, f));
      migrations = files.map((abs) => ({ file: displayPath(abs, io.cwd), content: readFileSync(abs) }));

      let design: Design;
      if (planPath) {
        const abs = resolve(io.cwd, planPath);
        try {
          readFileSync(abs);
        } catch {
          throw new UsageError(`${displayPath(abs, io.cwd)}: no such plan file`, 'write one with shardwise analyze --write-plan, or leave out --plan');
        }
        // Checked against the schema; a plan that names what the migrations create (a table,
        // a column) is checked again against the schema they leave.
        try {
          design = readDesignFile(abs, displayPath(abs, io.cwd), catalog, cache);
        } catch (e) {
          if (!(e instanceof DesignFileError)) throw e;
          design = readDesignFile(abs, displayPath(abs, io.cwd), catalogAfter(catalog, migrations), cache);
        }
      } else if (schemaPaths.length) {
        // Without a plan, the advisor recommends one: loaded only then.
        const { analyzeInputs } = await import('../pipeline.js');
        design = (await analyzeInputs({ onProgress: stepsOf(progress), schema: schemaPaths, cwd: io.cwd, ...(cache ? { cache } : {}), ...(config.citus ? { citus: config.citus } : {}) })).advice.design;
      } else {
        design = { citus: DEFAULT_CITUS_VERSION, shardCount: DEFAULT_SHARD_COUNT, tables: {} };
      }
      const citus = values.citus ?? config.citus ?? design.citus;

      progress.update(`checking ${migrations.length} migration files`);
      result = lintMigrations({
        catalog,
        design,
        migrations,
        citus,
        docs,
        giveCatalog: true,
        ruleSetting: (doc) => {
          const eff = resolveRule(config, { id: doc.id, name: doc.name, group: doc.group, severity: doc.severity });
          return { enabled: eff.enabled, severity: eff.severity, options: eff.options };
        },
      });
    } finally {
      progress.clear();
    }
    const report = buildReport({
      tool: { name: 'shardwise', version: VERSION, informationUri: REPOSITORY },
      files: migrations.map((m) => m.file),
      findings: result.findings,
      rules: docs.map((d) => toRuleMeta(d)),
    });
    if (format === 'html') io.stdout.write((await import('../../report/html.js')).renderLintHtml(report));
    else {
      const sources = new Map([...result.scripts].map(([f, s]) => [f, s.source] as const));
      io.stdout.write(formatFindings(report, format, { text: { color: useColor(io), sources } }));
    }
    return failsAt(report, failOn) ? 1 : 0;
  },
};
