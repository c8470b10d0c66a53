/**
 * Table data as CSV, one file per table, with a header row naming the
 * columns. Streamed: a file of any size is read with bounded memory. As in
 * PostgreSQL's CSV format, an unquoted empty field is NULL and a quoted empty
 * field (`""`) is the empty string.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
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

/** Open a CSV file: read its header, then stream its rows. */
export async function openCsvTable(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  const nullString = options.nullString ?? '';
  const parser = createReadStream(path).pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      bom: true,
      relax_column_count: false,
      cast: (value, context) => (context.header || context.quoting || value !== nullString ? value : null) as never,
    }),
  );
  const iterator = (parser as AsyncIterable<Row>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return { columns: [], rows: (async function* () {})() };
  const columns = first.value.map((c) => c ?? '');
  const rows: AsyncIterable<Row> = {
    [Symbol.asyncIterator]: () => iterator,
  };
  return { columns, rows };
}
