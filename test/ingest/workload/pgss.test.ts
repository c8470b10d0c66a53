/**
 * pg_stat_statements exported by a real PostgreSQL 15 with the commands the
 * documentation gives (psql \copy to CSV, json_agg, row_to_json lines).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPgStatStatements, readWorkload, type WorkloadInput } from '../../../src/ingest/workload/index.js';
import { startCluster, type Cluster } from '../../support/cluster.js';

const COLUMNS = 'userid, dbid, query, calls, total_exec_time, rows';
/** As the README exports it: this database's rows only. */
const FROM = 'FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())';

describe('pg_stat_statements exports', () => {
  let cluster: Cluster;
  let dir: string;
  let truth: Array<{ query: string; calls: number; rows: number }>;
  const read: Record<string, WorkloadInput> = {};

  beforeAll(async () => {
    cluster = await startCluster();
    dir = mkdtempSync(join(tmpdir(), 'shardwise-pgss-'));
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    try {
      await c.query('CREATE EXTENSION pg_stat_statements');
      await c.query('CREATE TABLE items (id int PRIMARY KEY, name text, price numeric)');
      await c.query('SELECT pg_stat_statements_reset()');
      for (let i = 1; i <= 7; i++) await c.query('INSERT INTO items VALUES ($1, $2, $3)', [i, `item ${i}`, i * 1.5]);
      for (let i = 1; i <= 5; i++) await c.query(`SELECT name FROM items WHERE id = ${i}`);
      await c.query("SELECT name,\n       price\n  FROM items\n WHERE name = 'it''s'");
      await c.query('UPDATE items SET price = price * 2 WHERE id IN (1, 2, 3)');
      truth = (await c.query(`SELECT query, calls::int AS calls, rows::int AS rows FROM pg_stat_statements WHERE query ~ 'items' AND query !~ 'pg_stat_statements'`)).rows;
    } finally {
      await c.end();
    }
    const psql = (args: string[]): void => {
      execFileSync(join(cluster.binDir, 'psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-d', cluster.url, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    };
    // a second database's queries land in the same cluster-wide view
    const other = new pg.Client({ connectionString: cluster.url });
    await other.connect();
    await other.query('CREATE DATABASE other_app');
    await other.end();
    const o = new pg.Client({ connectionString: cluster.url.replace(/\/postgres$/, '/other_app') });
    await o.connect();
    await o.query('SELECT 42 AS answer');
    await o.end();
    psql(['-c', `\\copy (SELECT ${COLUMNS} ${FROM}) TO 'pgss.csv' WITH CSV HEADER`]);
    psql(['-At', '-o', 'pgss.json', '-c', `SELECT json_agg(s) FROM (SELECT ${COLUMNS} ${FROM}) s`]);
    psql(['-At', '-o', 'pgss.jsonl', '-c', `SELECT row_to_json(s) FROM (SELECT ${COLUMNS} ${FROM}) s`]);
    psql(['-c', `\\copy (SELECT ${COLUMNS} FROM pg_stat_statements) TO 'all-databases.csv' WITH CSV HEADER`]);
    for (const f of ['pgss.csv', 'pgss.json', 'pgss.jsonl', 'all-databases.csv']) read[f] = await readPgStatStatements(f, dir);
  });
  afterAll(() => {
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['pgss.csv', 'pgss.json', 'pgss.jsonl'])('%s: calls and rows as pg_stat_statements counted them', (f) => {
    const w = read[f];
    expect(w.diagnostics).toEqual([]);
    expect(w.inputs?.[0].format).toBe(f === 'pgss.csv' ? 'pgss-csv' : 'pgss-json');
    expect(truth.length).toBe(4);
    for (const t of truth) {
      const q = w.queries.find((x) => x.sample === t.query);
      expect(q, t.query).toBeDefined();
      expect(q!.calls).toBe(t.calls);
      expect(q!.weight).toBe(t.calls);
      expect(q!.rows).toBe(t.rows);
      expect(q!.totalTimeMs).toBeGreaterThan(0);
    }
    const select = w.queries.find((x) => x.sql === 'SELECT name FROM items WHERE id = $1');
    expect(select?.calls).toBe(5);
    expect(w.queries.find((x) => x.relations?.includes('items') && x.command === 'InsertStmt')?.calls).toBe(7);
    const multi = w.queries.find((x) => x.sql.startsWith('SELECT name,\n       price'));
    expect(multi?.sources[0].line).toBeGreaterThan(1);
  });

  it('an export of every database is read, with a warning that says how to export one', () => {
    const w = read['all-databases.csv'];
    expect(w.diagnostics.map((d) => [d.code, d.severity, d.location.line])).toEqual([['input-error', 'warning', 1]]);
    expect(w.diagnostics[0].message).toMatch(/^the export holds the queries of \d+ databases \(dbid \d+, \d+/);
    expect(w.diagnostics[0].hint).toContain('WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())');
    expect(w.queries.some((q) => q.sql.startsWith('SELECT $1 AS answer'))).toBe(true);
    expect(read['pgss.csv'].queries.some((q) => q.sql.startsWith('SELECT $1 AS answer'))).toBe(false);
  });

  it('CSV, JSON array and JSON lines give the same queries', () => {
    // each export also sees the exports made before it: compare the workload's own queries
    const strip = (w: WorkloadInput) => w.queries.filter((q) => q.relations?.includes('items')).map(({ sources: _s, ...rest }) => rest);
    expect(strip(read['pgss.csv'])).toHaveLength(4);
    expect(strip(read['pgss.json'])).toEqual(strip(read['pgss.csv']));
    expect(strip(read['pgss.jsonl'])).toEqual(strip(read['pgss.csv']));
  });

  it('auto-detects the exports among other files', async () => {
    const w = await readWorkload(['pgss.csv', 'pgss.jsonl'], dir);
    expect(w.queries.find((x) => x.sql === 'SELECT name FROM items WHERE id = $1')?.calls).toBe(10);
  });

  it('CR LF and CR line ends give the same queries on the same lines; a record broken by stray quotes is reported once, at its line', async () => {
    const text = readFileSync(join(dir, 'pgss.csv'), 'utf8');
    const placed = (w: WorkloadInput) =>
      w.queries.map((q) => `${q.sources.map((s) => s.line).join(',')} ${q.calls} ${q.sql.replace(/\r\n?/g, '\n')}`).sort();
    const lf = placed(read['pgss.csv']);
    for (const eol of ['\r\n', '\r']) {
      writeFileSync(join(dir, 'eol.csv'), text.replace(/\n/g, eol));
      const w = await readPgStatStatements('eol.csv', dir);
      expect(placed(w)).toEqual(lf);
      expect(w.diagnostics).toEqual(read['pgss.csv'].diagnostics.map((d) => ({ ...d, location: { ...d.location, file: 'eol.csv' } })));
    }
    const [header, ...rest] = text.split('\n');
    writeFileSync(join(dir, 'stray.csv'), [header, `10,1,"SELECT ${'{"a":'.repeat(20_000)}",1,1,1`, ...rest].join('\n'));
    const w = await readPgStatStatements('stray.csv', dir);
    expect(placed(w)).toEqual(placed(read['pgss.csv']).map((p) => p.replace(/^\d+/, (n) => String(Number(n) + 1))).sort());
    expect(w.diagnostics.map((d) => [d.code, d.location.line, d.message])).toEqual([
      ['input-error', 2, 'CSV record not readable: field 3: a closing quote is followed by "a", not by a comma or the end of the line'],
    ]);
  });
});
