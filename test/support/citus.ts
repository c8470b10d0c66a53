/**
 * A real Citus cluster for tests: a coordinator and workers, each a throwaway
 * PostgreSQL with `shared_preload_libraries = citus` on loopback (see
 * `cluster.ts`). Databases are made per test file on every node, with the
 * citus extension and the workers registered, and dropped afterwards.
 *
 * Citus is built from the source tarball beside the repository by
 * `.ci/citus.sh`; without it the suites that need it are skipped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { findPgBinDir, startCluster, type Cluster } from './cluster.js';

export interface CitusCluster {
  readonly coordinator: Cluster;
  readonly workers: readonly Cluster[];
  stop(): void;
}

/** Where Citus would be installed for the server binaries the tests use. */
export function citusLibrary(): string {
  return join(findPgBinDir(), '..', 'lib', 'citus.so');
}

export function citusInstalled(): boolean {
  try {
    return existsSync(citusLibrary());
  } catch {
    return false;
  }
}

const NODE_SETTINGS: Record<string, string | number> = {
  shared_preload_libraries: "'citus,pg_stat_statements'",
  // one Citus maintenance daemon per database per node, plus parallel workers
  max_worker_processes: 128,
  max_connections: 300,
  // tests run statements that Citus sends between nodes: keep them quick to fail
  'citus.node_connection_timeout': 10000,
  'citus.max_cached_conns_per_worker': 0,
  lock_timeout: "'60s'",
};

export async function startCitusCluster(workers = 2): Promise<CitusCluster> {
  const nodes = await Promise.all(Array.from({ length: workers + 1 }, () => startCluster({ settings: NODE_SETTINGS })));
  const [coordinator, ...rest] = nodes;
  return {
    coordinator,
    workers: rest,
    stop() {
      for (const n of nodes) n.stop();
    },
  };
}

/** What a test sees of the cluster: ports on loopback (the global setup provides them). */
export interface CitusTopology {
  readonly coordinatorPort: number;
  readonly workerPorts: readonly number[];
}

export interface CitusDatabase {
  readonly name: string;
  /** The coordinator's URL for this database. */
  readonly url: string;
  /** A connected client on the coordinator. */
  readonly client: pg.Client;
  /** Run one statement on a worker's copy of this database. */
  onWorker<T extends pg.QueryResultRow = pg.QueryResultRow>(index: number, sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  /**
   * `CREATE EXTENSION citus` on every node and register the workers with the
   * coordinator. Done by `createCitusDatabase` unless `{ citus: false }`,
   * for the order users have: the schema first, then Citus.
   */
  enableCitus(): Promise<void>;
  drop(): Promise<void>;
}

function urlFor(port: number, db: string): string {
  return `postgres://postgres@127.0.0.1:${port}/${db}`;
}

async function onNode<T extends pg.QueryResultRow>(port: number, db: string, sql: string, params?: unknown[]): Promise<pg.QueryResult<T>> {
  const c = new pg.Client({ connectionString: urlFor(port, db) });
  await c.connect();
  try {
    return await c.query<T>(sql, params);
  } finally {
    await c.end();
  }
}

export async function createCitusDatabase(topology: CitusTopology, options: { prefix?: string; citus?: boolean } = {}): Promise<CitusDatabase> {
  const name = `${options.prefix ?? 'c'}_${randomBytes(6).toString('hex')}`.toLowerCase();
  const ports = [topology.coordinatorPort, ...topology.workerPorts];
  await Promise.all(ports.map((p) => onNode(p, 'postgres', `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`)));
  const client = new pg.Client({ connectionString: urlFor(topology.coordinatorPort, name) });
  await client.connect();
  // NOTICEs would otherwise go to the console
  client.on('notice', () => undefined);
  let enabled = false;
  const db: CitusDatabase = {
    name,
    url: urlFor(topology.coordinatorPort, name),
    client,
    onWorker: (index, sql, params) => onNode(topology.workerPorts[index], name, sql, params),
    async enableCitus() {
      if (enabled) return;
      enabled = true;
      await Promise.all(topology.workerPorts.map((p) => onNode(p, name, 'CREATE EXTENSION IF NOT EXISTS citus')));
      await client.query('CREATE EXTENSION IF NOT EXISTS citus');
      await client.query('SELECT citus_set_coordinator_host($1, $2)', ['127.0.0.1', topology.coordinatorPort]);
      for (const p of topology.workerPorts) await client.query('SELECT citus_add_node($1, $2)', ['127.0.0.1', p]);
    },
    async drop() {
      await client.end().catch(() => undefined);
      // workers first: the coordinator's maintenance daemon holds connections to them
      for (const p of [...topology.workerPorts, topology.coordinatorPort]) {
        await onNode(p, 'postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      }
    },
  };
  if (options.citus !== false) await db.enableCitus();
  return db;
}
