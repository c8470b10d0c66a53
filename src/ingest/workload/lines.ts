/** Streaming line access to input files: never the whole file in memory. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Text kept of one line: past it the rest of the line is read and dropped
 * (the line is still far over what a statement may be, and is reported as
 * such), so a file of one giant line neither exhausts memory nor hits the
 * limit of a string's length.
 */
export const MAX_LINE_CHARS = 64 * 2 ** 20;

/**
 * Call `fn(text, lineNumber)` for each line (1-based, without its line break
 * or a trailing CR); a leading BOM is dropped. Reads 1 MB at a time (faster
 * than node:readline, which this replaces for that reason); a line's pieces
 * are kept apart until its end, so a long line costs its length, not its
 * square.
 */
export async function forEachLine(absolute: string, fn: (text: string, line: number) => void): Promise<void> {
  const stream = createReadStream(absolute, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let pending: string[] = [];
  let pendingLength = 0;
  let n = 0;
  const emit = (last: string) => {
    n++;
    let line = pending.length ? pending.join('') + last : last;
    pending = [];
    pendingLength = 0;
    if (line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
    if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    fn(line, n);
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', at);
      if (nl === -1) break;
      emit(chunk.slice(at, nl));
      at = nl + 1;
    }
    if (at < chunk.length && pendingLength < MAX_LINE_CHARS) {
      const piece = chunk.slice(at, at + MAX_LINE_CHARS - pendingLength);
      pending.push(piece);
      pendingLength += piece.length;
    }
  }
  if (pending.length) emit('');
}

/** The first `bytes` bytes of a file (for format detection). */
export async function readHead(absolute: string, bytes = 65536): Promise<Buffer> {
  const fh = await open(absolute, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
