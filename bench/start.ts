/**
 * Start-up time of the installed command (bin/shardwise.js over dist/, so
 * run `npm run build` first): `--version`, `--help` and `rules`, which load
 * neither the SQL parser nor the advisor. Each is run N times in a fresh
 * process; the median and the fastest wall time are printed next to those of
 * `node -e 0`, the floor no command can go under on the same machine.
 *
 *   node --import tsx bench/start.ts [N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'shardwise.js');
const N = Math.max(3, Number(process.argv[2] ?? 15));
const TARGET_MS = 120;

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(1);
}

function time(args: string[]): { median: number; min: number } {
  const ms: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], min: ms[0] };
}

console.log(`node ${process.version}, ${N} runs each, wall time per process (target: under ${TARGET_MS} ms)`);
const floor = time(['-e', '0']);
const row = (label: string, t: { median: number; min: number }) =>
  console.log(`${label.padEnd(22)} median ${t.median.toFixed(0).padStart(4)} ms   min ${t.min.toFixed(0).padStart(4)} ms   over node -e 0: ${(t.median - floor.median).toFixed(0).padStart(4)} ms`);
row('node -e 0', floor);
for (const args of [['--version'], ['--help'], ['rules']]) row(`shardwise ${args.join(' ')}`, time([bin, ...args]));
