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

function isNonUnreservedKeyword(word: string): boolean {
  const r = scanSql(word);
  if (!r.ok || r.tokens.length !== 1) return false;
  const kw = r.tokens[0].keyword;
  return kw !== 'NO_KEYWORD' && kw !== 'UNRESERVED_KEYWORD';
}

/** A SQL string literal, as quote_literal() writes it. */
export function quoteLiteral(value: string): string {
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${body.replace(/\\/g, '\\\\')}'`.trimStart() : `'${body}'`;
}

/** The catalog key of a relation: `schema.name`, unquoted. */
export function qualifiedKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

export function splitKey(key: string): { schema: string; name: string } {
  const dot = key.indexOf('.');
  return dot === -1 ? { schema: 'public', name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) };
}

/** The name users see: unqualified in `public`, `schema.name` otherwise. */
export function displayName(key: string): string {
  const { schema, name } = splitKey(key);
  return schema === 'public' ? name : `${schema}.${name}`;
}

/** A relation name for SQL: quoted parts, schema omitted for `public`. */
export function sqlName(key: string, alwaysQualify = false): string {
  const { schema, name } = splitKey(key);
  return schema === 'public' && !alwaysQualify ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
