/**
 * Fuzz failures kept as fixtures under test/fixtures/fuzz/<name>/: a
 * case.json with the command line, what is expected of the run, and the
 * input files, which are written run-length encoded (a giant line or a deep
 * nesting is a few bytes in the repository) and in base64 when they are not
 * UTF-8.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/corpus.js';
import type { FuzzCase } from './cases.js';

export const FIXTURES_DIR = join(repoRoot, 'test', 'fixtures', 'fuzz');

/** A file's content: text, a unit repeated, or bytes in base64. */
export type Part = string | { readonly repeat: string; readonly times: number } | { readonly base64: string };

export interface FixtureSpec {
  /** What the case shows, in a sentence. */
  readonly about: string;
  readonly argv: readonly string[];
  readonly files: Readonly<Record<string, readonly Part[]>>;
  readonly dirs?: readonly string[];
  readonly links?: FuzzCase['links'];
  readonly secret?: string;
  readonly outputs?: readonly string[];
  /** Expected exit code. */
  readonly code: number;
  /** Patterns (regular expressions) the standard error must match, each. */
  readonly stderr?: readonly string[];
  readonly stdout?: readonly string[];
}

export function expand(parts: readonly Part[]): Buffer {
  return Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : 'repeat' in p ? Buffer.from(p.repeat.repeat(p.times), 'utf8') : Buffer.from(p.base64, 'base64'))),
  );
}

/** Run-length encode: runs of a short unit (1 to 8 characters) repeated 32 times or more become one part. */
export function compress(bytes: Buffer): Part[] {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return [{ base64: bytes.toString('base64') }];
  const parts: Part[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    let best: { unit: string; times: number } | undefined;
    for (let u = 1; u <= 8 && i + u <= text.length; u++) {
      const unit = text.slice(i, i + u);
      let times = 1;
      while (text.startsWith(unit, i + times * u)) times++;
      if (times >= 32 && (!best || times * u > best.times * best.unit.length)) best = { unit, times };
    }
    if (best) {
      if (plain) parts.push(plain);
      plain = '';
      parts.push({ repeat: best.unit, times: best.times });
      i += best.unit.length * best.times;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain) parts.push(plain);
  return parts;
}

export function fixtureCase(name: string, spec: FixtureSpec): FuzzCase {
  return {
    id: `fixture:${name}`,
    scenario: 'fixture',
    argv: spec.argv,
    files: Object.fromEntries(Object.entries(spec.files).map(([p, parts]) => [p, expand(parts)])),
    ...(spec.dirs ? { dirs: spec.dirs } : {}),
    ...(spec.links ? { links: spec.links } : {}),
    ...(spec.secret ? { secret: spec.secret } : {}),
    ...(spec.outputs ? { outputs: spec.outputs } : {}),
    mutators: [],
  };
}

export function loadFixtures(): Array<{ name: string; spec: FixtureSpec }> {
  if (!existsSync(FIXTURES_DIR)) return [];
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(FIXTURES_DIR, d.name, 'case.json')))
    .map((d) => ({ name: d.name, spec: JSON.parse(readFileSync(join(FIXTURES_DIR, d.name, 'case.json'), 'utf8')) as FixtureSpec }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Write a case as a fixture directory (for a failure found: fill in `about` and the expectations once it is fixed). */
export function writeFixture(dir: string, c: FuzzCase, about: string, code: number): void {
  mkdirSync(dir, { recursive: true });
  const spec: FixtureSpec = {
    about,
    argv: c.argv,
    files: Object.fromEntries(Object.entries(c.files).map(([p, b]) => [p, compress(b)])),
    ...(c.dirs ? { dirs: c.dirs } : {}),
    ...(c.links ? { links: c.links } : {}),
    ...(c.secret ? { secret: c.secret } : {}),
    ...(c.outputs ? { outputs: c.outputs } : {}),
    code,
  };
  writeFileSync(join(dir, 'case.json'), JSON.stringify(spec, null, 2) + '\n');
}
