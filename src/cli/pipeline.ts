/**
 * The stages wired together for the commands: schema -> catalog, workload
 * files -> analysed queries, stats (export, dump data, CSV, estimate) ->
 * layered stats, then the advisor. Library code: no printing here.
 */
import { recommend, type Advice } from '../advisor/index.js';
import { readSchema } from '../catalog/index.js';
import type { Catalog } from '../catalog/model.js';
import { InputError, readSqlFile } from '../ingest/files.js';
import type { Script } from '../ingest/pg/script.js';
import { readWorkload } from '../ingest/workload/index.js';
import type { WorkloadInput } from '../ingest/workload/model.js';
import { estimateStats, mergeStats, readStatsFiles, statsFromData } from '../stats/index.js';
import type { Stats } from '../stats/model.js';
import { analyzeWorkload } from '../workload/extract.js';
import type { Workload } from '../workload/model.js';

export interface AnalysisInputs {
  readonly schema: string[];
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

export async function analyzeInputs(inputs: AnalysisInputs): Promise<Analysis> {
  const sqlData = (inputs.data ?? []).filter((p) => !/\.csv$/i.test(p));
  const csvData = (inputs.data ?? []).filter((p) => /\.csv$/i.test(p));
  const { catalog, scripts } = await loadCatalog([...inputs.schema, ...sqlData], inputs.cwd);
  let workloadInput: WorkloadInput | undefined;
  let workload: Workload | undefined;
  if (inputs.workload?.length) {
    workloadInput = await readWorkload(inputs.workload, inputs.cwd);
    workload = analyzeWorkload(catalog, workloadInput.queries);
  }
  const layers: Stats[] = [estimateStats(catalog)];
  if (catalog.data.length || csvData.length) layers.push(await statsFromData(catalog, { cwd: inputs.cwd, csvFiles: csvData }));
  if (inputs.stats?.length) layers.push(await readStatsFiles(inputs.stats, inputs.cwd, catalog));
  const stats = mergeStats(...layers);
  const advice = recommend(catalog, workload, stats, { shardCount: inputs.shardCount, citus: inputs.citus });
  return { catalog, scripts, workloadInput, workload, stats, advice };
}

export { InputError };
