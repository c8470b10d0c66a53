/**
 * PostgreSQL array text (`array_out` form), as `most_common_vals::text` and
 * `most_common_freqs::text` print it: `{a,b,"c d","with \"quote\"",NULL}`.
 *
 * Rules followed (those of `array_in`): elements are separated by `,` (the
 * delimiter of every built-in type except `box`, which uses `;`); an element
 * is quoted when it holds a delimiter, brace, quote, backslash or white space,
 * or is empty, or is the word NULL; inside quotes `\x` stands for `x`; an
 * unquoted `NULL` (any case) is SQL NULL; white space around an unquoted
 * element is dropped. A nested array element (`{{1,2},{3,4}}`) comes back as
 * its own text, `{1,2}`. An optional dimension decoration (`[0:1]={...}`) is
 * skipped.
 */

export class ArrayTextError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'ArrayTextError';
  }
}

/** The elements of one array literal; null for a NULL element. */
export function parseArrayText(text: string, delimiter = ','): Array<string | null> {
  let i = 0;
  const n = text.length;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  while (i < n && ws(text[i])) i++;
  if (text[i] === '[') {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new ArrayTextError('dimension decoration without "="', i);
    i = eq + 1;
    while (i < n && ws(text[i])) i++;
  }
  if (text[i] !== '{') throw new ArrayTextError('array text must start with "{"', i);
  i++;
  const out: Array<string | null> = [];
  while (i < n && ws(text[i])) i++;
  if (text[i] === '}') {
    i++;
    expectEnd();
    return out;
  }
  for (;;) {
    while (i < n && ws(text[i])) i++;
    if (i >= n) throw new ArrayTextError('unterminated array: missing "}"', i);
    const c = text[i];
    if (c === '"') {
      i++;
      let v = '';
      for (;;) {
        if (i >= n) throw new ArrayTextError('unterminated quoted element', i);
        const ch = text[i];
        if (ch === '\\') {
          if (i + 1 >= n) throw new ArrayTextError('backslash at end of input', i);
          v += text[i + 1];
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          v += ch;
          i++;
        }
      }
      out.push(v);
    } else if (c === '{') {
      // nested array: keep its text
      const start = i;
      let depth = 0;
      let quoted = false;
      for (; i < n; i++) {
        const ch = text[i];
        if (quoted) {
          if (ch === '\\') i++;
          else if (ch === '"') quoted = false;
        } else if (ch === '"') quoted = true;
        else if (ch === '{') depth++;
        else if (ch === '}') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
      if (depth !== 0) throw new ArrayTextError('unterminated nested array', start);
      out.push(text.slice(start, i));
    } else if (c === delimiter || c === '}') {
      throw new ArrayTextError('empty unquoted element', i);
    } else {
      let v = '';
      let hadEscape = false;
      while (i < n && text[i] !== delimiter && text[i] !== '}') {
        const ch = text[i];
        if (ch === '\\') {
          if (i + 1 >= n) throw new ArrayTextError('backslash at end of input', i);
          v += text[i + 1];
          hadEscape = true;
          i += 2;
        } else if (ch === '"' || ch === '{') {
          throw new ArrayTextError(`unexpected "${ch}" inside an unquoted element`, i);
        } else {
          v += ch;
          i++;
        }
      }
      if (!hadEscape) v = v.replace(/[ \t\n\r\v\f]+$/, '');
      out.push(!hadEscape && v.toUpperCase() === 'NULL' ? null : v);
    }
    while (i < n && ws(text[i])) i++;
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    if (text[i] === '}') {
      i++;
      expectEnd();
      return out;
    }
    throw new ArrayTextError(i >= n ? 'unterminated array: missing "}"' : `expected "${delimiter}" or "}"`, i);
  }

  function expectEnd(): void {
    while (i < n && ws(text[i])) i++;
    if (i < n) throw new ArrayTextError('text after the closing "}"', i);
  }
}
