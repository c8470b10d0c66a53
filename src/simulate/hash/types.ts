/**
 * PostgreSQL's standard hash functions (support function 1 of each type's
 * default hash operator class), the functions Citus calls to place a row.
 * Each takes a value in PostgreSQL's text output form (as COPY writes it) and
 * returns the int32 SQL result. Input that the type would reject throws.
 */
import { hash16, hashBytes, hashString, hashUint32 } from './lookup3.js';

const TWO32 = 4294967296;

/** hashint2 / hashint4: hash_uint32 of the (sign-extended) int32. */
export function hashInt4(n: number): number {
  return hashUint32(n | 0);
}

/** hashint8: the high word folded into the low one (complemented for negatives), then hash_uint32. */
export function hashInt8(v: bigint | number): number {
  if (typeof v === 'bigint') {
    const lo = Number(BigInt.asIntN(32, v));
    const hi = Number(BigInt.asIntN(32, v >> 32n));
    return hashUint32(v >= 0n ? lo ^ hi : lo ^ ~hi);
  }
  if (v >= -2147483648 && v <= 2147483647) {
    // hi is 0 or -1: lo ^ 0 or lo ^ ~(-1) = lo
    return hashUint32(v | 0);
  }
  if (!Number.isSafeInteger(v)) return hashInt8(BigInt(v));
  // ToInt32 keeps the low 32 bits of any safe integer; what is left divides exactly by 2^32.
  const lo = v | 0;
  const hi = (v - (lo >>> 0)) / TWO32;
  return hashUint32(v >= 0 ? lo ^ hi : lo ^ ~hi);
}

/** hashtext / varchar / name over a deterministic collation: hash_bytes of the UTF-8 bytes. */
export function hashText(s: string): number {
  return hashString(s);
}

/** hashbpchar: trailing blanks do not count. */
export function hashBpchar(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x20) end--;
  return hashString(end === s.length ? s : s.slice(0, end));
}

/** hashchar (for "char" and bool): hash_uint32 of the signed char. */
export function hashChar(byte: number): number {
  return hashUint32((byte << 24) >> 24);
}

export function hashBool(b: boolean): number {
  return hashUint32(b ? 1 : 0);
}

/** hashfloat8 (and hashfloat4, which widens to float8): 0 and -0 give 0; every NaN hashes as the standard NaN. */
export function hashFloat8(x: number): number {
  if (x === 0) return 0;
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  if (Number.isNaN(x)) {
    view.setUint32(4, 0x7ff80000, true);
  } else {
    view.setFloat64(0, x, true);
  }
  return hashBytes(bytes, 0, 8);
}

// ---------------------------------------------------------------- text input

function bad(type: string, value: string): Error {
  return new Error(`invalid input syntax for type ${type}: "${value}"`);
}

const INT_RE = /^\s*([+-]?)(\d+)\s*$/;

/** A plain decimal integer of at most 15 digits (the text output form), or undefined for anything else. */
function fastInt(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 16) return undefined;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x2d) {
    neg = true;
    i = 1;
  }
  if (i === n || n - i > 15) return undefined;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

function parseIntText(type: string, s: string, min: number, max: number): number {
  let n = fastInt(s);
  if (n === undefined) {
    const m = INT_RE.exec(s);
    if (!m) throw bad(type, s);
    n = Number(m[1] + m[2]);
  }
  if (!(n >= min && n <= max)) throw new Error(`value "${s}" is out of range for type ${type}`);
  return n;
}

export function hashInt2Text(s: string): number {
  return hashInt4(parseIntText('smallint', s, -32768, 32767));
}

export function hashInt4Text(s: string): number {
  return hashInt4(parseIntText('integer', s, -2147483648, 2147483647));
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

export function hashInt8Text(s: string): number {
  const fast = fastInt(s);
  if (fast !== undefined) return hashInt8(fast);
  const m = INT_RE.exec(s);
  if (!m) throw bad('bigint', s);
  if (m[2].length <= 15) return hashInt8(Number(m[1] + m[2]));
  const v = BigInt(m[1] + m[2]);
  if (v < INT8_MIN || v > INT8_MAX) throw new Error(`value "${s}" is out of range for type bigint`);
  return hashInt8(v);
}

/** oid: hashoid = hash_uint32 of the unsigned value. */
export function hashOidText(s: string): number {
  const m = INT_RE.exec(s);
  if (!m) throw bad('oid', s);
  const n = Number(m[1] + m[2]);
  if (!(n >= -2147483648 && n <= 4294967295)) throw new Error(`value "${s}" is out of range for type oid`);
  return hashUint32(n | 0);
}

export function hashBoolText(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === '1' || t === 'on' || (t.length > 0 && ('true'.startsWith(t) || 'yes'.startsWith(t)))) return hashBool(true);
  if (t === '0' || t === 'of' || t === 'off' || (t.length > 0 && ('false'.startsWith(t) || 'no'.startsWith(t)))) return hashBool(false);
  throw bad('boolean', s);
}

/** "char": its first byte; charout writes bytes >= 0x80 as `\ooo`. */
export function hashCharText(s: string): number {
  if (s.length === 4 && s.charCodeAt(0) === 0x5c && /^\\[0-3][0-7]{2}$/.test(s)) return hashChar(parseInt(s.slice(1), 8));
  if (s.length === 0) return hashChar(0);
  const c = s.charCodeAt(0);
  return hashChar(c < 0x80 ? c : Buffer.from(s, 'utf8')[0]);
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** uuid_hash: hash_bytes over the 16 bytes. Accepts the forms uuid_in accepts (a hyphen after any group of 4 digits, braces). */
export function hashUuidText(s: string): number {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  if (s.charCodeAt(start) === 0x7b && s.charCodeAt(end - 1) === 0x7d) {
    start++;
    end--;
  }
  // the 16 bytes as four little-endian words
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2d && n > 0 && n % 4 === 0 && n < 32 && i + 1 < end && s.charCodeAt(i + 1) !== 0x2d) continue;
    const v = hexDigit(c);
    if (v < 0 || n >= 32) throw bad('uuid', s);
    // byte n>>1 goes to word n>>3 at bit 8*((n>>1)&3); the first hex digit is the byte's high nibble
    const shift = (((n >> 1) & 3) << 3) + (n % 2 === 0 ? 4 : 0);
    const w = n >> 3;
    if (w === 0) w0 |= v << shift;
    else if (w === 1) w1 |= v << shift;
    else if (w === 2) w2 |= v << shift;
    else w3 |= v << shift;
    n++;
  }
  if (n !== 32) throw bad('uuid', s);
  return hash16(w0, w1, w2, w3);
}

/** bytea (hashvarlena): hash_bytes over the raw bytes; input in hex (`\x...`) or escape format. */
export function hashByteaText(s: string): number {
  if (s.startsWith('\\x')) {
    const hex = s.slice(2).replace(/\s+/g, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw bad('bytea', s);
    return hashBytes(Buffer.from(hex, 'hex'));
  }
  const out: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x5c) {
      out.push(raw[i]);
    } else if (raw[i + 1] === 0x5c) {
      out.push(0x5c);
      i++;
    } else if (/^[0-3][0-7][0-7]$/.test(raw.toString('latin1', i + 1, i + 4))) {
      out.push(parseInt(raw.toString('latin1', i + 1, i + 4), 8));
      i += 3;
    } else throw bad('bytea', s);
  }
  return hashBytes(Uint8Array.from(out));
}

/** float8 / float4 text (`NaN`, `Infinity`, `-Infinity`, decimal, exponent). */
function parseFloatText(type: string, s: string): number {
  const t = s.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-infinity' || lower === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw bad(type, s);
  return Number(t);
}

export function hashFloat8Text(s: string): number {
  return hashFloat8(parseFloatText('double precision', s));
}

export function hashFloat4Text(s: string): number {
  return hashFloat8(Math.fround(parseFloatText('real', s)));
}

/**
 * hash_numeric: NaN and ±Infinity hash to 0, zero to -1; otherwise hash_bytes
 * over the base-10000 digits (int16, leading and trailing zero digits
 * stripped) XOR the weight (the position of the first digit). Scale and sign
 * do not count, so 1, 1.0 and 1.000 hash the same (and -1 as 1).
 */
export function hashNumericText(s: string): number {
  const t = s.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === 'infinity' || lower === '+infinity' || lower === '-infinity' || lower === 'inf' || lower === '+inf' || lower === '-inf') return 0;
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(t);
  if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) throw bad('numeric', s);
  const intPart = m[1];
  const fracPart = m[2] ?? '';
  let digits = intPart + fracPart;
  // point = number of decimal digits before the decimal point
  let point = intPart.length + (m[3] ? Number(m[3]) : 0);
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 0x30) lead++;
  if (lead === digits.length) return -1;
  digits = digits.slice(lead);
  point -= lead;
  let trail = digits.length;
  while (digits.charCodeAt(trail - 1) === 0x30) trail--;
  digits = digits.slice(0, trail);
  // align the decimal point on a base-10000 digit boundary
  const padLeft = (((4 - point) % 4) + 4) % 4;
  point += padLeft;
  const total = padLeft + digits.length;
  const groups = Math.ceil(total / 4);
  const weight = point / 4 - 1;
  const bytes = new Uint8Array(groups * 2);
  let pos = -padLeft;
  for (let g = 0; g < groups; g++) {
    let v = 0;
    for (let j = 0; j < 4; j++, pos++) {
      const d = pos >= 0 && pos < digits.length ? digits.charCodeAt(pos) - 0x30 : 0;
      v = v * 10 + d;
    }
    bytes[g * 2] = v & 0xff;
    bytes[g * 2 + 1] = v >> 8;
  }
  // leading/trailing zero base-10000 digits cannot occur after the decimal stripping above
  return hashBytes(bytes, 0, bytes.length) ^ weight;
}

// ---------------------------------------------------------------- date/time

/** Days since 2000-01-01 of a proleptic Gregorian date (astronomical year). */
function daysSince2000(y: number, m: number, d: number): number {
  // days_from_civil (H. Hinnant), relative to 1970-01-01, minus 10957
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 - 10957;
}

const DATE_RE = /^\s*(\d{4,})[-/](\d{1,2})[-/](\d{1,2})(?:\s+BC)?\s*$/i;

/** date: hashint4 of the days since 2000-01-01 (ISO form, year first, `-` or `/` separated; `infinity` = INT32_MAX, `-infinity` = INT32_MIN). */
export function hashDateText(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'infinity' || t === '+infinity') return hashInt4(2147483647);
  if (t === '-infinity') return hashInt4(-2147483648);
  const m = DATE_RE.exec(s);
  if (!m) throw bad('date', s);
  let y = Number(m[1]);
  if (/bc\s*$/i.test(s)) y = 1 - y;
  return hashInt4(daysSince2000(y, Number(m[2]), Number(m[3])));
}

const TS_RE =
  /^\s*(\d{4,})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(\s+BC)?\s*$/i;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * Microseconds since 2000-01-01 00:00:00 of an ISO timestamp; a zone offset
 * is applied when `withZone` (timestamptz: the result is UTC), ignored
 * otherwise (timestamp drops it, as PostgreSQL does). A timestamptz without
 * an offset is read as UTC.
 */
function parseTimestamp(type: string, s: string, withZone: boolean): bigint {
  const lower = s.trim().toLowerCase();
  if (lower === 'infinity' || lower === '+infinity') return INT64_MAX;
  if (lower === '-infinity') return INT64_MIN;
  const m = TS_RE.exec(s);
  if (!m) throw bad(type, s);
  let y = Number(m[1]);
  if (m[9]) y = 1 - y;
  const days = daysSince2000(y, Number(m[2]), Number(m[3]));
  const secs = Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0);
  const micros = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  let offset = 0;
  if (withZone && m[8] && m[8].toUpperCase() !== 'Z') {
    const z = m[8];
    const sign = z[0] === '-' ? -1 : 1;
    const parts = z.slice(1).includes(':') ? z.slice(1).split(':') : [z.slice(1, 3), z.slice(3, 5), z.slice(5, 7)].filter((p) => p.length > 0);
    offset = sign * (Number(parts[0] ?? 0) * 3600 + Number(parts[1] ?? 0) * 60 + Number(parts[2] ?? 0));
  }
  return (BigInt(days) * 86400n + BigInt(secs - offset)) * 1000000n + BigInt(micros);
}

/** timestamp_hash: hashint8 of the microseconds since 2000-01-01. */
export function hashTimestampText(s: string): number {
  return hashInt8(parseTimestamp('timestamp without time zone', s, false));
}

/** timestamptz: the same over the UTC instant. */
export function hashTimestamptzText(s: string): number {
  return hashInt8(parseTimestamp('timestamp with time zone', s, true));
}

/** time_hash: hashint8 of the microseconds since midnight. */
export function hashTimeText(s: string): number {
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*$/.exec(s);
  if (!m) throw bad('time without time zone', s);
  const secs = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  return hashInt8(secs * 1000000 + (m[4] ? Number(m[4].padEnd(6, '0')) : 0));
}
