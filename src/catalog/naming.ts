/**
 * Default names PostgreSQL gives to constraints, indexes and sequences when
 * the DDL names none (ChooseRelationName / ChooseConstraintName in
 * src/backend/commands/indexcmds.c and catalog/pg_constraint.c): the parts
 * joined with `_`, truncated to fit NAMEDATALEN-1 bytes, and a number added
 * on collision.
 */

const MAX_IDENT_BYTES = 63;

function clip(s: string, bytes: number): string {
  let out = s;
  while (Buffer.byteLength(out, 'utf8') > bytes) out = out.slice(0, -1);
  return out;
}

/** makeObjectName(name1, name2, label): shortens the longer of name1/name2 first. */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  let n1 = name1;
  let n2 = name2 ?? '';
  const overhead = (label ? label.length + 1 : 0) + (name2 !== undefined ? 1 : 0);
  const avail = MAX_IDENT_BYTES - overhead;
  while (Buffer.byteLength(n1, 'utf8') + Buffer.byteLength(n2, 'utf8') > avail) {
    if (Buffer.byteLength(n1, 'utf8') > Buffer.byteLength(n2, 'utf8')) n1 = clip(n1, Buffer.byteLength(n1, 'utf8') - 1);
    else n2 = clip(n2, Buffer.byteLength(n2, 'utf8') - 1);
  }
  return [n1, name2 !== undefined ? n2 : undefined, label || undefined].filter((x) => x !== undefined).join('_');
}

/** ChooseRelationName/ChooseConstraintName: add 1, 2, ... until the name is free. */
export function chooseName(name1: string, name2: string | undefined, label: string, taken: (n: string) => boolean): string {
  let candidate = makeObjectName(name1, name2, label);
  for (let pass = 1; taken(candidate); pass++) {
    candidate = makeObjectName(name1, name2, `${label}${pass}`);
  }
  return candidate;
}

/** The column part of an index or constraint name: the columns joined with `_`. */
export function columnsPart(columns: Array<string | null>): string | undefined {
  const names = columns.map((c) => c ?? 'expr');
  return names.length ? names.join('_') : undefined;
}
