/**
 * Streaming CSV records (RFC 4180, as PostgreSQL's csvlog and psql's
 * `\copy ... CSV` write them) with the line each starts on. A record that
 * cannot be read (a stray quote inside a field, an unclosed quote at the end
 * of a truncated file) becomes one diagnostic at its line; reading goes on at
 * the next line. Linear in the input whatever it holds: each character is
 * looked at once (csv-parse, which this replaces here, did work in the size of
 * the record for every stray quote).
 */
import { createReadStream } from 'node:fs';
import type { WorkloadBuilder } from './builder.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type State = 'start' | 'unquoted' | 'quoted' | 'quote-in-quoted' | 'broken';

export async function forEachCsvRecord(
  builder: WorkloadBuilder,
  file: string,
  absolute: string,
  fn: (record: string[], line: number) => void,
): Promise<void> {
  let state = 'start' as State;
  let record: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let first = true;
  let afterCr = false;

  const broken = (reason: string) => {
    builder.report({ code: 'input-error', severity: 'error', message: `CSV record not readable: ${reason}`, location: { file, line: recordLine, column: 1 } });
    state = 'broken';
  };
  const endRecord = () => {
    if (state !== 'broken') {
      record.push(field);
      fn(record, recordLine);
    }
    record = [];
    field = '';
    state = 'start';
  };
  const newline = () => {
    line++;
    endRecord();
    recordLine = line;
  };

  for await (const chunk of createReadStream(absolute, { encoding: 'utf8', highWaterMark: 1 << 16 }) as AsyncIterable<string>) {
    let text = chunk;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // runs of ordinary characters are copied in one slice
    let run = 0;
    const flush = (i: number) => {
      if ((state === 'unquoted' || state === 'quoted') && i > run) field += text.slice(run, i);
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) {
        // CR LF is one line end; a lone CR or LF is one too
        const secondHalf = c === LF && afterCr;
        afterCr = c === CR;
        // inside quotes a line end is part of the field (kept in the run)
        if (state === 'quoted') {
          if (!secondHalf) line++;
          continue;
        }
        if (!secondHalf) {
          flush(i);
          newline();
        }
        run = i + 1;
        continue;
      }
      afterCr = false;
      switch (state) {
        case 'broken':
          break;
        case 'start':
          if (c === QUOTE) {
            state = 'quoted';
            run = i + 1;
          } else if (c === COMMA) {
            record.push('');
            run = i + 1;
          } else {
            state = 'unquoted';
            run = i;
          }
          break;
        case 'unquoted':
          if (c === COMMA) {
            flush(i);
            record.push(field);
            field = '';
            state = 'start';
            run = i + 1;
          } else if (c === QUOTE) broken(`a quote inside the unquoted field ${record.length + 1}`);
          break;
        case 'quoted':
          if (c === QUOTE) {
            flush(i);
            state = 'quote-in-quoted';
            run = i + 1;
          }
          break;
        case 'quote-in-quoted':
          if (c === QUOTE) {
            field += '"';
            state = 'quoted';
            run = i + 1;
          } else if (c === COMMA) {
            record.push(field);
            field = '';
            state = 'start';
            run = i + 1;
          } else broken(`field ${record.length + 1}: a closing quote is followed by ${JSON.stringify(String.fromCharCode(c))}, not by a comma or the end of the line`);
          break;
      }
    }
    flush(text.length);
    run = 0;
  }
  if (state === 'quoted') broken('a quoted field is not closed (is the file truncated?)');
  else if (state !== 'start' || record.length > 0) endRecord();
}
