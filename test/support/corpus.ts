/**
 * The corpus of real schemas and workloads: the shared one kept beside the
 * repository (../shared/corpus), then the datasets the repository carries
 * itself (test/corpus).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function corpusDir(): string {
  const dir = process.env.SHARDWISE_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(dir)) throw new Error(`corpus not found at ${dir}: set SHARDWISE_CORPUS`);
  return dir;
}

export interface CorpusDataset {
  readonly name: string;
  readonly dir: string;
  readonly schemaPath: string;
  readonly queriesPath?: string;
  /** SQL data files (`*-data.sql`, beside the schema or in `data/`) that load after the schema. */
  readonly dataFiles: string[];
}

/** The datasets the repository carries itself: real application schemas, data only. */
export function repoCorpusDir(): string {
  return join(repoRoot, 'test', 'corpus');
}

function datasetsIn(root: string): CorpusDataset[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'schema.sql')))
    .map((d) => {
      const dir = join(root, d.name);
      const files = readdirSync(dir);
      return {
        name: d.name,
        dir,
        schemaPath: join(dir, 'schema.sql'),
        queriesPath: files.includes('queries.sql') ? join(dir, 'queries.sql') : undefined,
        dataFiles: dataFilesOf(dir),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** SQL data files (`*-data.sql`) beside the schema or in its `data/` directory, loaded after it. */
function dataFilesOf(dir: string): string[] {
  const inDir = (d: string) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('-data.sql')).sort().map((f) => join(d, f)) : []);
  return [...inDir(dir), ...inDir(join(dir, 'data'))];
}

/** Every dataset: the shared corpus first, then the repository's; a name names one dataset. */
export function corpusDatasets(): CorpusDataset[] {
  const shared = datasetsIn(corpusDir());
  const own = datasetsIn(repoCorpusDir());
  const names = new Set(shared.map((d) => d.name));
  const clash = own.filter((d) => names.has(d.name)).map((d) => d.name);
  if (clash.length > 0) throw new Error(`test/corpus repeats datasets of the shared corpus: ${clash.join(', ')}: rename them`);
  return [...shared, ...own];
}

/** The dataset carries rows: data files, or INSERTs or COPY blocks in its schema. */
export function carriesRows(ds: CorpusDataset): boolean {
  return ds.dataFiles.length > 0 || /^(INSERT\s+INTO|COPY\s+\S+.*\bFROM\s+stdin)/im.test(readCorpusFile(ds.schemaPath));
}

export function readCorpusFile(path: string): string {
  return readFileSync(path, 'utf8');
}

export { repoRoot };
