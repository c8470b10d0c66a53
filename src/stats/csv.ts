/**
 * Streaming CSV records as PostgreSQL's `COPY ... WITH CSV` reads them: an
 * unquoted empty field is NULL, a quoted empty field (`""`) is an empty
 * string. Each record knows the line it starts on and where each of its
 * fields starts (line and column), for messages.
 */
import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../ingest/files.js';
import { fsError } from '../ingest/write.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface CsvRecord {
  readonly cells: Array<string | null>;
  /** 1-based line where the record starts. */
  readonly line: number;
  /** Where field `i` starts (1-based line and column); past the last field: where the record ends. */
  at(i: number): Position;
}

export interface CsvOptions {
  /** Shown in messages. */
  readonly file: string;
  readonly delimiter?: string;
}

/** Where each field of a record's raw text starts, as CSV quoting reads it: offset, line, column, and whether it opens with a quote. */
interface FieldStart extends Position {
  readonly offset: number;
}

function scanFields(raw: string, line: number, delimiter: string): FieldStart[] {
  const out: FieldStart[] = [{ offset: 0, line, column: 1 }];
  let l = line;
  let col = 1;
  let quoted = false;
  let i = 0;
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n') {
      if (!quoted) break;
      l++;
      col = 0;
    } else if (c === delimiter && !quoted) out.push({ offset: i + 1, line: l, column: col + 1 });
    if (c.charCodeAt(0) < 0xdc00 || c.charCodeAt(0) > 0xdfff) col++;
  }
  out.push({ offset: i, line: l, column: col });
  return out;
}

/** Field start positions of a record's raw text, as CSV quoting reads it. */
export function fieldStarts(raw: string, line: number, delimiter = ','): Position[] {
  return scanFields(raw, line, delimiter).map(({ line: l, column }) => ({ line: l, column }));
}

/** The text of a 1-based line of a file, read as a stream (undefined past the end or for a line over 1 MB). */
async function lineOf(absolute: string, line: number): Promise<string | undefined> {
  let n = 1;
  let cur = '';
  for await (const chunk of createReadStream(absolute, { encoding: 'utf8', highWaterMark: 1 << 16 }) as AsyncIterable<string>) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      if (n === line) cur += chunk.slice(from, nl < 0 ? undefined : nl);
      if (cur.length > 1 << 20) return undefined;
      if (nl < 0) break;
      if (n === line) return cur;
      n++;
      from = nl + 1;
    }
  }
  return n === line ? cur : undefined;
}

export async function* readCsvRecords(absolute: string, options: CsvOptions): AsyncIterable<CsvRecord> {
  const { file } = options;
  const delimiter = options.delimiter ?? ',';
  // end line of the last record parsed (tracked inside the parser: records may still be buffered when it fails)
  let lastLine = 0;
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (record, context) => {
      lastLine = context.lines;
      return record;
    },
    // No cast function: with one, csv-parse copies the whole raw record for
    // every field (quadratic on a row of many fields); which empty fields
    // were quoted is read from the record's raw text below instead.
  });
  const input = createReadStream(absolute);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const body = rec.raw.replace(/\r?\n$/, '');
      const line = rec.info.lines - (body.match(/\n/g)?.length ?? 0);
      const starts = scanFields(body, line, delimiter);
      // an unquoted empty field is NULL, a quoted one the empty string (where the
      // scan cannot tell the fields apart, every empty field is NULL)
      const aligned = starts.length === rec.record.length + 1;
      const cells = rec.record.map((v, i) => (v === '' && !(aligned && body[starts[i].offset] === '"') ? null : v));
      yield {
        cells,
        line,
        at: (i) => {
          // a record whose fields cannot be told apart (quotes run past the line) is placed at its start
          const at = starts[Math.max(0, Math.min(i, starts.length - 1))] ?? { line, column: 1 };
          return { line: at.line, column: at.column };
        },
      };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      // where the bad record starts (an open quote makes the parser stop at the end of the file), at the field it failed in
      const line = lastLine + 1;
      const text = await lineOf(absolute, line).catch(() => undefined);
      const field = typeof (err as { column?: unknown }).column === 'number' ? ((err as { column?: number }).column ?? 0) : 0;
      const at = text !== undefined ? fieldStarts(text, line, delimiter)[field] ?? { line, column: 1 } : { line, column: 1 };
      throw new InputError(`${file}:${at.line}:${at.column}: malformed CSV: ${err.message.replace(/ at line \d+/g, '').split('\n')[0]}`, {
        file,
        hint: 'export with psql \\copy ... WITH CSV HEADER (see docs/stats.md); a quote inside a field is written twice ("")',
      });
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`, { file, hint: 'check the path' });
    if (code === 'EISDIR') throw new InputError(`${file}: is a directory, expected a CSV file`, { file, hint: 'name a CSV file' });
    if (code) throw fsError(err, file, 'read it');
    throw err;
  } finally {
    input.destroy();
  }
}
