/** Streaming line access to input files: never the whole file in memory. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Call `fn(text, lineNumber)` for each line (1-based, without its line break
 * or a trailing CR); a leading BOM is dropped. Reads 1 MB at a time (faster
 * than node:readline, which this replaces for that reason).
 */
export async function forEachLine(absolute: string, fn: (text: string, line: number) => void): Promise<void> {
  const stream = createReadStream(absolute, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let n = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest ? rest + chunk : chunk;
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl === -1) break;
      n++;
      let line = text.slice(at, nl);
      if (line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
      if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      fn(line, n);
      at = nl + 1;
    }
    rest = text.slice(at);
  }
  if (rest) {
    n++;
    let line = rest.charCodeAt(rest.length - 1) === 0x0d ? rest.slice(0, -1) : rest;
    if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    fn(line, n);
  }
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
