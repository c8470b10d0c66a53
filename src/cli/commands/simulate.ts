/**
 * `shardwise simulate SCHEMA --migration FILE`: each statement of a migration
 * run on a simulated Citus coordinator, with the errors and notices Citus gives.
 */
import { parseArgs } from 'node:util';
import { readSchema } from '../../catalog/index.js';
import { InputError, readSqlFile } from '../../ingest/files.js';
import { readScript } from '../../ingest/pg/index.js';
import { parseVersion, simulateScript, tableDataFromSchema, type Simulation } from '../../simulate/citus/index.js';
import { UsageError, type CliIO, type Command } from '../io.js';

const USAGE = `Usage: shardwise simulate SCHEMA... --migration FILE [--citus VERSION] [--format text|json]
                          [--no-coordinator] [--no-metadata-sync]

Runs each statement of FILE, after the schema, on a simulated Citus coordinator
and prints its outcome: ok, or the ERROR/DETAIL/HINT Citus gives, with NOTICEs.

Options:
  --migration FILE     the migration script to simulate (required)
  --citus VERSION      target Citus version (default 14.0)
  --format text|json   output format (default text)
  --no-coordinator     the coordinator is not in the metadata
  --no-metadata-sync   metadata is not synced to the workers

Exit codes: 0 every step ok, 1 a step failed, 2 bad input.`;

export const simulate: Command = {
  name: 'simulate',
  summary: 'run a migration on a simulated Citus cluster: each step ok or the error Citus gives',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          migration: { type: 'string' },
          citus: { type: 'string', default: '14.0' },
          format: { type: 'string', default: 'text' },
          'no-coordinator': { type: 'boolean', default: false },
          'no-metadata-sync': { type: 'boolean', default: false },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message, "run 'shardwise simulate --help'");
    }
    const { values, positionals } = parsed;
    if (!positionals.length) throw new UsageError('missing SCHEMA', 'pass the schema dump first: shardwise simulate schema.sql --migration migrate.sql');
    if (!values.migration) throw new UsageError('missing --migration FILE', 'name the migration script to simulate');
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not '${values.format}'`);
    const citus = values.citus ?? '14.0';
    const v = parseVersion(citus);
    if (!v || v.major < 11) throw new UsageError(`--citus ${citus} is not a supported Citus version`, 'give 11.x, 12.x, 13.x or 14.x, e.g. --citus 13.2');
    let sim: Simulation;
    try {
      const schemaFiles = positionals.map((p) => readSqlFile(p, io.cwd));
      const migration = readSqlFile(values.migration, io.cwd);
      const { catalog, scripts } = await readSchema(schemaFiles.map((f) => ({ file: f.file, text: f.text })));
      const script = readScript(migration.file, migration.text);
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
    io.stdout.write(values.format === 'json' ? formatJson(sim) : formatText(sim));
    return sim.steps.some((s) => s.outcome === 'error') ? 1 : 0;
  },
};

/** The JSON report (schemas/simulation.schema.json). */
export function formatJson(sim: Simulation): string {
  const steps = sim.steps.map((s) => ({
    index: s.index,
    sql: s.sql,
    location: { file: s.location.file, line: s.location.line, column: s.location.column },
    outcome: s.outcome,
    ...(s.error ? { error: { message: s.error.message, ...(s.error.detail !== undefined ? { detail: s.error.detail } : {}), ...(s.error.hint !== undefined ? { hint: s.error.hint } : {}) } } : {}),
    notices: s.notices,
  }));
  return JSON.stringify({ citus: sim.citus, steps }, null, 2) + '\n';
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
    } else out.push('ok');
    out.push('');
  }
  const failed = sim.steps.filter((s) => s.outcome === 'error').length;
  out.push(`${sim.steps.length} step${sim.steps.length === 1 ? '' : 's'}, ${failed} failed (Citus ${sim.citus})`);
  return out.join('\n') + '\n';
}
