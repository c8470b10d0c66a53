/**
 * Connection strings and how a connection is resolved from them, the libpq
 * way: a URL (`postgres://` / `postgresql://`) or a `key=value` string, then
 * PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE (and
 * PGSSLROOTCERT/PGSSLCERT/PGSSLKEY), then the password file (PGPASSFILE or
 * ~/.pgpass). The environment is passed in; nothing here reads `process.env`.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { LiveError } from './errors.js';
import { passwordFromFile } from './passfile.js';
import { redact } from './redact.js';
import type { ConnectionSettings, Env, SslMode } from './settings.js';

/** The connection string with its password replaced by `***` (URL and key=value forms, also when it does not parse). */
export function maskUrl(url: string): string {
  return redact(url);
}

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
