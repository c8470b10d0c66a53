/**
 * COPY's CSV format (PostgreSQL's CopyReadAttributesCSV) over data held in
 * memory: fields split on the delimiter, a quoted field may hold the
 * delimiter, line breaks and doubled quotes, and an unquoted empty field is
 * NULL. A `\.` line ends the data.
 */
import type { Row } from './copy.js';

export interface CsvOptions {
  readonly delimiter: string;
  readonly quote: string;
  readonly header: boolean;
}

export function parseCopyCsv(data: string, options: CsvOptions): Row[] {
  const { delimiter, quote } = options;
  const rows: Row[] = [];
  let row: Row = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let atLineStart = true;
  const endField = () => {
    row.push(!quoted && field === '' ? null : field);
    field = '';
    quoted = false;
  };
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (atLineStart && !inQuotes && data.startsWith('\\.', i) && (i + 2 === data.length || data[i + 2] === '\n' || data[i + 2] === '\r')) break;
    atLineStart = false;
    if (inQuotes) {
      if (c === quote && data[i + 1] === quote) {
        field += quote;
        i++;
      } else if (c === quote) inQuotes = false;
      else field += c;
    } else if (c === quote) {
      inQuotes = true;
      quoted = true;
    } else if (c === delimiter) endField();
    else if (c === '\n' || (c === '\r' && data[i + 1] === '\n')) {
      if (c === '\r') i++;
      endField();
      rows.push(row);
      row = [];
      atLineStart = true;
    } else field += c;
  }
  if (!atLineStart) {
    endField();
    rows.push(row);
  }
  return options.header ? rows.slice(1) : rows;
}
