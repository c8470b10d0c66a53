import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser, MAX_STATEMENT_BYTES, MAX_STATEMENT_TOKENS, prepass, readScript, scanSql, SourceText, statementTokens } from '../../src/ingest/pg/index.js';
import { corpusDir } from '../support/corpus.js';

beforeAll(async () => {
  await loadParser();
});

const lines = (sql: string) => readScript('f.sql', sql).statements.map((s) => [s.location.line, s.location.column]);

describe('SourceText', () => {
  it('maps UTF-8 byte offsets to 1-based line and character column', () => {
    const src = new SourceText('f.sql', 'ab\nçé€😀x\n');
    // bytes: a b \n | ç(2) é(2) €(3) 😀(4) x
    expect(src.locate(0)).toEqual({ file: 'f.sql', line: 1, column: 1 });
    expect(src.locate(3)).toEqual({ file: 'f.sql', line: 2, column: 1 });
    expect(src.locate(3 + 2)).toMatchObject({ line: 2, column: 2 });
    expect(src.locate(3 + 2 + 2 + 3)).toMatchObject({ line: 2, column: 4 });
    expect(src.locate(3 + 2 + 2 + 3 + 4)).toMatchObject({ line: 2, column: 5 });
    expect(src.lineText(2)).toBe('çé€😀x');
  });
});

describe('readScript', () => {
  it('gives each statement its exact byte range, line and column, past multi-byte text', () => {
    const sql = "SELECT 'ü€';\n  SELECT 2; SELECT 'x'\n";
    const s = readScript('f.sql', sql);
    expect(s.statements.map((x) => x.sql)).toEqual(["SELECT 'ü€'", 'SELECT 2', "SELECT 'x'"]);
    expect(lines(sql)).toEqual([[1, 1], [2, 3], [2, 13]]);
    const bytes = Buffer.from(sql);
    for (const st of s.statements) expect(bytes.toString('utf8', st.startByte, st.endByte)).toBe(st.sql);
  });

  it('does not split inside $$ bodies, tagged dollar quotes, strings or comments', () => {
    const sql = [
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;",
      "CREATE FUNCTION g() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;",
      "-- a comment; with a semicolon",
      "/* block; comment /* nested; */ still; */ SELECT 'a;b', E'c\\';d', \"we;ird\" FROM t;",
    ].join('\n');
    const s = readScript('f.sql', sql);
    expect(s.statements).toHaveLength(3);
    expect(s.statements[2].location).toMatchObject({ line: 4, column: 43 });
    expect(s.statements.every((x) => !x.error)).toBe(true);
  });

  it('keeps COPY data out of the parser and records the block', () => {
    const sql = 'CREATE TABLE t (a int, b text);\nCOPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t\\N\n\\.\nSELECT 1;\n';
    const s = readScript('d.sql', sql);
    expect(s.statements.map((x) => x.location.line)).toEqual([1, 2, 6]);
    expect(s.copyBlocks).toHaveLength(1);
    const b = s.copyBlocks[0];
    expect(Buffer.from(sql).toString('utf8', b.dataStartByte, b.dataEndByte)).toBe('1\tx;y\n2\t\\N\n');
    expect(b.unterminated).toBe(false);
  });

  it('blanks psql meta-commands, including \\restrict from recent pg_dump', () => {
    const sql = '\\restrict AbC123\nSET search_path = public;\n\\connect other\nCREATE TABLE t (a int);\n\\unrestrict AbC123\n';
    const s = readScript('m.sql', sql);
    expect(s.metaCommands.map((m) => m.command)).toEqual(['restrict', 'connect', 'unrestrict']);
    expect(s.statements.map((x) => [x.location.line, Object.keys(x.node!)[0]])).toEqual([
      [2, 'VariableSetStmt'],
      [4, 'CreateStmt'],
    ]);
  });

  it('a meta-command inside a statement is psql\'s too: \\gset and its kin send the statement, others leave it open', () => {
    const sql = "SELECT count(*) AS n FROM t \\gset\nSELECT 1\n\\g\nINSERT INTO t\n\\echo mid-statement\nVALUES (1);\nSELECT 2;\n";
    const s = readScript('m.sql', sql);
    expect(s.metaCommands.map((m) => m.command)).toEqual(['gset', 'g', 'echo']);
    expect(s.statements.map((x) => [x.location.line, Object.keys(x.node ?? {})[0], !!x.error])).toEqual([
      [1, 'SelectStmt', false],
      [2, 'SelectStmt', false],
      [4, 'InsertStmt', false],
      [7, 'SelectStmt', false],
    ]);
    expect(s.statements[0].sql.trim()).toBe('SELECT count(*) AS n FROM t');
  });

  it("psql's \\copy from stdin takes the script's next lines as its rows, up to \\.; from a file it takes none", () => {
    const sql = "\\COPY t FROM STDIN DELIMITER AS ',';\n1, 5\n2, 6\n\\.\nCREATE TABLE u (a int);\n\\copy t from 'rows.csv' with csv\nSELECT 1;\n";
    const s = readScript('c.sql', sql);
    expect(s.metaCommands.map((m) => m.command)).toEqual(['COPY', 'copy']);
    expect(s.statements.map((x) => [x.location.line, Object.keys(x.node ?? {})[0], !!x.error])).toEqual([
      [5, 'CreateStmt', false],
      [7, 'SelectStmt', false],
    ]);
  });

  it('reports every syntax error with its own line and column and keeps the valid statements', () => {
    const sql = 'SELECT 1;\nSELEC 2;\nSELECT 3;\nCREATE TABLE x (a int,, b int);\nSELECT 5;';
    const s = readScript('e.sql', sql);
    expect(s.statements.map((x) => (x.error ? `error@${x.error.location.line}:${x.error.location.column}` : x.sql))).toEqual([
      'SELECT 1',
      'error@2:1',
      'SELECT 3',
      'error@4:23',
      'SELECT 5',
    ]);
    expect(s.statements[1].error?.message).toMatch(/syntax error at or near "SELEC"/);
  });

  it('locates syntax errors after multi-byte text by character column', () => {
    const s = readScript('e.sql', "SELECT 'é€' FROM ;");
    expect(s.statements[0].error?.location).toMatchObject({ line: 1, column: 18 });
  });

  it('keeps BEGIN ATOMIC function bodies whole when splitting', () => {
    const text = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3';
    expect(prepass(Buffer.from(text)).semicolons).toHaveLength(1);
    // and when a statement after it fails, the body still comes through whole
    const s = readScript('f.sql', `${text};\nSELEC 4;`);
    expect(s.statements.map((x) => (x.error ? 'error' : Object.keys(x.node!)[0]))).toEqual(['CreateFunctionStmt', 'SelectStmt', 'error']);
  });

  it('handles an unterminated quote as one bad statement without losing the ones before', () => {
    const s = readScript('q.sql', "SELECT 1;\nSELECT 'oops");
    expect(s.statements[0].sql).toBe('SELECT 1');
    expect(s.statements[1].error).toBeDefined();
    expect(s.statements[1].location.line).toBe(2);
  });
});

describe('bounds', () => {
  it('a statement nested past the tree depth bound is a located error; the statements around it are read', () => {
    const deep = `SELECT ${'abs('.repeat(400)}1${')'.repeat(400)}`;
    const s = readScript('d.sql', `SELECT 1;\n${deep};\nSELECT 2;\n`);
    expect(s.statements.map((x) => (x.error ? 'error' : 'ok'))).toEqual(['ok', 'error', 'ok']);
    expect(s.statements[1].error!.message).toMatch(/nested more than 1000 levels deep/);
    expect(s.statements[1].error!.location).toMatchObject({ line: 2, column: 1 });
  });

  it('a statement longer than the parser is given is a located error, never handed to it', () => {
    const long = `INSERT INTO t VALUES ${Array(MAX_STATEMENT_BYTES / 8).fill('(1,2,3)').join(',')}`;
    const s = readScript('big.sql', `SELECT 1;\n\n${long};\nSELECT 2;\n`);
    expect(s.statements.map((x) => (x.error ? 'error' : 'ok'))).toEqual(['ok', 'error', 'ok']);
    expect(s.statements[1].error!.message).toMatch(/^statement of [\d.]+ MB is longer than the 4 MB shardwise reads in one statement/);
    expect(s.statements[1].location).toMatchObject({ line: 3, column: 1 });
  });

  it('a statement of more tokens than the parser is given is a located error; the statements around it are read', () => {
    // 0.8 MB on one line, under the byte bound: SELECT, 400,000 names, 399,999 commas, FROM, t
    const wide = `SELECT ${Array(MAX_STATEMENT_TOKENS * 8).fill('a').join(',')} FROM t`;
    const s = readScript('wide.sql', `SELECT 1;\n${wide};\nSELECT 2;\n`);
    expect(s.statements.map((x) => (x.error ? 'error' : 'ok'))).toEqual(['ok', 'error', 'ok']);
    expect(s.statements[1].error!.message).toBe('statement of 800,002 tokens is more than the 50,000 shardwise reads in one statement; it was skipped');
    expect(s.statements[1].error!.location).toMatchObject({ line: 2, column: 1 });
  });

  it('statements up to the token bound are read, in batches that stay under it', () => {
    const row = `SELECT ${Array(MAX_STATEMENT_TOKENS / 4).fill('1').join(',')}`; // just under half the bound each
    const s = readScript('rows.sql', `${row};\n${row};\n${row};\n`);
    expect(s.statements.map((x) => (x.error ? x.error.message : 'ok'))).toEqual(['ok', 'ok', 'ok']);
    expect(s.statements[2].location).toMatchObject({ line: 3, column: 1 });
  });

  it("the pre-pass never counts fewer tokens than PostgreSQL's scanner, so the bound holds for what the parser sees", () => {
    const sql = readFileSync(join(corpusDir(), 'lago-api', 'schema.sql'), 'utf8') + readFileSync(join(corpusDir(), 'lago-api', 'queries.sql'), 'utf8');
    const script = readScript('lago.sql', sql);
    let checked = 0;
    for (const st of script.statements.filter((x) => !x.error)) {
      const scanned = scanSql(st.sql);
      if (!scanned.ok) continue;
      const counted = statementTokens(st.sql);
      expect(counted, st.sql.slice(0, 80)).toBeGreaterThanOrEqual(scanned.tokens.length);
      expect(counted, st.sql.slice(0, 80)).toBeLessThanOrEqual(3 * scanned.tokens.length + 2);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('many statements on one line are each placed at their column', () => {
    const s = readScript('one.sql', 'SELECT 1;'.repeat(5000));
    expect(s.statements).toHaveLength(5000);
    expect(s.statements[4999].location).toMatchObject({ line: 1, column: 1 + 9 * 4999 });
  });
});
