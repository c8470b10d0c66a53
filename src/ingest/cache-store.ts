/**
 * The cache's entries on disk: one file per entry under the cache directory
 * (the CLI passes $XDG_CACHE_HOME/shardwise or ~/.cache/shardwise), named
 * by its kind and key, written with v8.serialize beside a header that
 * repeats the key. An entry that cannot be read, or whose header does not
 * match (corrupt, another version's, another program's), counts as absent
 * and is written again. A directory that cannot be made or written is
 * skipped without a word: the cache only saves time, and deleting it is
 * always safe. Each kind keeps its newest entries only.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

export interface CacheDir {
  /** The directory entries live in; made when missing. */
  readonly dir: string;
  /** The shardwise version: an entry of another version is never read. */
  readonly version: string;
}

const MAGIC = 'shardwise-cache';

interface Entry<T> {
  readonly magic: string;
  readonly kind: string;
  readonly format: number;
  readonly version: string;
  readonly key: string;
  readonly value: T;
}

/** One kind of entry (`catalog`, `design`): its file prefix, the shape's format number, and how many to keep. */
export interface EntryKind {
  readonly kind: string;
  /** Bumped when what an entry holds changes shape. */
  readonly format: number;
  readonly keep: number;
}

function entryPath(cache: CacheDir, k: EntryKind, key: string): string {
  return join(cache.dir, `${k.kind}-${key}.v8`);
}

/** The value stored under `key`, or undefined. */
export function readCached<T>(cache: CacheDir, k: EntryKind, key: string): T | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(entryPath(cache, k, key));
  } catch {
    return undefined;
  }
  try {
    const e = deserialize(bytes) as Partial<Entry<T>> | null;
    if (!e || e.magic !== MAGIC || e.kind !== k.kind || e.format !== k.format || e.version !== cache.version || e.key !== key || e.value === undefined) return undefined;
    return e.value;
  } catch {
    return undefined;
  }
}

/** Store `value` under `key` (through a temporary file and a rename), then drop the oldest entries of its kind. */
export function writeCached<T>(cache: CacheDir, k: EntryKind, key: string, value: T): void {
  const path = entryPath(cache, k, key);
  const tmp = `${path}.${process.pid}.tmp`;
  const entry: Entry<T> = { magic: MAGIC, kind: k.kind, format: k.format, version: cache.version, key, value };
  try {
    mkdirSync(cache.dir, { recursive: true });
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
  prune(cache.dir, k);
}

/** A key: the hash of its parts, each with its length, so no two lists of parts give the same bytes. */
export function cacheKey(parts: ReadonlyArray<string | Buffer>): string {
  const h = createHash('sha256');
  h.update(`${MAGIC}\0${parts.length}\0`);
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    h.update(`${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest('hex').slice(0, 40);
}

/**
 * Code (or data) in these files and folders (with their subfolders), by
 * their names, sizes and times: a build or a checkout that changes it does
 * not read entries the old code wrote, even under the same version number.
 */
export function codeFingerprint(paths: readonly string[]): string {
  const h = createHash('sha256');
  const add = (path: string): void => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return; // a file gone meanwhile changes nothing read here
    }
    if (st.isFile()) h.update(`${path}\0${st.size}\0${st.mtimeMs}\0`);
    else if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(path).sort();
      } catch {
        return;
      }
      for (const n of names) add(join(path, n));
    }
  };
  for (const p of paths) add(p);
  return h.digest('hex');
}

/** Keep the newest entries of a kind only. */
function prune(dir: string, k: EntryKind): void {
  const own = new RegExp(`^${k.kind}-[0-9a-f]+\\.v8$`);
  try {
    const entries = readdirSync(dir)
      .filter((n) => own.test(n))
      .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const e of entries.slice(k.keep)) unlinkSync(join(dir, e.n));
  } catch {
    // another run pruned at the same time
  }
}
