/**
 * Per-type knowledge used when measuring data: the stored width of
 * fixed-size types, and the canonical text of a value written in an INSERT
 * (`+007` for an integer is `7`, `true` for a boolean is `t`), so the same
 * value written two ways counts once, as PostgreSQL would count it. COPY data
 * from pg_dump is already in canonical output form and is not touched.
 */
import type { Catalog, Column } from '../catalog/model.js';

const FIXED: Record<string, number> = {
  bool: 1,
  char: 1,
  int2: 2,
  int4: 4,
  int8: 8,
  oid: 4,
  float4: 4,
  float8: 8,
  money: 8,
  date: 4,
  time: 8,
  timetz: 12,
  timestamp: 8,
  timestamptz: 8,
  interval: 16,
  uuid: 16,
  macaddr: 6,
  macaddr8: 8,
  point: 16,
};

/** Bytes a non-null value of this column takes on disk when the type is fixed-size, else 0. */
export function fixedWidth(column: Column, catalog: Catalog): number {
  if (column.type.arrayDims > 0) return 0;
  if (column.type.kind === 'enum' || catalog.types[column.type.name]?.kind === 'enum') return 4;
  return FIXED[column.type.base] ?? 0;
}

const identity = (s: string) => s;
const INTEGER = /^\s*[+-]?\d+\s*$/;
const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/;
const TRUE = new Set(['t', 'true', 'y', 'ye', 'yes', 'on', '1', 'tr', 'tru']);
const FALSE = new Set(['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0']);

/** A function giving the canonical text of a value of `column`'s type as written in SQL. */
export function normalizerFor(column: Column | undefined, catalog: Catalog): (s: string) => string {
  if (!column || column.type.arrayDims > 0) return identity;
  void catalog;
  switch (column.type.base) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      return (s) => (INTEGER.test(s) ? BigInt(s.trim()).toString() : s);
    case 'bool':
      return (s) => {
        const l = s.trim().toLowerCase();
        return TRUE.has(l) ? 't' : FALSE.has(l) ? 'f' : s;
      };
    case 'numeric': {
      const scale = column.type.typmods.length >= 2 ? column.type.typmods[1] : column.type.typmods.length === 1 ? 0 : undefined;
      return scale === undefined ? (s) => numericPlain(s) : (s) => roundDecimal(s, scale);
    }
    case 'date':
      return (s) => dateTimeText(s, false);
    case 'timestamp':
      return (s) => dateTimeText(s, true);
    case 'float8':
      return (s) => floatText(s, false);
    case 'float4':
      return (s) => floatText(s, true);
    default:
      return identity;
  }
}

const DATE_TIME = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*$/;

/**
 * ISO-like dates (`2021/3/4`, `2021-03-04 7:05`) in PostgreSQL's default
 * output form (DateStyle ISO): `2021-03-04` for date, `2021-03-04 07:05:00`
 * for timestamp. Anything else (time zones, BC, month names) is kept as written.
 */
function dateTimeText(s: string, withTime: boolean): string {
  const m = DATE_TIME.exec(s);
  if (!m) return s;
  const p2 = (x: string | undefined) => (x ?? '0').padStart(2, '0');
  const date = `${m[1]}-${p2(m[2])}-${p2(m[3])}`;
  if (!withTime) return m[4] === undefined || (Number(m[4]) === 0 && Number(m[5]) === 0 && Number(m[6] ?? 0) === 0 && !Number(m[7] ?? 0)) ? date : s;
  const frac = (m[7] ?? '').replace(/0+$/, '');
  return `${date} ${p2(m[4])}:${p2(m[5])}:${p2(m[6])}${frac ? `.${frac}` : ''}`;
}

/** Unconstrained numeric keeps the written scale; only sign and leading zeros are canonicalised. */
function numericPlain(s: string): string {
  const m = DECIMAL.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return s;
  const int = m[2].replace(/^0+(?=\d)/, '') || '0';
  const frac = m[3];
  const neg = m[1] === '-' && /[1-9]/.test(int + (frac ?? ''));
  return `${neg ? '-' : ''}${int}${frac !== undefined && frac !== '' ? `.${frac}` : ''}`;
}

/** numeric(p, s): round half away from zero to `scale` digits, as numeric_in does. */
export function roundDecimal(s: string, scale: number): string {
  const m = DECIMAL.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return s;
  const frac = (m[3] ?? '').padEnd(scale + 1, '0');
  let digits = BigInt((m[2] || '0') + frac.slice(0, scale));
  if (frac.charCodeAt(scale) >= 0x35) digits += 1n; // '5'..'9'
  let text = digits.toString().padStart(scale + 1, '0');
  if (scale > 0) text = `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  const neg = m[1] === '-' && digits !== 0n;
  return neg ? `-${text}` : text;
}

/** float8/float4 output in PostgreSQL's shortest form, for plain-notation magnitudes. */
function floatText(s: string, single: boolean): string {
  const t = s.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return s;
  let x = Number(t);
  if (single) x = Math.fround(x);
  const a = Math.abs(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (a < 1e-4 || a >= (single ? 1e6 : 1e15)) return s;
  if (!single) return String(x);
  for (let p = 1; p <= 9; p++) {
    const r = Number(x.toPrecision(p));
    if (Math.fround(r) === x) return String(r);
  }
  return String(x);
}
