/**
 * Counting the values of one column with bounded memory: exact (a map of
 * value -> count) until the column has more than `exactLimit` distinct values,
 * then HyperLogLog for the distinct count and Misra-Gries for the most common
 * values. One `ColumnCounter` per column per run; nothing is shared.
 */

/** Two independent 32-bit murmur3-style hashes of a string's UTF-16 code units. */
export function hash64(s: string): [number, number] {
  let h1 = 0x9747b28c;
  let h2 = 0x2c1b3c6d;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(c ^ 0x5bd1e995, 0x85ebca6b);
    j = (j << 13) | (j >>> 19);
    j = Math.imul(j, 0xc2b2ae35);
    h2 ^= j;
    h2 = (h2 << 15) | (h2 >>> 17);
    h2 = (Math.imul(h2, 5) + 0x38495ab5) | 0;
  }
  // cross-mix the two lanes so that every output bit depends on both
  const a = fmix32(h1 ^ len);
  const b = fmix32(h2 ^ Math.imul(len, 31));
  const x = fmix32((a ^ Math.imul(b, 0x9e3779b1)) >>> 0);
  return [x, fmix32((b ^ Math.imul(x, 0x85ebca77)) >>> 0)];
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** HyperLogLog with 2^p registers over a 50-bit hash (standard error ~1.04/sqrt(2^p)). */
export class HyperLogLog {
  readonly p: number;
  private readonly m: number;
  private readonly registers: Uint8Array;

  constructor(p = 14) {
    if (p < 4 || p > 18) throw new RangeError('HyperLogLog precision must be 4..18');
    this.p = p;
    this.m = 1 << p;
    this.registers = new Uint8Array(this.m);
  }

  add(value: string): void {
    const [a, b] = hash64(value);
    const idx = a >>> (32 - this.p);
    // the remaining (32 - p) bits of a, then 32 bits of b
    const restBits = 32 - this.p;
    const rest = a & ((1 << restBits) - 1);
    let rank: number;
    if (rest !== 0) rank = Math.clz32(rest) - this.p + 1;
    else rank = restBits + (b !== 0 ? Math.clz32(b) + 1 : 33);
    if (rank > this.registers[idx]) this.registers[idx] = rank;
  }

  count(): number {
    const m = this.m;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.registers[i];
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

export interface CounterOptions {
  /** Distinct values counted exactly before switching to sketches. */
  readonly exactLimit: number;
  /** Misra-Gries counters kept after the switch. */
  readonly heavyHitters: number;
  /** Distinct values counted exactly by all the counters of a run together. */
  readonly budget?: ExactBudget;
}

/** Bytes a value held exactly costs: its UTF-16 text and about 40 bytes of string header and map entry. */
export function heldBytes(value: string): number {
  return 2 * value.length + 40;
}

/**
 * The distinct values all the columns of a run hold exactly, together: when
 * they reach `limit` values or `byteLimit` bytes (long texts), the column
 * holding most switches to sketches, so that many columns of many or long
 * distinct values stay within bounded memory. One per run.
 */
export class ExactBudget {
  used = 0;
  usedBytes = 0;
  private readonly counters = new Set<ColumnCounter>();
  constructor(
    readonly limit: number,
    readonly byteLimit = 64 * 2 ** 20,
  ) {}

  /** `c` switches to sketches on its own (its exact limit): its values no longer count. */
  release(c: ColumnCounter): void {
    if (!this.counters.delete(c)) return;
    this.used -= c.exactSize;
    this.usedBytes -= c.exactBytes;
  }

  /** Count one more value (of `bytes`, heldBytes) held exactly by `c`; false when `c` itself had to switch to sketches. */
  take(c: ColumnCounter, bytes: number): boolean {
    this.counters.add(c);
    while (this.used >= this.limit || this.usedBytes + bytes > this.byteLimit) {
      const byBytes = this.used < this.limit;
      let largest: ColumnCounter | undefined;
      for (const x of this.counters) if (!largest || (byBytes ? x.exactBytes > largest.exactBytes : x.exactSize > largest.exactSize)) largest = x;
      if (!largest) break;
      this.release(largest);
      largest.switchToSketches();
      if (largest === c) return false;
    }
    this.used++;
    this.usedBytes += bytes;
    return true;
  }
}

export interface CounterResult {
  readonly nonNull: number;
  readonly nulls: number;
  readonly nDistinct: number;
  /** Values with their counts, most frequent first (ties by value), only counts >= 2. */
  readonly top: Array<{ value: string; count: number }>;
  readonly approximate: boolean;
  /** Sum of the widths given to `add`. */
  readonly widthSum: number;
}

/** Past the exact limit, values longer than this (characters) count for the distinct estimate only. */
export const MAX_HEAVY_VALUE = 1024;

export class ColumnCounter {
  private counts: Map<string, number> | undefined = new Map();
  private hll: HyperLogLog | undefined;
  private heavy: Map<string, number> | undefined;
  private nonNull = 0;
  private nulls = 0;
  private widthSum = 0;
  /** Distinct values counted exactly when switching to sketches: the distinct count is no lower. */
  private exactAtSwitch = 0;
  private heldBytes = 0;

  constructor(private readonly options: CounterOptions) {}

  addNull(): void {
    this.nulls++;
  }

  add(value: string, width: number): void {
    this.nonNull++;
    this.widthSum += width;
    const counts = this.counts;
    if (counts) {
      const c = counts.get(value);
      if (c !== undefined) {
        counts.set(value, c + 1);
        return;
      }
      const budget = this.options.budget;
      const bytes = heldBytes(value);
      if (counts.size < this.options.exactLimit && (!budget || budget.take(this, bytes))) {
        counts.set(value, 1);
        this.heldBytes += bytes;
        return;
      }
      if (this.counts) {
        budget?.release(this);
        this.switchToSketches();
      }
    }
    this.hll!.add(value);
    // a long text is never a common value worth naming, and 400 of them would be held at once
    if (value.length > MAX_HEAVY_VALUE) return;
    const heavy = this.heavy!;
    const c = heavy.get(value);
    if (c !== undefined) heavy.set(value, c + 1);
    else {
      heavy.set(value, 1);
      if (heavy.size >= 2 * this.options.heavyHitters) this.heavy = this.prune(heavy);
    }
  }

  /** Distinct values held exactly (0 once switched to sketches). */
  get exactSize(): number {
    return this.counts?.size ?? 0;
  }

  /** Bytes of the values held exactly (heldBytes each; 0 once switched to sketches). */
  get exactBytes(): number {
    return this.counts ? this.heldBytes : 0;
  }

  switchToSketches(): void {
    const counts = this.counts;
    if (!counts) return;
    this.exactAtSwitch = counts.size;
    // 16 KB per column (standard error 0.8 %): a schema of a thousand columns of sketches stays small
    const hll = new HyperLogLog(14);
    for (const v of counts.keys()) hll.add(v);
    this.hll = hll;
    const common = new Map<string, number>();
    for (const [v, n] of counts) if (v.length <= MAX_HEAVY_VALUE) common.set(v, n);
    this.heavy = this.prune(common);
    this.counts = undefined;
  }

  /**
   * Misra-Gries batch decrement: subtract the (k+1)-th largest count from all
   * and drop what reaches 0. Builds a new map (deleting most entries of a large
   * map in place leaves it slow).
   */
  private prune(heavy: Map<string, number>): Map<string, number> {
    const k = this.options.heavyHitters;
    const all = Float64Array.from(heavy.values()).sort().reverse();
    if (all.length <= k) return heavy;
    const cut = all[k];
    const kept = new Map<string, number>();
    for (const [v, c] of heavy) if (c > cut) kept.set(v, c - cut);
    return kept;
  }

  result(topN: number): CounterResult {
    const exact = this.counts !== undefined;
    const source = this.counts ?? this.heavy!;
    const top = topEntries(source, topN);
    return {
      nonNull: this.nonNull,
      nulls: this.nulls,
      nDistinct: exact ? this.counts!.size : Math.max(this.hll!.count(), this.exactAtSwitch),
      top,
      approximate: !exact,
      widthSum: this.widthSum,
    };
  }
}

function topEntries(source: Map<string, number>, topN: number): Array<{ value: string; count: number }> {
  // keep a small sorted buffer instead of sorting the whole map
  const best: Array<{ value: string; count: number }> = [];
  const better = (a: { value: string; count: number }, b: { value: string; count: number }) =>
    a.count !== b.count ? a.count > b.count : a.value < b.value;
  for (const [value, count] of source) {
    if (count < 2) continue;
    if (best.length === topN && !better({ value, count }, best[best.length - 1])) continue;
    const e = { value, count };
    let i = best.length;
    best.push(e);
    while (i > 0 && better(e, best[i - 1])) {
      best[i] = best[i - 1];
      i--;
    }
    best[i] = e;
    if (best.length > topN) best.pop();
  }
  return best;
}
