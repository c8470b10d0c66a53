/**
 * Streaming JSON values of a file that is either one JSON array of values
 * (read element by element, never whole) or JSON lines (one value per line).
 */
import { createReadStream } from 'node:fs';
import type { WorkloadBuilder } from './builder.js';
import { forEachLine } from './lines.js';

export async function forEachJsonValue(
  builder: WorkloadBuilder,
  file: string,
  absolute: string,
  isArray: boolean,
  fn: (value: unknown, line: number) => void,
): Promise<void> {
  if (!isArray) {
    await forEachLine(absolute, (text, line) => {
      if (!text.trim()) return;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        builder.report({ code: 'input-error', severity: 'warning', message: `line is not JSON: ${(e as Error).message}`, location: { file, line, column: 1 } });
        return;
      }
      fn(v, line);
    });
    return;
  }
  // Array: split top-level elements by tracking nesting and strings.
  let line = 1;
  let depth = 0; // 1 = inside the array, >1 = inside an element
  let inString = false;
  let escaped = false;
  let started = false; // seen the opening '['
  let closed = false;
  let element: string[] = [];
  let elementLine = 0;
  let hasContent = false;
  let segStart = -1;
  const finishElement = (): void => {
    const text = element.join('').trim();
    element = [];
    hasContent = false;
    if (!text) return;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      builder.report({ code: 'input-error', severity: 'warning', message: `array element is not JSON: ${(e as Error).message}`, location: { file, line: elementLine, column: 1 } });
      return;
    }
    fn(v, elementLine);
  };
  const stream = createReadStream(absolute, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    segStart = started && !closed ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a) line++;
      if (closed) continue;
      if (!started) {
        if (c === 0x5b) {
          started = true;
          depth = 1;
          segStart = i + 1;
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (depth === 1 && !hasContent && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x2c && c !== 0x5d) {
        hasContent = true;
        elementLine = line;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) {
          element.push(chunk.slice(segStart, i));
          finishElement();
          closed = true;
          segStart = -1;
        }
      } else if (c === 0x2c && depth === 1) {
        element.push(chunk.slice(segStart, i));
        finishElement();
        segStart = i + 1;
      }
    }
    if (segStart >= 0 && !closed) element.push(chunk.slice(segStart));
  }
  if (started && !closed) {
    builder.report({
      code: 'input-error',
      severity: 'error',
      message: 'JSON array is not closed (is the file truncated?); its last element is left out',
      location: { file, line: elementLine || line, column: 1 },
    });
  }
}
