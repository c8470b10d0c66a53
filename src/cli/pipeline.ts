/**
 * The stages wired together for the commands: schema -> catalog, workload
 * files -> analysed queries, stats (export, dump data, CSV, estimate) ->
 * layered stats, then the advisor. Library code: no printing here.
 */
import { recommend, type Advice } from '../advisor/index.js';
import { readSchema } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, readSqlFile } from '../ingest/files.js';
import { connectLive, LiveError, readCollectedDir, readLiveCatalog, readLiveStats, readLiveWorkload } from '../ingest/live/index.js';
import { loadParser } from '../ingest/pg/parser.js';
import type { Script } from '../ingest/pg/script.js';
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
  readonly db?: { readonly url?: string; readonly env: Readonly<Record<string, string | undefined>> };
  readonly workload?: string[];
  readonly stats?: string[];
  /** Data: SQL files with COPY/INSERT data (read like schema files) and CSV files, one table each. */
  readonly data?: string[];
  readonly cwd: string;
  readonly shardCount?: number;
  readonly citus?: string;
}

export interface Analysis {
  readonly catalog: Catalog;
  readonly scripts: Script[];
  readonly workloadInput?: WorkloadInput;
  readonly workload?: Workload;
  readonly stats: Stats;
  readonly advice: Advice;
}

export async function loadCatalog(paths: string[], cwd: string): Promise<{ catalog: Catalog; scripts: Script[] }> {
  const inputs = paths.map((p) => readSqlFile(p, cwd));
  return readSchema(inputs.map((i) => ({ file: i.file, text: i.text })));
}

/** Where the schema (and maybe stats and workload) come from: files, a collected directory, or a live database. */
async function loadSource(inputs: AnalysisInputs, sqlData: string[]): Promise<{ catalog: Catalog; scripts: Script[]; stats?: Stats; workload?: WorkloadInput }> {
  if (inputs.db) {
    await loadParser();
    const session = await connectLive(inputs.db.url, inputs.db.env);
    try {
      const catalog = await readLiveCatalog(session);
      const stats = await readLiveStats(session);
      let workload: WorkloadInput | undefined;
      try {
        workload = await readLiveWorkload(session);
      } catch (e) {
        if (!(e instanceof LiveError && e.kind === 'extension')) throw e;
      }
      return { catalog, scripts: [], stats, workload };
    } finally {
      await session.close();
    }
  }
  const [first] = inputs.schema;
  if (inputs.schema.length === 1 && first && isDirectory(resolve(inputs.cwd, first))) {
    const dir = await readCollectedDir(resolve(inputs.cwd, first), { cwd: inputs.cwd });
    return { catalog: dir.catalog, scripts: [], stats: dir.stats, workload: dir.workload.queries.length ? dir.workload : undefined };
  }
  return loadCatalog([...inputs.schema, ...sqlData], inputs.cwd);
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
  const advice = recommend(loaded.catalog, loaded.workload, loaded.stats, { shardCount: inputs.shardCount, citus: inputs.citus });
  return { ...loaded, advice };
}

/** Every input read and analysed, without the recommendation. */
export async function loadInputs(inputs: AnalysisInputs): Promise<Omit<Analysis, 'advice'>> {
  const sqlData = (inputs.data ?? []).filter((p) => !/\.csv$/i.test(p));
  const csvData = (inputs.data ?? []).filter((p) => /\.csv$/i.test(p));
  const source = await loadSource(inputs, sqlData);
  const { catalog, scripts } = source;
  let workloadInput: WorkloadInput | undefined = source.workload;
  if (inputs.workload?.length) workloadInput = await readWorkload(inputs.workload, inputs.cwd);
  // Each query resolves names with its own search_path; views (the schema's and the workload's own) are seen through.
  const workload = workloadInput ? analyzeWorkload(catalog, workloadInput.queries, { views: viewDefinitions(catalog, scripts, workloadInput.views) }) : undefined;
  const layers: Stats[] = [];
  if (inputs.stats?.length) layers.push(await readStatsFiles(inputs.stats, inputs.cwd, catalog));
  if (source.stats) layers.push(source.stats);
  if (catalog.data.length || csvData.length) layers.push(await statsFromData(catalog, { cwd: inputs.cwd, csvFiles: csvData }));
  layers.push(estimateStats(catalog));
  const stats = mergeStats(...layers);
  return { catalog, scripts, workloadInput, workload, stats };
}

export { InputError };
