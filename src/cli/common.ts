/** Helpers every command shares: flags, color, reading the schema inputs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readSchema } from '../catalog/index.js';
import type { Catalog, Diagnostic } from '../catalog/model.js';
import { parseVersion } from '../design/version.js';
import { InputError, readSqlFile } from '../ingest/files.js';
// The settings alone: the live readers (and their CSV and client libraries) load with the commands that connect.
import { DEFAULT_LIMITS, MAX_SAMPLE_ROWS } from '../ingest/live/settings.js';
import type { Script } from '../ingest/pg/script.js';
import { UsageError, type CliIO } from './io.js';
import { escapeControl, shown } from '../ingest/inert.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with its errors turned into usage errors (exit 2) that name the command's usage. */
export function parseFlags<O extends Options>(argv: string[], options: O, usage: string) {
  // no file name and no value can hold one: the operating system would cut the string there
  const nul = argv.find((a) => a.includes('\0'));
  if (nul !== undefined) throw new UsageError(`argument '${shown(nul)}' holds a NUL byte, which no file name or option value can`, `check how the command line was built; ${usage.split('\n')[0]}`, nul);
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '');
    // node names the option (`Option '--plan <value>' argument missing`, `Unknown option '--x'`): point at it
    const option = /'(-[^' ]*)/.exec(msg)?.[1];
    const [first, ...rest] = msg.split('\n').filter((l) => l.trim());
    throw new UsageError(first, `${rest.length ? `${rest.join(' ')}; ` : ''}${usage.split('\n')[0]}`, option);
  }
}

/** Color when stdout is a terminal, unless NO_COLOR is set; FORCE_COLOR forces it. */
export function useColor(io: CliIO, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return !!io[stream].isTTY;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not '${value}'`);
}

export function positiveInt(value: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not '${value}'`);
  return n;
}

/**
 * `--db` may stand alone: the connection then comes from PGHOST, PGPORT,
 * PGUSER, PGDATABASE, ... only, as psql without arguments. parseArgs wants a
 * value for a string option, so a `--db` that is last or followed by another
 * option becomes `--db=` (a URL never starts with `-`).
 */
export function bareDb(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '--db' && (end < 0 || i < end) && (i + 1 >= argv.length || argv[i + 1].startsWith('-')) ? '--db=' : a));
}

/** The flags of a live read, shared by analyze and simulate. */
export const LIVE_FLAGS = {
  db: { type: 'string' },
  'statement-timeout': { type: 'string' },
  'lock-timeout': { type: 'string' },
} as const;

/** The inputs of an analysis (schema files come as positionals), shared by analyze and simulate. */
export const ANALYSIS_FLAGS = {
  workload: { type: 'string', multiple: true },
  stats: { type: 'string', multiple: true },
  data: { type: 'string', multiple: true },
  ...LIVE_FLAGS,
  shards: { type: 'string' },
  citus: { type: 'string' },
  format: { type: 'string' },
} as const;

/** The largest statement_timeout / lock_timeout PostgreSQL takes, in milliseconds. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A whole number from 0 to `max` (0 = off), or `fallback` when the flag is absent. */
export function nonNegativeInt(value: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > max) throw new UsageError(`${flag} must be a whole number from 0 to ${max}, not '${value}'`);
  return n;
}

/**
 * The live database of `--db [URL]` with its session limits and sample size,
 * or undefined without `--db`; the live-only flags without `--db` are a usage error.
 */
export function liveSource(
  values: { db?: string; 'statement-timeout'?: string; 'lock-timeout'?: string; sample?: string },
  io: CliIO,
): { url?: string; env: CliIO['env']; limits: { statementTimeoutMs: number; lockTimeoutMs: number }; sample: number } | undefined {
  const liveOnly = (['statement-timeout', 'lock-timeout', 'sample'] as const).filter((f) => values[f] !== undefined);
  if (values.db === undefined) {
    if (liveOnly.length) throw new UsageError(`--${liveOnly[0]} applies to a live database read with --db`, 'add --db URL (or a bare --db for the PGHOST, PGUSER, ... environment)');
    return undefined;
  }
  return {
    ...(values.db ? { url: values.db } : {}),
    env: io.env,
    limits: {
      statementTimeoutMs: nonNegativeInt(values['statement-timeout'], '--statement-timeout', DEFAULT_LIMITS.statementTimeoutMs, MAX_TIMEOUT_MS),
      lockTimeoutMs: nonNegativeInt(values['lock-timeout'], '--lock-timeout', DEFAULT_LIMITS.lockTimeoutMs, MAX_TIMEOUT_MS),
    },
    sample: nonNegativeInt(values.sample, '--sample', 0, MAX_SAMPLE_ROWS),
  };
}

/** Read and build the catalog from SCHEMA files; input errors become usage errors with their hint. */
export async function loadSchemaFiles(paths: string[], io: CliIO): Promise<{ catalog: Catalog; scripts: Script[] }> {
  if (!paths.length) throw new UsageError('no schema file given', 'pass a pg_dump --schema-only file or a db/structure.sql');
  const inputs = paths.map((p) => {
    try {
      return readSqlFile(p, io.cwd);
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message, e.hint);
      throw e;
    }
  });
  return readSchema(inputs.map((i) => ({ file: i.file, text: i.text, gaps: i.gaps })));
}

/** Stable JSON: keys in insertion order (our values are built sorted), two-space indent, final newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** `--citus VERSION`: a Citus version shardwise models (11 to 14), or a usage error with a hint. */
export function citusFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = parseVersion(value);
  if (!v || v.major < 11) throw new UsageError(`--citus '${shown(value)}' is not a supported Citus version`, 'give 11.x, 12.x, 13.x or 14.x, e.g. --citus 13.2');
  return value;
}

/** How many skipped inputs a command names one by one before it counts the rest. */
const SKIPPED_SHOWN = 20;

/**
 * The input problems a command went past (a statement that does not parse, a
 * line or statement it could not read): one located line each on standard
 * error, with the hint, so that nothing is left out silently.
 */
export function reportSkipped(io: CliIO, command: string, diagnostics: readonly Diagnostic[]): void {
  const skipped = diagnostics.filter((d) => (d.code === 'syntax-error' || d.code === 'input-error') && d.severity !== 'info');
  for (const d of skipped.slice(0, SKIPPED_SHOWN)) {
    const at = `${escapeControl(d.location.file)}:${d.location.line}:${d.location.column}`;
    io.stderr.write(`shardwise ${command}: ${at}: ${escapeControl(d.message)}\n${d.hint ? `  hint: ${escapeControl(d.hint)}\n` : ''}`);
  }
  const more = skipped.length - SKIPPED_SHOWN;
  if (more > 0) io.stderr.write(`shardwise ${command}: and ${more} more input problem${more === 1 ? '' : 's'} (shardwise analyze lists them all)\n`);
}
