/**
 * `shardwise --version`, `--help` and `rules` start without the SQL parser
 * (libpg-query's wasm, the deparser), the advisor, the Citus model or the
 * PostgreSQL client: asserted on the module graph of a real process (every
 * module it loads, traced by test/support/trace-imports.mjs), not on a time.
 * bench/start.ts measures the time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';

const HEAVY = [/\/node_modules\/libpg-query\//, /\/node_modules\/pgsql-deparser\//, /\/node_modules\/pg\//, /\/src\/advisor\//, /\/dist\/advisor\//, /\/(src|dist)\/ingest\/pg\//, /\/(src|dist)\/simulate\//, /\/(src|dist)\/rules\/registry\./];
const trace = join(repoRoot, 'test', 'support', 'trace-imports.mjs');

/** The URLs of every module a run loads, and what it printed. */
function modulesOf(entry: string[], args: string[], at: { env?: Record<string, string> } = {}): { modules: string[]; stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-start-'));
  const out = join(dir, 'modules.txt');
  try {
    const r = spawnSync(process.execPath, [...entry.slice(0, -1), '--import', trace, entry[entry.length - 1], ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...at.env, SHARDWISE_TRACE_IMPORTS: out, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    const modules = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean) : [];
    return { modules, stdout: r.stdout, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs: Array<[string, string[]]> = [
  ['the sources (tsx)', ['--import', 'tsx', join(repoRoot, 'test', 'support', 'cli-entry.ts')]],
  ...(existsSync(join(repoRoot, 'dist', 'cli', 'main.js')) ? [['the build (bin/shardwise.js over dist/)', [join(repoRoot, 'bin', 'shardwise.js')]] as [string, string[]]] : []),
];

describe.each(runs)('start-up, %s', (_, entry) => {
  it.each([['--version'], ['--help'], ['rules'], ['rules', 'FK01']].map((a) => [a.join(' '), a] as const))('shardwise %s loads neither the parser nor the advisor', (_, args) => {
    const run = modulesOf(entry, [...args]);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
    expect(run.modules.some((m) => /\/cli\/main\.(ts|js)$/.test(m))).toBe(true);
    expect(run.modules.filter((m) => HEAVY.some((h) => h.test(m)))).toEqual([]);
  });

  it('the trace sees the parser when a command does load it (analyze)', () => {
    const run = modulesOf(entry, ['analyze', join(repoRoot, 'examples', 'wide-world-importers', 'schema.sql')]);
    expect(run.status).toBe(0);
    expect(run.modules.some((m) => /\/node_modules\/libpg-query\//.test(m))).toBe(true);
    expect(run.modules.some((m) => /\/(src|dist)\/advisor\//.test(m))).toBe(true);
  });

  it('lint with a plan read before loads neither the advisor, the PostgreSQL client, the HTML report, nor the YAML and schema validators', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shardwise-start-lint-'));
    try {
      writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n');
      writeFileSync(join(dir, 'plan.yaml'), 'tables:\n  accounts: { kind: distributed, column: id }\n');
      writeFileSync(join(dir, 'm.sql'), 'ALTER TABLE accounts ADD COLUMN plan text DEFAULT \'free\';\n');
      const at = { env: { XDG_CACHE_HOME: join(dir, 'cache') } };
      const args = ['lint', '--schema', join(dir, 'schema.sql'), '--plan', join(dir, 'plan.yaml'), join(dir, 'm.sql')];
      const first = modulesOf(entry, args, at);
      expect(first.status).toBe(0);
      // the first run reads the plan's YAML and validates it; the second has it from the cache
      expect(first.modules.some((m) => /\/node_modules\/yaml\//.test(m))).toBe(true);
      const second = modulesOf(entry, args, at);
      expect(second.status).toBe(0);
      expect(second.stdout).toBe(first.stdout);
      expect(second.modules.some((m) => /\/node_modules\/libpg-query\//.test(m))).toBe(true);
      const unneeded = [/\/node_modules\/(yaml|ajv|pg|@dagrejs)\//, /\/(src|dist)\/advisor\//, /\/(src|dist)\/ingest\/live\/(collect|stats|connect)\./, /\/(src|dist)\/report\/(html|design-graph)/];
      expect(second.modules.filter((m) => unneeded.some((u) => u.test(m)))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
