/** Streaming line access to input files: never the whole file in memory. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Call `fn(text, lineNumber)` for each line (1-based, without its line break); a leading BOM is dropped. */
export function forEachLine(absolute: string, fn: (text: string, line: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(absolute, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    let failed = false;
    stream.on('error', (e) => {
      failed = true;
      reject(e);
    });
    rl.on('line', (text) => {
      if (failed) return;
      n++;
      if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      try {
        fn(text, n);
      } catch (e) {
        failed = true;
        rl.close();
        stream.destroy();
        reject(e);
      }
    });
    rl.on('close', () => {
      if (!failed) resolve();
    });
  });
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
