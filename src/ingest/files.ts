/** Reading the user's input files: relative POSIX names, clear errors, never a write. */
import { constants } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { readWithoutCopyData } from './compact.js';
import type { Gap } from './pg/source.js';

/** An input problem the user must fix; carries where and a hint. */
export class InputError extends Error {
  readonly hint?: string;
  readonly file?: string;
  /** The option whose value the problem is about (`-o`, `--plan`): errors point at that value. */
  readonly flag?: string;
  constructor(message: string, options: { hint?: string; file?: string; flag?: string } = {}) {
    super(message);
    this.name = 'InputError';
    this.hint = options.hint;
    this.file = options.file;
    this.flag = options.flag;
  }
}

export interface InputFile {
  /** As shown in output: relative to the working directory, with `/`. */
  readonly file: string;
  readonly absolute: string;
  readonly text: string;
  /** The data lines of COPY blocks left out of `text` (a large file): see `SourceText`. */
  readonly gaps?: Gap[];
}

export function displayPath(path: string, cwd: string): string {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  const rel = relative(cwd, abs);
  // relative even when outside the working directory (../x.sql), so output never carries machine paths
  const shown = rel && !isAbsolute(rel) ? rel : abs;
  return shown.split(sep).join('/');
}

/** The longest string the JavaScript engine makes, less a margin: a SQL file is read as one string. */
export const MAX_SQL_FILE_BYTES = Math.min(constants.MAX_STRING_LENGTH, 2 ** 29) - 2 ** 20;

/** Files larger than this are read without their COPY data (see `readWithoutCopyData`). */
export const COMPACT_ABOVE_BYTES = 32 * 2 ** 20;

export interface ReadSqlOptions {
  /** Read without COPY data above this size (default COMPACT_ABOVE_BYTES). */
  readonly compactAbove?: number;
  /** The most SQL text held (default MAX_SQL_FILE_BYTES). */
  readonly maxBytes?: number;
}

/** Read a SQL text file; refuses binary input with a hint on what to do. */
export function readSqlFile(path: string, cwd: string, options: ReadSqlOptions = {}): InputFile {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const file = displayPath(path, cwd);
  let stat;
  try {
    stat = statSync(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`, { file, hint: 'check the path' });
    throw new InputError(`${file}: cannot be read (${code ?? 'error'})`, { file, hint: code === 'EACCES' ? 'check its permissions' : 'check the path' });
  }
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, expected a SQL file`, { file, hint: 'name a SQL file (a directory is only read when written by shardwise collect)' });
  const maxBytes = options.maxBytes ?? MAX_SQL_FILE_BYTES;
  const tooLarge = (size: number) =>
    new InputError(`${file}: ${size === stat.size ? `${Math.round(size / 2 ** 20)} MB is` : `its first ${Math.round(size / 2 ** 20)} MB already hold`} more SQL text (COPY data aside) than one run can hold (${Math.floor(maxBytes / 2 ** 20)} MB at most)`, {
      file,
      hint: 'give the schema alone (pg_dump --schema-only) and the data as COPY blocks (pg_dump --data-only, not --inserts) or one CSV per table with --data (\\copy table TO table.csv WITH CSV HEADER), which are read streaming',
    });
  const check = (chunk: Buffer, offset: number): void => checkBytes(chunk, offset, absolute, file);
  try {
    if (stat.size > (options.compactAbove ?? COMPACT_ABOVE_BYTES)) {
      const compact = readWithoutCopyData(absolute, check, maxBytes);
      if (compact && 'overflow' in compact) throw tooLarge(compact.fileOffset);
      if (compact) {
        return { file, absolute, text: utf8Text(compact.bytes), gaps: compact.gaps };
      }
    }
    if (stat.size > maxBytes) throw tooLarge(stat.size);
    const buf = readFileSync(absolute);
    check(buf, 0);
    // Byte offsets into the text must be offsets into the file (data is read back from it by byte range):
    // a BOM stays (the pre-pass blanks it), and a byte that is not UTF-8 becomes one '?'.
    return { file, absolute, text: utf8Text(buf) };
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot be read (${code ?? 'error'})`, { file, hint: code === 'EACCES' ? 'check its permissions' : 'check the path' });
  }
}

/** Refuses a binary archive and NUL bytes, located; `chunk` is the file's bytes from `offset`. */
function checkBytes(chunk: Buffer, offset: number, absolute: string, file: string): void {
  if (offset === 0 && chunk.subarray(0, 5).toString('latin1') === 'PGDMP') {
    throw new InputError(`${file}:1:1: this is a pg_dump custom-format (binary) archive, not SQL`, {
      file,
      hint: `convert it to SQL first: pg_restore --schema-only -f schema.sql ${file}   (or pg_restore -f - ${file} > schema.sql)`,
    });
  }
  // PostgreSQL takes no NUL in SQL text (nor the parser, which would stop there)
  const at = chunk.indexOf(0);
  if (at < 0) return;
  const nul = offset + at;
  const { line, lineStart } = lineOf(absolute, nul);
  const before = readRange(absolute, Math.max(lineStart, nul - 65536), nul).toString('utf8');
  const column = [...before].length + 1;
  throw new InputError(`${file}:${line}:${column}: ${nul < 65536 ? 'binary file (a NUL byte)' : 'a NUL byte'}, expected SQL text`, { file, hint: 'pass a plain-text SQL file (pg_dump --schema-only output or db/structure.sql)' });
}

/** 1-based line of a byte offset of a file, and the offset at which that line starts. */
function lineOf(path: string, offset: number): { line: number; lineStart: number } {
  let line = 1;
  let lineStart = 0;
  for (let from = 0; from < offset; from += 4 << 20) {
    const buf = readRange(path, from, Math.min(offset, from + (4 << 20)));
    for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = from + i + 1;
    }
  }
  return { line, lineStart };
}

function readRange(path: string, start: number, end: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, end - start));
    const n = readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k] & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const second = b[i + 1];
    if ((c === 0xe0 && second < 0xa0) || (c === 0xed && second > 0x9f)) return 0; // overlong, surrogate
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const second = b[i + 1];
    if ((c === 0xf0 && second < 0x90) || (c === 0xf4 && second > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * The bytes as text, each byte that is not part of valid UTF-8 replaced by
 * `?`, so that the text's UTF-8 encoding has the file's length and offsets.
 */
export function utf8Text(buf: Buffer): string {
  const text = buf.toString('utf8');
  if (Buffer.byteLength(text, 'utf8') === buf.length && !text.includes('\ufffd')) return text;
  const out = Buffer.from(buf);
  for (let i = 0; i < out.length; ) {
    const n = sequenceLength(out, i);
    if (n === 0) out[i++] = 0x3f;
    else i += n;
  }
  return out.toString('utf8');
}
