/**
 * A SQL script split into statements with exact byte ranges and parse trees.
 *
 * The pre-pass finds the `;` that end statements (never inside strings,
 * comments, `$$` bodies, COPY data or BEGIN ATOMIC bodies); statements are
 * parsed in batches of bounded size, and a batch that fails is parsed
 * statement by statement, so that every syntax error is reported and the
 * valid statements still come through. No parser call ever sees the whole
 * file, nor a statement over MAX_STATEMENT_BYTES or MAX_STATEMENT_TOKENS.
 */
import type { Node } from '@pgsql/types';
import { parseSql } from './parser.js';
import { prepass, type CopyDataBlock, type MetaCommand } from './prepass.js';
import { SourceText, type Gap, type Location } from './source.js';

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
  /** The statement parsed but nests past the tree depth bound. */
  readonly tooDeep?: true;
  /** Not read because it is past a bound shardwise sets (bytes, tokens, nesting; the message says which), not because it is wrong. */
  readonly overBound?: true;
}

export interface Script {
  readonly source: SourceText;
  readonly statements: Statement[];
  readonly metaCommands: MetaCommand[];
  readonly copyBlocks: CopyDataBlock[];
  /** Byte ranges of its comments, outside quotes, `$$` bodies and COPY data (the pre-pass's), in the source's text (`source.toFile` gives the file's offset). */
  readonly comments: ReadonlyArray<{ readonly start: number; readonly end: number }>;
}

/** Statements are parsed in batches of up to this many bytes: one parser call each, never the whole file. */
const BATCH_BYTES = 256 * 1024;

/**
 * A statement longer than this is not handed to the parser (which can abort
 * the process on inputs of ~24 MB, PARSER-NOTES): it is a located error.
 */
export const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

/**
 * A statement of more tokens than this is not handed to the parser either:
 * the parser's memory (and every later walk over the tree) grows with the
 * tokens, about 2 KB each in the parser alone, so that a 1.5 MB line of
 * 775,000 select items took it past 1 GB. Real statements stay far below
 * (the corpus's largest has a few thousand); a batch of statements is bounded
 * by the same count.
 */
export const MAX_STATEMENT_TOKENS = 50_000;

/** The message for a statement over MAX_STATEMENT_TOKENS. */
export function tooManyTokens(tokens: number): string {
  return `statement of ${tokens.toLocaleString('en-US')} tokens is more than the ${MAX_STATEMENT_TOKENS.toLocaleString('en-US')} shardwise reads in one statement; it was skipped`;
}

/** Tokens of a text of one or more statements, as the pre-pass counts them (without the `;` that end them). */
export function statementTokens(sql: string): number {
  return prepass(Buffer.from(sql, 'utf8')).tokens.reduce((a, b) => a + b, 0);
}

/**
 * Split and parse a script. With `gaps` (the text leaves out the data lines
 * of COPY blocks, see `SourceText`), every byte offset returned is still the
 * file's.
 */
export function readScript(file: string, text: string, gaps: readonly Gap[] = []): Script {
  const source = new SourceText(file, text, gaps);
  const pre = prepass(source.bytes);
  const statements: Statement[] = [];
  for (const batch of batches(pieces(pre.sql, pre.semicolons, pre.tokens), gaps)) parseBatch(source, pre.sql, batch, statements);
  if (!gaps.length) return { source, statements, metaCommands: pre.metaCommands, copyBlocks: pre.copyBlocks, comments: pre.comments };
  const f = (offset: number) => source.toFile(offset);
  return {
    source,
    statements,
    comments: pre.comments,
    metaCommands: pre.metaCommands.map((m) => ({ ...m, startByte: f(m.startByte), endByte: f(m.endByte) })),
    copyBlocks: pre.copyBlocks.map((b) => ({
      ...b,
      statementStartByte: f(b.statementStartByte),
      statementEndByte: f(b.statementEndByte),
      dataStartByte: f(b.dataStartByte),
      // the end of a gap's newlines is the end of the data it stands for
      dataEndByte: f(b.dataEndByte),
    })),
  };
}

/** Statement ranges between the pre-pass's semicolons, without leading comments and blanks. */
function pieces(sql: Buffer, semicolons: readonly number[], tokens: readonly number[]): ByteRange[] {
  const out: ByteRange[] = [];
  let from = 0;
  for (const [k, semi] of semicolons.entries()) {
    const [a, b] = trimRange(sql, from, semi);
    if (a < b) out.push({ start: a, end: b, semi, tokens: tokens[k] });
    from = semi + 1;
  }
  const [a, b] = trimRange(sql, from, sql.length);
  if (a < b) out.push({ start: a, end: b, tokens: tokens[semicolons.length] });
  return out;
}

/**
 * Consecutive statements grouped so that each group spans at most BATCH_BYTES
 * and MAX_STATEMENT_TOKENS (a longer statement is a group alone) and no gap (node locations count from
 * the group's start in the file).
 */
function batches(ranges: readonly ByteRange[], gaps: readonly Gap[]): ByteRange[][] {
  const out: ByteRange[][] = [];
  let cur: ByteRange[] = [];
  let curTokens = 0;
  let g = 0;
  for (const r of ranges) {
    let gapBetween = false;
    while (g < gaps.length && gaps[g].at < r.start) {
      gapBetween = true;
      g++;
    }
    if (cur.length && (gapBetween || parseEnd(r) - cur[0].start > BATCH_BYTES || curTokens + r.tokens > MAX_STATEMENT_TOKENS)) {
      out.push(cur);
      cur = [];
      curTokens = 0;
    }
    cur.push(r);
    curTokens += r.tokens;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Parse through the terminating `;`, so that errors point where PostgreSQL points. */
function parseEnd(r: ByteRange): number {
  return r.semi !== undefined ? r.semi + 1 : r.end;
}

function parseBatch(source: SourceText, sql: Buffer, batch: readonly ByteRange[], out: Statement[]): void {
  if (batch.length > 1) {
    const start = batch[0].start;
    const whole = parseSql(sql.toString('utf8', start, parseEnd(batch[batch.length - 1])));
    const stmts = whole.ok ? (whole.result.stmts ?? []) : [];
    if (whole.ok && stmts.length === batch.length && stmts.every((s) => s.stmt)) {
      batch.forEach((r, k) => out.push(makeStatement(source, out.length, r.start, r.end, stmts[k].stmt!, start)));
      return;
    }
  }
  for (const r of batch) parseOne(source, sql, r, out);
}

function parseOne(source: SourceText, sql: Buffer, r: ByteRange, out: Statement[]): void {
  const s = r.start;
  const end = parseEnd(r);
  const f = (offset: number) => source.toFile(offset);
  const failed = (message: string, at: number, bound?: 'tooDeep' | 'overBound') =>
    out.push({
      index: out.length,
      startByte: f(s),
      endByte: f(r.end),
      location: source.locate(f(s)),
      sql: source.bytes.toString('utf8', s, r.end),
      nodeBase: f(s),
      error: { message, location: source.locate(f(at)), ...(bound === 'tooDeep' ? { tooDeep: true, overBound: true } : bound ? { overBound: true } : {}) },
    });
  if (end - s > MAX_STATEMENT_BYTES) {
    failed(`statement of ${(end - s) / 2 ** 20 < 1 ? `${end - s} bytes` : `${((end - s) / 2 ** 20).toFixed(1)} MB`} is longer than the ${MAX_STATEMENT_BYTES / 2 ** 20} MB shardwise reads in one statement; it was skipped`, s, 'overBound');
    return;
  }
  if (r.tokens > MAX_STATEMENT_TOKENS) {
    failed(tooManyTokens(r.tokens), s, 'overBound');
    return;
  }
  const one = parseSql(sql.toString('utf8', s, end));
  if (one.ok) {
    const node = one.result.stmts?.[0]?.stmt;
    if (node) out.push(makeStatement(source, out.length, s, r.end, node, s));
    return;
  }
  // the cursor counts characters (code points), not bytes or UTF-16 units
  failed(one.error.message, one.error.cursor !== undefined ? byteOfCodePoint(sql, s, end, one.error.cursor) : s, one.error.tooDeep ? 'tooDeep' : undefined);
}

/** Byte offset of the `count`-th code point after `start` (clamped to `end`). */
function byteOfCodePoint(bytes: Buffer, start: number, end: number, count: number): number {
  let seen = 0;
  for (let i = start; i < end; i++) {
    if ((bytes[i] & 0xc0) !== 0x80) {
      if (seen === count) return i;
      seen++;
    }
  }
  return end;
}

/** A statement at `[s, e)` of the text (offsets into `source.bytes`), its node locations counted from `base`. */
function makeStatement(source: SourceText, index: number, s: number, e: number, node: Node, base: number): Statement {
  const f = (offset: number) => source.toFile(offset);
  return { index, startByte: f(s), endByte: f(e), location: source.locate(f(s)), sql: source.bytes.toString('utf8', s, e), node, nodeBase: f(base) };
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
      // block comments nest, as in PostgreSQL
      let depth = 1;
      a += 2;
      while (a < e && depth > 0) {
        if (sql[a] === 0x2f && sql[a + 1] === 0x2a) {
          depth++;
          a += 2;
        } else if (sql[a] === 0x2a && sql[a + 1] === 0x2f) {
          depth--;
          a += 2;
        } else a++;
      }
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
  /** Its tokens, as the pre-pass counts them. */
  readonly tokens: number;
}

/** File offset of a node's `location` field within a statement. */
export function nodeOffset(stmt: Statement, location: number | undefined): number {
  return location === undefined || location < 0 ? stmt.startByte : stmt.nodeBase + location;
}
