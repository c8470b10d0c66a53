/**
 * Table data as it appears in a dump: the lines of a `COPY ... FROM stdin`
 * block (PostgreSQL's COPY text format) and the rows of `INSERT ... VALUES`
 * statements. Values come back in PostgreSQL's text output form (what a
 * type's input function reads), `null` for SQL NULL.
 *
 * COPY blocks are streamed from the file's byte range, so a dump of any size
 * is read with bounded memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Node } from './pg/ast.js';
import { nodeAs, parseSql } from './pg/index.js';

export type Cell = string | null;
export type Row = Cell[];

const NL = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const BACKSLASH = 0x5c;

/**
 * Rows of COPY text-format data in `[startByte, endByte)` of `path`: one array
 * of fields per line, tab-separated, `\N` = NULL, backslash escapes decoded as
 * PostgreSQL's COPY FROM decodes them (`\b \f \n \r \t \v`, `\NNN` octal, `\xHH`
 * hex, any other escaped character stands for itself). A `\.` end marker line
 * ends the data. Line ends may be `\n` or `\r\n`.
 */
export async function* readCopyRows(path: string, startByte: number, endByte: number): AsyncIterable<Row> {
  if (endByte <= startByte) return;
  const stream = createReadStream(path, { start: startByte, end: endByte - 1, highWaterMark: 1 << 20 });
  let rest: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(NL, from);
      if (nl < 0) break;
      const row = parseCopyLine(buf, from, nl);
      from = nl + 1;
      if (row === END) {
        stream.destroy();
        return;
      }
      yield row;
    }
    rest = from < buf.length ? buf.subarray(from) : undefined;
  }
  if (rest && rest.length) {
    const row = parseCopyLine(rest, 0, rest.length);
    if (row !== END) yield row;
  }
}

/** Rows of COPY text-format data held in memory (same rules as {@link readCopyRows}). */
export function parseCopyText(data: string | Buffer, delimiter = TAB): Row[] {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const rows: Row[] = [];
  let from = 0;
  while (from < buf.length) {
    let nl = buf.indexOf(NL, from);
    if (nl < 0) nl = buf.length;
    const row = parseCopyLine(buf, from, nl, delimiter);
    from = nl + 1;
    if (row === END) break;
    rows.push(row);
  }
  return rows;
}

const END = Symbol('end-of-data');

/** One line `buf[start, end)` (without its `\n`). */
function parseCopyLine(buf: Buffer, start: number, end: number, delimiter = TAB): Row | typeof END {
  if (end > start && buf[end - 1] === CR) end--;
  if (end - start === 2 && buf[start] === BACKSLASH && buf[start + 1] === 0x2e) return END;
  if (end === start) return ['']; // a one-column table's empty string
  const row: Row = [];
  let fieldStart = start;
  for (let i = start; i <= end; i++) {
    // a backslash escapes the byte after it: an escaped delimiter is data (CopyReadAttributesText)
    if (i < end - 1 && buf[i] === BACKSLASH) {
      i++;
      continue;
    }
    if (i === end || buf[i] === delimiter) {
      row.push(decodeField(buf, fieldStart, i));
      fieldStart = i + 1;
    }
  }
  return row;
}

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function decodeField(buf: Buffer, start: number, end: number): Cell {
  const bs = buf.indexOf(BACKSLASH, start);
  if (bs < 0 || bs >= end) return buf.toString('utf8', start, end);
  if (end - start === 2 && buf[start] === BACKSLASH && buf[start + 1] === 0x4e /* N */) return null;
  const out = Buffer.allocUnsafe(end - start);
  let o = 0;
  for (let i = start; i < end; i++) {
    let c = buf[i];
    if (c !== BACKSLASH) {
      out[o++] = c;
      continue;
    }
    if (i + 1 >= end) break; // a lone trailing backslash is dropped, as COPY does
    c = buf[++i];
    switch (c) {
      case 0x62: out[o++] = 0x08; break; // \b
      case 0x66: out[o++] = 0x0c; break; // \f
      case 0x6e: out[o++] = 0x0a; break; // \n
      case 0x72: out[o++] = 0x0d; break; // \r
      case 0x74: out[o++] = 0x09; break; // \t
      case 0x76: out[o++] = 0x0b; break; // \v
      case 0x78: { // \x: one or two hex digits, else a literal 'x'
        const h1 = i + 1 < end ? hexValue(buf[i + 1]) : -1;
        if (h1 < 0) {
          out[o++] = c;
          break;
        }
        let v = h1;
        i++;
        const h2 = i + 1 < end ? hexValue(buf[i + 1]) : -1;
        if (h2 >= 0) {
          v = (v << 4) + h2;
          i++;
        }
        out[o++] = v;
        break;
      }
      default:
        if (isOctal(c)) {
          let v = c - 0x30;
          if (i + 1 < end && isOctal(buf[i + 1])) {
            v = (v << 3) + (buf[++i] - 0x30);
            if (i + 1 < end && isOctal(buf[i + 1])) v = (v << 3) + (buf[++i] - 0x30);
          }
          out[o++] = v & 0xff;
        } else {
          out[o++] = c;
        }
    }
  }
  return out.toString('utf8', 0, o);
}

/** INSERT data that cannot be read (the statement's text no longer parses alone): its rows are skipped. */
export class InsertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsertError';
  }
}

/** Result of reading INSERT statements: rows, and how many cells were not constants. */
export interface InsertRows {
  readonly rows: Row[];
  /** Cells that are expressions (function calls, DEFAULT, ...): returned as null. */
  readonly unresolved: number;
}

/**
 * Rows of the `INSERT ... VALUES` statements in `sql` (one or many statements,
 * one or many value lists each). Constants (and constants under a cast, such
 * as `'2020-01-01'::date`) come back in text form: integers and decimals as
 * written (`-` sign folded in; `1e3` stays `1e3`: valid input for the type, not
 * always its canonical output), strings as their value, booleans as `t`/`f`.
 * Any other expression counts as unresolved and reads as null.
 */
export function readInsertRows(sql: string): InsertRows {
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new InsertError(`it does not parse: ${parsed.error.message}`);
  const rows: Row[] = [];
  let unresolved = 0;
  for (const raw of parsed.result.stmts ?? []) {
    const ins = nodeAs(raw.stmt, 'InsertStmt');
    if (!ins) continue;
    const lists = nodeAs(ins.selectStmt, 'SelectStmt')?.valuesLists ?? [];
    for (const list of lists) {
      const items = nodeAs(list, 'List')?.items ?? [];
      const row: Row = [];
      for (const item of items) {
        const v = constantText(item);
        if (v === undefined) {
          unresolved++;
          row.push(null);
        } else row.push(v);
      }
      rows.push(row);
    }
  }
  return { rows, unresolved };
}

/** Text form of a constant node; null for NULL; undefined when not a constant. */
function constantText(node: Node | undefined): Cell | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast) return constantText(cast.arg);
  const c = nodeAs(node, 'A_Const');
  if (!c) return undefined;
  if (c.isnull) return null;
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval ?? '0');
  if (c.sval) return String(c.sval.sval ?? '');
  if (c.boolval) return c.boolval.boolval ? 't' : 'f';
  if (c.bsval) return String(c.bsval.bsval ?? '');
  return undefined;
}

/** Where a table's data sits in a file: the shape of the catalog's `DataSource`. */
export interface DataRange {
  readonly kind: 'copy' | 'insert';
  readonly file: string;
  readonly startByte: number;
  readonly endByte: number;
}

/**
 * The rows of one data source (a COPY block or an INSERT statement), in the
 * source's column order. INSERT statements are read from their byte range and
 * parsed; the parser must be loaded (`loadParser()`) before.
 */
export async function* readSourceRows(source: DataRange): AsyncIterable<Row> {
  if (source.kind === 'copy') {
    yield* readCopyRows(source.file, source.startByte, source.endByte);
    return;
  }
  const fh = await open(source.file, 'r');
  try {
    const len = Math.max(0, source.endByte - source.startByte);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, source.startByte);
    for (const row of readInsertRows(buf.toString('utf8')).rows) yield row;
  } finally {
    await fh.close();
  }
}
