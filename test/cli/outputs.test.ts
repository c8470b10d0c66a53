/**
 * Outputs never destroy anything: `migrate -o/--rollback` and `analyze
 * --plan-out` refuse a directory, a missing or unwritable directory, any
 * input of the run or the configuration it read (compared as files: hard
 * and symbolic links count), and a file shardwise did not write; each is one
 * line with its place and a hint, exit 2, and every file comes out as it was.
 */
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../plan/helpers.js';
import { corpusDir } from '../support/corpus.js';

let dir: string;
const schema = join(corpusDir(), 'benchbase-tpcc', 'schema.sql');
const config = 'rules:\n  TB01: warning\n';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shardwise-outputs-'));
  copyFileSync(schema, join(dir, 'schema.sql'));
  writeFileSync(join(dir, '.shardwise.yml'), config);
  mkdirSync(join(dir, 'dir'));
  writeFileSync(join(dir, 'notes.sql'), '-- my notes\n');
  linkSync(join(dir, 'schema.sql'), join(dir, 'hard.sql'));
  symlinkSync('schema.sql', join(dir, 'soft.sql'));
  linkSync(join(dir, '.shardwise.yml'), join(dir, 'config-link.yml'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const original = () => readFileSync(schema, 'utf8');

/** A directory no file can be created in: read-only for a user, /proc for root (which permissions do not stop). */
function unwritableDir(): string {
  if (process.getuid?.() === 0) return '/proc';
  const ro = join(dir, 'ro');
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  return ro;
}

describe('output paths', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a directory', ['migrate', 'schema.sql', '-o', 'dir'], /^shardwise migrate: command line:1:33: dir: is a directory \(-o takes a file\)\nhint: name a file, e.g. -o dir\/out\n$/],
    ['a path ending in /', ['migrate', 'schema.sql', '--rollback', 'dir/'], /^shardwise migrate: command line:1:41: dir: names a directory \(--rollback takes a file\)\nhint: /],
    ['a missing directory', ['migrate', 'schema.sql', '-o', 'nodir/out.sql'], /^shardwise migrate: command line:1:33: nodir\/out\.sql: the directory nodir does not exist\nhint: create it first \(mkdir -p nodir\)/],
    ['a path through a file', ['migrate', 'schema.sql', '-o', 'notes.sql/out.sql'], /^shardwise migrate: command line:1:33: notes\.sql\/out\.sql: notes\.sql is a file, not a directory\nhint: /],
    ['the schema', ['migrate', 'schema.sql', '-o', 'schema.sql'], /command line:1:33: -o schema\.sql is one of this run's inputs or its configuration \(the same file, maybe through a link\); it will not be overwritten\nhint: name another file for -o/],
    ['a hard link to the schema', ['migrate', 'schema.sql', '-o', 'hard.sql'], /-o hard\.sql is one of this run's inputs/],
    ['a symbolic link to the schema', ['migrate', 'schema.sql', '--rollback', 'soft.sql'], /--rollback soft\.sql is one of this run's inputs/],
    ['the schema through its hard link', ['migrate', 'hard.sql', '-o', 'schema.sql'], /-o schema\.sql is one of this run's inputs/],
    ['a file shardwise did not write', ['migrate', 'schema.sql', '-o', 'notes.sql'], /command line:1:33: notes\.sql exists and was not written by shardwise; it was not replaced\nhint: remove it first, or name a new file for -o/],
    ['both outputs in one file', ['migrate', 'schema.sql', '-o', 'm.sql', '--rollback', './m.sql'], /command line:1:39: -o and --rollback name the same file\nhint: /],
    ['the config read, with --force', ['analyze', 'schema.sql', '--write-plan', '--plan-out', '.shardwise.yml', '--force'], /--plan-out \.shardwise\.yml is one of this run's inputs or its configuration/],
    ['a link to the config read, with --force', ['analyze', 'schema.sql', '--plan-out', 'config-link.yml', '--force'], /--plan-out config-link\.yml is one of this run's inputs or its configuration/],
    ['a link to an input, with --force', ['analyze', 'schema.sql', '--plan-out', 'soft.sql', '--force'], /--plan-out soft\.sql is one of this run's inputs/],
    ['an empty path', ['migrate', 'schema.sql', '-o', ''], /command line:1:33: -o names no file \(an empty path\)\nhint: give -o a file name/],
  ];
  for (const [what, argv, re] of cases) {
    it(`refuses ${what}: one line, its place and a hint, nothing changed`, async () => {
      const r = await runCli(argv, dir);
      expect(r.stderr).toMatch(re);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(readFileSync(join(dir, 'schema.sql'), 'utf8')).toBe(original());
      expect(readFileSync(join(dir, '.shardwise.yml'), 'utf8')).toBe(config);
      expect(readFileSync(join(dir, 'notes.sql'), 'utf8')).toBe('-- my notes\n');
      expect(lstatSync(join(dir, 'soft.sql')).isSymbolicLink()).toBe(true);
    });
  }

  it('an unwritable directory: one line and a hint, exit 2', async () => {
    const ro = unwritableDir();
    const r = await runCli(['migrate', 'schema.sql', '-o', join(ro, 'out.sql')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^shardwise migrate: command line:1:33: \S*out\.sql: (permission denied|the directory does not exist|cannot write the output)[^\n]*\nhint: [^\n]+\n$/);
  });

  it('replaces what it wrote before, through a link to it, and keeps the link', async () => {
    expect((await runCli(['migrate', 'schema.sql', '-o', 'm.sql', '--rollback', 'r.sql'], dir)).code).toBe(0);
    const first = readFileSync(join(dir, 'm.sql'), 'utf8');
    symlinkSync('m.sql', join(dir, 'm-link.sql'));
    writeFileSync(join(dir, 'm.sql'), first.replace('Review it', 'Edited'));
    expect((await runCli(['migrate', 'schema.sql', '-o', 'm-link.sql', '--rollback', 'r.sql'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'm.sql'), 'utf8')).toBe(first);
    expect(lstatSync(join(dir, 'm-link.sql')).isSymbolicLink()).toBe(true);
  });
});
