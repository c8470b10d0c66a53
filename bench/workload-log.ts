/**
 * Workload log reading, end to end: a 1M-line stderr log (default prefix,
 * log_statement = all) with repeating query shapes, varying constants,
 * multi-line statements, extended-protocol executions with parameters and
 * transactions, read by `readServerLog`. Prints statements/s and peak RSS.
 *
 *   node --import tsx bench/workload-log.ts [lines]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServerLog } from '../src/ingest/workload/index.js';

const LINES = Number(process.argv[2] ?? 1_000_000);

/** A small deterministic generator (no Math.random: runs compare). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 8; // the low bits of an LCG cycle quickly
  };
}

async function generate(path: string): Promise<number> {
  const out = createWriteStream(path);
  const next = rng(42);
  let lines = 0;
  let ms = 0;
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const prefix = (pid: number): string => {
    ms = (ms + 1) % 1000;
    return `2026-11-22 02:30:20.${String(ms).padStart(3, '0')} UTC [${pid}] `;
  };
  while (lines < LINES) {
    const pid = 1000 + (next() % 8);
    const r = next() % 10;
    const a = next() % 100000;
    const b = next() % 1000;
    if (r < 4) {
      await write(`${prefix(pid)}LOG:  statement: SELECT id, name, balance FROM accounts WHERE id = ${a} AND tenant_id = ${b}\n`);
      lines += 1;
    } else if (r < 5) {
      await write(`${prefix(pid)}LOG:  statement: SELECT o.id, o.total\n\t  FROM orders o\n\t  JOIN order_lines l ON l.order_id = o.id\n\t WHERE o.tenant_id = ${b}\n\t   AND o.created_at > '2026-01-${String((a % 28) + 1).padStart(2, '0')}'\n`);
      lines += 5;
    } else if (r < 7) {
      await write(`${prefix(pid)}LOG:  execute <unnamed>: UPDATE accounts SET name = $1 WHERE id = $2 AND tenant_id = $3\n`);
      await write(`${prefix(pid)}DETAIL:  parameters: $1 = 'name ''${a}''', $2 = '${a}', $3 = NULL\n`);
      lines += 2;
    } else if (r < 9) {
      await write(`${prefix(pid)}LOG:  statement: BEGIN\n`);
      await write(`${prefix(pid)}LOG:  statement: UPDATE accounts SET balance = balance - ${b} WHERE id = ${a}\n`);
      await write(`${prefix(pid)}LOG:  statement: INSERT INTO transfers (from_id, amount, note) VALUES (${a}, ${b}, 'transfer ${a}')\n`);
      await write(`${prefix(pid)}LOG:  statement: COMMIT\n`);
      lines += 4;
    } else {
      await write(`${prefix(pid)}LOG:  statement: SELECT count(*) FROM events_${2020 + (a % 6)} WHERE kind IN ('a', 'b', 'c${b % 10}')\n`);
      lines += 1;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'shardwise-bench-'));
try {
  const path = join(dir, 'postgresql.log');
  const lines = await generate(path);
  const bytes = statSync(path).size;
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const w = await readServerLog(path, dir);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const statements = w.inputs?.[0].statements ?? 0;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`log: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`read: ${statements} statements -> ${w.queries.length} queries, ${w.transactions.length} transaction shapes, ${w.diagnostics.length} diagnostics`);
  console.log(`time: ${seconds.toFixed(2)} s, ${Math.round(statements / seconds).toLocaleString('en-US')} statements/s, ${Math.round(lines / seconds).toLocaleString('en-US')} lines/s`);
  console.log(`cpu: ${cpuSeconds.toFixed(2)} s, ${Math.round(statements / cpuSeconds).toLocaleString('en-US')} statements per cpu-second (wall time suffers when the machine is shared)`);
  console.log(`memory: peak RSS ${peakMb.toFixed(0)} MB (RSS before reading ${(rssBefore / 1e6).toFixed(0)} MB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
