/**
 * A read-only session on a live PostgreSQL database.
 *
 * Read-only by construction, three times over:
 *  1. the session starts with `default_transaction_read_only = on` (a startup
 *     option, so it holds before the first statement is run);
 *  2. everything runs inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
 *     (one consistent snapshot for the catalog, the statistics and the sample);
 *  3. `SET LOCAL statement_timeout` and `lock_timeout` bound what one query
 *     may cost the server.
 *
 * The settings it connects with are resolved in conninfo.ts; its failures
 * become LiveErrors in errors.ts.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { resolveConnection } from './conninfo.js';
import { connectionError, LiveError, queryError } from './errors.js';
import { DEFAULT_LIMITS, type ConnectionSettings, type Env, type SessionLimits } from './settings.js';

export const APPLICATION_NAME = 'shardwise';

/** Every statement shardwise sends starts with this, so its own queries can be told apart in pg_stat_statements. */
export const QUERY_TAG = '/* shardwise */ ';

export interface LiveSession {
  readonly settings: ConnectionSettings;
  readonly limits: SessionLimits;
  /** server_version_num, e.g. 150020. */
  readonly serverVersionNum: number;
  readonly serverVersion: string;
  readonly database: string;
  /** The underlying connection (read-only at session level; inside a READ ONLY transaction). */
  readonly client: pg.Client;
  /** Run a query inside the session's read-only transaction; errors become LiveError. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Like `query`, inside a savepoint: a failure leaves the transaction usable and is returned, not thrown. */
  tryQuery<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] } | { error: LiveError }>;
  close(): Promise<void>;
}

function sslConfig(s: ConnectionSettings, attempt: 'ssl' | 'plain'): pg.ClientConfig['ssl'] {
  if (attempt === 'plain' || s.sslmode === 'disable') return false;
  const read = (f: string | undefined) => {
    if (!f) return undefined;
    try {
      return readFileSync(f, 'utf8');
    } catch (e) {
      throw new LiveError('usage', `cannot read the TLS file ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check sslrootcert, sslcert and sslkey (or PGSSLROOTCERT, PGSSLCERT, PGSSLKEY)');
    }
  };
  const files = { ...(s.sslrootcert ? { ca: read(s.sslrootcert) } : {}), ...(s.sslcert ? { cert: read(s.sslcert) } : {}), ...(s.sslkey ? { key: read(s.sslkey) } : {}) };
  switch (s.sslmode) {
    case 'verify-full':
      return { rejectUnauthorized: true, ...files };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...files };
    default:
      // require / prefer / allow: encrypt, verify only when a root certificate is given (libpq's behaviour).
      return { rejectUnauthorized: !!s.sslrootcert, ...files };
  }
}

function clientConfig(s: ConnectionSettings, attempt: 'ssl' | 'plain'): pg.ClientConfig {
  return {
    host: s.host,
    port: s.port,
    user: s.user,
    database: s.database,
    // An empty string keeps pg from consulting the password file on its own.
    password: s.password ?? '',
    ssl: sslConfig(s, attempt),
    application_name: APPLICATION_NAME,
    options: '-c default_transaction_read_only=on',
    connectionTimeoutMillis: s.connectTimeoutSeconds * 1000,
  };
}

/** Connect, then open the read-only transaction every query runs in. */
export async function openSession(settings: ConnectionSettings, limits: SessionLimits = DEFAULT_LIMITS): Promise<LiveSession> {
  const attempts: Array<'ssl' | 'plain'> =
    settings.sslmode === 'disable' ? ['plain'] : settings.sslmode === 'allow' ? ['plain', 'ssl'] : settings.sslmode === 'prefer' ? ['ssl', 'plain'] : ['ssl'];
  // The client library is loaded by the commands that connect, not at every start.
  const { default: Pg } = await import('pg');
  let client: pg.Client | undefined;
  let lastError: unknown;
  for (const attempt of attempts) {
    // Built before any socket is opened: a certificate file that cannot be read is a usage error, not a leak.
    const c = new Pg.Client(clientConfig(settings, attempt));
    c.on('error', () => undefined); // a dropped connection surfaces on the next query
    try {
      await c.connect();
      client = c;
      break;
    } catch (e) {
      lastError = e;
      await c.end().catch(() => undefined);
      const msg = (e as Error)?.message ?? '';
      const retryable = /does not support SSL|SSL off|no pg_hba.conf entry.*(SSL|encryption)/i.test(msg);
      if (!retryable) break;
    }
  }
  if (!client) throw connectionError(lastError, settings);
  const c = client;
  const run = async <R>(sql: string, params?: unknown[]): Promise<R[]> => {
    try {
      const r = await c.query(QUERY_TAG + sql, params as unknown[] | undefined);
      return r.rows as R[];
    } catch (e) {
      throw queryError(e, settings, limits);
    }
  };
  // Every step after connecting is inside this try: a failure anywhere (a statement
  // timeout of 1 ms cancels the very first query) closes the connection, or the
  // process would wait on a session left "idle in transaction (aborted)".
  let info: Array<{ v: string; n: string; d: string }>;
  try {
    await run('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await run(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(limits.statementTimeoutMs))}`);
    await run(`SET LOCAL lock_timeout = ${Math.max(0, Math.floor(limits.lockTimeoutMs))}`);
    await run(`SET LOCAL idle_in_transaction_session_timeout = 0`);
    // Qualified names everywhere (as pg_dump prints them): pg_get_expr, regclass, format_type.
    await run('SET LOCAL search_path = pg_catalog');
    info = await run<{ v: string; n: string; d: string }>(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n, current_database() AS d`);
  } catch (e) {
    await c.end().catch(() => undefined);
    throw e;
  }
  let savepoints = 0;
  return {
    settings,
    limits,
    serverVersion: info[0].v,
    serverVersionNum: Number(info[0].n),
    database: info[0].d,
    client: c,
    query: run,
    async tryQuery<R>(sql: string, params?: unknown[]) {
      const name = `shardwise_sp_${++savepoints}`;
      await run(`SAVEPOINT ${name}`);
      try {
        const rows = await run<R>(sql, params);
        await run(`RELEASE SAVEPOINT ${name}`);
        return { rows };
      } catch (e) {
        await run(`ROLLBACK TO SAVEPOINT ${name}`);
        if (e instanceof LiveError) return { error: e };
        throw e;
      }
    },
    async close() {
      try {
        await c.query(QUERY_TAG + 'ROLLBACK');
      } catch {
        // the connection may already be gone
      }
      await c.end().catch(() => undefined);
    },
  };
}

/** Connect from a URL (or only the environment) in one call. */
export async function connectLive(url: string | undefined, env: Env, limits: SessionLimits = DEFAULT_LIMITS): Promise<LiveSession> {
  return openSession(resolveConnection(url, env), limits);
}
