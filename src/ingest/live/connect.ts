/**
 * A read-only connection to a live PostgreSQL database.
 *
 * Read-only by construction, three times over:
 *  1. the session starts with `default_transaction_read_only = on` (a startup
 *     option, so it holds before the first statement is run);
 *  2. everything runs inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
 *     (one consistent snapshot for the catalog, the statistics and the sample);
 *  3. `SET LOCAL statement_timeout` and `lock_timeout` bound what one query
 *     may cost the server.
 *
 * Connection parameters follow libpq: a URL (`postgres://` / `postgresql://`)
 * or a `key=value` string, then PGHOST, PGPORT, PGUSER, PGDATABASE,
 * PGPASSWORD, PGSSLMODE (and PGSSLROOTCERT/PGSSLCERT/PGSSLKEY), then the
 * password file (PGPASSFILE or ~/.pgpass). The environment is passed in;
 * nothing here reads `process.env`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { redact } from './redact.js';
import { InputError } from '../files.js';

export type Env = Readonly<Record<string, string | undefined>>;

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface ConnectionSettings {
  /** Host name, IP address, or a Unix socket directory (starts with `/`). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Never printed; see `describeConnection`. */
  readonly password?: string;
  /** Where the password came from, for error hints. */
  readonly passwordSource: 'url' | 'PGPASSWORD' | 'passfile' | 'none';
  readonly sslmode: SslMode;
  readonly sslrootcert?: string;
  readonly sslcert?: string;
  readonly sslkey?: string;
  readonly connectTimeoutSeconds: number;
}

export interface SessionLimits {
  /** `statement_timeout` for every statement, in milliseconds (0 = none). */
  readonly statementTimeoutMs: number;
  /** `lock_timeout`, in milliseconds (0 = none). */
  readonly lockTimeoutMs: number;
}

export const DEFAULT_LIMITS: SessionLimits = { statementTimeoutMs: 30_000, lockTimeoutMs: 2_000 };

export const APPLICATION_NAME = 'shardwise';

/** Every statement shardwise sends starts with this, so its own queries can be told apart in pg_stat_statements. */
export const QUERY_TAG = '/* shardwise */ ';

export type LiveErrorKind =
  | 'usage'
  | 'auth'
  | 'unreachable'
  | 'database'
  | 'privilege'
  | 'extension'
  | 'timeout'
  | 'lock-timeout'
  | 'read-only'
  | 'ssl'
  | 'server';

/** A problem with the live database the user must act on: one line, a hint, exit 2. */
export class LiveError extends InputError {
  readonly kind: LiveErrorKind;
  readonly sqlState?: string;
  constructor(kind: LiveErrorKind, message: string, hint?: string, sqlState?: string) {
    super(message, { hint });
    this.name = 'LiveError';
    this.kind = kind;
    this.sqlState = sqlState;
  }
}

// ---------------------------------------------------------------- masking

/** The connection string with its password replaced by `***` (URL and key=value forms, also when it does not parse). */
export function maskUrl(url: string): string {
  return redact(url);
}

/** `user@host:port/database` — what error messages name; never the password. */
export function describeConnection(s: ConnectionSettings): string {
  const host = s.host.startsWith('/') ? `socket ${s.host}` : s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.user}@${host}:${s.port}/${s.database}`;
}

/** `database shop on db.example:5432` — how a report names a live source (no user, no password). */
export function describeDatabase(s: ConnectionSettings, database = s.database): string {
  const host = s.host.startsWith('/') ? `socket ${s.host}` : s.host.includes(':') ? `[${s.host}]` : s.host;
  return `database ${database} on ${host}:${s.port}`;
}

// ---------------------------------------------------------------- parameters

interface RawParams {
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  dbname?: string;
  sslmode?: string;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  connect_timeout?: string;
}

const KNOWN_KEYS = new Set(['host', 'hostaddr', 'port', 'user', 'password', 'dbname', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name', 'options']);

function parseUrl(url: string): RawParams {
  let u: URL;
  try {
    // WHATWG URL parses unknown schemes without decoding the host; postgres:// is fine.
    u = new URL(url);
  } catch {
    throw new LiveError('usage', `not a valid connection URL: ${maskUrl(url)}`, 'use postgres://user@host:5432/dbname (percent-encode special characters in the password)');
  }
  const p: RawParams = {};
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (u.hostname) p.host = dec(u.hostname.replace(/^\[|\]$/g, ''));
  if (u.port) p.port = u.port;
  if (u.username) p.user = dec(u.username);
  if (u.password) p.password = dec(u.password);
  const path = u.pathname.replace(/^\//, '');
  if (path) p.dbname = dec(path);
  for (const [k, v] of u.searchParams) {
    if (!KNOWN_KEYS.has(k)) {
      throw new LiveError('usage', `unsupported connection parameter "${k}" in ${maskUrl(url)}`, `supported: ${[...KNOWN_KEYS].sort().join(', ')}`);
    }
    if (k === 'hostaddr') p.host = v;
    else if (k !== 'application_name' && k !== 'options') (p as Record<string, string>)[k] = v;
  }
  return p;
}

/** libpq `key=value key='quoted value'` form. */
function parseKeywordValue(text: string): RawParams {
  const p: RawParams = {};
  const re = /\s*([A-Za-z_]+)\s*=\s*('((?:[^'\\]|\\.)*)'|[^\s']*)/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new LiveError('usage', `cannot read connection string: ${maskUrl(text)}`, "use postgres://user@host:5432/dbname or 'host=... dbname=...'");
    const key = m[1].toLowerCase();
    const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
    if (!KNOWN_KEYS.has(key)) throw new LiveError('usage', `unsupported connection parameter "${key}"`, `supported: ${[...KNOWN_KEYS].sort().join(', ')}`);
    if (key === 'hostaddr') p.host = value;
    else if (key !== 'application_name' && key !== 'options') (p as Record<string, string>)[key] = value;
    pos = re.lastIndex;
  }
  return p;
}

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * Resolve the connection the way libpq does: the connection string first, then
 * the PG* variables of `env`, then defaults (local socket or localhost, port
 * 5432, the OS user, a database named like the user), then the password file.
 */
export function resolveConnection(url: string | undefined, env: Env): ConnectionSettings {
  const raw: RawParams = !url ? {} : /^postgres(ql)?:\/\//i.test(url) ? parseUrl(url) : url.includes('=') ? parseKeywordValue(url) : (() => {
    throw new LiveError('usage', `not a connection string: ${maskUrl(url)}`, 'use postgres://user@host:5432/dbname');
  })();
  const portText = raw.port ?? env.PGPORT ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new LiveError('usage', `invalid port "${portText}"`, 'a port is a number between 1 and 65535');
  const host = raw.host || env.PGHOST || defaultHost(port);
  const user = raw.user || env.PGUSER || env.USER || env.LOGNAME || safeUserName();
  const database = raw.dbname || env.PGDATABASE || user;
  const sslText = (raw.sslmode ?? env.PGSSLMODE ?? 'prefer').toLowerCase();
  if (!SSL_MODES.includes(sslText as SslMode)) {
    throw new LiveError('usage', `invalid sslmode "${sslText}"`, `use one of ${SSL_MODES.join(', ')}`);
  }
  const timeout = Number(raw.connect_timeout ?? env.PGCONNECT_TIMEOUT ?? '10');
  let password: string | undefined;
  let passwordSource: ConnectionSettings['passwordSource'] = 'none';
  if (raw.password !== undefined) {
    password = raw.password;
    passwordSource = 'url';
  } else if (env.PGPASSWORD !== undefined) {
    password = env.PGPASSWORD;
    passwordSource = 'PGPASSWORD';
  } else {
    password = passwordFromFile({ host, port, database, user }, env);
    if (password !== undefined) passwordSource = 'passfile';
  }
  return {
    host,
    port,
    user,
    database,
    ...(password !== undefined ? { password } : {}),
    passwordSource,
    sslmode: sslText as SslMode,
    ...optional('sslrootcert', raw.sslrootcert ?? env.PGSSLROOTCERT),
    ...optional('sslcert', raw.sslcert ?? env.PGSSLCERT),
    ...optional('sslkey', raw.sslkey ?? env.PGSSLKEY),
    connectTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 10,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/** libpq's default is the Unix socket directory; use it when a server listens there. */
function defaultHost(port: number): string {
  for (const dir of ['/var/run/postgresql', '/tmp']) {
    if (existsSync(join(dir, `.s.PGSQL.${port}`))) return dir;
  }
  return 'localhost';
}

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

// ---------------------------------------------------------------- session

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
  let client: pg.Client | undefined;
  let lastError: unknown;
  for (const attempt of attempts) {
    // Built before any socket is opened: a certificate file that cannot be read is a usage error, not a leak.
    const c = new pg.Client(clientConfig(settings, attempt));
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

// ---------------------------------------------------------------- errors

interface PgLikeError {
  message?: string;
  code?: string;
  errno?: number;
  syscall?: string;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

export function connectionError(e: unknown, s: ConnectionSettings): LiveError {
  if (e instanceof LiveError) return e;
  const err = (e ?? {}) as PgLikeError;
  const where = describeConnection(s);
  const msg = firstLine(err.message ?? String(e));
  switch (err.code) {
    case '28P01':
      return new LiveError(
        'auth',
        `password authentication failed for ${where}`,
        s.passwordSource === 'none'
          ? 'the server asks for a password: put it in the URL, PGPASSWORD or ~/.pgpass'
          : `check the password (it came from ${s.passwordSource === 'url' ? 'the URL' : s.passwordSource === 'passfile' ? 'the password file' : 'PGPASSWORD'})`,
        err.code,
      );
    case '28000':
      return new LiveError('auth', `the server refused ${where}: ${msg}`, 'ask the database owner for an entry in pg_hba.conf for this user, host and database', err.code);
    case '3D000':
      return new LiveError('database', `database "${s.database}" does not exist on ${s.host}:${s.port}`, 'check the database name in the URL or PGDATABASE', err.code);
    case '42501':
      return new LiveError('privilege', `permission denied to connect as ${where}: ${msg}`, 'the user needs CONNECT on the database', err.code);
    case '53300':
      return new LiveError('server', `the server has no free connection slots (${where})`, 'try again later, or raise max_connections', err.code);
    case '57P03':
      return new LiveError('unreachable', `the server at ${s.host}:${s.port} is not accepting connections yet (starting up or shutting down)`, 'try again in a moment', err.code);
    case 'ECONNREFUSED':
      return new LiveError(
        'unreachable',
        `could not connect to ${s.host.startsWith('/') ? `socket ${s.host}/.s.PGSQL.${s.port}` : `${s.host}:${s.port}`}: connection refused`,
        'is the server running and accepting connections on that host and port? (check --db, PGHOST and PGPORT)',
        err.code,
      );
    case 'ENOENT':
      return new LiveError('unreachable', `no server socket at ${s.host}/.s.PGSQL.${s.port}`, 'is the server running locally? pass --db postgres://user@host:port/db for a TCP connection', err.code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LiveError('unreachable', `could not resolve host "${s.host}"`, 'check the host name in --db or PGHOST', err.code);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new LiveError('unreachable', `could not reach ${s.host}:${s.port} (${err.code})`, 'check the host, port and any firewall between here and the server', err.code);
    default:
      break;
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(msg)) {
    return new LiveError('unreachable', `timed out after ${s.connectTimeoutSeconds}s connecting to ${s.host}:${s.port}`, 'check the host and port; set connect_timeout in the URL to wait longer');
  }
  if (/SSL/i.test(msg)) {
    return new LiveError('ssl', `SSL negotiation with ${s.host}:${s.port} failed: ${msg}`, `sslmode is "${s.sslmode}"; use sslmode=disable for a server without SSL, or give sslrootcert for verify-ca/verify-full`);
  }
  if (/password authentication failed|SASL|SCRAM|client password must be a string/i.test(msg)) {
    return new LiveError('auth', `password authentication failed for ${where}`, 'the server asks for a password: put it in the URL, PGPASSWORD or ~/.pgpass');
  }
  return new LiveError('server', `could not connect to ${where}: ${msg}`, undefined, err.code);
}

export function queryError(e: unknown, s: ConnectionSettings, limits: SessionLimits): LiveError {
  if (e instanceof LiveError) return e;
  const err = (e ?? {}) as PgLikeError;
  const msg = firstLine(err.message ?? String(e));
  switch (err.code) {
    case '57014':
      return new LiveError('timeout', `a query ran longer than the statement timeout (${limits.statementTimeoutMs} ms) and was cancelled`, 'raise it with --statement-timeout MS, or collect when the server is less busy', err.code);
    case '55P03':
      return new LiveError('lock-timeout', `could not get a lock within the lock timeout (${limits.lockTimeoutMs} ms): ${msg}`, 'some session holds a conflicting lock; raise --lock-timeout MS or try again later', err.code);
    case '42501':
      return new LiveError('privilege', `${msg} (as user "${s.user}")`, 'grant the user pg_read_all_stats (statistics, pg_stat_statements) and SELECT on the tables it samples, or pass a more privileged user', err.code);
    case '25006':
      return new LiveError('read-only', `${msg}`, 'shardwise only reads; this statement was refused by the read-only transaction', err.code);
    case '57P01':
    case '57P02':
    case '08006':
    case '08003':
      return new LiveError('unreachable', `the connection to ${s.host}:${s.port} was lost: ${msg}`, 'try again; check the server log', err.code);
    default:
      break;
  }
  if (/Connection terminated/i.test(msg)) return new LiveError('unreachable', `the connection to ${s.host}:${s.port} was lost: ${msg}`, 'try again; check the server log');
  return new LiveError('server', `query failed: ${msg}`, undefined, err.code);
}
