/** Helpers for the live-database tests: load SQL with psql, dump with pg_dump (the server's own binaries). */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPgBinDir } from '../../support/cluster.js';
import { corpusDir } from '../../support/corpus.js';

function tool(name: string): string {
  const p = join(findPgBinDir(), name);
  return existsSync(p) ? p : name;
}

/** Run a SQL file with psql, errors reported but not fatal (ON_ERROR_STOP=0), as the corpus load check does. */
export function psqlFile(url: string, file: string): void {
  const r = spawnSync(tool('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=0', '-d', url, '-f', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1 && r.status !== 3) throw new Error(`psql failed on ${file}: ${r.stderr}`);
}

export function psql(url: string, sql: string): string {
  return execFileSync(tool('psql'), ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8' });
}

export function pgDumpSchema(url: string): string {
  return execFileSync(tool('pg_dump'), ['--schema-only', '--no-owner', '--no-privileges', '-d', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export function corpusSchema(name: string): string {
  return join(corpusDir(), name, 'schema.sql');
}

export function corpusData(name: string): string | undefined {
  const f = join(corpusDir(), name, 'data', `${name}-data.sql`);
  return existsSync(f) ? f : undefined;
}
