/**
 * The stages wired together for the commands: schema -> catalog, workload
 * files -> analysed queries, stats (export, dump data, CSV, estimate) ->
 * layered stats, then the advisor. Library code: no printing here.
 */
import { recommend, type Advice } from '../advisor/index.js';
import { readSchemaCatalog, type CatalogCache } from '../catalog/cache.js';
import { readSchema } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath, InputError, readSqlFile } from '../ingest/files.js';
import {
  connectLive,
  describeDatabase,
  LiveError,
  readCollectedDir,
  readLiveCatalog,
  readLiveStats,
  readLiveWorkload,
  sampleCatalog,
  type SampleData,
  type SessionLimits,
} from '../ingest/live/index.js';
import { loadParser } from '../ingest/pg/parser.js';
import type { Script } from '../ingest/pg/script.js';
import { SourceText } from '../ingest/pg/source.js';
import { readWorkload } from '../ingest/workload/index.js';
import type { WorkloadInput } from '../ingest/workload/model.js';
import { estimateStats, mergeStats, readStatsFiles, statsFromData } from '../stats/index.js';
import type { Stats } from '../stats/model.js';
import { analyzeWorkload } from '../workload/extract.js';
import type { Workload } from '../workload/model.js';
import { viewDefinitions } from '../workload/views.js';

export interface AnalysisInputs {
  /** Schema files; or one directory written by `shardwise collect`. */
  readonly schema: string[];
  /** A live database to read instead of files (read-only session). */
  readonly db?: {
    readonly url?: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    /** statement_timeout and lock_timeout of the session (default DEFAULT_LIMITS). */
    readonly limits?: SessionLimits;
    /** Sample up to this many rows per table (TABLESAMPLE, LIMIT) for the data placement; 0 or absent: none. */
    readonly sample?: number;
  };
  readonly workload?: string[];
  readonly stats?: string[];
  /** Data: SQL files with COPY/INSERT data (read like schema files) and CSV files, one table each. */
  readonly data?: string[];
  readonly cwd: string;
  /** Read the sample of a collected directory (`collect --sample N`), for the data placement of simulate. */
  readonly sample?: boolean;
  readonly shardCount?: number;
  readonly citus?: string;
  /** Read schema files through this cache (unless a workload is given: its views need the statements); `scripts` is then empty. */
  readonly cache?: CatalogCache;
  /** Told what is being read and how far the advisor's search is (the CLI shows it on a terminal); total 0: not counted. */
  readonly onProgress?: (done: number, total: number, what: string) => void;
}

export interface Analysis {
  readonly catalog: Catalog;
  /** The schema files' statements; empty when read from a database or a collected directory, or through the cache. */
  readonly scripts: Script[];
  /** The schema files' texts, for code frames. */
  readonly sources: SourceText[];
  readonly workloadInput?: WorkloadInput;
  readonly workload?: Workload;
  readonly stats: Stats;
  /** Rows sampled from a live database (`--db --sample N`) or a collected directory, per table key: data for the placement. */
  readonly sample?: SampleData;
  /** What the schema was read from when it is not files (a live database, a collected directory), for reports. */
  readonly source?: string;
  /** One-line notices for the user (e.g. no workload because pg_stat_statements is missing); the CLI prints them. */
  readonly notices: string[];
  readonly advice: Advice;
}

export async function loadCatalog(paths: string[], cwd: string): Promise<{ catalog: Catalog; scripts: Script[] }> {
  const inputs = paths.map((p) => readSqlFile(p, cwd));
  return readSchema(inputs.map((i) => ({ file: i.file, text: i.text, gaps: i.gaps })));
}

/**
 * The catalog of schema files through the cache, with the files' texts (code
 * frames) but not their statements: `scripts` is empty.
 */
async function loadCachedCatalog(paths: string[], cwd: string, cache: CatalogCache): Promise<{ catalog: Catalog; scripts: Script[]; sources: SourceText[] }> {
  const inputs = paths.map((p) => readSqlFile(p, cwd)).map((i) => ({ file: i.file, text: i.text, gaps: i.gaps }));
  return { catalog: await readSchemaCatalog(inputs, cache), scripts: [], sources: inputs.map((i) => new SourceText(i.file, i.text, i.gaps)) };
}

interface Source {
  catalog: Catalog;
  scripts: Script[];
  sources: SourceText[];
  stats?: Stats;
  workload?: WorkloadInput;
  sample?: SampleData;
  source?: string;
  notices: string[];
}

/** Where the schema (and maybe stats, workload and a sample) come from: files, a collected directory, or a live database. */
async function loadSource(inputs: AnalysisInputs, sqlData: string[]): Promise<Source> {
  if (inputs.db) {
    await loadParser();
    const notices: string[] = [];
    const session = await connectLive(inputs.db.url, inputs.db.env, inputs.db.limits);
    try {
      const catalog = await readLiveCatalog(session, { serverVersionNum: session.serverVersionNum });
      const stats = await readLiveStats(session);
      let workload: WorkloadInput | undefined;
      // Workload files given: they replace pg_stat_statements, which is then not read.
      if (!inputs.workload?.length) {
        try {
          const read = await readLiveWorkload(session);
          // As for a collected directory: no query read is no workload.
          if (read.queries.length || read.diagnostics.length) workload = read;
          else notices.push(`pg_stat_statements holds no queries of database ${session.database} yet: continuing without a workload (let the application run first, or pass --workload FILE)`);
        } catch (e) {
          if (!(e instanceof LiveError && e.kind === 'extension')) throw e;
          notices.push(`${e.message}: continuing without a workload (to enable it, add pg_stat_statements to shared_preload_libraries in postgresql.conf, restart the server, then run CREATE EXTENSION pg_stat_statements; in this database)`);
        }
      }
      const n = Math.floor(inputs.db.sample ?? 0);
      const sample = n > 0 ? await sampleCatalog(session, catalog, stats, n) : undefined;
      return { catalog, scripts: [], sources: [], stats, workload, ...(sample ? { sample } : {}), source: describeDatabase(session.settings, session.database), notices };
    } finally {
      await session.close();
    }
  }
  const [first] = inputs.schema;
  if (inputs.schema.length === 1 && first && isDirectory(resolve(inputs.cwd, first))) {
    const path = resolve(inputs.cwd, first);
    const dir = await readCollectedDir(path, { cwd: inputs.cwd, sample: inputs.sample === true });
    return {
      catalog: dir.catalog,
      scripts: [],
      sources: [],
      stats: dir.stats,
      workload: dir.workload.queries.length || dir.workload.diagnostics.length ? dir.workload : undefined,
      ...(dir.sample ? { sample: dir.sample } : {}),
      source: `${displayPath(path, inputs.cwd)} (database ${dir.meta.database}, collected by shardwise)`,
      notices: [],
    };
  }
  const paths = [...inputs.schema, ...sqlData];
  // A workload's views are read from the schema's statements, which the cache does not keep.
  if (inputs.cache && !inputs.workload?.length) return { ...(await loadCachedCatalog(paths, inputs.cwd, inputs.cache)), notices: [] };
  const loaded = await loadCatalog(paths, inputs.cwd);
  return { ...loaded, sources: loaded.scripts.map((s) => s.source), notices: [] };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export async function analyzeInputs(inputs: AnalysisInputs): Promise<Analysis> {
  const loaded = await loadInputs(inputs);
  inputs.onProgress?.(0, 0, 'searching for a design');
  const advice = recommend(loaded.catalog, loaded.workload, loaded.stats, { shardCount: inputs.shardCount, citus: inputs.citus, onProgress: inputs.onProgress });
  return { ...loaded, advice };
}

/** Every input read and analysed, without the recommendation. */
export async function loadInputs(inputs: AnalysisInputs): Promise<Omit<Analysis, 'advice'>> {
  const sqlData = (inputs.data ?? []).filter((p) => !/\.csv$/i.test(p));
  const csvData = (inputs.data ?? []).filter((p) => /\.csv$/i.test(p));
  inputs.onProgress?.(0, 0, inputs.db ? 'reading the database' : 'reading the schema');
  const source = await loadSource(inputs, sqlData);
  const { catalog, scripts, sources, notices } = source;
  let workloadInput: WorkloadInput | undefined = source.workload;
  if (inputs.workload?.length) {
    inputs.onProgress?.(0, 0, 'reading the workload');
    workloadInput = await readWorkload(inputs.workload, inputs.cwd);
  }
  if (workloadInput) inputs.onProgress?.(0, 0, `analysing ${workloadInput.queries.length} queries`);
  // Each query resolves names with its own search_path; views (the schema's and the workload's own) are seen through.
  const workload = workloadInput ? analyzeWorkload(catalog, workloadInput.queries, { views: viewDefinitions(catalog, scripts, workloadInput.views) }) : undefined;
  const layers: Stats[] = [];
  inputs.onProgress?.(0, 0, 'statistics');
  if (inputs.stats?.length) layers.push(await readStatsFiles(inputs.stats, inputs.cwd, catalog));
  if (source.stats) layers.push(source.stats);
  if (catalog.data.length || csvData.length) layers.push(await statsFromData(catalog, { cwd: inputs.cwd, csvFiles: csvData }));
  layers.push(estimateStats(catalog));
  const stats = mergeStats(...layers);
  // what the statistics readers skipped or could not use, each at its place
  const all = [...notices, ...(stats.warnings ?? [])];
  return { catalog, scripts, sources, workloadInput, workload, stats, ...(source.sample ? { sample: source.sample } : {}), ...(source.source ? { source: source.source } : {}), notices: all };
}

export { InputError };
