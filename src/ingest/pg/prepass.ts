/**
 * A lexical pre-pass over a SQL script as psql would read it. It finds what no
 * SQL parser accepts (psql meta-commands such as `\connect`, `\restrict KEY`,
 * `\.`, and the data lines of `COPY ... FROM stdin`) and blanks it with spaces,
 * byte for byte, so that every byte offset and line of the SQL that remains is
 * the offset and line in the user's file.
 *
 * It works on bytes: every character that matters to SQL lexing is ASCII, and
 * the bytes of a multi-byte UTF-8 character are all >= 0x80.
 */

export interface MetaCommand {
  /** The command word, without the backslash: `connect`, `restrict`, `.`. */
  readonly command: string;
  /** The whole line, trimmed. */
  readonly text: string;
  readonly startByte: number;
  readonly endByte: number;
}

export interface CopyDataBlock {
  /** Byte range of the COPY statement that introduces the block. */
  readonly statementStartByte: number;
  readonly statementEndByte: number;
  /** Byte range of the data lines (excluding the terminating `\.` line). */
  readonly dataStartByte: number;
  readonly dataEndByte: number;
  /** True when the block reached end of file without a `\.` line. */
  readonly unterminated: boolean;
}

export interface PrepassResult {
  /** The input with meta-commands and COPY data replaced by spaces (newlines kept). */
  readonly sql: Buffer;
  readonly metaCommands: MetaCommand[];
  readonly copyBlocks: CopyDataBlock[];
  /**
   * Byte offsets of the `;` that end statements: outside quotes, comments,
   * COPY data and `BEGIN ATOMIC ... END` function bodies (as the parser's
   * scanner would split, without running it).
   */
  readonly semicolons: number[];
  /**
   * Tokens of each statement (the text before each of `semicolons`, then the
   * text after the last one): a parser's memory grows with them, not with bytes.
   */
  readonly tokens: number[];
  /** Byte ranges of the comments (`--` to the end of its line, without a CR; `/* *\/`, nested), outside quotes and COPY data. */
  readonly comments: Array<{ readonly start: number; readonly end: number }>;
}

const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const DOLLAR = 0x24;
const SEMI = 0x3b;

function isIdentByte(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80
  );
}

function isSpace(c: number): boolean {
  return c === SPACE || c === NL || c === CR || c === 0x09 || c === 0x0c || c === 0x0b;
}

/** Does the statement text (comments stripped) read as `COPY ... FROM STDIN`? */
const COPY_FROM_STDIN = /^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i;

/** psql meta-commands that send the query buffer, as a `;` would. */
const SENDS_QUERY = new Set(['g', 'gx', 'gset', 'gexec', 'gdesc', 'crosstabview', 'watch']);

function blank(buf: Buffer, start: number, end: number): void {
  for (let i = start; i < end; i++) if (buf[i] !== NL && buf[i] !== CR) buf[i] = SPACE;
}

function lineEnd(buf: Buffer, from: number): number {
  let i = from;
  while (i < buf.length && buf[i] !== NL) i++;
  return i;
}

/**
 * The rows of a COPY from stdin: from the line after `from` (where the
 * statement or meta-command ends) to the line that is exactly `\.`.
 */
function copyData(buf: Buffer, from: number): { start: number; end: number; next: number; unterminated: boolean } {
  const n = buf.length;
  let p = lineEnd(buf, from);
  p = p < n ? p + 1 : n;
  const start = p;
  while (p < n) {
    const e = lineEnd(buf, p);
    let le = e;
    if (le > p && buf[le - 1] === CR) le--;
    if (le - p === 2 && buf[p] === BACKSLASH && buf[p + 1] === 0x2e) return { start, end: p, next: e, unterminated: false };
    p = e + 1;
  }
  return { start, end: n, next: n, unterminated: true };
}

/** psql's `\copy` meta-command is one line; its rows follow it in the script (`from stdin`, not `pstdin`). */
const PSQL_COPY_FROM_STDIN = /\bfrom\s+stdin\b/i;

function skipCopyData(buf: Buffer, metaEnd: number): number {
  const data = copyData(buf, metaEnd);
  blank(buf, data.start, data.next);
  return data.next;
}

export function prepass(input: Buffer): PrepassResult {
  const buf = Buffer.from(input); // a copy: never touch the caller's bytes
  // a byte order mark is no SQL: blanked, so that offsets stay the file's
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) blank(buf, 0, 3);
  const metaCommands: MetaCommand[] = [];
  const copyBlocks: CopyDataBlock[] = [];
  const semicolons: number[] = [];
  const tokens: number[] = [];
  const comments: Array<{ start: number; end: number }> = [];
  const n = buf.length;
  let i = 0;
  let stmtStart = -1; // first significant byte of the current statement
  let stmtText: number[] = []; // significant byte ranges, for the COPY check
  // BEGIN ATOMIC bodies hold `;`: depth of ATOMIC and CASE openings not yet closed by END
  let atomicDepth = 0;
  let prevWord = '';
  let stmtTokens = 0;

  const endStatement = (at: number): void => {
    semicolons.push(at);
    tokens.push(stmtTokens);
  };
  const resetStatement = (): void => {
    stmtTokens = 0;
    stmtStart = -1;
    stmtText = [];
    atomicDepth = 0;
    prevWord = '';
  };

  while (i < n) {
    const c = buf[i];

    // psql meta-command: a backslash outside any quote or comment (SQL has none there). It
    // runs to the end of the line; inside a statement, `\g` and its kin send the statement so far.
    if (c === BACKSLASH) {
      const end = lineEnd(buf, i);
      const text = buf.toString('utf8', i, end).trim();
      const m = /^\\([A-Za-z.!?]+|.)/.exec(text);
      metaCommands.push({ command: m ? m[1] : '', text, startByte: i, endByte: end });
      blank(buf, i, end);
      if (m && stmtStart !== -1 && SENDS_QUERY.has(m[1])) {
        endStatement(i);
        resetStatement();
      }
      // `\copy ... from stdin` reads the script's next lines as its rows, up to `\.`
      i = m && /^copy$/i.test(m[1]) && PSQL_COPY_FROM_STDIN.test(text) ? skipCopyData(buf, end) : end;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }

    // -- line comment
    if (c === DASH && buf[i + 1] === DASH) {
      const end = lineEnd(buf, i);
      comments.push({ start: i, end: buf[end - 1] === CR ? end - 1 : end });
      i = end;
      continue;
    }
    // /* block comment */, nested as in PostgreSQL
    if (c === SLASH && buf[i + 1] === STAR) {
      const start = i;
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (buf[i] === SLASH && buf[i + 1] === STAR) {
          depth++;
          i += 2;
        } else if (buf[i] === STAR && buf[i + 1] === SLASH) {
          depth--;
          i += 2;
        } else i++;
      }
      comments.push({ start, end: i });
      continue;
    }

    if (stmtStart === -1) stmtStart = i;
    const tokenStart = i;
    if (c !== SEMI || atomicDepth > 0) stmtTokens++;
    const lastWord = prevWord;
    prevWord = '';

    if (c === QUOTE) {
      // 'string' ('' escapes); E'...' handled by the identifier branch below
      i = skipQuoted(buf, i, QUOTE, isEscapeString(buf, i));
    } else if (c === DQUOTE) {
      i = skipQuoted(buf, i, DQUOTE, false);
    } else if (c === DOLLAR && !(i > 0 && isIdentByte(buf[i - 1]))) {
      const tagEnd = dollarTagEnd(buf, i);
      if (tagEnd > 0) {
        const tag = buf.subarray(i, tagEnd);
        const close = buf.indexOf(tag, tagEnd);
        i = close === -1 ? n : close + tag.length;
      } else i++;
    } else if (c === SEMI && atomicDepth > 0) {
      i++;
    } else if (c === SEMI) {
      endStatement(i);
      i++;
      const text = stmtText.length ? Buffer.from(stmtText).toString('latin1') : '';
      if (COPY_FROM_STDIN.test(text)) {
        // the data starts on the next line and ends at a line that is exactly "\."
        const data = copyData(buf, i);
        copyBlocks.push({ statementStartByte: stmtStart, statementEndByte: i, dataStartByte: data.start, dataEndByte: data.end, unterminated: data.unterminated });
        blank(buf, data.start, data.next);
        i = data.next;
      }
      resetStatement();
      continue;
    } else if (isIdentByte(c)) {
      while (i < n && isIdentByte(buf[i])) i++;
      // E'...' / B'...' / X'...' / U&'...': a prefix immediately followed by a quote
      if (buf[i] === QUOTE) i = skipQuoted(buf, i, QUOTE, i - tokenStart === 1 && (c | 0x20) === 0x65);
      else if (i - tokenStart <= 6) {
        const word = buf.toString('latin1', tokenStart, i).toUpperCase();
        if (lastWord === 'BEGIN' && word === 'ATOMIC') atomicDepth++;
        else if (atomicDepth > 0 && word === 'CASE') atomicDepth++;
        else if (atomicDepth > 0 && word === 'END') atomicDepth--;
        prevWord = word;
      }
    } else {
      i++;
    }
    // Keep a compact copy of the statement's significant text for the COPY test,
    // bounded so that a huge statement costs nothing.
    if (stmtText.length < 4096) {
      for (let k = tokenStart; k < i && stmtText.length < 4096; k++) stmtText.push(buf[k]);
      stmtText.push(SPACE);
    }
  }
  tokens.push(stmtTokens);
  return { sql: buf, metaCommands, copyBlocks, semicolons, tokens, comments };
}

function isEscapeString(buf: Buffer, quotePos: number): boolean {
  return quotePos > 0 && (buf[quotePos - 1] | 0x20) === 0x65 && !(quotePos > 1 && isIdentByte(buf[quotePos - 2]));
}

/** Skip a quoted token starting at `start`; returns the offset after it. */
function skipQuoted(buf: Buffer, start: number, q: number, backslashEscapes: boolean): number {
  let i = start + 1;
  const n = buf.length;
  while (i < n) {
    const c = buf[i];
    if (backslashEscapes && c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === q) {
      if (buf[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}

/** If a dollar-quote tag ($$ or $tag$) starts at i, the offset after it; else -1. */
function dollarTagEnd(buf: Buffer, i: number): number {
  let j = i + 1;
  if (buf[j] === DOLLAR) return j + 1;
  const first = buf[j];
  if (!(first >= 0x41 && first <= 0x5a) && !(first >= 0x61 && first <= 0x7a) && first !== 0x5f && first < 0x80) return -1;
  while (j < buf.length && isIdentByte(buf[j])) j++;
  return buf[j] === DOLLAR ? j + 1 : -1;
}
