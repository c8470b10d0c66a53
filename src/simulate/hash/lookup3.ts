/**
 * Bob Jenkins' lookup3 hash as PostgreSQL computes it (`hash_bytes`,
 * `hash_bytes_uint32` in src/common/hashfn.c), on a little-endian machine.
 * Results are PostgreSQL's int32 view of the uint32 (what `hashint4()` and
 * friends return in SQL).
 */

const GOLDEN = 0x9e3779b9;
const INIT_SALT = 3923095;
/** a = b = c = 0x9e3779b9 + sizeof(uint32) + 3923095 */
const UINT32_INIT = (GOLDEN + 4 + INIT_SALT) | 0;

/** hash_bytes_uint32(k): lookup3's final() over one word. */
export function hashUint32(k: number): number {
  let a = (UINT32_INIT + k) | 0;
  let b = UINT32_INIT;
  let c = UINT32_INIT;
  // final(a, b, c)
  c ^= b; c = (c - ((b << 14) | (b >>> 18))) | 0;
  a ^= c; a = (a - ((c << 11) | (c >>> 21))) | 0;
  b ^= a; b = (b - ((a << 25) | (a >>> 7))) | 0;
  c ^= b; c = (c - ((b << 16) | (b >>> 16))) | 0;
  a ^= c; a = (a - ((c << 4) | (c >>> 28))) | 0;
  b ^= a; b = (b - ((a << 14) | (a >>> 18))) | 0;
  c ^= b; c = (c - ((b << 24) | (b >>> 8))) | 0;
  return c;
}

/** hash_bytes(k, len) over `bytes[offset, offset + length)`. */
export function hashBytes(bytes: Uint8Array, offset = 0, length = bytes.length - offset): number {
  let a = (GOLDEN + length + INIT_SALT) | 0;
  let b = a;
  let c = a;
  let k = offset;
  let len = length;
  while (len >= 12) {
    a = (a + (bytes[k] | (bytes[k + 1] << 8) | (bytes[k + 2] << 16) | (bytes[k + 3] << 24))) | 0;
    b = (b + (bytes[k + 4] | (bytes[k + 5] << 8) | (bytes[k + 6] << 16) | (bytes[k + 7] << 24))) | 0;
    c = (c + (bytes[k + 8] | (bytes[k + 9] << 8) | (bytes[k + 10] << 16) | (bytes[k + 11] << 24))) | 0;
    // mix(a, b, c)
    a = (a - c) | 0; a ^= (c << 4) | (c >>> 28); c = (c + b) | 0;
    b = (b - a) | 0; b ^= (a << 6) | (a >>> 26); a = (a + c) | 0;
    c = (c - b) | 0; c ^= (b << 8) | (b >>> 24); b = (b + a) | 0;
    a = (a - c) | 0; a ^= (c << 16) | (c >>> 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= (a << 19) | (a >>> 13); a = (a + c) | 0;
    c = (c - b) | 0; c ^= (b << 4) | (b >>> 28); b = (b + a) | 0;
    k += 12;
    len -= 12;
  }
  // the last 11 bytes; the lowest byte of c is reserved for the length
  if (len >= 11) c = (c + (bytes[k + 10] << 24)) | 0;
  if (len >= 10) c = (c + (bytes[k + 9] << 16)) | 0;
  if (len >= 9) c = (c + (bytes[k + 8] << 8)) | 0;
  if (len >= 8) b = (b + (bytes[k + 7] << 24)) | 0;
  if (len >= 7) b = (b + (bytes[k + 6] << 16)) | 0;
  if (len >= 6) b = (b + (bytes[k + 5] << 8)) | 0;
  if (len >= 5) b = (b + bytes[k + 4]) | 0;
  if (len >= 4) a = (a + (bytes[k + 3] << 24)) | 0;
  if (len >= 3) a = (a + (bytes[k + 2] << 16)) | 0;
  if (len >= 2) a = (a + (bytes[k + 1] << 8)) | 0;
  if (len >= 1) a = (a + bytes[k]) | 0;
  // final(a, b, c)
  c ^= b; c = (c - ((b << 14) | (b >>> 18))) | 0;
  a ^= c; a = (a - ((c << 11) | (c >>> 21))) | 0;
  b ^= a; b = (b - ((a << 25) | (a >>> 7))) | 0;
  c ^= b; c = (c - ((b << 16) | (b >>> 16))) | 0;
  a ^= c; a = (a - ((c << 4) | (c >>> 28))) | 0;
  b ^= a; b = (b - ((a << 14) | (a >>> 18))) | 0;
  c ^= b; c = (c - ((b << 24) | (b >>> 8))) | 0;
  return c;
}

/** hash_bytes over the UTF-8 encoding of a string (ASCII strings are not copied). */
export function hashString(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) return hashBytes(Buffer.from(s, 'utf8'));
  }
  return hashAscii(s, n);
}

/** hashBytes over an ASCII string's char codes, without encoding. */
function hashAscii(s: string, length: number): number {
  let a = (GOLDEN + length + INIT_SALT) | 0;
  let b = a;
  let c = a;
  let k = 0;
  let len = length;
  while (len >= 12) {
    a = (a + (s.charCodeAt(k) | (s.charCodeAt(k + 1) << 8) | (s.charCodeAt(k + 2) << 16) | (s.charCodeAt(k + 3) << 24))) | 0;
    b = (b + (s.charCodeAt(k + 4) | (s.charCodeAt(k + 5) << 8) | (s.charCodeAt(k + 6) << 16) | (s.charCodeAt(k + 7) << 24))) | 0;
    c = (c + (s.charCodeAt(k + 8) | (s.charCodeAt(k + 9) << 8) | (s.charCodeAt(k + 10) << 16) | (s.charCodeAt(k + 11) << 24))) | 0;
    a = (a - c) | 0; a ^= (c << 4) | (c >>> 28); c = (c + b) | 0;
    b = (b - a) | 0; b ^= (a << 6) | (a >>> 26); a = (a + c) | 0;
    c = (c - b) | 0; c ^= (b << 8) | (b >>> 24); b = (b + a) | 0;
    a = (a - c) | 0; a ^= (c << 16) | (c >>> 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= (a << 19) | (a >>> 13); a = (a + c) | 0;
    c = (c - b) | 0; c ^= (b << 4) | (b >>> 28); b = (b + a) | 0;
    k += 12;
    len -= 12;
  }
  if (len >= 11) c = (c + (s.charCodeAt(k + 10) << 24)) | 0;
  if (len >= 10) c = (c + (s.charCodeAt(k + 9) << 16)) | 0;
  if (len >= 9) c = (c + (s.charCodeAt(k + 8) << 8)) | 0;
  if (len >= 8) b = (b + (s.charCodeAt(k + 7) << 24)) | 0;
  if (len >= 7) b = (b + (s.charCodeAt(k + 6) << 16)) | 0;
  if (len >= 6) b = (b + (s.charCodeAt(k + 5) << 8)) | 0;
  if (len >= 5) b = (b + s.charCodeAt(k + 4)) | 0;
  if (len >= 4) a = (a + (s.charCodeAt(k + 3) << 24)) | 0;
  if (len >= 3) a = (a + (s.charCodeAt(k + 2) << 16)) | 0;
  if (len >= 2) a = (a + (s.charCodeAt(k + 1) << 8)) | 0;
  if (len >= 1) a = (a + s.charCodeAt(k)) | 0;
  c ^= b; c = (c - ((b << 14) | (b >>> 18))) | 0;
  a ^= c; a = (a - ((c << 11) | (c >>> 21))) | 0;
  b ^= a; b = (b - ((a << 25) | (a >>> 7))) | 0;
  c ^= b; c = (c - ((b << 16) | (b >>> 16))) | 0;
  a ^= c; a = (a - ((c << 4) | (c >>> 28))) | 0;
  b ^= a; b = (b - ((a << 14) | (a >>> 18))) | 0;
  c ^= b; c = (c - ((b << 24) | (b >>> 8))) | 0;
  return c;
}

/** hash_bytes over 16 bytes given as four little-endian words (a uuid), without a byte buffer. */
export function hash16(w0: number, w1: number, w2: number, w3: number): number {
  let a = (GOLDEN + 16 + INIT_SALT) | 0;
  let b = a;
  let c = a;
  a = (a + w0) | 0;
  b = (b + w1) | 0;
  c = (c + w2) | 0;
  a = (a - c) | 0; a ^= (c << 4) | (c >>> 28); c = (c + b) | 0;
  b = (b - a) | 0; b ^= (a << 6) | (a >>> 26); a = (a + c) | 0;
  c = (c - b) | 0; c ^= (b << 8) | (b >>> 24); b = (b + a) | 0;
  a = (a - c) | 0; a ^= (c << 16) | (c >>> 16); c = (c + b) | 0;
  b = (b - a) | 0; b ^= (a << 19) | (a >>> 13); a = (a + c) | 0;
  c = (c - b) | 0; c ^= (b << 4) | (b >>> 28); b = (b + a) | 0;
  a = (a + w3) | 0;
  c ^= b; c = (c - ((b << 14) | (b >>> 18))) | 0;
  a ^= c; a = (a - ((c << 11) | (c >>> 21))) | 0;
  b ^= a; b = (b - ((a << 25) | (a >>> 7))) | 0;
  c ^= b; c = (c - ((b << 16) | (b >>> 16))) | 0;
  a ^= c; a = (a - ((c << 4) | (c >>> 28))) | 0;
  b ^= a; b = (b - ((a << 14) | (a >>> 18))) | 0;
  c ^= b; c = (c - ((b << 24) | (b >>> 8))) | 0;
  return c;
}
