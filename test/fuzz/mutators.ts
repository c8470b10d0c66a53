/**
 * Seeded mutators: each turns a well-formed input into a broken one the way
 * real inputs break (cut off, spliced, re-encoded, hand-edited) or the way an
 * attacker would break them (giant names and lines, deep nesting, YAML alias
 * bombs, control characters in names).
 */
import type { Rng } from './rng.js';

export type InputKind = 'sql' | 'csv' | 'json' | 'log' | 'yaml';

export interface Mutator {
  readonly name: string;
  /** Kinds it makes sense for; all when absent. */
  readonly kinds?: readonly InputKind[];
  run(input: Buffer, rng: Rng, donors: readonly Buffer[]): Buffer;
}

/** Keep a case's inputs small enough for thousands of cases a minute. */
export const MAX_INPUT_BYTES = 3 * 1024 * 1024;

const at = (b: Buffer, rng: Rng) => rng.int(b.length + 1);

function insert(b: Buffer, pos: number, what: Buffer | string): Buffer {
  return Buffer.concat([b.subarray(0, pos), typeof what === 'string' ? Buffer.from(what, 'utf8') : what, b.subarray(pos)]);
}

/** A position at the start of a line. */
function lineStart(b: Buffer, rng: Rng): number {
  const p = at(b, rng);
  const nl = b.lastIndexOf(0x0a, p - 1);
  return nl + 1;
}

/** Byte ranges of identifier-like words. */
function words(b: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /[A-Za-z_][A-Za-z0-9_]{2,}/g;
  const s = b.toString('latin1');
  for (let m = re.exec(s); m && out.length < 5000; m = re.exec(s)) out.push([m.index, m.index + m[0].length]);
  return out;
}

const HOSTILE_NAMES = [
  'cr\rDROP TABLE victim; --90',
  'lf\nDROP TABLE victim; --',
  'ls\u2028DROP TABLE victim; --',
  'nul\u0000x',
  'quote"inside',
  "apos'inside",
  'x.y',
  'select',
  'Ünïcödé_ñame',
  '表名_テーブル',
  '😀_emoji_🐘',
  'space name',
  'UPPER_case',
  '$1',
  '-- comment',
  '/* c */',
  'tab\tname',
  'back\\slash',
  'e' + 'é'.repeat(40),
  'x'.repeat(63),
  'y'.repeat(64),
  'z'.repeat(200),
  '🐘'.repeat(16),
  'ü'.repeat(32),
];

const CONTROL = ['\r', '\n', '\u0000', '\u2028', '\u2029', '\u001b[31m', '\t', '\u0085', '\ufeff', '\ud800'];

function giantName(rng: Rng): string {
  const unit = rng.pick(['a', 'é', '表', '🐘', 'A_', '"', '""']);
  return unit.repeat(rng.range(30, 400));
}

function bigRepeat(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
}

export const MUTATORS: readonly Mutator[] = [
  { name: 'truncate', run: (b, rng) => b.subarray(0, at(b, rng)) },
  {
    name: 'splice',
    run: (b, rng, donors) => {
      const d = donors.length ? rng.pick(donors) : b;
      const s = rng.int(d.length);
      return insert(b, at(b, rng), d.subarray(s, Math.min(d.length, s + rng.range(1, 2000))));
    },
  },
  {
    name: 'duplicate',
    run: (b, rng) => {
      const s = rng.int(b.length);
      const piece = b.subarray(s, Math.min(b.length, s + rng.range(1, 400)));
      const times = rng.range(2, rng.chance(0.1) ? 2000 : 20);
      return insert(b, s, Buffer.concat(Array(times).fill(piece)));
    },
  },
  {
    name: 'swap-statements',
    kinds: ['sql', 'log', 'csv', 'yaml', 'json'],
    run: (b, rng) => {
      const sep = b.includes(';') ? ';' : '\n';
      const parts = b.toString('latin1').split(sep);
      if (parts.length < 2) return b;
      const i = rng.int(parts.length);
      const j = rng.int(parts.length);
      [parts[i], parts[j]] = [parts[j], parts[i]];
      return Buffer.from(parts.join(sep), 'latin1');
    },
  },
  {
    name: 'delete-lines',
    run: (b, rng) => {
      const lines = b.toString('latin1').split('\n');
      const i = rng.int(lines.length);
      lines.splice(i, rng.range(1, 5));
      return Buffer.from(lines.join('\n'), 'latin1');
    },
  },
  {
    name: 'byte-noise',
    run: (b, rng) => {
      const out = Buffer.from(b);
      for (let k = rng.range(1, 8); k > 0 && out.length; k--) out[rng.int(out.length)] = rng.int(256);
      return out;
    },
  },
  { name: 'invalid-utf8', run: (b, rng) => insert(b, at(b, rng), Buffer.from(rng.pick([[0xff], [0xc3], [0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x28, 0xa1]]))) },
  { name: 'bom', run: (b, rng) => Buffer.concat([Buffer.from(rng.pick([[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]])), b]) },
  { name: 'crlf', run: (b, rng) => Buffer.from(b.toString('latin1').replace(/\n/g, rng.chance(0.8) ? '\r\n' : '\r'), 'latin1') },
  { name: 'nul', run: (b, rng) => insert(b, at(b, rng), '\u0000') },
  {
    name: 'control-chars',
    run: (b, rng) => insert(b, at(b, rng), rng.pick(CONTROL)),
  },
  {
    name: 'giant-identifier',
    run: (b, rng) => {
      const ws = words(b);
      if (!ws.length) return insert(b, at(b, rng), giantName(rng));
      const [s, e] = rng.pick(ws);
      const name = giantName(rng);
      const quoted = /^[a-z_]+$/.test(name) || rng.chance(0.3) ? name : `"${name.replace(/"/g, '""')}"`;
      return Buffer.concat([b.subarray(0, s), Buffer.from(quoted, 'utf8'), b.subarray(e)]);
    },
  },
  {
    name: 'hostile-identifier',
    kinds: ['sql', 'yaml', 'csv', 'json', 'log'],
    run: (b, rng) => {
      const ws = words(b);
      if (!ws.length) return b;
      const [s, e] = rng.pick(ws);
      const name = rng.pick(HOSTILE_NAMES);
      return Buffer.concat([b.subarray(0, s), Buffer.from(`"${name.replace(/"/g, '""')}"`, 'utf8'), b.subarray(e)]);
    },
  },
  {
    name: 'giant-line',
    run: (b, rng) => {
      const unit = rng.pick(['x', 'a,', "'", '(', 'é', ' ', 'SELECT 1;', '\t', '{"a":', 'aaaa_']);
      return insert(b, lineStart(b, rng), bigRepeat(unit, rng.range(64 * 1024, 1536 * 1024)));
    },
  },
  {
    name: 'deep-nesting',
    run: (b, rng) => {
      const depth = rng.pick([100, 1000, 5000, 20000, 100000]);
      const [open, close] = rng.pick([
        ['(', ')'],
        ['[', ']'],
        ['{', '}'],
        ['(SELECT ', ')'],
        ['ARRAY[', ']'],
        ['- ', ''],
        ['NOT ', ''],
        ['{"a":', '}'],
        ['- ', ''],
        ['[', ''],
      ]);
      const middle = rng.pick(['1', 'x', '"v"', '']);
      const text = open.repeat(depth) + middle + close.repeat(rng.chance(0.8) ? depth : rng.int(depth));
      // Prefer the place after a value-taking keyword, so the nesting reaches the expression parser.
      const s = b.toString('latin1');
      const spots = [...s.matchAll(/\b(SELECT|WHERE|VALUES \(|DEFAULT|CHECK \(|= |: )/g)].map((m) => (m.index ?? 0) + m[0].length);
      return insert(b, spots.length && rng.chance(0.8) ? rng.pick(spots) : at(b, rng), text);
    },
  },
  {
    name: 'broken-quote',
    run: (b, rng) => {
      const s = b.toString('latin1');
      const quotes = [...s.matchAll(/['"]/g)].map((m) => m.index ?? 0);
      if (quotes.length && rng.chance(0.6)) {
        const q = rng.pick(quotes);
        return Buffer.concat([b.subarray(0, q), b.subarray(q + 1)]);
      }
      return insert(b, at(b, rng), rng.pick(["'", '"', "E'\\", "''", '`']));
    },
  },
  {
    name: 'broken-dollar',
    kinds: ['sql', 'log', 'csv', 'json'],
    run: (b, rng) => insert(b, at(b, rng), rng.pick(['$$', '$fn$', '$1$', '$', '$$ BEGIN', 'AS $$ SELECT 1;'])),
  },
  {
    name: 'copy-columns',
    kinds: ['sql'],
    run: (b, rng) => {
      const lines = b.toString('latin1').split('\n');
      const data = lines.map((l, i) => (l.includes('\t') ? i : -1)).filter((i) => i >= 0);
      if (!data.length) return b;
      const i = rng.pick(data);
      const cells = lines[i].split('\t');
      if (rng.chance(0.5)) cells.splice(rng.int(cells.length), 1);
      else cells.splice(rng.int(cells.length), 0, ...Array(rng.range(1, 3)).fill(rng.pick(['x', '\\N', '', '\\'])));
      lines[i] = cells.join('\t');
      if (rng.chance(0.2)) lines.splice(i, 0, '\\.');
      return Buffer.from(lines.join('\n'), 'latin1');
    },
  },
  {
    name: 'number-noise',
    run: (b, rng) => {
      const s = b.toString('latin1');
      const nums = [...s.matchAll(/-?\d+(\.\d+)?/g)];
      if (!nums.length) return b;
      const m = rng.pick(nums);
      const v = rng.pick(['-1', '0', '1e309', 'NaN', '-0', '99999999999999999999999', '0x10', '1.5.5', '', 'Infinity', '2147483648', '-2147483649']);
      return Buffer.concat([b.subarray(0, m.index ?? 0), Buffer.from(v, 'latin1'), b.subarray((m.index ?? 0) + m[0].length)]);
    },
  },
  {
    name: 'yaml-bomb',
    kinds: ['yaml'],
    run: (b, rng) => {
      const width = rng.range(5, 10);
      const depth = rng.range(6, 9);
      const lines = [`a0: &a0 [${Array(width).fill('"lol"').join(', ')}]`];
      for (let d = 1; d < depth; d++) lines.push(`a${d}: &a${d} [${Array(width).fill(`*a${d - 1}`).join(', ')}]`);
      const bomb = lines.join('\n') + '\n';
      return rng.chance(0.5) ? Buffer.concat([Buffer.from(bomb), b]) : Buffer.concat([b, Buffer.from(`\nx: ${'[*a'}${depth - 1}]\n` )]);
    },
  },
  {
    name: 'yaml-shape',
    kinds: ['yaml'],
    run: (b, rng) => {
      const s = b.toString('utf8');
      const values = [...s.matchAll(/: ([^\n#]+)/g)];
      const shape = rng.pick(['[]', '{}', '[1, 2]', '{ a: 1 }', '~', '42', '-1', 'true', '"x"', '{ options: { bogus: 1 } }', '{ severity: [] }', '!!binary aGk=', '&x y', '*nope', '"a\\u0000b"', '1e400', '{ types: { bool: 0 } }', '{ types: [] }']);
      if (!values.length || rng.chance(0.2)) return Buffer.from(s + `\nrules:\n  ${rng.pick(['FK01', 'DC08', 'MIG01', 'foreign-key', 'TB*'])}: ${shape}\n`, 'utf8');
      const m = rng.pick(values);
      const start = (m.index ?? 0) + 2;
      return Buffer.from(s.slice(0, start) + shape + s.slice(start + m[1].length), 'utf8');
    },
  },
  {
    name: 'json-shape',
    kinds: ['json'],
    run: (b, rng) => {
      const s = b.toString('utf8');
      const values = [...s.matchAll(/:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/g)];
      if (!values.length) return b;
      const m = rng.pick(values);
      const shape = rng.pick(['[]', '{}', 'null', '"x"', '-1', '1e999', '"\\ud800"', '[[[[[[[[]]]]]]]]', '{"a":{"b":{"c":1}}}', '"\\u0000"', 'true']);
      const start = (m.index ?? 0) + m[0].length - m[1].length;
      return Buffer.from(s.slice(0, start) + shape + s.slice(start + m[1].length), 'utf8');
    },
  },
  {
    name: 'csv-shape',
    kinds: ['csv', 'log'],
    run: (b, rng) => {
      const lines = b.toString('utf8').split('\n');
      const i = rng.int(lines.length);
      const op = rng.int(4);
      if (op === 0) lines[i] = lines[i] + ',' + rng.pick(['x', '"', '"a""b"', '', ',,,,']);
      else if (op === 1) lines[i] = lines[i].split(',').slice(0, -1).join(',');
      else if (op === 2) lines.splice(0, 1);
      else lines[i] = `"${lines[i]}`;
      return Buffer.from(lines.join('\n'), 'utf8');
    },
  },
];

export function mutatorsFor(kind: InputKind): readonly Mutator[] {
  return MUTATORS.filter((m) => !m.kinds || m.kinds.includes(kind));
}

/** Apply 1 to 3 mutators; returns the result and the names applied. */
export function mutate(input: Buffer, kind: InputKind, rng: Rng, donors: readonly Buffer[]): { output: Buffer; applied: string[] } {
  const pool = mutatorsFor(kind);
  let out = input;
  const applied: string[] = [];
  for (let n = rng.weighted([[1, 6], [2, 3], [3, 1]] as const); n > 0; n--) {
    const m = rng.pick(pool);
    const next = m.run(out, rng, donors);
    if (next.length > MAX_INPUT_BYTES) continue;
    out = next;
    applied.push(m.name);
  }
  return { output: out, applied };
}
