import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { InputError, readSqlFile, type InputFile } from '../../src/ingest/files.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { parseSuppressions } from '../../src/report/suppressions.js';
import { statsFromData } from '../../src/stats/index.js';
import { corpusDir } from '../support/corpus.js';

beforeAll(async () => {
  await loadParser();
});

const dir = mkdtempSync(join(tmpdir(), 'shardwise-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What reading gives, offsets and locations included (node locations count from a base that batches of statements set: the catalog holds them located). */
function read(files: InputFile[]) {
  const { catalog, scripts } = buildCatalog(files.map((f) => ({ file: f.file, text: f.text, gaps: f.gaps })));
  const statements = scripts.map((s) => s.statements.map(({ index, startByte, endByte, location, sql, error }) => ({ index, startByte, endByte, location, sql, error })));
  return { catalog, statements, copyBlocks: scripts.map((s) => s.copyBlocks), metaCommands: scripts.map((s) => s.metaCommands), suppressions: scripts.map(parseSuppressions) };
}

describe('a large SQL file is read without its COPY data', () => {
  const pagila = join(corpusDir(), 'pagila');
  const paths = ['schema.sql', 'data/pagila-data.sql'];

  it('gives the catalog, statements, locations and statistics of reading it whole (pagila and its data)', async () => {
    const whole = paths.map((p) => readSqlFile(p, pagila, { compactAbove: Infinity }));
    const compact = paths.map((p) => readSqlFile(p, pagila, { compactAbove: 0 }));
    expect(whole.every((f) => !f.gaps)).toBe(true);
    expect(compact[1].gaps?.length).toBeGreaterThan(10);
    expect(compact[1].text.length).toBeLessThan(whole[1].text.length / 4);
    const a = read(whole);
    const b = read(compact);
    expect(b).toEqual(a);
    expect(a.catalog.data.length).toBeGreaterThan(10);
    expect(await statsFromData(b.catalog, { cwd: pagila })).toEqual(await statsFromData(a.catalog, { cwd: pagila }));
  });

  it('reads a file whole when a COPY line is inside a function body, and the same for CRLF line ends and unterminated data', () => {
    const body = "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$\nCOPY t (a) FROM stdin;\n$$;\n-- shardwise-ignore FK01 -- reason\nCREATE TABLE t (a int);\n";
    const crlf = 'CREATE TABLE t (a int, b text);\r\nCOPY public.t (a, b) FROM stdin;\r\n1\tx\r\n2\t\\N\r\n\\.\r\nCREATE TABLE u (c int);\r\nCOPY u (c) FROM stdin;\n7\n8';
    for (const [name, sql, gaps] of [['body.sql', body, 0], ['crlf.sql', crlf, 2]] as const) {
      writeFileSync(join(dir, name), sql);
      const compact = readSqlFile(name, dir, { compactAbove: 0 });
      expect(compact.gaps?.length ?? 0).toBe(gaps);
      expect(read([compact])).toEqual(read([readSqlFile(name, dir)]));
    }
  });

  it('refuses SQL (COPY data aside) larger than a run holds, early and with a way out', () => {
    const sql = Array.from({ length: 20_000 }, (_, i) => `INSERT INTO t VALUES (${i}, 'some text to fill the file up');\n`).join('');
    writeFileSync(join(dir, 'inserts.sql'), sql);
    let error: unknown;
    try {
      readSqlFile('inserts.sql', dir, { compactAbove: 0, maxBytes: 2 ** 20 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^inserts\.sql: \d+ MB is more SQL text \(COPY data aside\) than one run can hold \(1 MB at most\)/);
    expect((error as InputError).hint).toMatch(/not --inserts/);
  });
});
