/**
 * Streaming CSV records as PostgreSQL's `COPY ... WITH CSV` reads them: an
 * unquoted empty field is NULL, a quoted empty field (`""`) is an empty
 * string. Each record carries the line it ends on, for error messages.
 */
import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../ingest/files.js';

export interface CsvRecord {
  readonly cells: Array<string | null>;
  /** 1-based line where the record ends. */
  readonly line: number;
}

export interface CsvOptions {
  /** Shown in messages. */
  readonly file: string;
  readonly delimiter?: string;
}

export async function* readCsvRecords(absolute: string, options: CsvOptions): AsyncIterable<CsvRecord> {
  const { file } = options;
  // end line of the last record parsed (tracked inside the parser: records may still be buffered when it fails)
  let lastLine = 0;
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (record, context) => {
      lastLine = context.lines;
      return record;
    },
    cast: (value, context) => (value === '' && !context.quoting ? (null as unknown as string) : value),
  });
  const input = createReadStream(absolute);
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    for await (const rec of parser as AsyncIterable<{ record: Array<string | null>; info: { lines: number } }>) {
      yield { cells: rec.record, line: rec.info.lines };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      // name the line where the bad record starts (an open quote makes the parser stop at the end of the file)
      throw new InputError(`${file}:${lastLine + 1}: malformed CSV: ${err.message}`, {
        file,
        hint: 'export with psql \\copy ... WITH CSV HEADER (see docs/stats.md)',
      });
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`, { file, hint: 'check the path' });
    if (code === 'EISDIR') throw new InputError(`${file}: is a directory, expected a CSV file`, { file });
    throw err;
  } finally {
    input.destroy();
  }
}
