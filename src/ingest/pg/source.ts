/**
 * A SQL text with exact mapping from the parser's UTF-8 byte offsets (and
 * error character offsets) to 1-based line:column positions.
 */
export interface Location {
  /** Relative POSIX path of the input, as the user named it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in characters (code points) as editors do. */
  readonly column: number;
}

export class SourceText {
  readonly file: string;
  readonly text: string;
  readonly bytes: Buffer;
  /** Byte offset at which each line starts. */
  private readonly lineStarts: number[];
  /** The last position located: the next one on the same line counts on from it (a one-line file of many statements stays linear). */
  private last = { line: 0, byte: 0, column: 0 };

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.bytes = Buffer.from(text, 'utf8');
    const starts = [0];
    const b = this.bytes;
    for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  /** Line (1-based) containing a byte offset. */
  lineOfByte(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Byte offset at which a 1-based line starts. */
  lineStartByte(line: number): number {
    return this.lineStarts[Math.min(Math.max(line - 1, 0), this.lineStarts.length - 1)];
  }

  /** 1-based line:column of a UTF-8 byte offset. */
  locate(byteOffset: number): Location {
    const offset = Math.min(Math.max(byteOffset, 0), this.bytes.length);
    const line = this.lineOfByte(offset);
    const start = this.lineStarts[line - 1];
    const last = this.last;
    // a byte order mark at the start is no column
    const bom = line === 1 && offset >= 3 && this.bytes[0] === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf ? 1 : 0;
    const column =
      last.line === line && last.byte <= offset ? last.column + countCodePoints(this.bytes, last.byte, offset) : countCodePoints(this.bytes, start, offset) + 1 - bom;
    this.last = { line, byte: offset, column };
    return { file: this.file, line, column };
  }

  /** Byte offset of a 0-based character (UTF-16 code unit) offset. */
  byteOfChar(charOffset: number): number {
    return Buffer.byteLength(this.text.slice(0, charOffset), 'utf8');
  }

  /** The text between two byte offsets. */
  slice(startByte: number, endByte: number): string {
    return this.bytes.toString('utf8', startByte, endByte);
  }

  /** The whole text of a 1-based line, without its newline (nor a byte order mark). */
  lineText(line: number): string {
    const start = this.lineStartByte(line) + (line === 1 && this.bytes[0] === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf ? 3 : 0);
    const next = line < this.lineStarts.length ? this.lineStarts[line] - 1 : this.bytes.length;
    return this.bytes.toString('utf8', start, Math.max(start, next)).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/** Number of code points encoded in bytes[start, end). */
function countCodePoints(bytes: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    // continuation bytes are 10xxxxxx
    if ((bytes[i] & 0xc0) !== 0x80) n++;
  }
  return n;
}
