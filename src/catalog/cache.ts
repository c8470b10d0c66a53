/**
 * Schemas read before, kept by content: the catalog a set of schema files
 * gives, stored in the cache (../ingest/cache-store.ts) by a hash of the
 * files' names and bytes, the shardwise version, the code that reads
 * schemas and the options. The entry holds the catalog, not the parse
 * trees: a caller that needs the statements reads the files.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, type SchemaInput } from './index.js';
import type { Catalog } from './model.js';
import { loadParser } from '../ingest/pg/index.js';
import { cacheKey as keyOf, codeFingerprint, readCached, writeCached, type CacheDir, type EntryKind } from '../ingest/cache-store.js';

export type CatalogCache = CacheDir;

const CATALOG: EntryKind = { kind: 'catalog', format: 2, keep: 16 };
const here = dirname(fileURLToPath(import.meta.url));

/** The catalog of the schema files, from the cache when it holds them, else read and then stored. */
export async function readSchemaCatalog(inputs: readonly SchemaInput[], cache: CatalogCache | undefined): Promise<Catalog> {
  const key = cache ? cacheKey(inputs, cache.version) : '';
  if (cache) {
    const hit = readCached<Catalog>(cache, CATALOG, key);
    if (hit) return hit;
  }
  await loadParser();
  const { catalog } = buildCatalog(inputs);
  if (cache) writeCached(cache, CATALOG, key, catalog);
  return catalog;
}

/** The key of a set of schema files: their names as findings show them, their bytes, in order. */
export function cacheKey(inputs: readonly SchemaInput[], version: string): string {
  // the offsets of data left out of the text (a large dump read without its COPY rows) are in the catalog
  return keyOf([CATALOG.kind, String(CATALOG.format), version, codeFingerprint([join(here, '..')]), ...inputs.flatMap((i) => [i.file, i.text, i.gaps?.length ? JSON.stringify(i.gaps) : ''])]);
}
