/**
 * The live commands end to end against a real PostgreSQL: a failure after
 * connecting ends the process (no session left open), pg_stat_statements
 * keeps only queries, `analyze --db` designs what `collect` + `analyze DIR`
 * design, the live flags of analyze and simulate, a bare `--db`, the notice
 * for a missing pg_stat_statements, and the sample as placement data.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { connectLive, readCollectedDir, readLiveWorkload, sampleFileName } from '../../../src/ingest/live/index.js';
import { QUERY_COMMANDS } from '../../../src/ingest/workload/builder.js';
import { readWorkload, type WorkloadInput } from '../../../src/ingest/workload/index.js';
import { repoRoot } from '../../support/corpus.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { corpusData, corpusSchema, psqlFile } from './support.js';

function io(env: Record<string, string | undefined>, cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false }, env, cwd },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

async function run(argv: string[], cwd: string, env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: cwd }) {
  const r = io(env, cwd);
  const code = await main(argv, r.io);
  return { code, out: r.out(), err: r.err() };
}

/** The CLI as a process of its own; fails when it has not ended within `ms` (it is then killed). */
function runProcess(args: string[], ms: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'support', 'cli-entry.ts'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shardwise ${args[0]} did not exit within ${ms} ms (a connection left open?); stderr: ${stderr}`));
    }, ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Sessions of shardwise still connected to a database, after waiting up to 5 s for them to go. */
async function shardwiseSessions(db: TestDatabase): Promise<string[]> {
  let states: string[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await db.client.query<{ state: string }>(`SELECT coalesce(state, '') AS state FROM pg_stat_activity WHERE datname = $1 AND application_name = 'shardwise'`, [db.name]);
    states = r.rows.map((x) => x.state);
    if (!states.length) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  return states;
}

/** Queries without where they were seen, to compare two readings. */
function queries(w: WorkloadInput) {
  return w.queries.map(({ sources: _s, ...q }) => q);
}

describe('a live database with pg_stat_statements', () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    db = await createTestDatabase('cli');
    psqlFile(db.url, corpusSchema('chinook'));
    psqlFile(db.url, corpusData('chinook')!);
    await db.client.query('CREATE EXTENSION pg_stat_statements');
    await db.client.query('ANALYZE');
    await db.client.query('SELECT pg_stat_statements_reset()');
    // An application's queries, and the utility statements pg_stat_statements counts beside them.
    const app = new pg.Client({ connectionString: db.url });
    await app.connect();
    for (let i = 1; i <= 7; i++) await app.query('SELECT * FROM artist WHERE artist_id = $1', [i]);
    for (let i = 1; i <= 3; i++) await app.query(`SELECT count(*) FROM track t JOIN album a ON a.album_id = t.album_id WHERE a.artist_id = ${i}`);
    for (let i = 1; i <= 2; i++) {
      await app.query('BEGIN');
      await app.query(`INSERT INTO genre (genre_id, name) VALUES (${100 + i}, 'new')`);
      await app.query(`UPDATE genre SET name = 'newer' WHERE genre_id = ${100 + i}`);
      await app.query(`DELETE FROM genre WHERE genre_id = ${100 + i}`);
      await app.query('COMMIT');
    }
    await app.query(`MERGE INTO media_type m USING (VALUES (1, 'x')) AS v (id, name) ON m.media_type_id = v.id WHEN MATCHED THEN DO NOTHING`);
    for (const sql of [
      "SET work_mem = '8MB'",
      'SHOW work_mem',
      'CREATE TABLE scratch (a int)',
      'ALTER TABLE scratch ADD COLUMN b text',
      "COPY scratch TO '/dev/null'",
      'VACUUM scratch',
      'ANALYZE scratch',
      'GRANT SELECT ON scratch TO PUBLIC',
      'CREATE VIEW artist_names AS SELECT name FROM artist',
      'DROP TABLE scratch',
      'RESET work_mem',
    ]) {
      await app.query(sql);
    }
    await app.end();
    work = mkdtempSync(join(tmpdir(), 'shardwise-cli-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('pg_stat_statements: only SELECT, INSERT, UPDATE, DELETE and MERGE are queries; live, collected and --workload read the same', async () => {
    const s = await connectLive(db.url, {});
    let live: WorkloadInput;
    try {
      live = await readLiveWorkload(s);
    } finally {
      await s.close();
    }
    const commands = new Set(live.queries.map((q) => q.command));
    for (const c of commands) expect(QUERY_COMMANDS.has(c!), `${c} is not a query`).toBe(true);
    expect([...commands].sort()).toEqual(['DeleteStmt', 'InsertStmt', 'MergeStmt', 'SelectStmt', 'UpdateStmt']);
    for (const q of live.queries) expect(q.sql).not.toMatch(/^\s*(SET|SHOW|RESET|BEGIN|COMMIT|CREATE|ALTER|COPY|VACUUM|ANALYZE|GRANT|DROP)\b/i);
    expect(live.queries.find((q) => /FROM artist WHERE artist_id = \$1/.test(q.sql))).toMatchObject({ calls: 7, weight: 7 });
    expect(live.queries.find((q) => q.command === 'InsertStmt')).toMatchObject({ calls: 2, relations: ['genre'] });
    // a CREATE VIEW is no query, but its definition is kept, as the file readers keep it
    expect(live.views?.map((v) => v.sql)).toEqual(['CREATE VIEW artist_names AS SELECT name FROM artist']);

    const snap = join(work, 'workload-snap');
    const r = await run(['collect', '--db', db.url, '-o', snap, '--no-pg-dump'], work);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(snap, 'workload.csv'), 'utf8')).toMatch(/VACUUM scratch/); // the raw rows are all written
    const collected = await readCollectedDir(snap);
    expect(queries(collected.workload)).toEqual(queries(live));
    expect(collected.workload.views?.map((v) => v.sql)).toEqual(live.views?.map((v) => v.sql));
    const asFile = await readWorkload([join(snap, 'workload.csv')], work);
    expect(queries(asFile)).toEqual(queries(live));
  });

  it('analyze --db URL --format json designs what collect + analyze DIR --format json design', async () => {
    const live = await run(['analyze', '--db', db.url, '--format', 'json'], work);
    expect(live.err).toBe('');
    expect(live.code).toBe(0);
    const snap = join(work, 'design-snap');
    expect((await run(['collect', '--db', db.url, '-o', snap], work)).code).toBe(0);
    expect(existsSync(join(snap, 'schema.sql'))).toBe(true);
    const offline = await run(['analyze', snap, '--format', 'json'], work);
    expect(offline.err).toBe('');
    expect(offline.code).toBe(0);
    const a = JSON.parse(live.out);
    const b = JSON.parse(offline.out);
    expect(Object.keys(a.design.tables).length).toBe(11);
    expect(a.workloadProfile).toBeDefined();
    for (const key of ['design', 'tables', 'groups', 'keyClass', 'alternatives', 'score', 'summary', 'notes', 'workloadProfile']) expect(b[key], key).toEqual(a[key]);
  });

  it('the text summary names the live database it read', async () => {
    const r = await run(['analyze', '--db', db.url], work);
    expect(r.code).toBe(0);
    const port = new URL(db.url).port;
    expect(r.out.split('\n')[0]).toBe(`Schema: 11 tables, 1 views, 0 sequences in database ${db.name} on 127.0.0.1:${port}`);
    expect(r.out).not.toMatch(/ in \n/);
  });
});

describe('live flags, bare --db, notices and the sample (no pg_stat_statements)', () => {
  let db: TestDatabase;
  let work: string;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    db = await createTestDatabase('clinp');
    await db.client.query(`
      CREATE TABLE accounts (id bigint PRIMARY KEY, name text);
      CREATE TABLE orders (account_id bigint NOT NULL REFERENCES accounts, id bigint NOT NULL, note text, PRIMARY KEY (account_id, id));
      INSERT INTO accounts SELECT i, CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN '' ELSE 'name, "' || i || '"' END FROM generate_series(1, 40) i;
      INSERT INTO orders SELECT 1 + i % 40, i, CASE WHEN i % 2 = 0 THEN NULL ELSE '' END FROM generate_series(1, 400) i;
      ANALYZE;
    `);
    work = mkdtempSync(join(tmpdir(), 'shardwise-clinp-'));
    const u = new URL(db.url);
    env = { PATH: process.env.PATH, HOME: work, PGHOST: u.hostname, PGPORT: u.port, PGUSER: u.username, PGDATABASE: db.name, PGSSLMODE: 'disable' };
  });
  afterAll(async () => {
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a failure after connecting ends the process and leaves no session behind (collect, analyze, simulate)', async () => {
    for (const args of [
      ['collect', '--db', db.url, '-o', join(work, 'never'), '--statement-timeout', '1'],
      ['analyze', '--db', db.url, '--statement-timeout', '1'],
      ['simulate', '--db', db.url, '--statement-timeout', '1'],
    ]) {
      const r = await runProcess(args, 30_000);
      expect(r.stderr).toMatch(new RegExp(`^shardwise ${args[0]}: command line:1:\\d+: a query ran longer than the statement timeout \\(1 ms\\) and was cancelled\\nhint: `));
      expect(r.code).toBe(2);
      expect(await shardwiseSessions(db)).toEqual([]);
    }
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  it('a missing pg_stat_statements: one notice on stderr with how to enable it, then the design without a workload', async () => {
    const r = await run(['analyze', '--db', db.url, '--format', 'json'], work);
    expect(r.code).toBe(0);
    const lines = r.err.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^shardwise analyze: notice: pg_stat_statements is not installed in this database: continuing without a workload \(/);
    expect(lines[0]).toContain('shared_preload_libraries');
    expect(lines[0]).toContain('CREATE EXTENSION pg_stat_statements');
    const json = JSON.parse(r.out);
    expect(Object.keys(json.design.tables).sort()).toEqual(['accounts', 'orders']);
    expect(json.workloadProfile).toBeUndefined();
    // workload files given: pg_stat_statements is not needed, so no notice
    const q = join(work, 'q.sql');
    writeFileSync(q, 'SELECT * FROM orders WHERE account_id = 1;\n');
    const withFile = await run(['analyze', '--db', db.url, '--workload', q, '--format', 'json'], work);
    expect(withFile.err).toBe('');
    expect(withFile.code).toBe(0);
  });

  it('a bare --db (or --db=) connects from PGHOST, PGPORT, PGUSER, PGDATABASE', async () => {
    for (const argv of [
      ['analyze', '--db'],
      ['analyze', '--db', '--format', 'json'],
      ['analyze', '--db='],
      ['simulate', '--db', '--format', 'json'],
    ]) {
      const r = await run(argv, work, env);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
      if (argv.includes('json')) expect(r.out).toMatch(/^\{/);
      else expect(r.out).toContain(`in database ${db.name} on ${env.PGHOST}:${env.PGPORT}`);
    }
    const c = await run(['collect', '--db', '-o', 'bare', '--no-workload', '--no-pg-dump'], work, env);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'bare', 'meta.json'), 'utf8')).database).toBe(db.name);
  });

  it('--lock-timeout and --statement-timeout reach the session of analyze and simulate', async () => {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      for (const cmd of ['analyze', 'simulate']) {
        const r = await run([cmd, '--db', db.url, '--lock-timeout', '150'], work);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(new RegExp(`^shardwise ${cmd}: command line:1:\\d+: could not get a lock within the lock timeout \\(150 ms\\)`));
      }
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const slow = await run(['analyze', '--db', db.url, '--statement-timeout', '1'], work);
    expect(slow.code).toBe(2);
    expect(slow.err).toContain('statement timeout (1 ms)');
  });

  it('the live flags are usage errors without --db, and check their values', async () => {
    const schema = join(work, 'schema.sql');
    writeFileSync(schema, 'CREATE TABLE t (id int PRIMARY KEY);\n');
    const cases: Array<[string[], RegExp]> = [
      [['analyze', schema, '--statement-timeout', '5'], /^shardwise analyze: command line:1:\d+: --statement-timeout applies to a live database read with --db\n/],
      [['simulate', schema, '--sample', '5'], /^shardwise simulate: command line:1:\d+: --sample applies to a live database read with --db\n/],
      [['simulate', '--db', db.url, '--sample', 'many'], /^shardwise simulate: command line:1:\d+: --sample must be a whole number from 0 to 1000000, not 'many'\n/],
      [['analyze', '--db', db.url, '--lock-timeout', '-1'], /lock-timeout/],
      [['collect', '--db', db.url, '-o', 'x', '--sample', '2000000'], /^shardwise collect: command line:1:\d+: --sample must be a whole number from 0 to 1000000/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv, work);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(re);
    }
  });

  it('--sample: simulate --db places the sampled rows; collect --sample writes one CSV per table that simulate DIR places the same way', async () => {
    const live = await run(['simulate', '--db', db.url, '--sample', '25', '--format', 'json'], work);
    expect(live.code, live.err).toBe(0);
    const sim = JSON.parse(live.out);
    const placed = Object.fromEntries(sim.placement.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]));
    expect(placed).toEqual({ 'public.accounts': 25, 'public.orders': 25 });
    // without --sample: no data, no placement
    expect(JSON.parse((await run(['simulate', '--db', db.url, '--format', 'json'], work)).out).placement).toBeUndefined();

    const c = await run(['collect', '--db', db.url, '-o', 'sampled', '--sample', '25', '--no-workload'], work);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('sampled/sample/ (2 tables)');
    const dir = join(work, 'sampled');
    expect(readdirSync(join(dir, 'sample')).sort()).toEqual(['public.accounts.csv', 'public.orders.csv']);
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).files).toContain('sample/public.orders.csv');
    // NULL and the empty string survive the CSV
    const back = await readCollectedDir(dir);
    const names = back.sample!['public.accounts'].map((r) => r.name);
    expect(names).toContain(null);
    expect(names).toContain('');
    expect(names.some((n) => n?.includes('"'))).toBe(true);
    const truth = await db.client.query<{ id: string; name: string | null }>('SELECT id::text, name FROM accounts');
    const byId = new Map(truth.rows.map((r) => [r.id, r.name]));
    for (const r of back.sample!['public.accounts']) expect(r.name).toBe(byId.get(r.id!));

    const offline = await run(['simulate', 'sampled', '--format', 'json'], work);
    expect(offline.code, offline.err).toBe(0);
    // TABLESAMPLE ... REPEATABLE and a fixed order: the same rows live and collected
    expect(JSON.parse(offline.out).placement).toEqual(sim.placement);
    // a data CSV given for a table wins over the sample
    writeFileSync(join(work, 'accounts.csv'), 'id,name\n1,a\n2,\n3,c\n');
    const withCsv = await run(['simulate', 'sampled', '--data', 'accounts.csv', '--format', 'json'], work);
    expect(withCsv.code, withCsv.err).toBe(0);
    const rows = Object.fromEntries(JSON.parse(withCsv.out).placement.tables.map((t: { table: string; rows: number }) => [t.table, t.rows]));
    expect(rows).toEqual({ 'public.accounts': 3, 'public.orders': 25 });
  });

  it('sample file names keep path characters out', () => {
    expect(sampleFileName('public.orders')).toBe('public.orders.csv');
    expect(sampleFileName('app.a/b%c')).toBe('app.a%2Fb%25c.csv');
  });
});
