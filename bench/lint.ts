/**
 * Pull-request lint time: `shardwise lint` of one small migration with a
 * plan file against gitlab (969 tables; target under 2 s) and lago-api
 * (139 tables; target under 0.5 s), with the schema cache empty (cold) and
 * filled (warm), and `shardwise analyze` of gitlab (target under 3 s). Each
 * run is a fresh process over the sources (tsx), in a cache directory of its
 * own; printed: the wall and CPU time of the process, and of the command
 * alone (main(), without Node's and tsx's start-up), the run with the least
 * process CPU time of RUNS. On a machine shared with other jobs the CPU
 * time is the figure to compare: wall time there waits for a core.
 *
 *   node --import tsx bench/lint.ts
 *   RUNS=5 node --import tsx bench/lint.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { corpusDir } from '../test/support/corpus.js';

const self = fileURLToPath(import.meta.url);
const RUNS = Math.max(1, Number(process.env.RUNS ?? 3));

/** Child: run one command, print the time inside it. */
if (process.argv[2] === '--one') {
  const [cwd, cache, ...argv] = process.argv.slice(3);
  const sink = { write: () => true, isTTY: false };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const code = await main(argv, { stdout: sink, stderr: { write: (s: string) => process.stderr.write(s), isTTY: false }, env: { XDG_CACHE_HOME: cache, NO_COLOR: '1' }, cwd });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const all = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ms, cpu: (c.user + c.system) / 1000, processCpu: (all.user + all.system) / 1000, code }));
  process.exit(0);
}

interface Timing {
  /** The process, start-up included. */
  readonly wall: number;
  readonly processCpu: number;
  /** main() alone. */
  readonly inside: number;
  readonly cpu: number;
}

function once(cwd: string, cache: string, argv: string[]): Timing {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', cwd, cache, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const wall = performance.now() - t0;
  const out = JSON.parse(r.stdout) as { ms: number; cpu: number; processCpu: number; code: number };
  if (out.code > 1) throw new Error(`${argv.join(' ')} exited ${out.code}`);
  return { wall, processCpu: out.processCpu, inside: out.ms, cpu: out.cpu };
}

/** Best of RUNS, cold (an empty cache each time) or warm (a cache one run filled). */
function measure(cwd: string, argv: string[], warm: boolean): Timing {
  let best: Timing | undefined;
  for (let i = 0; i < RUNS; i++) {
    const cache = mkdtempSync(join(tmpdir(), 'shardwise-bench-cache-'));
    if (warm) once(cwd, cache, argv);
    const t = once(cwd, cache, argv);
    rmSync(cache, { recursive: true, force: true });
  if (!best || t.processCpu < best.processCpu) best = t;
  }
  return best!;
}

/**
 * The installed command (bin/shardwise.js over dist/, after `npm run build`),
 * as a user runs it: the wall time of the process, best of RUNS, the cache
 * filled by a run before when `warm`. Undefined without a build.
 */
const bin = join(fileURLToPath(new URL('..', import.meta.url)), 'bin', 'shardwise.js');
const built = existsSync(join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'cli', 'main.js'));
function installed(cwd: string, argv: string[], warm: boolean): number | undefined {
  if (!built) return undefined;
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const cache = mkdtempSync(join(tmpdir(), 'shardwise-bench-cache-'));
    const env = { ...process.env, XDG_CACHE_HOME: cache, NO_COLOR: '1' };
    if (warm) spawnSync(process.execPath, [bin, ...argv], { cwd, env, stdio: 'ignore' });
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...argv], { cwd, env, stdio: 'ignore' });
    const wall = performance.now() - t0;
    rmSync(cache, { recursive: true, force: true });
    if ((r.status ?? 3) > 1) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    best = Math.min(best, wall);
  }
  return best;
}

const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
const fmt = (t: Timing) => `process ${ms(t.wall)} wall ${ms(t.processCpu)} CPU; command ${ms(t.inside)} wall ${ms(t.cpu)} CPU`;

const work = mkdtempSync(join(tmpdir(), 'shardwise-bench-lint-'));
const cases = [
  { name: 'gitlab', target: 2000, migration: 'ALTER TABLE projects ADD COLUMN reviewed boolean DEFAULT false;\nCREATE TABLE project_reviews (id bigint PRIMARY KEY, project_id bigint NOT NULL, body text);\nCREATE INDEX ON project_reviews (project_id);\n' },
  { name: 'lago-api', target: 500, migration: 'ALTER TABLE invoices ADD COLUMN reviewed boolean DEFAULT false;\nCREATE TABLE invoice_reviews (id uuid PRIMARY KEY, organization_id uuid NOT NULL, body text);\n' },
];
console.log(`node ${process.version}, best of ${RUNS}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const c of cases) {
  const schema = join(corpusDir(), c.name, 'schema.sql');
  const plan = `${c.name}.plan.yaml`;
  const sink = { write: () => true, isTTY: false };
  const code = await main(['analyze', '-q', schema, '--write-plan', '--plan-out', plan, '--force', '--no-cache'], { stdout: sink, stderr: sink, env: {}, cwd: work });
  if (code !== 0) throw new Error(`analyze ${c.name} exited ${code}`);
  writeFileSync(join(work, `${c.name}.sql`), c.migration);
  const argv = ['lint', '-q', '--schema', schema, '--plan', plan, `${c.name}.sql`];
  console.log(`lint ${c.name} (target < ${c.target} ms)\n  cold: ${fmt(measure(work, argv, false))}\n  warm: ${fmt(measure(work, argv, true))}${installedLine(work, argv)}`);
}
const analyze = ['analyze', '-q', join(corpusDir(), 'gitlab', 'schema.sql')];
console.log(`analyze gitlab (target < 3000 ms)\n  cold: ${fmt(measure(work, analyze, false))}\n  warm: ${fmt(measure(work, analyze, true))}${installedLine(work, analyze)}`);

function installedLine(cwd: string, argv: string[]): string {
  const cold = installed(cwd, argv, false);
  const warm = installed(cwd, argv, true);
  return cold === undefined || warm === undefined ? '\n  installed command: npm run build first' : `\n  installed command (bin/shardwise.js): cold ${ms(cold)} wall, warm ${ms(warm)} wall`;
}
rmSync(work, { recursive: true, force: true });
