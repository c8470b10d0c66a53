/**
 * A large SQL file read without its COPY data: the file is streamed, and the
 * data lines of each `COPY ... FROM stdin;` block are left out of the text
 * (one newline per line stays, so lines count as in the file); the blocks are
 * recorded as gaps, whose data the statistics read back from the file by byte
 * range. A dump of any amount of data is then held as its SQL alone.
 *
 * The blocks are found line by line, as pg_dump writes them (the COPY
 * statement alone on its line); the pre-pass then reads the text and must
 * find exactly those blocks, else the guess was wrong (such a line inside a
 * string or a function body) and the caller reads the file whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { prepass } from './pg/prepass.js';
import type { Gap } from './pg/source.js';

const NL = 0x0a;
const CHUNK = 4 << 20;
/** The start of a line kept for the COPY test: a COPY statement line of pg_dump is shorter. */
const HEAD = 64 << 10;
const COPY_LINE = /^COPY\s[\s\S]*\sFROM\s+stdin\s*;\s*$/i;

export interface CompactText {
  readonly bytes: Buffer;
  readonly gaps: Gap[];
}

/** The text (COPY data aside) passed `maxBytes`: reading stopped at `fileOffset`. */
export interface Overflow {
  readonly overflow: true;
  readonly fileOffset: number;
}

/** A check of the raw bytes, chunk by chunk (`fileOffset`: where the chunk starts in the file); it throws to stop the read. */
export type ByteCheck = (chunk: Buffer, fileOffset: number) => void;

/**
 * The file without the data lines of its COPY blocks; `check` sees every
 * chunk of the file first (and may throw). Reading stops once the text
 * passes `maxBytes` (SQL that no run can hold). Undefined when the pre-pass does
 * not find the same blocks in the text.
 */
export function readWithoutCopyData(path: string, check: ByteCheck, maxBytes: number): CompactText | Overflow | undefined {
  const fd = openSync(path, 'r');
  const parts: Buffer[] = [];
  let textLength = 0;
  const emit = (b: Buffer): void => {
    parts.push(b);
    textLength += b.length;
  };
  const gaps: Gap[] = [];
  let gap: { at: number; length: number; fileStart: number } | undefined;
  // the current line: its length so far, and its first bytes (HEAD outside data, 3 inside: enough for `\.`)
  let head: Buffer[] = [];
  let headLength = 0;
  let lineLength = 0;
  let fileOffset = 0;
  const closeGap = (fileEnd: number): void => {
    if (!gap) return;
    emit(Buffer.alloc(gap.length, NL));
    gaps.push({ ...gap, fileLength: fileEnd - gap.fileStart });
    gap = undefined;
  };
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, fileOffset);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      check(chunk, fileOffset);
      let from = 0;
      while (from < n) {
        const nl = chunk.indexOf(NL, from);
        const end = nl < 0 ? n : nl + 1;
        const keep = (gap ? 3 : HEAD) - headLength;
        if (keep > 0) {
          const piece = chunk.subarray(from, Math.min(end, from + keep));
          head.push(Buffer.from(piece));
          headLength += piece.length;
        }
        lineLength += end - from;
        if (!gap) emit(Buffer.from(chunk.subarray(from, end)));
        if (nl >= 0) {
          const lineStart = fileOffset + end - lineLength;
          if (gap) {
            const h = lineLength <= 4 ? Buffer.concat(head).toString('latin1') : '';
            if ((lineLength === 3 && h === '\\.\n') || (lineLength === 4 && h === '\\.\r')) {
              closeGap(lineStart);
              emit(Buffer.from(lineLength === 3 ? '\\.\n' : '\\.\r\n', 'latin1'));
            } else gap.length++;
          } else if (lineLength <= HEAD && COPY_LINE.test(Buffer.concat(head).toString('latin1'))) {
            gap = { at: textLength, length: 0, fileStart: fileOffset + end };
          }
          head = [];
          headLength = 0;
          lineLength = 0;
        }
        from = end;
      }
      fileOffset += n;
      if (textLength > maxBytes) return { overflow: true, fileOffset };
    }
    // data to the end of the file: its last line has no newline
    if (gap && lineLength > 0) gap.length++;
    closeGap(fileOffset);
  } finally {
    closeSync(fd);
  }
  const bytes = Buffer.concat(parts);
  return sameBlocks(bytes, gaps) ? { bytes, gaps } : undefined;
}

/** Does the pre-pass find a COPY block at each gap, spanning exactly its newlines? */
function sameBlocks(bytes: Buffer, gaps: readonly Gap[]): boolean {
  const blocks = prepass(bytes).copyBlocks;
  const at = new Map(blocks.map((b) => [b.dataStartByte, b.dataEndByte]));
  return gaps.every((g) => at.get(g.at) === g.at + g.length);
}
