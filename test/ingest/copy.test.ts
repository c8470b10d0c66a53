import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopyText, readCopyRows, readInsertRows, readSourceRows, type Row } from '../../src/ingest/copy.js';
import { parseCopyCsv } from '../../src/ingest/copy-csv.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { findPgBinDir } from '../support/cluster.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  await loadParser();
  db = await createTestDatabase('copy');
  dir = mkdtempSync(join(tmpdir(), 'shardwise-copy-'));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function psql(sql: string, input?: string): Buffer {
  return execFileSync(join(findPgBinDir(), 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-c', sql], {
    input,
    maxBuffer: 1 << 28,
  });
}

async function collect(it: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const r of it) out.push(r);
  return out;
}

async function selectText(table: string): Promise<Row[]> {
  const r = await db.client.query({ text: `SELECT a::text, b::text, c::text FROM ${table} ORDER BY id`, rowMode: 'array' });
  return r.rows as Row[];
}

describe('readCopyRows against PostgreSQL COPY TO', () => {
  it('decodes every value PostgreSQL writes, from a byte range of a larger file', async () => {
    await db.client.query('CREATE TABLE esc (id int, a text, b text, c text)');
    const specials = [
      'plain', '', ' ', 'tab\there', 'new\nline', 'cr\rlf', 'back\\slash', '\\N', 'N', '\\.', 'a\\', 'x\b\f\v',
      'héllo wörld', '日本語テキスト', '🎉 emoji', 'ZWJ 👩‍👩‍👧', 'trailing space ', '\u0001\u001f\u007f', 'quote \' " ',
    ];
    let id = 0;
    for (const s of specials) {
      await db.client.query('INSERT INTO esc VALUES ($1, $2, $3, $4)', [id++, s, null, s + s]);
      await db.client.query('INSERT INTO esc VALUES ($1, $2, $3, $4)', [id++, null, s, '']);
    }
    // every control and ASCII character alone
    for (let c = 1; c < 128; c++) await db.client.query('INSERT INTO esc VALUES ($1, chr($2), $3, NULL)', [id++, c, String(c)]);
    const out = psql('COPY (SELECT a, b, c FROM esc ORDER BY id) TO STDOUT');
    const head = Buffer.from('-- ünïcode header\nCOPY t (a, b, c) FROM stdin;\n');
    const tail = Buffer.from('\\.\n\nSELECT 1;\n');
    const file = join(dir, 'dump.sql');
    writeFileSync(file, Buffer.concat([head, out, tail]));
    const rows = await collect(readCopyRows(file, head.length, head.length + out.length));
    const expected = await selectText('esc');
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
    // the same data including the end marker: reading stops at `\.`
    const rows2 = await collect(readCopyRows(file, head.length, head.length + out.length + tail.length));
    expect(rows2).toEqual(expected);
    expect(parseCopyText(out)).toEqual(expected);
  });

  it('decodes octal and hex escapes and unknown escapes as COPY FROM does', async () => {
    await db.client.query('CREATE TABLE esc2 (id serial, a text, b text, c text)');
    const lines = [
      '\\101\\x41\\x4z\tA\\7B\t\\0101',
      '\\xg\t\\q\\w\\e\t\\303\\251t\\xc3\\xa9',
      '\\346\\227\\245\t\\x\t\\N\\N',
      '\\\\N\t\\\\\t\\r\\n',
      '\\xE2\\x82\\xAC\t\\342\\202\\254\t€',
    ];
    const data = lines.join('\n') + '\n';
    psql('COPY esc2 (a, b, c) FROM STDIN', data + '\\.\n');
    const file = join(dir, 'esc2.copy');
    writeFileSync(file, data);
    const rows = await collect(readCopyRows(file, 0, Buffer.byteLength(data)));
    expect(rows).toEqual(await selectText('esc2'));
  });

  it('streams large blocks with multibyte characters across chunk boundaries', async () => {
    await db.client.query('CREATE TABLE big (id int, a text, b text, c text)');
    await db.client.query(
      `INSERT INTO big SELECT g, repeat('é日🎉', g % 50) || g, CASE WHEN g % 7 = 0 THEN NULL ELSE E'x\\ty' || g END, g::text FROM generate_series(1, 60000) g`,
    );
    const out = psql('COPY (SELECT a, b, c FROM big ORDER BY id) TO STDOUT');
    expect(out.length).toBeGreaterThan(3 << 20); // more than the stream's chunk size
    const file = join(dir, 'big.copy');
    writeFileSync(file, out);
    const rows = await collect(readCopyRows(file, 0, out.length));
    const expected = await selectText('big');
    expect(rows.length).toBe(60000);
    expect(rows).toEqual(expected);
  });

  it('accepts CRLF line ends and an empty range', async () => {
    const file = join(dir, 'crlf.copy');
    writeFileSync(file, '1\ta\r\n2\t\\N\r\n');
    expect(await collect(readCopyRows(file, 0, 14))).toEqual([
      ['1', 'a'],
      ['2', null],
    ]);
    expect(await collect(readCopyRows(file, 5, 5))).toEqual([]);
  });
});

describe('CSV and other delimiters against PostgreSQL COPY TO', () => {
  it('reads what PostgreSQL writes in CSV (quotes, delimiters and line breaks in values, NULL, HEADER) and in text with another delimiter', async () => {
    await db.client.query('CREATE TABLE csv (id int, a text, b text, c text)');
    const specials = ['plain', '', ' ', 'com,ma', 'semi;colon', 'new\nline', 'cr\r\nlf', '"quoted"', 'a""b', 'pipe|bar', 'back\\slash', '\\N', '\\.', 'héllo 🎉'];
    let id = 0;
    for (const v of specials) await db.client.query('INSERT INTO csv VALUES ($1, $2, NULL, $3)', [id++, v, v + v]);
    const expected = await selectText('csv');
    const csv = psql(`COPY (SELECT a, b, c FROM csv ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')`).toString('utf8');
    expect(parseCopyCsv(`${csv}\\.\n`, { delimiter: ';', quote: '"', header: true })).toEqual(expected);
    const csvComma = psql('COPY (SELECT a, b, c FROM csv ORDER BY id) TO STDOUT WITH CSV').toString('utf8');
    expect(parseCopyCsv(csvComma, { delimiter: ',', quote: '"', header: false })).toEqual(expected);
    const piped = psql(`COPY (SELECT a, b, c FROM csv ORDER BY id) TO STDOUT WITH (DELIMITER '|')`);
    expect(parseCopyText(piped, '|'.charCodeAt(0))).toEqual(expected);
  });
});

describe('readInsertRows against PostgreSQL', () => {
  it('reads constants the way PostgreSQL stores them', async () => {
    await db.client.query('CREATE TABLE ins (id int, a text, b numeric, c text, d bool)');
    const sql = [
      `INSERT INTO ins VALUES (1, 'it''s', NULL, '-5', true), (2, E'tab\\there\\n', 1000.5, '', false)`,
      `INSERT INTO public.ins (id, a, b, c, d) VALUES (3, -42, 1.50, 'héllo 日本', NULL), (4, '2020-01-01'::date, -0.5, 'x', 't'::boolean)`,
      `INSERT INTO ins VALUES (5, U&'\\0041\\00e9', 99999999999999999999.000, 9223372036854775807, 'f')`,
      `INSERT INTO ins VALUES (6, 0, 0.0, -2147483648, NULL)`,
    ].join(';\n');
    await db.client.query(sql);
    const got = readInsertRows(sql);
    expect(got.unresolved).toBe(0);
    // PostgreSQL's own text output of the stored rows
    const expected = parseCopyText(psql('COPY (SELECT * FROM ins ORDER BY id) TO STDOUT'));
    expect(got.rows).toEqual(expected);
  });

  it('gives numeric literals as written (valid input, not always the canonical output)', () => {
    expect(readInsertRows(`INSERT INTO t VALUES (1e3, -0.000)`).rows).toEqual([['1e3', '-0.000']]);
  });

  it('counts expressions as unresolved', () => {
    const got = readInsertRows(`INSERT INTO t VALUES (now(), 1, DEFAULT)`);
    expect(got.rows).toEqual([[null, '1', null]]);
    expect(got.unresolved).toBe(2);
  });

  it('reads an INSERT data source from its byte range', async () => {
    const text = `SELECT 1;\nINSERT INTO t (a, b) VALUES (1, 'x'), (2, 'ÿ');\n`;
    const file = join(dir, 'ins.sql');
    writeFileSync(file, text);
    const start = Buffer.byteLength('SELECT 1;\n');
    const end = Buffer.byteLength(text) - 2;
    const rows = await collect(readSourceRows({ kind: 'insert', file, startByte: start, endByte: end }));
    expect(rows).toEqual([
      ['1', 'x'],
      ['2', 'ÿ'],
    ]);
  });
});
