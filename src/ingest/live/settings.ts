/**
 * What a live connection is made of: the resolved connection settings, the
 * per-statement limits, and how a connection is named in messages and
 * reports (never with its password). Resolving them from a connection string
 * and the environment is in conninfo.ts.
 */

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

/** The largest `--sample N`: rows per table, kept in memory by `simulate --db`. */
export const MAX_SAMPLE_ROWS = 1_000_000;
