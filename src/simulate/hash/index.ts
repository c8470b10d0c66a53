/**
 * Citus's hash of a distribution value: the type's standard PostgreSQL hash
 * function, computed here exactly (checked value by value against PostgreSQL).
 */
import {
  hashBoolText,
  hashBpchar,
  hashByteaText,
  hashCharText,
  hashDateText,
  hashFloat4Text,
  hashFloat8Text,
  hashInt2Text,
  hashInt4Text,
  hashInt8Text,
  hashNumericText,
  hashOidText,
  hashText,
  hashTimeText,
  hashTimestampText,
  hashTimestamptzText,
  hashUuidText,
} from './types.js';

export { hashBytes, hashString, hashUint32 } from './lookup3.js';
export {
  hashBool,
  hashBpchar,
  hashChar,
  hashFloat8,
  hashInt4,
  hashInt8,
  hashText,
  hashNumericText,
  hashUuidText,
  hashDateText,
  hashTimestampText,
  hashTimestamptzText,
} from './types.js';

/** A hash over a value in PostgreSQL's text form; the int32 PostgreSQL returns. */
export type TextHash = (value: string) => number;

/** Internal type name -> hash over the text form. */
const BY_TYPE: Readonly<Record<string, TextHash>> = {
  int2: hashInt2Text,
  int4: hashInt4Text,
  int8: hashInt8Text,
  oid: hashOidText,
  text: hashText,
  varchar: hashText,
  name: hashText,
  bpchar: hashBpchar,
  char: hashCharText,
  bool: hashBoolText,
  uuid: hashUuidText,
  numeric: hashNumericText,
  float4: hashFloat4Text,
  float8: hashFloat8Text,
  date: hashDateText,
  time: hashTimeText,
  timestamp: hashTimestampText,
  timestamptz: hashTimestamptzText,
  bytea: hashByteaText,
};

/** Spellings of built-in types -> internal name. `"char"` (quoted) is the one-byte type; `char(n)` is bpchar. */
const ALIASES: Readonly<Record<string, string>> = {
  smallint: 'int2',
  integer: 'int4',
  int: 'int4',
  bigint: 'int8',
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  '"char"': 'char',
  decimal: 'numeric',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
};

/** Types whose hash PostgreSQL computes from something that differs per node (the enum label's OID). */
const NODE_DEPENDENT = new Set(['enum']);

function normalize(typeName: string): string {
  let t = typeName.trim().toLowerCase();
  t = t.replace(/^pg_catalog\./, '');
  t = t.replace(/\s*\([^)]*\)/, ''); // typmods: varchar(40), numeric(10,2), timestamp(3) with time zone
  t = t.replace(/\s+/g, ' ');
  return ALIASES[t] ?? t;
}

/**
 * The hash Citus applies to a distribution column of this type, over values
 * in text form; undefined when it cannot be computed here (arrays, ranges,
 * composites, jsonb, enums — see {@link hashabilityOf}).
 */
export function hashFor(typeName: string): TextHash | undefined {
  return BY_TYPE[normalize(typeName)];
}

export type Hashability =
  | { readonly ok: true; readonly hash: TextHash }
  /** enum: hashenum hashes the label's OID, which differs per node and per restore. */
  | { readonly ok: false; readonly reason: 'node-dependent' }
  | { readonly ok: false; readonly reason: 'unsupported' };

/**
 * Whether rows of a column of this type can be placed exactly: takes the
 * catalog's type (`base` after domains, `kind`, `arrayDims`).
 */
export function hashabilityOf(type: { readonly base: string; readonly kind: string; readonly arrayDims: number }): Hashability {
  if (NODE_DEPENDENT.has(type.kind)) return { ok: false, reason: 'node-dependent' };
  if (type.arrayDims > 0) return { ok: false, reason: 'unsupported' };
  const hash = hashFor(type.base);
  return hash ? { ok: true, hash } : { ok: false, reason: 'unsupported' };
}

/** The hash of a value (in text form) of a column of this type; undefined when the type has no known hash or the value is not one of the type's. */
export function hashOfValue(type: Parameters<typeof hashabilityOf>[0], value: string): number | undefined {
  const h = hashabilityOf(type);
  if (!h.ok) return undefined;
  try {
    return h.hash(value);
  } catch {
    return undefined;
  }
}

/** Internal names of the types {@link hashFor} handles. */
export const HASHABLE_TYPES: readonly string[] = Object.keys(BY_TYPE).sort();
