import { InputError } from '../../ingest/files.js';
import { collect as collectLive, DEFAULT_LIMITS, LiveError, MAX_SAMPLE_ROWS, maskUrl, SAMPLE_DIR, type CollectProgress } from '../../ingest/live/index.js';
import { MAX_TIMEOUT_MS, nonNegativeInt } from '../common.js';
import { progressLine, showsProgress } from '../progress.js';
import { UsageError, type CliIO, type Command } from '../io.js';

const USAGE = `Usage: shardwise collect [--db [URL]] -o DIR [--sample N] [--statement-timeout MS] [--lock-timeout MS] [--no-workload] [--no-pg-dump]

Read-only snapshot of a live database: schema (pg_dump --schema-only when available, and
the catalog as schema.json), pg_stats and sizes (stats.json), pg_stat_statements
(workload.csv), and meta.json. 'shardwise analyze DIR' reads the directory offline.

  --db [URL]               postgres://user@host:port/dbname?sslmode=...  (without it, or with a bare
                           --db or --db='': PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE,
                           ~/.pgpass as libpq reads them)
  -o, --output DIR         directory to write (new, empty, or written by collect before)
  --sample N               also sample up to N rows per table (TABLESAMPLE SYSTEM, LIMIT N; at most
                           ${MAX_SAMPLE_ROWS}) into DIR/${SAMPLE_DIR}/<schema>.<table>.csv: the data
                           'shardwise simulate DIR' places on the shards
  --statement-timeout MS   cancel any one query after MS milliseconds (default ${DEFAULT_LIMITS.statementTimeoutMs}; 0: none)
  --lock-timeout MS        give up waiting for a lock after MS milliseconds (default ${DEFAULT_LIMITS.lockTimeoutMs}; 0: none)
  --no-workload            do not read pg_stat_statements
  --no-pg-dump             do not run pg_dump (schema.json only)`;

function intArg(flag: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${flag} needs a non-negative whole number, got ${value === undefined ? 'nothing' : `'${value}'`}`, `e.g. ${flag} 1000`);
  return nonNegativeInt(value, flag, 0, max);
}

/** On a terminal (not under CI): a line per phase, and the table-by-table sample as one progress line. */
function progressPrinter(io: CliIO): ((e: CollectProgress) => void) | undefined {
  if (!showsProgress(io)) return undefined;
  const sample = progressLine(io, 'collect', { delay: 0 });
  const say = (line: string) => {
    sample.clear();
    io.stderr.write(`${line}\n`);
  };
  return (e) => {
    switch (e.phase) {
      case 'connected':
        say(`connected: ${e.database} (PostgreSQL ${e.server})`);
        break;
      case 'catalog':
        say(`catalog: ${e.tables} tables read`);
        break;
      case 'stats':
        say(`statistics: ${e.tables} tables`);
        break;
      case 'workload':
        say(`pg_stat_statements: ${e.queries} queries`);
        break;
      case 'sample':
        if (e.index === e.total) say(`sample: ${e.index}/${e.total} tables`);
        else sample.update(`sample: ${e.table}: ${e.rows} rows`, e.index, e.total);
        break;
      case 'dump':
        say(e.ok ? `schema.sql: ${e.detail}` : `schema.sql not written (${e.detail}); schema.json holds the schema`);
        break;
    }
  };
}

export const collect: Command = {
  usage: USAGE,
  async run(argv, io) {
    let url: string | undefined;
    let out: string | undefined;
    let sample = 0;
    let statementTimeoutMs = DEFAULT_LIMITS.statementTimeoutMs;
    let lockTimeoutMs = DEFAULT_LIMITS.lockTimeoutMs;
    let workload = true;
    let pgDump = true;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const eq = a.indexOf('=');
      const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
      const value = () => inline ?? argv[++i];
      switch (flag) {
        case '--db':
          // A bare --db (last, or before another option) or --db='': the PG* environment alone.
          url = inline ?? (i + 1 < argv.length && !argv[i + 1].startsWith('-') ? argv[++i] : undefined);
          if (!url) url = undefined;
          break;
        case '-o':
        case '--output':
          out = value();
          break;
        case '--sample':
          sample = intArg('--sample', value(), MAX_SAMPLE_ROWS);
          break;
        case '--statement-timeout':
          statementTimeoutMs = intArg('--statement-timeout', value(), MAX_TIMEOUT_MS);
          break;
        case '--lock-timeout':
          lockTimeoutMs = intArg('--lock-timeout', value(), MAX_TIMEOUT_MS);
          break;
        case '--no-workload':
          workload = false;
          break;
        case '--no-pg-dump':
          pgDump = false;
          break;
        default:
          throw new UsageError(`unknown option '${maskUrl(a)}'`, "run 'shardwise collect --help'", a);
      }
    }
    if (!out) throw new UsageError('missing -o DIR: where to write the snapshot', 'e.g. shardwise collect --db postgres://user@host/db -o snapshot');
    try {
      const result = await collectLive({
        url,
        env: io.env,
        outDir: out,
        cwd: io.cwd,
        sample,
        limits: { statementTimeoutMs, lockTimeoutMs },
        workload,
        pgDump,
        progress: progressPrinter(io),
      });
      const sampled = result.meta.files.filter((f) => f.startsWith(`${SAMPLE_DIR}/`)).length;
      const listed = result.meta.files.filter((f) => !f.startsWith(`${SAMPLE_DIR}/`)).map((f) => `${out}/${f}`);
      if (sampled) listed.push(`${out}/${SAMPLE_DIR}/ (${sampled} table${sampled === 1 ? '' : 's'})`);
      io.stdout.write(`${listed.join('\n')}\n`);
      return 0;
    } catch (e) {
      // Connection and output problems are the user's to fix; the error printer places them at --db or -o.
      if (e instanceof InputError && !(e instanceof LiveError) && e.file === undefined) throw new UsageError(e.message, e.hint, out);
      throw e;
    }
  },
};
