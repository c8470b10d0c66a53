/**
 * Where shardwise keeps what it may compute again (src/catalog/cache.ts):
 * $XDG_CACHE_HOME/shardwise, else ~/.cache/shardwise; none under --no-cache.
 */
import { isAbsolute, join } from 'node:path';
import type { CatalogCache } from '../catalog/cache.js';
import { VERSION } from './version.js';

/** The flag that turns the cache off, for commands that read schemas. */
export const CACHE_FLAGS = { 'no-cache': { type: 'boolean' } } as const;

export const CACHE_HELP = '  --no-cache           read the schema again instead of the copy kept in $XDG_CACHE_HOME/shardwise (~/.cache/shardwise), and write none';

/**
 * The cache, unless turned off. XDG_CACHE_HOME counts only when absolute, as
 * the XDG base directory specification says; without it and without HOME in
 * the environment the command was given, there is none.
 */
export function catalogCache(env: Readonly<Record<string, string | undefined>>, off: boolean | undefined): CatalogCache | undefined {
  if (off) return undefined;
  const xdg = env.XDG_CACHE_HOME;
  const home = env.HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : home && isAbsolute(home) ? join(home, '.cache') : undefined;
  return base === undefined ? undefined : { dir: join(base, 'shardwise'), version: VERSION };
}
