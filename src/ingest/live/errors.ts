/**
 * LiveError, the one error a live database problem surfaces as, and how a
 * failure to connect or a failed query (pg's errors, by SQLSTATE or socket
 * code) becomes one with a message and a hint the user can act on.
 */
import { InputError } from '../files.js';
import { describeConnection, type ConnectionSettings, type SessionLimits } from './settings.js';

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
