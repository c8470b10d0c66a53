/**
 * Schemas read before, kept by content: the catalog a set of schema files
 * gives, stored under the cache directory (the CLI passes
 * $XDG_CACHE_HOME/shardwise or ~/.cache/shardwise) by a hash of the files'
 * names and bytes, the shardwise version, the code that reads schemas and
 * the options. One file per entry, written with v8.serialize beside a header
 * that repeats the key; an entry that cannot be read, or whose header does
 * not match (corrupt, another version's, another program's), is ignored and
 * written again. A directory that cannot be made or written is skipped
 * without a word: the cache only saves time, and deleting it is always safe.
 * The entry holds the catalog, not the parse trees: a caller that needs the
 * statements reads the files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { buildCatalog, type SchemaInput } from './index.js';
import type { Catalog } from './model.js';
import { loadParser } from '../ingest/pg/index.js';

export interface CatalogCache {
  /** The directory entries live in; made when missing. */
  readonly dir: string;
  /** The shardwise version: an entry of another version is never read. */
  readonly version: string;
}

/** Bumped when what an entry holds changes shape. */
const FORMAT = 1;
const MAGIC = 'shardwise-catalog-cache';
/** Entries kept; the oldest beyond it are removed after a write. */
const KEEP = 16;

interface Entry {
  readonly magic: string;
  readonly format: number;
  readonly version: string;
  readonly key: string;
  readonly catalog: Catalog;
}

/** The catalog of the schema files, from the cache when it holds them, else read and then stored. */
export async function readSchemaCatalog(inputs: readonly SchemaInput[], cache: CatalogCache | undefined): Promise<Catalog> {
  const key = cache ? cacheKey(inputs, cache.version) : '';
  const path = cache ? join(cache.dir, `catalog-${key}.v8`) : '';
  if (cache) {
    const hit = readEntry(path, key, cache.version);
    if (hit) return hit;
  }
  await loadParser();
  const { catalog } = buildCatalog(inputs);
  if (cache) writeEntry(cache.dir, path, { magic: MAGIC, format: FORMAT, version: cache.version, key, catalog });
  return catalog;
}

/** The key of a set of schema files: their names as findings show them, their bytes, in order. */
export function cacheKey(inputs: readonly SchemaInput[], version: string): string {
  const h = createHash('sha256');
  h.update(`${MAGIC}\0${FORMAT}\0${version}\0${codeFingerprint()}\0${inputs.length}\0`);
  for (const i of inputs) {
    const bytes = Buffer.from(i.text, 'utf8');
    h.update(`${Buffer.byteLength(i.file)}\0${i.file}\0${bytes.length}\0`);
    h.update(bytes);
    // the offsets of data left out of the text are in the catalog
    if (i.gaps?.length) h.update(`\0${JSON.stringify(i.gaps)}`);
  }
  return h.digest('hex').slice(0, 40);
}

/**
 * The code that turns SQL into a catalog, by its files' sizes and times: a
 * build or a checkout that changes it does not read entries the old code
 * wrote, even under the same version number.
 */
function codeFingerprint(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha256');
  for (const dir of [here, join(here, '..', 'ingest', 'pg')]) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      try {
        const st = statSync(join(dir, n));
        if (st.isFile()) h.update(`${n}\0${st.size}\0${st.mtimeMs}\0`);
      } catch {
        // a file gone meanwhile changes nothing read here
      }
    }
  }
  return h.digest('hex');
}

function readEntry(path: string, key: string, version: string): Catalog | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  try {
    const e = deserialize(bytes) as Partial<Entry> | null;
    if (!e || e.magic !== MAGIC || e.format !== FORMAT || e.version !== version || e.key !== key || !e.catalog) return undefined;
    return e.catalog;
  } catch {
    return undefined;
  }
}

function writeEntry(dir: string, path: string, entry: Entry): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, serialize(entry));
    renameSync(tmp, path);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return;
  }
  prune(dir);
}

/** Keep the newest entries only. */
function prune(dir: string): void {
  try {
    const entries = readdirSync(dir)
      .filter((n) => /^catalog-[0-9a-f]+\.v8$/.test(n))
      .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const e of entries.slice(KEEP)) unlinkSync(join(dir, e.n));
  } catch {
    // another run pruned at the same time
  }
}
