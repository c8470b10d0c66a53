/** Identifier quoting and qualified names, as PostgreSQL itself does them. */
import { scanSql } from './parser.js';

/**
 * Quote an identifier exactly as PostgreSQL's quote_ident() would: left bare
 * when it is all lower-case letters, digits and underscores, does not start
 * with a digit, and is not a keyword other than an unreserved one.
 */
export function quoteIdent(ident: string): string {
  let safe = ident.length > 0 && ((ident[0] >= 'a' && ident[0] <= 'z') || ident[0] === '_');
  if (safe) {
    for (const ch of ident) {
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch === '_')) {
        safe = false;
        break;
      }
    }
  }
  if (safe && isNonUnreservedKeyword(ident)) safe = false;
  return safe ? ident : `"${ident.replace(/"/g, '""')}"`;
}

/**
 * The scanner's answer per word, kept: a plan quotes every column name it
 * writes, often the same few hundred names thousands of times, and a
 * scanner call costs more than the rest of quoteIdent. A pure function's
 * memo, bounded (a word is asked again once it is full).
 */
const keywordMemo = new Map<string, boolean>();
const KEYWORD_MEMO_SIZE = 20_000;

/** Words asked of the scanner in one call by `primeQuoting`. */
const PRIME_BATCH = 2_000;

/**
 * Ask the scanner about many words at once, so that quoting them after
 * costs no scanner call each: one call per word costs more than the
 * scanning. Words that need quotes whatever they are, and words known
 * already, are left out.
 */
export function primeQuoting(words: Iterable<string>): void {
  const unknown = [...new Set(words)].filter((w) => /^[a-z_][a-z0-9_]*$/.test(w) && !keywordMemo.has(w));
  for (let i = 0; i < unknown.length && keywordMemo.size < KEYWORD_MEMO_SIZE; i += PRIME_BATCH) {
    const batch = unknown.slice(i, i + PRIME_BATCH);
    const r = scanSql(batch.join(' '));
    // One token per word, in order; anything else and the words are asked one by one when quoted.
    if (!r.ok || r.tokens.length !== batch.length || r.tokens.some((t, j) => t.text !== batch[j])) continue;
    r.tokens.forEach((t, j) => {
      if (keywordMemo.size < KEYWORD_MEMO_SIZE) keywordMemo.set(batch[j], t.keyword !== 'NO_KEYWORD' && t.keyword !== 'UNRESERVED_KEYWORD');
    });
  }
}

function isNonUnreservedKeyword(word: string): boolean {
  const known = keywordMemo.get(word);
  if (known !== undefined) return known;
  const r = scanSql(word);
  const kw = r.ok && r.tokens.length === 1 ? r.tokens[0].keyword : 'NO_KEYWORD';
  const answer = kw !== 'NO_KEYWORD' && kw !== 'UNRESERVED_KEYWORD';
  if (keywordMemo.size < KEYWORD_MEMO_SIZE) keywordMemo.set(word, answer);
  return answer;
}

/** A SQL string literal, as quote_literal() writes it. */
export function quoteLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${body.replace(/\\/g, '\\\\')}'`.trimStart() : `'${body}'`;
}

/**
 * A key's schema part: as written, unless it holds a `.` or starts with `"`;
 * then double-quoted (`"` doubled), so that the key splits back into the
 * same two names. Ordinary names are unchanged.
 */
function keyPart(part: string): string {
  return part.includes('.') || part.startsWith('"') ? `"${part.replace(/"/g, '""')}"` : part;
}

/**
 * The catalog key of a relation: `schema.name`, the schema quoted only when
 * it holds a `.` or starts with `"` (`"x.y".t`). The name part is taken
 * whole after the schema's dot. Every key is made here and read back with
 * splitKey: never split a key at a dot by hand.
 */
export function qualifiedKey(schema: string, name: string): string {
  return `${keyPart(schema)}.${name}`;
}

export function splitKey(key: string): { schema: string; name: string } {
  if (key.startsWith('"')) {
    let i = 1;
    let schema = '';
    while (i < key.length) {
      if (key[i] === '"') {
        if (key[i + 1] === '"') {
          schema += '"';
          i += 2;
          continue;
        }
        break;
      }
      schema += key[i++];
    }
    if (key[i + 1] === '.') return { schema, name: key.slice(i + 2) };
  }
  const dot = key.indexOf('.');
  return dot === -1 ? { schema: 'public', name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** The name users see: unqualified in `public`, `schema.name` otherwise (the schema quoted as in the key). */
export function displayName(key: string): string {
  const { schema, name } = splitKey(key);
  return schema === 'public' ? name : `${keyPart(schema)}.${name}`;
}

/** A relation name for SQL: quoted parts, schema omitted for `public`. */
export function sqlName(key: string, alwaysQualify = false): string {
  const { schema, name } = splitKey(key);
  return schema === 'public' && !alwaysQualify ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** An identifier in SQL text longer than PostgreSQL keeps (63 bytes), and what it becomes. */
export interface LongIdentifier {
  /** Byte offset of the identifier in the text. */
  readonly offset: number;
  /** As written, without quotes (quoted names keep their case; others are folded to lower case). */
  readonly written: string;
  readonly truncated: string;
}

/**
 * The identifiers of a statement that PostgreSQL truncates to 63 bytes (with
 * a NOTICE), found with the parser's scanner (never in strings or
 * comments). The scanner runs only when the text has a long enough run.
 */
export function longIdentifiers(sql: string): LongIdentifier[] {
  if (!/[^\s(),;.]{64}/.test(sql)) return [];
  const scanned = scanSql(sql);
  if (!scanned.ok) return [];
  const out: LongIdentifier[] = [];
  for (const t of scanned.tokens) {
    if (t.name !== 'IDENT' && t.name !== 'UIDENT') continue;
    const quoted = t.text.startsWith('"');
    const written = quoted ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toLowerCase();
    if (Buffer.byteLength(written, 'utf8') <= 63) continue;
    let truncated = '';
    let used = 0;
    for (const ch of written) {
      const n = Buffer.byteLength(ch, 'utf8');
      if (used + n > 63) break;
      used += n;
      truncated += ch;
    }
    out.push({ offset: t.start, written, truncated });
  }
  return out;
}
