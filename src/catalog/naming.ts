/**
 * Names as PostgreSQL makes them. An identifier longer than NAMEDATALEN-1 =
 * 63 bytes is truncated at a character boundary (truncate_identifier in
 * src/backend/parser/scansup.c, pg_mbcliplen); the names of constraints,
 * indexes and sequences the DDL leaves out are made by makeObjectName and
 * ChooseRelationName / ChooseConstraintName (src/backend/commands/indexcmds.c,
 * src/backend/catalog/pg_constraint.c): the parts joined with `_`, the longer
 * part shortened byte by byte to fit 63 bytes, each part then clipped to a
 * character boundary, and a number added to the label on collision.
 */

/** NAMEDATALEN - 1. */
export const MAX_IDENT_BYTES = 63;

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` that fits `limit` UTF-8 bytes without cutting a character (pg_mbcliplen). */
export function clipBytes(s: string, limit: number): string {
  if (bytes(s) <= limit) return s;
  let used = 0;
  let out = '';
  for (const ch of s) {
    const n = bytes(ch);
    if (used + n > limit) break;
    used += n;
    out += ch;
  }
  return out;
}

/** An identifier as PostgreSQL keeps it: at most 63 bytes, cut at a character boundary. */
export function truncateIdentifier(name: string): string {
  return clipBytes(name, MAX_IDENT_BYTES);
}

/** makeObjectName(name1, name2, label): shortens the longer of name1/name2 first, a byte at a time. */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  let n1 = bytes(name1);
  let n2 = name2 !== undefined ? bytes(name2) : 0;
  const overhead = (name2 !== undefined ? 1 : 0) + (label ? bytes(label) + 1 : 0);
  const avail = MAX_IDENT_BYTES - overhead;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  const p1 = clipBytes(name1, n1);
  const p2 = name2 !== undefined ? clipBytes(name2, n2) : undefined;
  return p1 + (p2 !== undefined ? `_${p2}` : '') + (label ? `_${label}` : '');
}

/** ChooseRelationName/ChooseConstraintName: add 1, 2, ... to the label until the name is free. */
export function chooseName(name1: string, name2: string | undefined, label: string, taken: (n: string) => boolean): string {
  let candidate = makeObjectName(name1, name2, label);
  for (let pass = 1; taken(candidate); pass++) {
    candidate = makeObjectName(name1, name2, `${label}${pass}`);
  }
  return candidate;
}

/**
 * The column part of an index or constraint name (ChooseIndexNameAddition,
 * ChooseForeignKeyConstraintNameAddition): the columns joined with `_`,
 * `expr` for an expression, stopping once it reaches NAMEDATALEN bytes.
 */
export function columnsPart(columns: Array<string | null>): string | undefined {
  if (!columns.length) return undefined;
  let out = '';
  for (const c of columns) {
    if (out) out += '_';
    out += c ?? 'expr';
    if (bytes(out) >= MAX_IDENT_BYTES + 1) break;
  }
  return out;
}
