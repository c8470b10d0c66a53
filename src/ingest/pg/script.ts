/**
 * A SQL script split into statements with exact byte ranges and parse trees.
 *
 * The whole text is parsed in one call (fast); when that fails, it is split
 * with the parser's own scanner (so `;` inside strings, comments and `$$`
 * bodies never splits) and each statement is parsed alone, so that every
 * syntax error is reported and the valid statements still come through.
 */
import type { Node } from '@pgsql/types';
import { parseSql, scanSql, type Token } from './parser.js';
import { prepass, type CopyDataBlock, type MetaCommand } from './prepass.js';
import { SourceText, type Location } from './source.js';

export interface Statement {
  /** 0-based position in the script. */
  readonly index: number;
  /** Byte range in the file: from the first token to the end of the statement (`;` excluded). */
  readonly startByte: number;
  readonly endByte: number;
  readonly location: Location;
  /** The statement's SQL, exactly as written. */
  readonly sql: string;
  /** The parse tree's statement node, e.g. `{ CreateStmt: {...} }`; absent on a syntax error. */
  readonly node?: Node;
  /** Node `location` fields are byte offsets from this file offset. */
  readonly nodeBase: number;
  readonly error?: SyntaxErrorInfo;
}

export interface SyntaxErrorInfo {
  readonly message: string;
  readonly location: Location;
}

export interface Script {
  readonly source: SourceText;
  readonly statements: Statement[];
  readonly metaCommands: MetaCommand[];
  readonly copyBlocks: CopyDataBlock[];
}

/** Largest text handed to the parser in one call (PARSER-NOTES: ~16 MB is safe). */
const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

export function readScript(file: string, text: string): Script {
  const source = new SourceText(file, text);
  const pre = prepass(source.bytes);
  const statements: Statement[] = [];
  // Parse in chunks bounded by the COPY data blocks (and by size).
  let from = 0;
  const chunks: Array<[number, number]> = [];
  for (const block of pre.copyBlocks) {
    chunks.push([from, block.dataStartByte]);
    from = block.dataEndByte;
  }
  chunks.push([from, pre.sql.length]);
  for (const [start, end] of chunks) {
    for (const [s, e] of boundChunk(pre.sql, start, end)) parseChunk(source, pre.sql, s, e, statements);
  }
  return { source, statements, metaCommands: pre.metaCommands, copyBlocks: pre.copyBlocks };
}

/** Split an oversized region at statement boundaries found by the scanner. */
function boundChunk(sql: Buffer, start: number, end: number): Array<[number, number]> {
  if (end - start <= MAX_CHUNK_BYTES) return [[start, end]];
  const out: Array<[number, number]> = [];
  const ranges = splitByScanner(sql.toString('utf8', start, end));
  let chunkStart = start;
  for (const r of ranges) {
    const stmtEnd = start + r.end;
    if (stmtEnd - chunkStart > MAX_CHUNK_BYTES && start + r.start > chunkStart) {
      out.push([chunkStart, start + r.start]);
      chunkStart = start + r.start;
    }
  }
  out.push([chunkStart, end]);
  return out;
}

function parseChunk(source: SourceText, sql: Buffer, start: number, end: number, out: Statement[]): void {
  const text = sql.toString('utf8', start, end);
  if (!/\S/.test(text)) return;
  const whole = parseSql(text);
  if (whole.ok) {
    const stmts = whole.result.stmts ?? [];
    const textBytes = end - start;
    for (let k = 0; k < stmts.length; k++) {
      const raw = stmts[k];
      const loc = raw.stmt_location ?? 0;
      const len = raw.stmt_len ?? textBytes - loc; // the last statement has no stmt_len
      const range = trimRange(sql, start + loc, start + loc + len);
      if (!raw.stmt) continue;
      out.push(makeStatement(source, out.length, range[0], range[1], raw.stmt, start));
    }
    return;
  }
  // Fall back: split with the scanner, parse statement by statement.
  for (const r of splitByScanner(text)) {
    const s = start + r.start;
    const e = start + r.end;
    // Parse through the terminating `;` so errors point where PostgreSQL points.
    const parseEnd = r.semi !== undefined ? start + r.semi + 1 : e;
    const piece = sql.toString('utf8', s, parseEnd);
    const one = parseSql(piece);
    if (one.ok) {
      const node = one.result.stmts?.[0]?.stmt;
      if (node) out.push(makeStatement(source, out.length, s, e, node, s));
      continue;
    }
    // the cursor counts characters (code points), not bytes or UTF-16 units
    const errAt =
      one.error.cursor !== undefined
        ? s + Math.min(Buffer.byteLength(Array.from(piece).slice(0, one.error.cursor).join(''), 'utf8'), parseEnd - s)
        : s;
    out.push({
      index: out.length,
      startByte: s,
      endByte: e,
      location: source.locate(s),
      sql: source.slice(s, e),
      nodeBase: s,
      error: { message: one.error.message, location: source.locate(errAt) },
    });
  }
}

function makeStatement(source: SourceText, index: number, s: number, e: number, node: Node, base: number): Statement {
  return { index, startByte: s, endByte: e, location: source.locate(s), sql: source.slice(s, e), node, nodeBase: base };
}

/** Skip leading whitespace and comments; drop trailing whitespace and `;`. */
function trimRange(sql: Buffer, s: number, e: number): [number, number] {
  let a = s;
  for (;;) {
    while (a < e && (sql[a] === 0x20 || sql[a] === 0x0a || sql[a] === 0x0d || sql[a] === 0x09)) a++;
    if (sql[a] === 0x2d && sql[a + 1] === 0x2d) {
      while (a < e && sql[a] !== 0x0a) a++;
      continue;
    }
    if (sql[a] === 0x2f && sql[a + 1] === 0x2a) {
      const close = sql.indexOf('*/', a + 2);
      a = close === -1 || close >= e ? e : close + 2;
      continue;
    }
    break;
  }
  let b = e;
  while (b > a && (sql[b - 1] === 0x20 || sql[b - 1] === 0x0a || sql[b - 1] === 0x0d || sql[b - 1] === 0x09 || sql[b - 1] === 0x3b)) b--;
  return [a, b];
}

interface ByteRange {
  readonly start: number;
  readonly end: number;
  /** Offset of the `;` that ends the statement, when one does. */
  readonly semi?: number;
}

/**
 * Statement byte ranges of a text, from the parser's scanner: a `;` token ends
 * a statement, except inside `BEGIN ATOMIC ... END` function bodies. If the
 * scanner itself fails (an unterminated quote), the rest is one statement.
 */
export function splitByScanner(text: string): ByteRange[] {
  const scanned = scanSql(text);
  if (!scanned.ok) return splitLexically(text);
  const out: ByteRange[] = [];
  let first: Token | undefined;
  let last: Token | undefined;
  let atomicDepth = 0;
  let prev: Token | undefined;
  for (const t of scanned.tokens) {
    if (t.name === 'SQL_COMMENT' || t.name === 'C_COMMENT') continue;
    if (t.name === 'ASCII_59' && atomicDepth === 0) {
      if (first && last) out.push({ start: first.start, end: last.end, semi: t.start });
      first = undefined;
      last = undefined;
      prev = t;
      continue;
    }
    if (prev && prev.keyword !== 'NO_KEYWORD' && prev.text.toUpperCase() === 'BEGIN' && t.text.toUpperCase() === 'ATOMIC') atomicDepth++;
    else if (atomicDepth > 0 && t.text.toUpperCase() === 'CASE') atomicDepth++;
    else if (atomicDepth > 0 && t.text.toUpperCase() === 'END') atomicDepth--;
    first ??= t;
    last = t;
    prev = t;
  }
  if (first && last) out.push({ start: first.start, end: last.end });
  return out;
}

/**
 * When the scanner gives up (an unterminated quote or comment), split at the
 * semicolons the pre-pass lexer finds, so the statements before the bad one
 * still come through; the rest of the text is one statement.
 */
function splitLexically(text: string): ByteRange[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: ByteRange[] = [];
  let from = 0;
  for (const semi of prepass(bytes).semicolons) {
    const [a, b] = trimRange(bytes, from, semi);
    if (a < b) out.push({ start: a, end: b, semi });
    from = semi + 1;
  }
  const [a, b] = trimRange(bytes, from, bytes.length);
  if (a < b) out.push({ start: a, end: b });
  return out;
}

/** File offset of a node's `location` field within a statement. */
export function nodeOffset(stmt: Statement, location: number | undefined): number {
  return location === undefined || location < 0 ? stmt.startByte : stmt.nodeBase + location;
}
