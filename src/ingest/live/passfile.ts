/** The password file (PGPASSFILE or ~/.pgpass), read as libpq reads it. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './settings.js';

/**
 * The password file, as libpq reads it: PGPASSFILE or ~/.pgpass; ignored
 * unless it is a plain file without group/other permissions; lines
 * `host:port:database:user:password` with `*` wildcards and `\:` / `\\`
 * escapes; the first matching line wins. (The `pgpass` package reads
 * process.env and writes warnings to process.stderr itself, which library code
 * here must not do; this is the same format in a few lines.)
 */
export function passwordFromFile(target: { host: string; port: number; database: string; user: string }, env: Env): string | undefined {
  const file = env.PGPASSFILE || (env.HOME ? join(env.HOME, '.pgpass') : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // libpq matches a socket connection against "localhost" (and the default socket dir).
  const hosts = target.host.startsWith('/') ? new Set(['localhost', target.host]) : new Set([target.host]);
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const fields: string[] = [];
    let cur = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '\\' && i + 1 < line.length) cur += line[++i];
      else if (ch === ':' && fields.length < 4) {
        fields.push(cur);
        cur = '';
      } else cur += ch;
    }
    fields.push(cur);
    if (fields.length < 5) continue;
    const [h, p, d, u, pw] = fields;
    const ok = (pattern: string, value: string) => pattern === '*' || pattern === value;
    if ((h === '*' || hosts.has(h)) && ok(p, String(target.port)) && ok(d, target.database) && ok(u, target.user)) return pw;
  }
  return undefined;
}
