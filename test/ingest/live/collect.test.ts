/** pg_stat_statements read live, and `shardwise collect` end to end through the CLI against a real database. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { compareCatalogs, connectLive, formatDifferences, readCollectedDir, readLiveWorkload } from '../../../src/ingest/live/index.js';
import { freePort } from '../../support/cluster.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { corpusData, corpusSchema, psqlFile } from './support.js';

function io(env: Record<string, string | undefined>, cwd: string, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: tty }, env, cwd },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('workload from pg_stat_statements', () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    db = await createTestDatabase('coll');
    psqlFile(db.url, corpusSchema('chinook'));
    psqlFile(db.url, corpusData('chinook')!);
    await db.client.query('CREATE EXTENSION pg_stat_statements');
    await db.client.query('ANALYZE');
    await db.client.query('SELECT pg_stat_statements_reset()');
    // A workload from an application connection: 7 calls of one query shape, 3 of another.
    const app = new pg.Client({ connectionString: db.url });
    await app.connect();
    for (let i = 1; i <= 7; i++) await app.query('SELECT * FROM artist WHERE artist_id = $1', [i]);
    for (let i = 1; i <= 3; i++) await app.query(`SELECT count(*) FROM track t JOIN album a ON a.album_id = t.album_id WHERE a.artist_id = ${i}`);
    await app.end();
    work = mkdtempSync(join(tmpdir(), 'shardwise-collect-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('sees the queries with their call counts, not its own', async () => {
    const s = await connectLive(db.url, {});
    try {
      await s.query('SELECT 1');
      const w = await readLiveWorkload(s);
      const artist = w.queries.find((q) => /FROM artist WHERE artist_id = \$1/.test(q.sql));
      expect(artist).toMatchObject({ calls: 7, weight: 7 });
      const join = w.queries.find((q) => /JOIN album/.test(q.sql));
      expect(join?.calls).toBe(3);
      expect(w.queries.some((q) => q.sql.includes('shardwise'))).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('collect writes the snapshot; readCollectedDir reads it back offline', async () => {
    const env = { PATH: process.env.PATH, HOME: work };
    const run = io(env, work);
    const code = await main(['collect', '--db', db.url, '-o', 'snap', '--sample', '5'], run.io);
    expect(run.err()).toBe('');
    expect(code).toBe(0);
    const dir = join(work, 'snap');
    for (const f of ['meta.json', 'schema.json', 'schema.sql', 'stats.json', 'workload.csv', 'sample/public.track.csv']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(existsSync(join(dir, 'sample.json'))).toBe(false);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ tool: 'shardwise', database: db.name, schemaSource: 'pg_dump', tables: 11 });
    expect(Number.isNaN(Date.parse(meta.collectedAt))).toBe(false);
    for (const f of ['schema.json', 'stats.json', 'workload.csv']) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);

    const back = await readCollectedDir(dir);
    const fromJson = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
    expect(formatDifferences(compareCatalogs(back.catalog, fromJson))).toBe('');
    expect(back.workload.queries.find((q) => /FROM artist WHERE/.test(q.sql))?.calls).toBe(7);
    const track = back.stats.tables['public.track'];
    const truth = await db.client.query(`SELECT count(*)::int AS n, count(DISTINCT album_id)::int AS d FROM track`);
    expect(track.source).toBe('live');
    expect(track.rows).toBe(truth.rows[0].n);
    expect(track.columns.album_id.nDistinct).toBeGreaterThan(truth.rows[0].d * 0.5);
    expect(track.columns.track_id.nDistinct).toBe(truth.rows[0].n); // n_distinct -1 multiplied out
    expect(back.sample?.['public.track'].length).toBeLessThanOrEqual(5);
    expect(Object.keys(back.sample?.['public.track'][0] ?? {})).toContain('album_id');

    // Again into the same directory: allowed (it has meta.json); files of the last run are replaced.
    expect(await main(['collect', '--db', db.url, '-o', 'snap', '--no-pg-dump'], io(env, work).io)).toBe(0);
    expect(existsSync(join(dir, 'schema.sql'))).toBe(false);
    expect(existsSync(join(dir, 'sample'))).toBe(false);
    expect((await readCollectedDir(dir)).catalog.tables['public.track']).toBeDefined();
  });

  it('refuses a non-empty directory it did not write', async () => {
    mkdirSync(join(work, 'other'));
    writeFileSync(join(work, 'other', 'notes.txt'), 'mine');
    const run = io({}, work);
    expect(await main(['collect', '--db', db.url, '-o', 'other'], run.io)).toBe(2);
    expect(run.err()).toBe(
      'shardwise collect: command line:1:47: other is not empty and was not written by shardwise collect (no meta.json of collect listing its files); nothing was written\nhint: choose an empty or new directory for -o\n'.replace('47', String(`shardwise collect --db ${db.url} -o `.length + 1)),
    );
  });

  it('never deletes or replaces a file it did not write: a foreign meta.json, a manifest that reaches out, a file beside its own', async () => {
    const files = (d: string) => ({ 'schema.sql': 'mine\n', 'workload.csv': 'mine too\n', 'sample/notes.txt': 'notes\n', ...(d === 'fake' ? { 'meta.json': '{"note": "not collect\'s"}\n' } : {}) });
    const seed = (d: string, extra: Record<string, string> = {}) => {
      for (const [f, text] of Object.entries({ ...files(d), ...extra })) {
        mkdirSync(join(work, d, f, '..'), { recursive: true });
        writeFileSync(join(work, d, f), text);
      }
    };
    const unchanged = (d: string, extra: Record<string, string> = {}) => {
      for (const [f, text] of Object.entries({ ...files(d), ...extra })) expect(readFileSync(join(work, d, f), 'utf8'), `${d}/${f}`).toBe(text);
    };
    // a meta.json that is not collect's
    seed('fake');
    let run = io({}, work);
    expect(await main(['collect', '--db', db.url, '-o', 'fake', '--no-pg-dump'], run.io)).toBe(2);
    expect(run.err()).toMatch(/fake is not empty and was not written by shardwise collect/);
    unchanged('fake');
    // a manifest that names files outside the directory is not collect's either
    const escape = JSON.stringify({ tool: 'shardwise', format: 1, files: ['../victim.txt', 'meta.json'] });
    writeFileSync(join(work, 'victim.txt'), 'victim\n');
    seed('escape', { 'meta.json': escape });
    run = io({}, work);
    expect(await main(['collect', '--db', db.url, '-o', 'escape', '--no-pg-dump'], run.io)).toBe(2);
    unchanged('escape', { 'meta.json': escape });
    expect(readFileSync(join(work, 'victim.txt'), 'utf8')).toBe('victim\n');
    // collect's own directory, where someone put a file collect would write: refused before any write
    expect(await main(['collect', '--db', db.url, '-o', 'own', '--no-pg-dump', '--no-workload'], io({}, work).io)).toBe(0);
    const metaBefore = readFileSync(join(work, 'own', 'meta.json'), 'utf8');
    writeFileSync(join(work, 'own', 'workload.csv'), 'mine\n');
    writeFileSync(join(work, 'own', 'notes.txt'), 'notes\n');
    run = io({}, work);
    expect(await main(['collect', '--db', db.url, '-o', 'own', '--no-pg-dump'], run.io)).toBe(2);
    expect(run.err()).toMatch(/own\/workload\.csv exists and was not written by shardwise collect; nothing was written\nhint: /);
    expect(readFileSync(join(work, 'own', 'workload.csv'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(work, 'own', 'meta.json'), 'utf8')).toBe(metaBefore);
    // and again without the clash: its own files are replaced, the others stay
    rmSync(join(work, 'own', 'workload.csv'));
    expect(await main(['collect', '--db', db.url, '-o', 'own', '--no-pg-dump'], io({}, work).io)).toBe(0);
    expect(readFileSync(join(work, 'own', 'notes.txt'), 'utf8')).toBe('notes\n');
    expect(JSON.parse(readFileSync(join(work, 'own', 'meta.json'), 'utf8')).files).toEqual(['meta.json', 'schema.json', 'stats.json', 'workload.csv']);
  });

  it('errors through the CLI: exit 2, one line and a hint, no stack, no password', async () => {
    const port = await freePort();
    const run = io({}, work);
    expect(await main(['collect', '--db', `postgres://u:topsecret@127.0.0.1:${port}/x?sslmode=disable`, '-o', 'x'], run.io)).toBe(2);
    expect(run.err()).toMatch(new RegExp(`^shardwise collect: command line:1:19: could not connect to 127\\.0\\.0\\.1:${port}: connection refused\\nhint: [^\\n]+\\n$`));
    expect(run.err()).not.toContain('topsecret');
    const timeout = io({ PATH: process.env.PATH }, work);
    const slow = new URL(db.url);
    expect(await main(['collect', '--db', slow.toString(), '-o', 'y', '--statement-timeout', '1'], timeout.io)).toBe(2);
    expect(timeout.err()).toMatch(/^shardwise collect: command line:1:19: a query ran longer than the statement timeout \(1 ms\) and was cancelled\nhint: /);
    expect(existsSync(join(work, 'y'))).toBe(false);
    const usage = io({}, work);
    expect(await main(['collect', '--db', db.url], usage.io)).toBe(2);
    expect(usage.err()).toContain('missing -o DIR');
  });

  it('shows progress on a terminal only', async () => {
    const tty = io({ PATH: process.env.PATH }, work, true);
    expect(await main(['collect', '--db', db.url, '-o', 'tty', '--sample', '2', '--no-pg-dump'], tty.io)).toBe(0);
    expect(tty.err()).toContain('catalog: 11 tables read');
    expect(tty.err()).toContain('sample: 11/11 tables');
  });
});
