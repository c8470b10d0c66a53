/**
 * No output shows a credential: the passwords of the connection strings on
 * the command line (`--db URL`, `--db=URL`) and of PGPASSWORD are masked in
 * everything the command writes, whatever path the text took to get there.
 */
import { maskSecrets, passwordsIn } from '../ingest/live/redact.js';
import type { CliIO, Writable } from './io.js';

export function secretsOf(argv: readonly string[], env: CliIO['env']): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a.startsWith('--db=')) out.push(...passwordsIn(a.slice(5)));
    else if (a === '--db' && i + 1 < argv.length) out.push(...passwordsIn(argv[i + 1]));
  });
  if (env.PGPASSWORD) out.push(env.PGPASSWORD);
  return [...new Set(out)];
}

function masked(w: Writable, secrets: readonly string[]): Writable {
  return {
    write: (chunk: string) => w.write(maskSecrets(String(chunk), secrets)),
    ...(w.isTTY !== undefined ? { isTTY: w.isTTY } : {}),
    get columns() {
      return w.columns;
    },
  };
}

/** The io, with the secrets masked in both output streams (the io itself when there are none). */
export function maskedIO(io: CliIO, secrets: readonly string[]): CliIO {
  return secrets.some((s) => s.length >= 3) ? { ...io, stdout: masked(io.stdout, secrets), stderr: masked(io.stderr, secrets) } : io;
}
