/**
 * Server logs written by a real PostgreSQL 15, in the three formats at once,
 * under two logging setups: `log_statement = all` with the default prefix,
 * and `log_min_duration_statement = 0` with pgBadger's prefix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerLog, readWorkload, type WorkloadInput, type WorkloadQuery } from '../../../src/ingest/workload/index.js';
import { startCluster, type Cluster } from '../../support/cluster.js';

const MARKER = 'SELECT 424242 AS end_of_workload';

async function runWorkload(url: string): Promise<void> {
  const a = new pg.Client({ connectionString: url });
  const b = new pg.Client({ connectionString: url });
  await a.connect();
  await b.connect();
  try {
    await a.query('CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric NOT NULL DEFAULT 0)');
    await a.query("INSERT INTO accounts SELECT g, 'owner ' || g, 100 FROM generate_series(1, 10) g");
    for (const id of [1, 2, 3]) await a.query(`SELECT * FROM accounts WHERE id = ${id}`);
    // multi-line statement, twice with other constants
    for (const id of [7, 8]) await a.query(`SELECT owner,\n       balance\n  FROM accounts\n WHERE id = ${id}`);
    // three committed transfers, interleaved with another session's transaction
    for (const [from, to] of [
      [1, 2],
      [3, 4],
      [5, 6],
    ]) {
      await a.query('BEGIN');
      if (from === 3) await b.query('BEGIN');
      await a.query(`UPDATE accounts SET balance = balance - 10 WHERE id = ${from}`);
      if (from === 3) await b.query('SELECT count(*) FROM accounts');
      await a.query(`UPDATE accounts SET balance = balance + 10 WHERE id = ${to}`);
      await a.query('COMMIT');
      if (from === 3) await b.query('COMMIT');
    }
    // a transaction rolled back
    await a.query('START TRANSACTION');
    await a.query("INSERT INTO accounts (id, owner) VALUES (99, 'temp')");
    await a.query('ROLLBACK');
    // extended protocol: unnamed statement with a quote and a NULL
    await a.query('SELECT id FROM accounts WHERE owner = $1 OR owner = $2', ["O'Brien", null]);
    // named prepared statement, twice, in one transaction; text with quotes and a line break
    await a.query('BEGIN');
    await a.query({ name: 'set_owner', text: 'UPDATE accounts SET owner = $2 WHERE id = $1', values: [5, 'it\'s "quoted"\nsecond line'] });
    await a.query({ name: 'set_owner', text: 'UPDATE accounts SET owner = $2 WHERE id = $1', values: [6, null] });
    await a.query('COMMIT');
    await a.query(MARKER);
  } finally {
    await a.end();
    await b.end();
  }
}

async function waitForLogs(logDir: string): Promise<void> {
  const files = ['postgresql', 'postgresql.csv', 'postgresql.json'].map((f) => join(logDir, f));
  for (let i = 0; i < 100; i++) {
    if (files.every((f) => existsSync(f) && readFileSync(f, 'utf8').includes('end_of_workload'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not write the workload to its logs');
}

function bySql(w: WorkloadInput, sql: string): WorkloadQuery {
  const q = w.queries.find((x) => x.sql === sql);
  if (!q) throw new Error(`no query ${sql}; have:\n${w.queries.map((x) => x.sql).join('\n')}`);
  return q;
}

/** The facts that must not depend on the log format. */
function essence(w: WorkloadInput) {
  return {
    queries: w.queries.map((q) => ({ id: q.id, sql: q.sql, weight: q.weight, calls: q.calls, sample: q.sample, relations: q.relations })),
    transactions: w.transactions,
  };
}

const setups: Array<{ name: string; settings: Record<string, string | number>; durations: boolean }> = [
  { name: 'log_statement=all, prefix %m [%p]', settings: { log_statement: "'all'", log_line_prefix: "'%m [%p] '" }, durations: false },
  {
    name: 'log_min_duration_statement=0, prefix %t [%p]: [%l-1] user=%u,db=%d',
    settings: { log_min_duration_statement: 0, log_line_prefix: "'%t [%p]: [%l-1] user=%u,db=%d '" },
    durations: true,
  },
  {
    name: 'both, Debian prefix %m [%p] %q%u@%d, connections logged',
    settings: { log_statement: "'all'", log_min_duration_statement: 0, log_line_prefix: "'%m [%p] %q%u@%d '", log_connections: 'on', log_disconnections: 'on' },
    durations: true,
  },
];

describe.each(setups)('server log: $name', ({ settings, durations }) => {
  let cluster: Cluster;
  const read: Record<string, WorkloadInput> = {};
  beforeAll(async () => {
    cluster = await startCluster({ settings });
    await runWorkload(cluster.url);
    await waitForLogs(cluster.logDir);
    for (const f of ['postgresql', 'postgresql.csv', 'postgresql.json']) read[f] = await readServerLog(f, cluster.logDir);
  });
  afterAll(() => cluster?.stop());

  it('detects each format', () => {
    expect(read['postgresql'].inputs?.[0].format).toBe('stderr-log');
    expect(read['postgresql.csv'].inputs?.[0].format).toBe('csvlog');
    expect(read['postgresql.json'].inputs?.[0].format).toBe('jsonlog');
    for (const w of Object.values(read)) expect(w.diagnostics).toEqual([]);
  });

  it.each(['postgresql', 'postgresql.csv', 'postgresql.json'])('%s: queries, weights and samples', (f) => {
    const w = read[f];
    const byId = bySql(w, 'SELECT * FROM accounts WHERE id = $1');
    expect(byId.weight).toBe(3);
    expect(byId.calls).toBe(3);
    expect(byId.sample).toBe('SELECT * FROM accounts WHERE id = 1');
    expect(byId.relations).toEqual(['accounts']);
    expect(byId.sources[0].file).toBe(f);
    if (durations) expect(byId.totalTimeMs).toBeGreaterThan(0);
    else expect(byId.totalTimeMs).toBeUndefined();

    const multi = bySql(w, 'SELECT owner,\n       balance\n  FROM accounts\n WHERE id = $1');
    expect(multi.weight).toBe(2);
    expect(multi.sample).toBe('SELECT owner,\n       balance\n  FROM accounts\n WHERE id = 7');

    const unnamed = bySql(w, 'SELECT id FROM accounts WHERE owner = $1 OR owner = $2');
    expect(unnamed.weight).toBe(1);
    expect(unnamed.sample).toBe("SELECT id FROM accounts WHERE owner = 'O''Brien' OR owner = NULL");

    const named = bySql(w, 'UPDATE accounts SET owner = $2 WHERE id = $1');
    expect(named.weight).toBe(2);
    expect(named.relations).toEqual(['accounts']);
    expect(named.sample).toBe("UPDATE accounts SET owner = 'it''s \"quoted\"\nsecond line' WHERE id = '5'");

    expect(bySql(w, 'UPDATE accounts SET balance = balance - $1 WHERE id = $2').weight).toBe(3);
    expect(bySql(w, MARKER.replace('424242', '$1')).weight).toBe(1);
    // transaction control is not a query
    expect(w.queries.some((q) => /^(BEGIN|COMMIT|ROLLBACK|START)/i.test(q.sql))).toBe(false);
    // sorted by weight desc, then id
    const order = [...w.queries].sort((x, y) => y.weight - x.weight || (x.id < y.id ? -1 : 1));
    expect(w.queries.map((q) => q.id)).toEqual(order.map((q) => q.id));
  });

  it.each(['postgresql', 'postgresql.csv', 'postgresql.json'])('%s: transactions per session', (f) => {
    const w = read[f];
    const minus = bySql(w, 'UPDATE accounts SET balance = balance - $1 WHERE id = $2').id;
    const plus = bySql(w, 'UPDATE accounts SET balance = balance + $1 WHERE id = $2').id;
    const insert = bySql(w, 'INSERT INTO accounts (id, owner) VALUES ($1, $2)').id;
    const count = bySql(w, 'SELECT count(*) FROM accounts').id;
    const named = bySql(w, 'UPDATE accounts SET owner = $2 WHERE id = $1').id;
    expect(w.transactions).toHaveLength(4);
    expect(w.transactions[0]).toEqual({ queries: [minus, plus], count: 3, committed: true });
    expect(w.transactions).toContainEqual({ queries: [count], count: 1, committed: true });
    expect(w.transactions).toContainEqual({ queries: [named, named], count: 1, committed: true });
    expect(w.transactions).toContainEqual({ queries: [insert], count: 1, committed: false });
  });

  it('reads the same workload from stderr, csvlog and jsonlog', () => {
    expect(essence(read['postgresql.csv'])).toEqual(essence(read['postgresql']));
    expect(essence(read['postgresql.json'])).toEqual(essence(read['postgresql']));
  });

  it('merges files: weights add up', async () => {
    const both = await readWorkload(['postgresql', 'postgresql.json'], cluster.logDir);
    expect(both.files).toEqual(['postgresql', 'postgresql.json']);
    expect(bySql(both, 'SELECT * FROM accounts WHERE id = $1').weight).toBe(6);
    expect(both.transactions[0].count).toBe(6);
  });
});
