/**
 * What the fuzz cases start from: the corpus's small schemas and workloads,
 * and the well-formed inputs of every other kind in test/fixtures/fuzz/seeds
 * (written against the corpus's benchbase-tpcc schema, the anchor).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDatasets, repoRoot } from '../support/corpus.js';

export interface SeedText {
  readonly name: string;
  readonly text: string;
}

export interface Seeds {
  /** Schemas small enough to keep a case fast. */
  readonly schemas: readonly SeedText[];
  /** Corpus workloads (.sql). */
  readonly queries: readonly SeedText[];
  /** The schema the seed files are written against. */
  readonly anchor: SeedText;
  /** test/fixtures/fuzz/seeds, by file name. */
  readonly files: Readonly<Record<string, string>>;
}

/** Larger schemas make each case slower without finding more. */
const MAX_SCHEMA_BYTES = 40_000;

export const SEEDS_DIR = join(repoRoot, 'test', 'fixtures', 'fuzz', 'seeds');

export function loadSeeds(): Seeds {
  const schemas: SeedText[] = [];
  const queries: SeedText[] = [];
  let anchor: SeedText | undefined;
  for (const d of corpusDatasets()) {
    const size = statSync(d.schemaPath).size;
    if (d.name === 'benchbase-tpcc') anchor = { name: d.name, text: readFileSync(d.schemaPath, 'utf8') };
    if (size <= MAX_SCHEMA_BYTES) schemas.push({ name: d.name, text: readFileSync(d.schemaPath, 'utf8') });
    if (d.queriesPath && statSync(d.queriesPath).size <= MAX_SCHEMA_BYTES) queries.push({ name: d.name, text: readFileSync(d.queriesPath, 'utf8') });
  }
  if (!anchor) throw new Error('the corpus has no benchbase-tpcc: the fuzz seeds are written against it');
  const files: Record<string, string> = {};
  for (const f of readdirSync(SEEDS_DIR).sort()) if (f !== 'README.md') files[f] = readFileSync(join(SEEDS_DIR, f), 'utf8');
  return { schemas, queries, anchor, files };
}
