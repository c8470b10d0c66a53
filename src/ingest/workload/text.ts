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

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\$\d+|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?/g;
const UNSAFE = /--|\/\*|\\|\$[A-Za-z_$]/;

export function shapeKey(sql: string): string {
  if (UNSAFE.test(sql)) return '\u0000' + sql;
  return sql.replace(TOKEN, maskToken);
}

function maskToken(tok: string): string {
  const c = tok.charCodeAt(0);
  if (c === 0x27) return "'?'"; // string constant
  if ((c >= 0x30 && c <= 0x39) || c === 0x2e) return '0'; // number constant
  return tok; // identifier, quoted identifier, parameter
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
