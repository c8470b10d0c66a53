/**
 * Throwaway PostgreSQL clusters for tests: initdb into a temporary folder,
 * listen on loopback only, stop and delete on close. Works as root (runs the
 * server as the `postgres` user) and as an ordinary user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logDir: string;
  readonly binDir: string;
  stop(): void;
}

export interface ClusterOptions {
  /** Extra postgresql.conf lines. */
  readonly settings?: Record<string, string | number>;
}

export function findPgBinDir(): string {
  const fromEnv = process.env.SHARDWISE_PG_BINDIR;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  const r = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  if (p) return p.replace(/\/initdb$/, '');
  throw new Error('PostgreSQL server binaries not found: install PostgreSQL (Debian: apt-get install postgresql) or set SHARDWISE_PG_BINDIR');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function runAsServerUser(cmd: string, args: string[]): void {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const binDir = findPgBinDir();
  const root = mkdtempSync(join(tmpdir(), 'shardwise-pg-'));
  const dataDir = join(root, 'data');
  const logDir = join(root, 'log');
  if (isRoot) chownSync(root, uidOf('postgres'), gidOf('postgres'));
  runAsServerUser(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings: Record<string, string | number> = {
    listen_addresses: "'127.0.0.1'",
    port,
    unix_socket_directories: `'${root}'`,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 50,
    shared_preload_libraries: "'pg_stat_statements'",
    logging_collector: 'on',
    log_directory: `'${logDir}'`,
    log_destination: "'stderr,csvlog,jsonlog'",
    log_filename: "'postgresql'",
    ...options.settings,
  };
  const conf = Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), conf + '\n');
  if (isRoot) chownSync(join(dataDir, 'postgresql.auto.conf'), uidOf('postgres'), gidOf('postgres'));
  runAsServerUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '60', '-l', join(root, 'server.log'), 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    dataDir,
    logDir,
    binDir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runAsServerUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
