/**
 * Hashing throughput: values per second for the hashes Citus applies to
 * int4, int8, text and uuid distribution columns, typed and from text form.
 *
 *   node --import tsx bench/hash.ts [millions]
 */
import { hashFor, hashInt4, hashInt8 } from '../src/simulate/hash/index.js';
import { shardIndexForHash } from '../src/simulate/shards.js';

const N = Math.max(1, Math.round(Number(process.argv[2] ?? 10) * 1_000_000));
const SIZE = 1 << 16;
const MASK = SIZE - 1;

function report(label: string, n: number, t0: bigint, sink: number): void {
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(32)} ${(n / secs / 1e6).toFixed(1).padStart(7)} M values/s   (${n.toLocaleString('en-US')} in ${secs.toFixed(2)} s, sink ${sink & 1})`);
}

const textHash = hashFor('text')!;
const uuidHash = hashFor('uuid')!;
const int8Text = hashFor('bigint')!;
const int4Text = hashFor('integer')!;
const numericHash = hashFor('numeric')!;
const tsHash = hashFor('timestamp')!;

const strings = Array.from({ length: SIZE }, (_, i) => `tenant-${i * 7919}`);
const uuids = Array.from({ length: SIZE }, (_, i) => {
  const hex = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(5, 8)}-${hex}${hex.slice(0, 4)}`;
});
const int8Strings = Array.from({ length: SIZE }, (_, i) => String((i - SIZE / 2) * 1_000_003 * 4099));
const int4Strings = Array.from({ length: SIZE }, (_, i) => String(i * 7919 - 100000));
const numerics = Array.from({ length: SIZE }, (_, i) => `${i}.${i % 100}`);
const timestamps = Array.from({ length: SIZE }, (_, i) => `2024-0${1 + (i % 9)}-1${i % 10} 1${i % 10}:2${i % 10}:3${i % 10}.${i}`);
const bigints = Array.from({ length: SIZE }, (_, i) => BigInt(i) * 4294967311n - 2n ** 62n);

console.log(`node ${process.version}, ${N.toLocaleString('en-US')} values per measure (fewer for the slow ones)`);
function run(): void {
for (let round = 0; round < 2; round++) {
  // round 0 warms the JIT up; round 1 is reported
  const show = round === 1;
  let t0 = process.hrtime.bigint();
  let s = 0;
  for (let i = 0; i < N; i++) s ^= hashInt4(i * 7);
  if (show) report('int4 hashInt4(number)', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= hashInt8(i * 429496731 - 2147483648000);
  if (show) report('int8 hashInt8(number)', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= hashInt8(bigints[i & MASK]);
  if (show) report('int8 hashInt8(bigint)', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= shardIndexForHash(hashInt4(i), 32);
  if (show) report('int4 hash + shard index (32)', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= int4Text(int4Strings[i & MASK]);
  if (show) report('int4 from text', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= int8Text(int8Strings[i & MASK]);
  if (show) report('int8 from text', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= textHash(strings[i & MASK]);
  if (show) report('text (ASCII, 8-13 bytes)', N, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < N; i++) s ^= uuidHash(uuids[i & MASK]);
  if (show) report('uuid from text', N, t0, s);
  const n4 = Math.ceil(N / 4);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < n4; i++) s ^= numericHash(numerics[i & MASK]);
  if (show) report('numeric from text', n4, t0, s);
  t0 = process.hrtime.bigint();
  s = 0;
  for (let i = 0; i < n4; i++) s ^= tsHash(timestamps[i & MASK]);
  if (show) report('timestamp from text', n4, t0, s);
}
}
run();
