/**
 * `collect`: a read-only snapshot of a live database into a directory that
 * `analyze DIR` reads offline:
 *
 *   schema.sql     pg_dump --schema-only (when a pg_dump of a usable major version is on PATH)
 *   schema.json    the live Catalog (always)
 *   stats.json     Stats (sizes, pg_stats), source 'live'
 *   workload.csv   pg_stat_statements rows: queryid,query,calls,total_exec_time,rows
 *   sample/        with --sample N: up to N rows per table, one CSV per table
 *                  (`<schema>.<table>.csv`, header row, values as text, NULL unquoted empty)
 *   meta.json      server version, database, time of collection (the only timestamp), and
 *                  the manifest: every file collect wrote, the only ones it replaces later
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import type { Catalog } from '../../catalog/model.js';
import { readSchema } from '../../catalog/index.js';
import type { Stats } from '../../stats/model.js';
import type { WorkloadInput } from '../workload/model.js';
import { WorkloadBuilder } from '../workload/builder.js';
import { readPgssCsvInto } from '../workload/pgss.js';
import { openCsvTable } from '../csv-data.js';
import { displayPath, InputError } from '../files.js';
import { fsError, writeOutput } from '../write.js';
import { readLiveCatalog } from './catalog.js';
import { APPLICATION_NAME, openSession } from './connect.js';
import { resolveConnection } from './conninfo.js';
import { LiveError } from './errors.js';
import { DEFAULT_LIMITS, type ConnectionSettings, type Env, type SessionLimits } from './settings.js';
import { loadParser } from '../pg/index.js';
import { readLiveStats, readPgStatStatements, sampleCatalog, type PgssRow, type SampleData } from './stats.js';

/** The directory of the sample's CSV files, one per table. */
export const SAMPLE_DIR = 'sample';

export type CollectProgress =
  | { readonly phase: 'connected'; readonly server: string; readonly database: string }
  | { readonly phase: 'catalog'; readonly tables: number }
  | { readonly phase: 'stats'; readonly tables: number }
  | { readonly phase: 'workload'; readonly queries: number }
  | { readonly phase: 'sample'; readonly table: string; readonly index: number; readonly total: number; readonly rows: number }
  | { readonly phase: 'dump'; readonly ok: boolean; readonly detail: string };

export interface CollectOptions {
  /** Connection URL; when absent, the PG* variables of `env` alone. */
  readonly url?: string;
  readonly env: Env;
  /** Output directory (absolute, or relative to `cwd`). */
  readonly outDir: string;
  readonly cwd: string;
  /** Rows per table to sample (0 = none). */
  readonly sample?: number;
  readonly limits?: SessionLimits;
  /** Read pg_stat_statements (default true; missing extension is then an error). */
  readonly workload?: boolean;
  /** Use pg_dump for schema.sql when possible (default true). */
  readonly pgDump?: boolean;
  readonly progress?: (event: CollectProgress) => void;
  /** Time of collection written to meta.json (default: now). */
  readonly now?: Date;
}

export interface CollectMeta {
  readonly tool: 'shardwise';
  readonly format: 1;
  readonly database: string;
  readonly serverVersion: string;
  readonly serverVersionNum: number;
  readonly collectedAt: string;
  readonly schemaSource: 'pg_dump' | 'catalog';
  readonly pgDump: { readonly used: boolean; readonly detail: string };
  readonly tables: number;
  readonly workloadQueries: number | null;
  readonly sampleRowsPerTable: number;
  readonly files: string[];
}

export interface CollectResult {
  readonly dir: string;
  readonly meta: CollectMeta;
  readonly catalog: Catalog;
  readonly stats: Stats;
}

/** A name a manifest may list: a file of the directory or of its sample directory, nothing above. */
const MANIFEST_NAME = /^(?:sample\/)?(?!\.\.?$)[^/\\\u0000]+$/;

/**
 * The files a directory's meta.json says collect wrote there (its manifest),
 * or undefined when collect did not write it.
 */
export function manifestOf(dir: string): string[] | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Partial<CollectMeta>;
    const files = meta?.files;
    if (meta?.tool !== 'shardwise' || !Array.isArray(files) || !files.every((f) => typeof f === 'string' && MANIFEST_NAME.test(f))) return undefined;
    return files;
  } catch {
    return undefined;
  }
}

/**
 * The output directory, checked before connecting: new, empty, or written by
 * collect before (its manifest lists what it wrote: those files alone may be
 * replaced). Returns the files of the last collect there.
 */
function checkOutputDir(dir: string, shown: string): string[] {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fsError(e, shown, 'read the output directory');
  }
  if (!st.isDirectory()) throw new InputError(`${shown} exists and is not a directory`, { file: shown, hint: 'give -o a new or empty directory, or one collect wrote before' });
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw fsError(e, shown, 'read the output directory');
  }
  if (!entries.length) return [];
  const own = manifestOf(dir);
  if (!own) {
    throw new InputError(`${shown} is not empty and was not written by shardwise collect (no meta.json of collect listing its files); nothing was written`, {
      file: shown,
      hint: 'choose an empty or new directory for -o',
    });
  }
  return own;
}

/**
 * Write the snapshot: a file collect is about to write that exists and is not
 * in the last manifest is not collect's, and stops everything before any
 * write. The manifest is written first listing old and new files, then the
 * files (each through a temporary file and a rename), then the manifest of
 * this run; files of the last run that this one did not write are removed.
 * Nothing else in the directory is touched.
 */
function writeSnapshot(dir: string, shown: string, previous: readonly string[], files: ReadonlyArray<readonly [string, string]>, meta: CollectMeta): void {
  const foreign = files.map(([f]) => f).filter((f) => !previous.includes(f) && existsSync(join(dir, f)));
  if (foreign.length) {
    throw new InputError(`${shown}/${foreign[0]} exists and was not written by shardwise collect; nothing was written`, {
      file: shown,
      hint: 'move it away, or choose an empty or new directory for -o',
    });
  }
  const json = (m: CollectMeta) => JSON.stringify(m, null, 2) + '\n';
  const at = (f: string) => join(dir, f);
  try {
    mkdirSync(dir, { recursive: true });
    if (files.some(([f]) => f.startsWith(`${SAMPLE_DIR}/`))) mkdirSync(at(SAMPLE_DIR), { recursive: true });
  } catch (e) {
    throw fsError(e, shown, 'create the output directory');
  }
  writeOutput(at('meta.json'), json({ ...meta, files: [...new Set([...previous, ...meta.files])].sort() }), `${shown}/meta.json`);
  for (const [f, text] of files) writeOutput(at(f), text, `${shown}/${f}`);
  writeOutput(at('meta.json'), json(meta), `${shown}/meta.json`);
  for (const f of previous) {
    if (meta.files.includes(f)) continue;
    try {
      rmSync(at(f), { force: true });
    } catch {
      // a stale file of the last run that cannot go is left
    }
  }
  // the sample directory of the last run, when this run has none and nothing else is in it
  if (previous.some((f) => f.startsWith(`${SAMPLE_DIR}/`)) && !meta.files.some((f) => f.startsWith(`${SAMPLE_DIR}/`))) {
    try {
      rmdirSync(at(SAMPLE_DIR));
    } catch {
      // not empty: what is left there is not collect's
    }
  }
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The file a table's sample is written to: `<schema>.<table>.csv` (the CSV-per-table
 * convention of `--data`), with `%`, path separators and characters file systems
 * refuse percent-encoded.
 */
export function sampleFileName(key: string): string {
  return key.replace(/[%/\\:*?"<>|\x00-\x1f]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) + '.csv';
}

/** A table's sampled rows as CSV: header row, NULL as an unquoted empty field, the empty string as `""` (PostgreSQL's CSV format). */
export function sampleCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, string | null>>): string {
  const cell = (v: string | null): string => (v === null ? '' : v === '' || /[",\r\n]/.test(v) || v.trim() !== v ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [columns.map(cell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c] ?? null)).join(','));
  return lines.join('\n') + '\n';
}

export function workloadCsv(rows: readonly PgssRow[]): string {
  const lines = ['queryid,query,calls,total_exec_time,rows'];
  for (const r of rows) lines.push([r.queryid, r.query, r.calls, r.total_exec_time, r.rows].map(csvField).join(','));
  return lines.join('\n') + '\n';
}

function findOnPath(name: string, env: Env): string | undefined {
  for (const d of (env.PATH ?? '').split(delimiter)) {
    if (!d) continue;
    const p = join(d, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Run pg_dump --schema-only when it is on PATH and its major version can dump this server. */
export function runPgDump(settings: ConnectionSettings, serverVersionNum: number, limits: SessionLimits, env: Env): { sql?: string; detail: string } {
  const bin = findOnPath('pg_dump', env);
  if (!bin) return { detail: 'pg_dump is not on PATH' };
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /(\d+)(?:\.(\d+))?/.exec(v.stdout ?? '');
  const major = m ? Number(m[1]) : 0;
  const serverMajor = serverVersionNum >= 100000 ? Math.floor(serverVersionNum / 10000) : Math.floor(serverVersionNum / 100) / 100;
  if (!m || major < serverMajor) return { detail: `${(v.stdout ?? '').trim() || 'pg_dump'} cannot dump a PostgreSQL ${serverMajor} server` };
  const childEnv: Record<string, string> = {
    PATH: env.PATH ?? '',
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGUSER: settings.user,
    PGDATABASE: settings.database,
    PGSSLMODE: settings.sslmode,
    PGAPPNAME: APPLICATION_NAME,
    PGOPTIONS: '-c default_transaction_read_only=on',
    PGCONNECT_TIMEOUT: String(settings.connectTimeoutSeconds),
    ...(settings.password !== undefined ? { PGPASSWORD: settings.password } : {}),
    ...(settings.sslrootcert ? { PGSSLROOTCERT: settings.sslrootcert } : {}),
    ...(settings.sslcert ? { PGSSLCERT: settings.sslcert } : {}),
    ...(settings.sslkey ? { PGSSLKEY: settings.sslkey } : {}),
    ...(env.HOME ? { HOME: env.HOME } : {}),
    ...(env.PGPASSFILE ? { PGPASSFILE: env.PGPASSFILE } : {}),
  };
  const args = ['--schema-only', '--no-owner', '--no-privileges', `--lock-wait-timeout=${Math.max(1, limits.lockTimeoutMs)}`];
  const r = spawnSync(bin, args, { env: childEnv, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) return { detail: `pg_dump failed: ${(r.stderr ?? '').split('\n')[0].trim()}` };
  return { sql: r.stdout, detail: (v.stdout ?? '').trim() };
}

/** Read everything, then write the directory. Nothing is written before the reading succeeded. */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const dir = join(options.outDir.startsWith('/') ? '' : options.cwd, options.outDir);
  const shown = displayPath(dir, options.cwd);
  const previous = checkOutputDir(dir, shown);
  const settings = resolveConnection(options.url, options.env);
  const session = await openSession(settings, limits);
  const progress = options.progress ?? (() => undefined);
  let catalog: Catalog;
  let stats: Stats;
  let pgss: PgssRow[] | undefined;
  let sample: SampleData | undefined;
  try {
    progress({ phase: 'connected', server: session.serverVersion, database: session.database });
    catalog = await readLiveCatalog(session, { serverVersionNum: session.serverVersionNum });
    progress({ phase: 'catalog', tables: Object.keys(catalog.tables).length });
    stats = await readLiveStats(session);
    progress({ phase: 'stats', tables: Object.keys(stats.tables).length });
    if (options.workload !== false) {
      pgss = await readPgStatStatements(session);
      progress({ phase: 'workload', queries: pgss.length });
    }
    const n = Math.max(0, Math.floor(options.sample ?? 0));
    if (n > 0) sample = await sampleCatalog(session, catalog, stats, n, (e) => progress({ phase: 'sample', ...e }));
  } finally {
    await session.close();
  }
  const dump = options.pgDump === false ? { detail: 'not requested' } : runPgDump(settings, session.serverVersionNum, limits, options.env);
  progress({ phase: 'dump', ok: dump.sql !== undefined, detail: dump.detail });

  const files: Array<[string, string]> = [];
  if (dump.sql !== undefined) files.push(['schema.sql', dump.sql]);
  files.push(['schema.json', JSON.stringify(catalog, null, 2) + '\n']);
  files.push(['stats.json', JSON.stringify(stats, null, 2) + '\n']);
  if (pgss) files.push(['workload.csv', workloadCsv(pgss)]);
  if (sample) {
    for (const key of Object.keys(sample).sort()) {
      const columns = catalog.tables[key]?.columns.map((c) => c.name) ?? Object.keys(sample[key][0] ?? {});
      if (!columns.length) continue;
      files.push([`${SAMPLE_DIR}/${sampleFileName(key)}`, sampleCsv(columns, sample[key])]);
    }
  }
  const meta: CollectMeta = {
    tool: 'shardwise',
    format: 1,
    database: session.database,
    serverVersion: session.serverVersion,
    serverVersionNum: session.serverVersionNum,
    collectedAt: (options.now ?? new Date()).toISOString(),
    schemaSource: dump.sql !== undefined ? 'pg_dump' : 'catalog',
    pgDump: { used: dump.sql !== undefined, detail: dump.detail },
    tables: Object.keys(catalog.tables).length,
    workloadQueries: pgss ? pgss.length : null,
    sampleRowsPerTable: sample ? Math.floor(options.sample ?? 0) : 0,
    files: ['meta.json', ...files.map(([f]) => f)].sort(),
  };
  writeSnapshot(dir, shown, previous, files, meta);
  return { dir, meta, catalog, stats };
}

export interface CollectedDir {
  readonly meta: CollectMeta;
  readonly catalog: Catalog;
  readonly stats: Stats;
  readonly workload: WorkloadInput;
  /** The sampled rows (`collect --sample N`), per table key. */
  readonly sample?: SampleData;
}

function readJson<T>(path: string, shown: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new InputError(`${shown}: not valid JSON (${(e as Error).message})`, { file: shown, hint: 'run shardwise collect again' });
  }
}

/**
 * Read a directory written by `collect`, offline. The catalog comes from
 * schema.sql when present (findings then point into a file the user can
 * open), else from schema.json.
 */
export async function readCollectedDir(dir: string, options: { cwd?: string; /** Read the sample too (default true). */ sample?: boolean } = {}): Promise<CollectedDir> {
  const show = (f: string) => (options.cwd ? displayPath(join(dir, f), options.cwd) : `${basename(dir)}/${f}`);
  if (!existsSync(join(dir, 'meta.json'))) {
    throw new InputError(`${show('meta.json')}: no such file; ${options.cwd ? displayPath(dir, options.cwd) : dir} is not a directory written by shardwise collect`, {
      hint: 'create one with: shardwise collect --db URL -o DIR',
    });
  }
  const meta = readJson<CollectMeta>(join(dir, 'meta.json'), show('meta.json'));
  let catalog: Catalog;
  if (existsSync(join(dir, 'schema.sql'))) {
    catalog = (await readSchema([{ file: show('schema.sql'), text: readFileSync(join(dir, 'schema.sql'), 'utf8') }])).catalog;
  } else if (existsSync(join(dir, 'schema.json'))) {
    catalog = readJson<Catalog>(join(dir, 'schema.json'), show('schema.json'));
  } else {
    throw new InputError(`${show('schema.json')}: no such file`, { hint: 'run shardwise collect again' });
  }
  const stats = existsSync(join(dir, 'stats.json')) ? readJson<Stats>(join(dir, 'stats.json'), show('stats.json')) : { tables: {} };
  let workload: WorkloadInput = { queries: [], transactions: [], diagnostics: [], files: [] };
  const csvPath = join(dir, 'workload.csv');
  if (existsSync(csvPath)) {
    // The pg_stat_statements CSV reader of --workload: the same queries as the live session read.
    const shown = show('workload.csv');
    await loadParser();
    const builder = new WorkloadBuilder();
    builder.addFile(shown);
    await readPgssCsvInto(builder, shown, csvPath);
    builder.fileDone({ file: shown, format: 'pgss-csv' });
    workload = builder.build();
  }
  const sample = options.sample === false ? undefined : await readSample(dir, catalog, show);
  return { meta, catalog, stats, workload, ...(sample ? { sample } : {}) };
}

/** The sample of a collected directory: `sample/*.csv` (or the `sample.json` of older versions); tables the catalog lacks are skipped. */
async function readSample(dir: string, catalog: Catalog, show: (f: string) => string): Promise<SampleData | undefined> {
  const sampleDir = join(dir, SAMPLE_DIR);
  if (!existsSync(sampleDir)) return existsSync(join(dir, 'sample.json')) ? readJson<SampleData>(join(dir, 'sample.json'), show('sample.json')) : undefined;
  const byFile = new Map(Object.keys(catalog.tables).map((k) => [sampleFileName(k), k] as const));
  const out: SampleData = {};
  for (const f of readdirSync(sampleDir).sort()) {
    const key = byFile.get(f);
    if (!key) continue;
    let table;
    try {
      table = await openCsvTable(join(sampleDir, f));
    } catch (e) {
      throw new InputError(`${show(`${SAMPLE_DIR}/${f}`)}: not a readable CSV file (${(e as Error).message})`, { file: show(`${SAMPLE_DIR}/${f}`), hint: 'run shardwise collect --sample N again' });
    }
    const rows: Array<Record<string, string | null>> = [];
    try {
      for await (const r of table.rows) rows.push(Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? null])));
    } catch (e) {
      throw new InputError(`${show(`${SAMPLE_DIR}/${f}`)}: not a readable CSV file (${(e as Error).message})`, { file: show(`${SAMPLE_DIR}/${f}`), hint: 'run shardwise collect --sample N again' });
    }
    out[key] = rows;
  }
  return out;
}
