/**
 * Type names as PostgreSQL's format_type() prints them, from parse-tree type
 * names, so that the catalog compares equal to pg_catalog.
 */
import { quoteIdent } from '../ingest/pg/index.js';
import type { TypeDef, TypeRef } from './model.js';

/** Internal name -> format_type name, for built-in types that print differently. */
const DISPLAY: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  varbit: 'bit varying',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  // only ever written quoted: unquoted `char` is parsed as bpchar
  char: '"char"',
};

/** Names the user may write for a built-in type, mapped to its internal name. */
const ALIASES: Record<string, string> = {
  smallint: 'int2',
  integer: 'int4',
  int: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  decimal: 'numeric',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

export const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/** Built-in types of pg_catalog that the catalog knows by name. */
export const BUILTIN_TYPES = new Set([
  'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'bool', 'text', 'varchar', 'bpchar', 'char', 'name',
  'bytea', 'uuid', 'json', 'jsonb', 'xml', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval',
  'inet', 'cidr', 'macaddr', 'macaddr8', 'money', 'bit', 'varbit', 'tsvector', 'tsquery', 'point', 'line',
  'lseg', 'box', 'path', 'polygon', 'circle', 'oid', 'regclass', 'regproc', 'regtype', 'int4range', 'int8range',
  'numrange', 'tsrange', 'tstzrange', 'daterange', 'int4multirange', 'int8multirange', 'nummultirange',
  'tsmultirange', 'tstzmultirange', 'datemultirange', 'pg_lsn', 'txid_snapshot', 'pg_snapshot', 'xid', 'xid8',
  'cid', 'tid', 'jsonpath', 'record', 'void', 'trigger', 'anyelement', 'regconfig', 'regdictionary',
]);

const RANGE_TYPES = new Set(['int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange']);

/** Interval field typmod bits (datetime.h), for `interval day to second` style modifiers. */
const INTERVAL_FIELDS: Array<[number, string]> = [
  [0x7fff, ''],
  [1 << 2, ' year'],
  [1 << 1, ' month'],
  [1 << 3, ' day'],
  [1 << 10, ' hour'],
  [1 << 11, ' minute'],
  [1 << 12, ' second'],
  [(1 << 2) | (1 << 1), ' year to month'],
  [(1 << 3) | (1 << 10), ' day to hour'],
  [(1 << 3) | (1 << 10) | (1 << 11), ' day to minute'],
  [(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12), ' day to second'],
  [(1 << 10) | (1 << 11), ' hour to minute'],
  [(1 << 10) | (1 << 11) | (1 << 12), ' hour to second'],
  [(1 << 11) | (1 << 12), ' minute to second'],
];

export function canonicalBuiltin(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
}

export function isBuiltinType(name: string): boolean {
  return BUILTIN_TYPES.has(name);
}

/** format_type() of a built-in type with its modifiers (no array suffix). */
export function formatBuiltin(name: string, typmods: number[]): string {
  const base = DISPLAY[name] ?? name;
  switch (name) {
    case 'varchar':
    case 'bpchar':
    case 'bit':
    case 'varbit':
      return typmods.length ? `${base}(${typmods[0]})` : base;
    case 'numeric':
      if (typmods.length === 0) return base;
      return `numeric(${typmods[0]},${typmods[1] ?? 0})`;
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz': {
      if (!typmods.length) return base;
      const [head, ...tail] = base.split(' ');
      return [`${head}(${typmods[0]})`, ...tail].join(' ');
    }
    case 'interval': {
      if (!typmods.length) return base;
      const fields = INTERVAL_FIELDS.find(([bits]) => bits === typmods[0]);
      const precision = typmods.length > 1 ? `(${typmods[1]})` : '';
      return `interval${fields ? fields[1] : ''}${precision}`;
    }
    default:
      return base;
  }
}

export function isRangeType(name: string): boolean {
  return RANGE_TYPES.has(name);
}

/**
 * A reference to a type the schema defines (enum, domain, composite, range),
 * as format_type() prints it with the default search_path: bare in `public`,
 * schema-qualified elsewhere.
 */
export function userTypeRef(def: TypeDef, typmods: number[], arrayDims: number): TypeRef {
  const display = (def.schema === 'public' ? quoteIdent(def.name) : `${quoteIdent(def.schema)}.${quoteIdent(def.name)}`) + '[]'.repeat(arrayDims);
  const base = def.kind === 'domain' && def.baseType ? def.baseType.base : def.key;
  return { display, name: def.key, typmods, arrayDims, base, kind: def.kind === 'base' ? 'base' : def.kind };
}

export function makeTypeRef(fields: Omit<TypeRef, 'display'> & { display?: string }): TypeRef {
  return {
    display: fields.display ?? fields.name,
    name: fields.name,
    typmods: fields.typmods,
    arrayDims: fields.arrayDims,
    base: fields.base,
    kind: fields.kind,
  };
}
