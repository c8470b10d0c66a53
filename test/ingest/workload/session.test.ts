/**
 * Session statements in workloads: SET / RESET / SHOW and friends are not
 * queries; `SET search_path` (and set_config) follows each session and goes
 * onto the queries run after it; CREATE VIEW statements are kept; annotation
 * comments never become labels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseSql, sessionStatement, splitIdentifierList } from '../../../src/ingest/pg/index.js';
import { readServerLog, readSqlWorkload, WorkloadBuilder, type WorkloadInput } from '../../../src/ingest/workload/index.js';

const FIXTURES = 'test/fixtures/workload';
const cwd = process.cwd();

beforeAll(loadParser);

function bySample(w: WorkloadInput): Record<string, { weight: number; searchPath?: string[]; label?: string }> {
  const out: Record<string, { weight: number; searchPath?: string[]; label?: string }> = {};
  for (const q of w.queries) {
    const key = `${q.sql}${q.searchPath ? ` @ ${q.searchPath.join(',')}` : ''}`;
    out[key] = { weight: q.weight, ...(q.searchPath ? { searchPath: q.searchPath } : {}), ...(q.label !== undefined ? { label: q.label } : {}) };
  }
  return out;
}

function change(sql: string) {
  const r = parseSql(sql);
  if (!r.ok) throw new Error(r.error.message);
  return sessionStatement(r.result.stmts![0].stmt!);
}

describe('session statements', () => {
  it('are recognised, with what they do to search_path', () => {
    expect(change('SET search_path = app, "$user", public')).toEqual({ command: 'VariableSetStmt', searchPath: { kind: 'set', path: ['app', '$user', 'public'], local: false } });
    expect(change('SET SESSION search_path TO app')?.searchPath).toEqual({ kind: 'set', path: ['app'], local: false });
    expect(change('SET LOCAL search_path TO app')?.searchPath).toEqual({ kind: 'set', path: ['app'], local: true });
    expect(change('RESET search_path')?.searchPath).toEqual({ kind: 'default', local: false });
    expect(change('SET search_path TO DEFAULT')?.searchPath).toEqual({ kind: 'default', local: false });
    expect(change('RESET ALL')?.searchPath).toEqual({ kind: 'default', local: false });
    expect(change('DISCARD ALL')?.searchPath).toEqual({ kind: 'default', local: false });
    expect(change('SET search_path = $1')?.searchPath).toEqual({ kind: 'unknown', local: false });
    expect(change("SELECT pg_catalog.set_config('search_path', '', false)")?.searchPath).toEqual({ kind: 'set', path: [], local: false });
    expect(change("SELECT set_config('search_path', 'App, \"My Schema\"', true)")?.searchPath).toEqual({ kind: 'set', path: ['app', 'My Schema'], local: true });
    // session statements that leave search_path alone
    for (const sql of ['SHOW search_path', "SET TIME ZONE 'UTC'", 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'DISCARD PLANS', 'DEALLOCATE ALL', 'LISTEN jobs', "SELECT set_config('work_mem', '64MB', false)"]) {
      const s = change(sql);
      expect(s, sql).toBeDefined();
      expect(s?.searchPath, sql).toBeUndefined();
    }
    // queries are not session statements
    for (const sql of ['SELECT 1', "SELECT set_config('search_path', 'app', false) FROM t", 'SELECT now()', 'INSERT INTO t VALUES (1)', 'CREATE VIEW v AS SELECT 1']) expect(change(sql), sql).toBeUndefined();
  });

  it('splits a search_path value as PostgreSQL does', () => {
    expect(splitIdentifierList('app, public')).toEqual(['app', 'public']);
    expect(splitIdentifierList(' "$user" ,Public')).toEqual(['$user', 'public']);
    expect(splitIdentifierList('"a ""b"""')).toEqual(['a "b"']);
    expect(splitIdentifierList('')).toEqual([]);
    expect(splitIdentifierList('a,,b')).toBeUndefined();
    expect(splitIdentifierList('"open')).toBeUndefined();
  });
});

describe('search_path in a .sql workload', () => {
  it('SET search_path applies to the statements after it; SET/SHOW/RESET/set_config are not queries', async () => {
    const w = await readSqlWorkload(`${FIXTURES}/search-path.sql`, cwd);
    expect(w.diagnostics).toEqual([]);
    // every statement read, session ones included
    expect(w.inputs).toEqual([{ file: `${FIXTURES}/search-path.sql`, format: 'sql', statements: 12 }]);
    expect(w.queries.map((q) => q.command).sort()).toEqual(['SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'SelectStmt', 'ViewStmt']);
    const q = bySample(w);
    expect(q['SELECT * FROM orders WHERE account_id = $1 @ app']).toEqual({ weight: 7, searchPath: ['app'] });
    expect(q['SELECT name FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.id = $1 @ app']).toEqual({ weight: 1, searchPath: ['app'] });
    // RESET: back to the default, so no searchPath
    expect(q['SELECT count(*) FROM orders WHERE account_id = $1']).toMatchObject({ weight: 1 });
    expect(q['SELECT count(*) FROM orders WHERE account_id = $1'].searchPath).toBeUndefined();
    expect(q['SELECT count(*) FROM orders o JOIN audit_log l ON l.id = o.id @ app,public']).toMatchObject({ searchPath: ['app', 'public'] });
    // the search path is part of the id
    expect(w.queries.find((x) => x.searchPath?.length === 1)?.id).toMatch(/;search_path=app$/);
  });

  it('keeps the CREATE VIEW statements with their search path', async () => {
    const w = await readSqlWorkload(`${FIXTURES}/search-path.sql`, cwd);
    expect(w.views).toEqual([
      {
        sql: 'CREATE VIEW recent_orders AS SELECT id AS order_no, account_id FROM orders WHERE id > 1000',
        location: { file: `${FIXTURES}/search-path.sql`, line: 15, column: 1 },
        searchPath: ['app'],
      },
    ]);
  });

  it('a weight or name annotation never becomes a label; a plain comment carries on through its paragraph', async () => {
    const w = await readSqlWorkload(`${FIXTURES}/search-path.sql`, cwd);
    const q = bySample(w);
    // `-- weight: 7` labels neither its statement nor the weight-1 one after it
    expect(q['SELECT * FROM orders WHERE account_id = $1 @ app'].label).toBeUndefined();
    expect(q['SELECT name FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.id = $1 @ app'].label).toBeUndefined();
    // `-- Account page` labels its paragraph, across the `-- weight: 3` line
    expect(q['SELECT account_id FROM big_orders WHERE order_id = $1 @ app']).toMatchObject({ weight: 1, label: 'Account page' });
    expect(q['SELECT doubled FROM big_orders WHERE account_id = $1 @ app']).toMatchObject({ weight: 3, label: 'Account page' });
    for (const x of w.queries) expect(x.label ?? '', x.sql).not.toMatch(/weight:|name:|label:|procedure:/);
  });
});

describe('search_path in a server log', () => {
  it('follows each session: SET, SET LOCAL inside a transaction, set_config, disconnection, RESET ALL', async () => {
    const w = await readServerLog(`${FIXTURES}/search-path.log`, cwd);
    expect(w.diagnostics).toEqual([]);
    expect(w.inputs).toEqual([{ file: `${FIXTURES}/search-path.log`, format: 'stderr-log', statements: 14 }]);
    expect(bySample(w)).toEqual({
      // 7399 before its set_config, 7398 after its disconnection (a new session), 7399 after RESET ALL
      'SELECT * FROM orders WHERE id = $1': { weight: 3 },
      // 7398 after SET, before and after its transaction
      'SELECT * FROM orders WHERE id = $1 @ app': { weight: 2, searchPath: ['app'] },
      // SET LOCAL: only inside the transaction
      'SELECT * FROM orders WHERE id = $1 @ billing,public': { weight: 1, searchPath: ['billing', 'public'] },
      // set_config: bare names fold to lower case
      'SELECT * FROM orders WHERE id = $1 @ billing,$user': { weight: 1, searchPath: ['billing', '$user'] },
    });
    const local = w.queries.find((q) => q.searchPath?.[1] === 'public');
    expect(w.transactions).toEqual([{ queries: [local!.id], count: 1, committed: true }]);
  });

  it('a statement without a session (pg_stat_statements) changes no search path and is not a query', () => {
    const b = new WorkloadBuilder();
    const at = { file: 'pgss.csv', line: 2, column: 1 };
    b.add({ sql: 'SET search_path = app', location: at, weight: 5, calls: 5 });
    b.add({ sql: 'SHOW work_mem', location: at, weight: 2, calls: 2 });
    b.add({ sql: 'SELECT * FROM orders WHERE id = $1', location: at, weight: 3, calls: 3 });
    const w = b.build();
    expect(w.queries.map((q) => [q.sql, q.weight, q.searchPath])).toEqual([['SELECT * FROM orders WHERE id = $1', 3, undefined]]);
  });

  it('set_config of another setting first: the same masked shape, still read for search_path', () => {
    const b = new WorkloadBuilder();
    const at = { file: 'l', line: 1, column: 1 };
    b.add({ sql: "SELECT set_config('work_mem', '64MB', false)", location: at, weight: 1, calls: 1 }, 's');
    b.add({ sql: 'SELECT 1 FROM orders', location: at, weight: 1, calls: 1 }, 's');
    b.add({ sql: "SELECT set_config('search_path', 'app', false)", location: at, weight: 1, calls: 1 }, 's');
    b.add({ sql: 'SELECT 2 FROM orders', location: at, weight: 1, calls: 1 }, 's');
    expect(b.build().queries.map((q) => [q.sample, q.searchPath])).toEqual([
      ['SELECT 1 FROM orders', undefined],
      ['SELECT 2 FROM orders', ['app']],
    ]);
  });

  it('a simple-protocol batch: SET then a query in one log line', () => {
    const b = new WorkloadBuilder();
    b.add({ sql: 'SET search_path TO app; SELECT * FROM orders WHERE id = 1', location: { file: 'l', line: 1, column: 1 }, weight: 1, calls: 1 }, 's');
    expect(b.build().queries.map((q) => q.searchPath)).toEqual([['app']]);
  });
});
