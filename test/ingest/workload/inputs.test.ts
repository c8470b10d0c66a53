/** Annotated .sql files, damaged and unknown inputs, binary files, prefix detection. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/ingest/files.js';
import { loadParser } from '../../../src/ingest/pg/index.js';
import {
  compilePrefix,
  detectPrefix,
  parseSqlWorkload,
  readPgStatStatements,
  readServerLog,
  readSqlWorkload,
  readWorkload,
  type WorkloadInput,
} from '../../../src/ingest/workload/index.js';

const FIXTURES = 'test/fixtures/workload';
const cwd = process.cwd();
const tmp = mkdtempSync(join(tmpdir(), 'shardwise-wl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function q(w: WorkloadInput, sql: string) {
  const found = w.queries.find((x) => x.sql === sql);
  if (!found) throw new Error(`no query ${sql}; have:\n${w.queries.map((x) => x.sql).join('\n')}`);
  return found;
}

describe('.sql workload annotations', () => {
  it('weights, labels, n/a, bad weights, syntax errors and transactions', async () => {
    const w = await readSqlWorkload(`${FIXTURES}/annotated.sql`, cwd);
    const carts = q(w, 'SELECT * FROM carts WHERE user_id = $1');
    expect(carts.weight).toBe(75); // 30 (Checkout) + 45 (-- weight: 45)
    expect(carts.calls).toBe(2);
    expect(carts.label).toBe('Checkout');
    expect(carts.labels).toEqual(['Browse', 'Checkout']);
    expect(carts.sample).toBe('SELECT * FROM carts WHERE user_id = 17');
    expect(q(w, 'UPDATE stock SET qty = qty - $1 WHERE item_id = $2')).toMatchObject({ weight: 30, label: 'Checkout' });
    expect(q(w, 'DELETE FROM carts WHERE updated_at < now() - interval $1')).toMatchObject({ weight: 0, label: 'Maintenance' });
    expect(q(w, 'SELECT * FROM items WHERE category = $1 LIMIT $2')).toMatchObject({ weight: 60, label: 'Browse' });
    expect(q(w, 'SELECT * FROM items WHERE id = $1')).toMatchObject({ weight: 60, label: 'GetItem' });
    expect(w.inputs).toEqual([{ file: `${FIXTURES}/annotated.sql`, format: 'sql', statements: 12 }]);
    expect(w.diagnostics.map((d) => [d.code, d.location.line, d.message.slice(0, 30)])).toEqual([
      ['input-error', 18, 'weight "lots" not understood: '],
      ['syntax-error', 21, 'query does not parse: syntax e'],
    ]);
    const ins = w.queries.filter((x) => x.command === 'InsertStmt').map((x) => x.id);
    // each `procedure:` is one transaction of the mix with its weight; BEGIN ... COMMIT is one too
    expect(w.transactions).toEqual([
      { queries: [q(w, 'SELECT * FROM carts WHERE user_id = $1').id, q(w, 'UPDATE stock SET qty = qty - $1 WHERE item_id = $2').id], count: 1, committed: true, label: 'Checkout', weight: 30 },
      { queries: [q(w, 'INSERT INTO orders (user_id, total) VALUES ($1, $2)').id, q(w, 'INSERT INTO order_lines (order_id, item_id) VALUES ($1, $2)').id], count: 1, committed: true },
      { queries: [q(w, "DELETE FROM carts WHERE updated_at < now() - interval $1").id], count: 1, committed: true, label: 'Maintenance', weight: 0 },
    ]);
    expect(ins).toHaveLength(2);
  });

  it('the file read as plain data: statements with their annotations, procedures as the statements they hold', async () => {
    await loadParser();
    const file = `${FIXTURES}/annotated.sql`;
    const read = parseSqlWorkload(file, readFileSync(file, 'utf8'));
    expect(JSON.parse(JSON.stringify(read))).toEqual(read);
    const at = (i: number) => {
      const e = read.entries[i];
      return e.kind === 'statement' ? [e.sql.split(' WHERE')[0], e.weight, e.label] : [e.kind, e.diagnostic.location.line];
    };
    expect(read.procedures.map((p) => [p.label, p.weight, p.statements.map(at)])).toEqual([
      ['Checkout', 30, [['SELECT * FROM carts', 30, 'Checkout'], ['UPDATE stock SET qty = qty - 1', 30, 'Checkout']]],
      ['Maintenance', 0, [['DELETE FROM carts', 0, 'Maintenance']]],
    ]);
    expect(read.entries.map((e) => e.kind)).toEqual([...Array(6).fill('statement'), 'problem', 'statement', 'syntax-error', ...Array(4).fill('statement')]);
  });
});

describe('damaged input', () => {
  it('truncated pg_stat_statements CSV: error names file and line, other rows kept', async () => {
    const w = await readPgStatStatements(`${FIXTURES}/truncated-pgss.csv`, cwd);
    expect(w.queries.map((x) => [x.sql.split('\n')[0], x.calls])).toEqual([
      ['SELECT name FROM items WHERE id = $1', 12],
      ['UPDATE items SET price = $1 WHERE id = $2', 4],
      ['SELECT name,', 3],
    ]);
    expect(q(w, 'SELECT name,\n       price\n  FROM items').sources[0].line).toBe(3);
    expect(w.diagnostics.map((d) => [d.location.file, d.location.line, d.severity])).toEqual([
      [`${FIXTURES}/truncated-pgss.csv`, 6, 'warning'],
      [`${FIXTURES}/truncated-pgss.csv`, 8, 'error'],
    ]);
    expect(w.diagnostics[0].message).toContain('"calls"');
    expect(w.diagnostics[1].message).toContain('truncated');
  });

  it('stderr log with a damaged line: that line reported, the rest read', async () => {
    const w = await readServerLog(`${FIXTURES}/damaged.log`, cwd);
    // the multi-line statement differs only in layout and constants: the same query
    expect(q(w, 'SELECT * FROM items WHERE id = $1')).toMatchObject({ weight: 3, sample: 'SELECT * FROM items WHERE id = 1' });
    expect(q(w, 'SELECT * FROM items WHERE id = $1').sources.map((s) => s.line)).toEqual([1, 2, 5]);
    const upd = q(w, 'UPDATE items SET name = $1 WHERE id = $2');
    expect(upd.sample).toBe("UPDATE items SET name = 'a, b = ''c''' WHERE id = '4'");
    expect(w.diagnostics.map((d) => [d.code, d.location.line])).toEqual([
      ['input-error', 3],
      ['syntax-error', 9],
    ]);
    // session 7400's transaction never ended in this log: not counted
    expect(w.transactions).toEqual([{ queries: [upd.id], count: 1, committed: true }]);
    expect(q(w, 'DELETE FROM items WHERE id = $1').weight).toBe(1);
  });

  it('unknown format: InputError naming the file and what was expected', async () => {
    const err = await readWorkload([`${FIXTURES}/notes.txt`], cwd).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/^test\/fixtures\/workload\/notes\.txt:1:1: unrecognised workload format; expected a pg_stat_statements export/);
    expect((err as InputError).file).toBe(`${FIXTURES}/notes.txt`);
  });

  it('binary and compressed files are refused with a clear error', async () => {
    writeFileSync(join(tmp, 'data.bin'), Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x41]));
    writeFileSync(join(tmp, 'postgresql.log.gz'), gzipSync('2026-11-22 02:30:20.358 UTC [7398] LOG:  statement: SELECT 1\n'));
    await expect(readWorkload(['data.bin'], tmp)).rejects.toThrow(/^data\.bin:1:\d+: binary file \(a NUL byte\); expected/);
    await expect(readWorkload(['postgresql.log.gz'], tmp)).rejects.toThrow(/^postgresql\.log\.gz:1:1: gzip-compressed file/);
    await expect(readWorkload(['missing.csv'], tmp)).rejects.toThrow(/^missing\.csv: no such file/);
  });

  it('a reader refuses a file of another kind', async () => {
    await expect(readPgStatStatements(`${FIXTURES}/damaged.log`, cwd)).rejects.toThrow(/read as stderr-log, expected pgss-csv or pgss-json/);
  });
});

describe('log_line_prefix', () => {
  // first lines as PostgreSQL 15 wrote them under each setting (from the server log tests)
  const lines: Record<string, string> = {
    '%m [%p] ': '2026-11-22 02:30:20.358 UTC [7398] LOG:  statement: SELECT 1',
    '%m [%p] %q%u@%d ': '2026-11-22 02:30:20.358 UTC [7398] postgres@postgres LOG:  statement: SELECT 1',
    '%t [%p]: [%l-1] user=%u,db=%d ': '2026-11-22 02:30:20 UTC [7398]: [11-1] user=postgres,db=postgres DETAIL:  parameters: $1 = \'1\'',
    '%t:%r:%u@%d:[%p]:': '2026-11-22 02:30:20 UTC:10.0.0.5(51234):app@prod:[7398]:LOG:  statement: SELECT 1',
  };
  it.each(Object.entries(lines))('detects %j', (prefix, line) => {
    const c = detectPrefix([line]);
    expect(c.prefix).toBe(prefix);
    expect(c.regex.exec(line)?.groups?.pid).toBe('7398');
  });
  it('compiles a custom prefix with a session id', () => {
    const c = compilePrefix('%m|%c|%u ');
    const m = c.regex.exec('2026-11-22 02:30:20.358 UTC|6b0253bc.1ce6|app LOG:  statement: SELECT 1');
    expect(m?.groups).toMatchObject({ sid: '6b0253bc.1ce6', sev: 'LOG', msg: 'statement: SELECT 1' });
  });
});
