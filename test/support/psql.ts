/** Load SQL files into a real database with psql, as a user would. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findPgBinDir } from './cluster.js';

export interface PsqlResult {
  readonly status: number;
  readonly errors: string[];
}

/** Run files with psql (ON_ERROR_STOP off, as the corpus load check did); returns the ERROR lines. */
export function psqlFiles(url: string, files: string[], extraArgs: string[] = []): PsqlResult {
  const psql = join(findPgBinDir(), 'psql');
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=0', '-d', url, ...extraArgs, ...files.flatMap((f) => ['-f', f])];
  const r = spawnSync(psql, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, PGOPTIONS: '-c client_min_messages=error', PGCLIENTENCODING: 'UTF8' } });
  const errors = (r.stderr ?? '').split('\n').filter((l) => /ERROR:/.test(l));
  return { status: r.status ?? -1, errors };
}
