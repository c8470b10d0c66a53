/**
 * Child processes that run fuzz cases, with a time and a memory limit per
 * case: a case past its time is a hang, a child past its memory (resident
 * set, read from /proc, or V8's heap limit) is a memory blow-up; either way
 * the child is killed and a fresh one takes the next case. The time is the
 * CPU time the child spends on the case where /proc tells it (a machine busy
 * with other work does not turn a slow case into a hang), with a wall-clock
 * limit of a few times that for a case that waits without computing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FuzzCase } from './cases.js';
import type { ChildMessage, RunResult, WireCase } from './protocol.js';

export type Outcome =
  | { readonly kind: 'done'; readonly result: RunResult; readonly rssMb: number }
  | { readonly kind: 'hang'; readonly ms: number; readonly cpuMs?: number }
  | { readonly kind: 'memory'; readonly detail: string }
  | { readonly kind: 'died'; readonly detail: string };

export interface PoolOptions {
  readonly jobs: number;
  /** CPU time a case may take (wall-clock time where /proc cannot tell CPU time). */
  readonly timeoutMs: number;
  /** Resident memory a child may reach while running a case. */
  readonly memoryMb: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/** Resident set of a process in MB, from /proc (0 where there is none). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A case that waits (a connection, a lock) spends no CPU: it is stopped after this many times the limit of wall-clock time. */
const WALL_FACTOR = 4;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) of a process in ms, from /proc; undefined where there is none. */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

interface Worker {
  proc: ChildProcess;
  ready: Promise<void>;
  stderr: string;
  busy: boolean;
}

export class Pool {
  private readonly workers: Worker[] = [];
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: PoolOptions) {}

  private spawnWorker(): Worker {
    const heap = Math.max(256, this.options.memoryMb);
    const proc = spawn(process.execPath, ['--import', 'tsx', `--max-old-space-size=${heap}`, '--stack-size=984', '--expose-gc', join(here, 'child.ts')], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const w: Worker = { proc, stderr: '', busy: false, ready: Promise.resolve() };
    proc.stderr?.on('data', (d: Buffer) => {
      w.stderr = (w.stderr + d.toString()).slice(-4000);
    });
    w.ready = new Promise((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type === 'ready') {
          proc.off('message', onMessage);
          resolve();
        }
      };
      proc.on('message', onMessage);
      proc.once('exit', (code) => reject(new Error(`fuzz child exited (${code}) before it was ready: ${w.stderr}`)));
    });
    return w;
  }

  private async acquire(): Promise<Worker> {
    for (;;) {
      const idle = this.workers.find((w) => !w.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.workers.length < this.options.jobs) {
        const w = this.spawnWorker();
        w.busy = true;
        this.workers.push(w);
        return w;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(w: Worker, dead: boolean): void {
    if (dead) {
      w.proc.kill('SIGKILL');
      this.workers.splice(this.workers.indexOf(w), 1);
    } else w.busy = false;
    this.waiting.shift()?.();
  }

  async run(c: FuzzCase): Promise<Outcome> {
    const w = await this.acquire();
    try {
      await w.ready;
    } catch (e) {
      this.release(w, true);
      return { kind: 'died', detail: (e as Error).message };
    }
    const wire: WireCase = {
      id: c.id,
      argv: c.argv,
      files: Object.fromEntries(Object.entries(c.files).map(([k, v]) => [k, v.toString('base64')])),
      ...(c.dirs ? { dirs: c.dirs } : {}),
      ...(c.links ? { links: c.links } : {}),
    };
    const started = performance.now();
    let peak = 0;
    const outcome = await new Promise<Outcome>((resolve) => {
      const pid = w.proc.pid ?? 0;
      const cpu0 = cpuMs(pid);
      const finish = (o: Outcome) => {
        clearTimeout(timer);
        clearInterval(watch);
        w.proc.off('message', onMessage);
        w.proc.off('exit', onExit);
        resolve(o);
      };
      const wallLimit = cpu0 === undefined ? this.options.timeoutMs : this.options.timeoutMs * WALL_FACTOR;
      const timer = setTimeout(() => finish({ kind: 'hang', ms: performance.now() - started }), wallLimit);
      const watch = setInterval(() => {
        const cpu = cpu0 === undefined ? undefined : cpuMs(pid);
        if (cpu !== undefined && cpu0 !== undefined && cpu - cpu0 > this.options.timeoutMs) return finish({ kind: 'hang', ms: performance.now() - started, cpuMs: cpu - cpu0 });
        const rss = rssMb(pid);
        peak = Math.max(peak, rss);
        if (rss > this.options.memoryMb) return finish({ kind: 'memory', detail: `resident memory reached ${Math.round(rss)} MB (limit ${this.options.memoryMb} MB)` });
      }, 50);
      const onMessage = (m: ChildMessage) => {
        if (m.type === 'result' && m.result.id === c.id) finish({ kind: 'done', result: m.result, rssMb: Math.max(peak, rssMb(pid)) });
        else if (m.type === 'fatal') finish({ kind: 'died', detail: m.error });
      };
      const onExit = (code: number | null, signal: string | null) => {
        const oom = /heap out of memory|Allocation failed|invalid array length|out of memory/i.test(w.stderr);
        finish(oom ? { kind: 'memory', detail: `the heap limit was reached: ${w.stderr.slice(-300)}` } : { kind: 'died', detail: `child exited (${code ?? signal}): ${w.stderr.slice(-1500)}` });
      };
      w.proc.on('message', onMessage);
      w.proc.once('exit', onExit);
      w.proc.send(wire);
    });
    this.release(w, outcome.kind !== 'done');
    return outcome;
  }

  close(): void {
    for (const w of this.workers) {
      if (w.proc.connected) w.proc.disconnect();
      w.proc.kill('SIGKILL');
    }
    this.workers.length = 0;
  }
}
