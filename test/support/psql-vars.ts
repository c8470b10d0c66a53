/**
 * psql's variable interpolation, as `psql -v name=value -f file` does it:
 * `:name` becomes the value, `:'name'` a string literal of it, `:"name"` a
 * quoted identifier, outside quotes, dollar quotes and comments; `\set` and
 * `\unset` change the variables as the file goes; a variable never set is
 * left as written. `\gset [prefix]` sets a variable per column of the query
 * it ends, from the database's answer, which a file alone does not have:
 * those get `gsetValue` (given the columns by `columnsOf`), so the
 * statements that use them read as they ran. The text keeps its lines, so
 * line numbers stay the same.
 */

const IDENT = /[A-Za-z0-9_]/;

/** The value of a variable \gset set: the database's answer, replaced where it is used. */
const GSET = '\u0000gset';

/** The value of `\set NAME ARG...`: the arguments joined, each unquoted or interpolated. */
function setValue(args: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  const re = /'((?:[^']|'')*)'|:'([A-Za-z_][A-Za-z0-9_]*)'|:"([A-Za-z_][A-Za-z0-9_]*)"|:([A-Za-z_][A-Za-z0-9_]*)|(\S+)|\s+/g;
  for (let m = re.exec(args); m; m = re.exec(args)) {
    if (m[1] !== undefined) out += m[1].replace(/''/g, "'");
    else if (m[2] !== undefined || m[3] !== undefined || m[4] !== undefined) out += vars.get(m[2] ?? m[3] ?? m[4]) ?? m[0];
    else if (m[5] !== undefined) out += m[5];
  }
  return out;
}

export interface GsetOptions {
  /** The output column names of a query. */
  readonly columnsOf: (query: string) => readonly string[];
  /** Stands in for a value; where the variable is a whole statement (a query the file built), `gsetStatement`. */
  readonly gsetValue: string;
  readonly gsetStatement: string;
}

/** A meta-command: `\set` and `\unset` change the variables, `\gset` sets the query's columns. */
function metaCommand(line: string, vars: Map<string, string>, query: string, gset?: GsetOptions): void {
  const g = /^\\gset(?:\s+([A-Za-z_][A-Za-z0-9_]*))?\s*$/.exec(line.trim());
  if (g && gset) for (const c of gset.columnsOf(query)) vars.set(`${g[1] ?? ''}${c}`, GSET);
  const m = /^\\(set|unset)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$/.exec(line.trim());
  if (!m) return;
  if (m[1] === 'unset') vars.delete(m[2]);
  else vars.set(m[2], setValue(m[3], vars));
}

export function interpolatePsqlVariables(text: string, initial: Readonly<Record<string, string>>, gset?: GsetOptions): string {
  const vars = new Map(Object.entries(initial));
  let out = '';
  /** Where the statement being read starts in `out`. */
  let queryStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    // quotes, dollar quotes and comments are copied as they are
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && !(text[j] === c && text[j + 1] !== c)) j += text[j] === c ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const j = end < 0 ? n : end;
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      let j = i;
      do {
        if (text[j] === '/' && text[j + 1] === '*') (depth++, (j += 2));
        else if (text[j] === '*' && text[j + 1] === '/') (depth--, (j += 2));
        else j++;
      } while (depth > 0 && j < n);
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag && !(i > 0 && IDENT.test(text[i - 1]))) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const j = close < 0 ? n : close + tag[0].length;
        out += text.slice(i, j);
        i = j;
        continue;
      }
    }
    if (c === '\\') {
      // a meta-command runs to the end of the line
      const end = text.indexOf('\n', i);
      const j = end < 0 ? n : end;
      metaCommand(text.slice(i, j), vars, out.slice(queryStart), gset);
      out += text.slice(i, j);
      queryStart = out.length;
      i = j;
      continue;
    }
    if (c === ';') queryStart = out.length + 1;
    if (c === ':' && text[i + 1] !== ':' && text[i - 1] !== ':') {
      const m = /^:(?:'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)"|([A-Za-z_][A-Za-z0-9_]*))/.exec(text.slice(i, i + 200));
      const name = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
      const value = name !== undefined ? vars.get(name) : undefined;
      if (m && value === GSET) {
        const whole = out.slice(queryStart).trim() === '';
        out += whole ? gset!.gsetStatement : gset!.gsetValue;
        // a whole statement from a variable ends where it does
        if (whole && gset!.gsetStatement.trimEnd().endsWith(';')) queryStart = out.length;
        i += m[0].length;
        continue;
      }
      if (m && value !== undefined) {
        out += m[1] !== undefined ? `'${value.replace(/'/g, "''")}'` : m[2] !== undefined ? `"${value.replace(/"/g, '""')}"` : value;
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}
