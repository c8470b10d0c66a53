/**
 * Cheap text work on statements, done in plain JavaScript so that a log line
 * that repeats a known query shape never reaches the parser:
 *
 * - `shapeKey` masks string and number constants. Two statements with the same
 *   key differ only in constants, so they have the same fingerprint and the same
 *   relations; the key is a cache key, nothing more. When the text holds
 *   anything the mask cannot read safely (comments, dollar quotes, backslashes),
 *   the key is the text itself: still correct, only less sharing.
 * - `parseParameters` reads a log's `DETAIL:  parameters: $1 = '...', $2 = NULL`.
 * - `bindParameters` writes those values into the `$n` places of a statement.
 */
import { scanSql } from '../pg/index.js';

/** Not masked: comments, backslashes (E'' strings), dollar quotes. */
function unsafe(sql: string): string {
  return '\u0000' + sql;
}

export function shapeKey(sql: string): string {
  if (sql.indexOf('\\') !== -1) return unsafe(sql);
  const n = sql.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 0x27) {
      // 'string' with '' inside
      let j = i + 1;
      for (;;) {
        const q = sql.indexOf("'", j);
        if (q === -1) return unsafe(sql);
        if (sql.charCodeAt(q + 1) === 0x27) {
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      out += sql.slice(last, i) + "'?'";
      last = i = j;
    } else if (c === 0x22) {
      // "quoted identifier", kept
      let j = i + 1;
      for (;;) {
        const q = sql.indexOf('"', j);
        if (q === -1) return unsafe(sql);
        if (sql.charCodeAt(q + 1) === 0x22) {
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      i = j;
    } else if (isWordStart(c)) {
      i++;
      while (i < n && isWordPart(sql.charCodeAt(i))) i++;
    } else if (c === 0x24) {
      // $n parameter, kept; $tag$ / $$ dollar quotes are not masked
      const d = sql.charCodeAt(i + 1);
      if (!(d >= 0x30 && d <= 0x39)) return unsafe(sql);
      i++;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
    } else if (isDigit(c) || (c === 0x2e && isDigit(sql.charCodeAt(i + 1)))) {
      let j = i;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      if (sql.charCodeAt(j) === 0x2e) {
        j++;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
      }
      const e = sql.charCodeAt(j);
      if (e === 0x65 || e === 0x45) {
        let k = j + 1;
        const sign = sql.charCodeAt(k);
        if (sign === 0x2b || sign === 0x2d) k++;
        if (isDigit(sql.charCodeAt(k))) {
          j = k;
          while (j < n && isDigit(sql.charCodeAt(j))) j++;
        }
      }
      out += sql.slice(last, i) + '0';
      last = i = j;
    } else if ((c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) || (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a)) {
      return unsafe(sql); // comment
    } else i++;
  }
  return last === 0 ? sql : out + sql.slice(last);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isWordStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === 0x24;
}

/** `$n` -> SQL literal (already quoted as PostgreSQL printed it) or `NULL`. */
export type Parameters = Map<number, string>;

/**
 * Parse the text after `parameters: `. PostgreSQL prints each value as a
 * quoted literal with `'` doubled, or NULL; values may span lines. Returns
 * undefined when the text is not in that form.
 */
export function parseParameters(text: string): Parameters | undefined {
  const out: Parameters = new Map();
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text.charCodeAt(i) !== 0x24) return undefined; // '$'
    let j = i + 1;
    while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    if (j === i + 1) return undefined;
    const num = Number(text.slice(i + 1, j));
    if (text.startsWith(' = ', j)) j += 3;
    else return undefined;
    if (text.startsWith('NULL', j)) {
      out.set(num, 'NULL');
      j += 4;
    } else if (text.charCodeAt(j) === 0x27) {
      let k = j + 1;
      for (;;) {
        const q = text.indexOf("'", k);
        if (q === -1) return undefined;
        if (text.charCodeAt(q + 1) === 0x27) {
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      out.set(num, text.slice(j, k));
      j = k;
    } else return undefined;
    if (j >= n) break;
    if (text.startsWith(', ', j)) j += 2;
    else return undefined;
    i = j;
  }
  return out.size ? out : undefined;
}

/**
 * Replace `$n` parameter tokens (found by the parser's scanner, so never inside
 * strings or comments) by their values. Parameters without a value stay.
 */
export function bindParameters(sql: string, params: Parameters): string {
  const scanned = scanSql(sql);
  if (!scanned.ok) return sql;
  const bytes = Buffer.from(sql, 'utf8');
  const parts: string[] = [];
  let at = 0;
  for (const t of scanned.tokens) {
    if (t.name !== 'PARAM') continue;
    const value = params.get(Number(t.text.slice(1)));
    if (value === undefined) continue;
    parts.push(bytes.toString('utf8', at, t.start), value);
    at = t.end;
  }
  if (!parts.length) return sql;
  parts.push(bytes.toString('utf8', at));
  return parts.join('');
}
