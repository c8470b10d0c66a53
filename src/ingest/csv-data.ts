/**
 * Table data as CSV, one file per table, with a header row naming the
 * columns. Streamed: a file of any size is read with bounded memory. As in
 * PostgreSQL's CSV format, an unquoted empty field is NULL and a quoted empty
 * field (`""`) is the empty string.
 */
import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { InputError } from './files.js';
import type { Row } from './copy.js';

export interface CsvOptions {
  /** Field delimiter; `,` by default. */
  readonly delimiter?: string;
  /** The unquoted text that stands for NULL; the empty string by default (PostgreSQL's CSV default). */
  readonly nullString?: string;
}

export interface CsvTable {
  /** Column names from the header row. */
  readonly columns: string[];
  /** The data rows, after the header, in file order. */
  readonly rows: AsyncIterable<Row>;
}

/**
 * Open a CSV file: read its header, then stream its rows. A row of another
 * width than the header is skipped (the statistics reader reports each at its
 * place); a file that is not CSV is an InputError at the record it broke in.
 */
export async function openCsvTable(path: string, options: CsvOptions & { readonly file?: string } = {}): Promise<CsvTable> {
  const nullString = options.nullString ?? '';
  const file = options.file ?? path;
  let line = 0;
  const parser = createReadStream(path).pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      bom: true,
      relax_column_count: true,
      on_record: (record, context) => {
        line = context.lines;
        return record;
      },
      cast: (value, context) => (context.header || context.quoting || value !== nullString ? value : null) as never,
    }),
  );
  const located = (e: unknown): unknown =>
    e instanceof CsvError
      ? new InputError(`${file}:${line + 1}:1: malformed CSV: ${e.message.replace(/ at line \d+/g, '').split('\n')[0]}`, { file, hint: 'a quote inside a field is written twice (""); export with psql \\copy ... WITH CSV HEADER' })
      : e;
  const iterator = (parser as AsyncIterable<Row>)[Symbol.asyncIterator]();
  let first: IteratorResult<Row>;
  try {
    first = await iterator.next();
  } catch (e) {
    throw located(e);
  }
  if (first.done) return { columns: [], rows: (async function* () {})() };
  const columns = first.value.map((c) => c ?? '');
  async function* rows(): AsyncIterable<Row> {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (next.value.length === columns.length) yield next.value;
      }
    } catch (e) {
      throw located(e);
    }
  }
  return { columns, rows: rows() };
}
