/**
 * Streaming CSV records with the line each starts on, via csv-parse. A record
 * csv-parse cannot read (an unclosed quote at the end of a truncated file, a
 * stray quote) becomes one diagnostic; the records around it are kept.
 */
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import type { WorkloadBuilder } from './builder.js';

export async function forEachCsvRecord(
  builder: WorkloadBuilder,
  file: string,
  absolute: string,
  fn: (record: string[], line: number) => void,
): Promise<void> {
  let lastEnd = 0;
  const parser = createReadStream(absolute).pipe(
    parse({
      info: true,
      bom: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        const line = lastEnd + 1;
        const reason = err?.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is not closed (is the file truncated?)' : (err?.message ?? 'unreadable record');
        builder.report({
          code: 'input-error',
          severity: 'error',
          message: `CSV record not readable: ${reason}`,
          location: { file, line, column: 1 },
        });
        const errLines = (err as unknown as { lines?: unknown } | undefined)?.lines;
        if (typeof errLines === 'number') lastEnd = errLines;
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = lastEnd + 1;
    lastEnd = item.info.lines;
    fn(item.record, line);
  }
}
