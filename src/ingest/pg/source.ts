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

/**
 * Bytes of the file that the text leaves out (the data lines of a COPY
 * block): the file's `[fileStart, fileStart + fileLength)` stands in the text
 * as `[at, at + length)`, one newline per line left out, so that lines count
 * as in the file.
 */
export interface Gap {
  readonly at: number;
  readonly length: number;
  readonly fileStart: number;
  readonly fileLength: number;
}

export class SourceText {
  readonly file: string;
  /** The file's text; without the bytes of `gaps` when there are any. */
  readonly text: string;
  readonly bytes: Buffer;
  /** Byte ranges of the file that are not in `text`, in order: offsets given to and returned by the methods are the file's. */
  readonly gaps: readonly Gap[];
  /** Byte offset at which each line starts. */
  private readonly lineStarts: number[];
  /** The last position located: the next one on the same line counts on from it (a one-line file of many statements stays linear). */
  private last = { line: 0, byte: 0, column: 0 };

  constructor(file: string, text: string, gaps: readonly Gap[] = []) {
    this.file = file;
    this.text = text;
    this.gaps = gaps;
    this.bytes = Buffer.from(text, 'utf8');
    const starts = [0];
    const b = this.bytes;
    for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** The file's length in bytes. */
  get byteLength(): number {
    return this.toFile(this.bytes.length);
  }

  /** File offset of an offset into `bytes` (one inside a gap's newlines: the gap's start). */
  toFile(offset: number): number {
    const g = this.gapBefore(offset, (x) => x.at);
    if (!g) return offset;
    if (offset < g.at + g.length) return g.fileStart;
    return offset - g.at - g.length + g.fileStart + g.fileLength;
  }

  /** Offset into `bytes` of a file offset (one inside a gap: the start of the gap's newlines). */
  toText(fileOffset: number): number {
    const g = this.gapBefore(fileOffset, (x) => x.fileStart);
    if (!g) return fileOffset;
    if (fileOffset < g.fileStart + g.fileLength) return g.at;
    return fileOffset - g.fileStart - g.fileLength + g.at + g.length;
  }

  /** The last gap whose start (`start(gap)`) is at or before `offset`. */
  private gapBefore(offset: number, start: (g: Gap) => number): Gap | undefined {
    const gaps = this.gaps;
    let lo = 0;
    let hi = gaps.length - 1;
    let found: Gap | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (start(gaps[mid]) <= offset) {
        found = gaps[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Line (1-based) containing a byte offset. */
  lineOfByte(fileOffset: number): number {
    return this.lineOfText(this.toText(fileOffset));
  }

  private lineOfText(offset: number): number {
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
    return this.toFile(this.lineStarts[Math.min(Math.max(line - 1, 0), this.lineStarts.length - 1)]);
  }

  /** 1-based line:column of a UTF-8 byte offset. */
  locate(byteOffset: number): Location {
    const offset = Math.min(Math.max(this.toText(byteOffset), 0), this.bytes.length);
    const line = this.lineOfText(offset);
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
    return this.toFile(Buffer.byteLength(this.text.slice(0, charOffset), 'utf8'));
  }

  /** The text between two byte offsets. */
  slice(startByte: number, endByte: number): string {
    return this.bytes.toString('utf8', this.toText(startByte), this.toText(endByte));
  }

  /** The file's bytes in a range, when the text holds them (not in a gap). */
  held(startByte: number, endByte: number): Buffer | undefined {
    const a = this.toText(startByte);
    const b = this.toText(endByte);
    return this.toFile(a) === startByte && this.toFile(b) === endByte && b - a === endByte - startByte ? this.bytes.subarray(a, b) : undefined;
  }

  /** The whole text of a 1-based line, without its newline (nor a byte order mark). */
  lineText(line: number): string {
    const start = this.lineStarts[Math.min(Math.max(line - 1, 0), this.lineStarts.length - 1)] + (line === 1 && this.bytes[0] === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf ? 3 : 0);
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
