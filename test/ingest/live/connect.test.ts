/** The live connection against real servers: read-only, application_name, libpq parameters, and each error as one clear line. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLive, LiveError, maskUrl, readLiveWorkload, resolveConnection } from '../../../src/ingest/live/index.js';
import { freePort, startCluster, type Cluster } from '../../support/cluster.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

async function liveError(p: Promise<unknown>): Promise<LiveError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LiveError);
    return e as LiveError;
  }
  throw new Error('expected a LiveError, got success');
}

describe('read-only session', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('ro');
    await db.client.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
  });
  afterAll(async () => db.drop());

  it('the server refuses a write inside the session transaction', async () => {
    const s = await connectLive(db.url, {});
    try {
      const e = await liveError(s.query(`INSERT INTO public.t VALUES (1, 'x')`));
      expect(e.kind).toBe('read-only');
      expect(e.message).toContain('cannot execute INSERT in a read-only transaction');
    } finally {
      await s.close();
    }
  });

  it('and outside it too: default_transaction_read_only is set at startup', async () => {
    const s = await connectLive(db.url, {});
    try {
      await s.client.query('ROLLBACK');
      await expect(s.client.query(`INSERT INTO public.t VALUES (2, 'y')`)).rejects.toThrow('cannot execute INSERT in a read-only transaction');
      const r = await s.client.query(`SHOW default_transaction_read_only`);
      expect(r.rows[0].default_transaction_read_only).toBe('on');
    } finally {
      await s.close();
    }
    const count = await db.client.query('SELECT count(*)::int AS n FROM t');
    expect(count.rows[0].n).toBe(0);
  });

  it('names itself shardwise and sets the timeouts for its transaction', async () => {
    const s = await connectLive(db.url, {}, { statementTimeoutMs: 12_345, lockTimeoutMs: 678 });
    try {
      const seen = await db.client.query(`SELECT application_name FROM pg_stat_activity WHERE pid = $1`, [(s.client as unknown as { processID: number }).processID]);
      expect(seen.rows[0].application_name).toBe('shardwise');
      const r = await s.query<{ st: string; lt: string; ro: string }>(`SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('transaction_read_only') AS ro`);
      expect(r[0]).toEqual({ st: '12345ms', lt: '678ms', ro: 'on' });
    } finally {
      await s.close();
    }
  });

  it('statement timeout: one clear error', async () => {
    const s = await connectLive(db.url, {}, { statementTimeoutMs: 100, lockTimeoutMs: 100 });
    try {
      const e = await liveError(s.query('SELECT pg_sleep(2)'));
      expect(e.kind).toBe('timeout');
      expect(e.message).toBe('a query ran longer than the statement timeout (100 ms) and was cancelled');
      expect(e.hint).toContain('--statement-timeout');
    } finally {
      await s.close();
    }
  });

  it('missing pg_stat_statements: says how to enable it', async () => {
    const s = await connectLive(db.url, {});
    try {
      const e = await liveError(readLiveWorkload(s));
      expect(e.kind).toBe('extension');
      expect(e.message).toContain('pg_stat_statements is not installed');
      expect(e.hint).toContain('shared_preload_libraries');
      expect(e.hint).toContain('CREATE EXTENSION pg_stat_statements');
    } finally {
      await s.close();
    }
  });

  it('missing privileges: one clear error naming the user', async () => {
    await db.client.query(`CREATE ROLE shardwise_nopriv LOGIN; CREATE TABLE secret (x int); REVOKE ALL ON secret FROM PUBLIC`);
    const u = new URL(db.url);
    u.username = 'shardwise_nopriv';
    const s = await connectLive(u.toString(), {});
    try {
      const e = await liveError(s.query('SELECT * FROM public.secret'));
      expect(e.kind).toBe('privilege');
      expect(e.message).toBe('permission denied for table secret (as user "shardwise_nopriv")');
    } finally {
      await s.close();
      await db.client.query('DROP TABLE secret; DROP ROLE shardwise_nopriv');
    }
  });
});

describe('unreachable server', () => {
  it('a closed loopback port: connection refused', async () => {
    const port = await freePort();
    const e = await liveError(connectLive(`postgres://someone:hunter2@127.0.0.1:${port}/db?sslmode=disable`, {}));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe(`could not connect to 127.0.0.1:${port}: connection refused`);
    expect(e.message).not.toContain('hunter2');
  });
});

describe('password authentication (scram) on a cluster of its own', () => {
  let cluster: Cluster;
  let home: string;
  beforeAll(async () => {
    cluster = await startCluster({ settings: { password_encryption: "'scram-sha-256'" } });
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`ALTER USER postgres PASSWORD 'right-pass'`);
    writeFileSync(join(cluster.dataDir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
    await admin.query('SELECT pg_reload_conf()');
    await admin.end();
    home = mkdtempSync(join(tmpdir(), 'shardwise-home-'));
  });
  afterAll(() => {
    cluster?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('wrong password: one clear error, password never shown', async () => {
    const url = `postgres://postgres:wrong-pass@127.0.0.1:${cluster.port}/postgres?sslmode=disable`;
    const e = await liveError(connectLive(url, { HOME: home }));
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(`password authentication failed for postgres@127.0.0.1:${cluster.port}/postgres`);
    expect(`${e.message} ${e.hint}`).not.toContain('wrong-pass');
  });

  it('no password at all: says where to put one', async () => {
    const e = await liveError(connectLive(`postgres://postgres@127.0.0.1:${cluster.port}/postgres?sslmode=disable`, { HOME: home }));
    expect(e.kind).toBe('auth');
    expect(e.hint).toContain('PGPASSWORD');
  });

  it('right password from the URL, from PGPASSWORD, and from ~/.pgpass', async () => {
    const base = { PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres', PGDATABASE: 'postgres', PGSSLMODE: 'disable', HOME: home };
    for (const [url, env] of [
      [`postgres://postgres:right-pass@127.0.0.1:${cluster.port}/postgres?sslmode=disable`, { HOME: home }],
      [undefined, { ...base, PGPASSWORD: 'right-pass' }],
    ] as const) {
      const s = await connectLive(url, env);
      expect(s.database).toBe('postgres');
      await s.close();
    }
    const passfile = join(home, '.pgpass');
    writeFileSync(passfile, `# comment\notherhost:*:*:*:nope\n127.0.0.1:${cluster.port}:*:postgres:right-pass\n`);
    chmodSync(passfile, 0o600);
    expect(resolveConnection(undefined, base).passwordSource).toBe('passfile');
    const s = await connectLive(undefined, base);
    expect(s.serverVersionNum).toBeGreaterThanOrEqual(150000);
    await s.close();
    // libpq ignores a password file others can read
    chmodSync(passfile, 0o644);
    expect(resolveConnection(undefined, base).passwordSource).toBe('none');
  });
});

describe('connection parameters', () => {
  it('a TLS file that cannot be read: a usage error before any connection is opened', async () => {
    const missing = join(tmpdir(), 'shardwise-missing-root.crt');
    const e = await liveError(connectLive(`postgres://someone@127.0.0.1:1/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(missing)}`, {}));
    expect(e.kind).toBe('usage');
    expect(e.message).toBe(`cannot read the TLS file ${missing}: ENOENT`);
    expect(e.hint).toContain('sslrootcert');
  });

  it('masks passwords in URLs and key=value strings', () => {
    expect(maskUrl('postgres://u:s3cret@h:5432/db?sslmode=require')).toBe('postgres://u:***@h:5432/db?sslmode=require');
    expect(maskUrl('postgresql://u@h/db?password=s3cret&sslmode=disable')).toBe('postgresql://u@h/db?password=***&sslmode=disable');
    expect(maskUrl("host=h password='a b' dbname=d")).toBe('host=h password=*** dbname=d');
    expect(maskUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });

  it('URL first, then PG* variables, as libpq', () => {
    const s = resolveConnection('postgres://alice:p%40ss@db.example:6543/shop?sslmode=verify-full', { PGHOST: 'other', PGPORT: '1', PGUSER: 'bob', PGSSLMODE: 'disable' });
    expect(s).toMatchObject({ host: 'db.example', port: 6543, user: 'alice', database: 'shop', password: 'p@ss', sslmode: 'verify-full', passwordSource: 'url' });
    const e = resolveConnection(undefined, { PGHOST: '10.0.0.1', PGPORT: '5433', PGUSER: 'bob', PGDATABASE: 'app', PGSSLMODE: 'require', HOME: '/nonexistent' });
    expect(e).toMatchObject({ host: '10.0.0.1', port: 5433, user: 'bob', database: 'app', sslmode: 'require', passwordSource: 'none' });
    expect(resolveConnection('host=h port=7 dbname=d user=u', {})).toMatchObject({ host: 'h', port: 7, database: 'd', user: 'u' });
    expect(() => resolveConnection('postgres://h/db?sslmode=sometimes', {})).toThrow('invalid sslmode "sometimes"');
  });
});
