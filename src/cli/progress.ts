/**
 * One line of progress on standard error while a command works for more than
 * a second: `shardwise analyze: 12/40 searching orders`. Drawn only on a
 * terminal, never under CI (CI=anything but false or 0) nor with --quiet;
 * redrawn at most ten times a second, cut to the terminal's width, and
 * cleared when the work ends or before anything else is written to standard
 * error. Used by analyze, migrate, simulate and lint, and by collect for its
 * table-by-table sample.
 */
import type { CliIO } from './io.js';

export interface Progress {
  /** What is being done now; `done` of `total` when the work is counted (total > 0). */
  update(what: string, done?: number, total?: number): void;
  /** Clear the line (when one was drawn). Call before other output to standard error, and at the end. */
  clear(): void;
}

export interface ProgressOptions {
  readonly quiet?: boolean;
  /** Show nothing before the work has lasted this long (ms; default 1000). */
  readonly delay?: number;
  /** At least this long between two redraws (ms; default 100: ten a second). */
  readonly interval?: number;
  /** The clock (ms), for tests. */
  readonly now?: () => number;
}

const SILENT: Progress = { update: () => undefined, clear: () => undefined };

/** Whether progress may be drawn at all on this run's standard error. */
export function showsProgress(io: CliIO, quiet = false): boolean {
  const ci = io.env.CI;
  return !quiet && io.stderr.isTTY === true && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

export function progressLine(io: CliIO, command: string, options: ProgressOptions = {}): Progress {
  if (!showsProgress(io, options.quiet)) return SILENT;
  const now = options.now ?? (() => performance.now());
  // SHARDWISE_PROGRESS_DELAY_MS: another delay (0 shows every phase at once; for tests and demonstrations)
  const fromEnv = Number(io.env.SHARDWISE_PROGRESS_DELAY_MS ?? NaN);
  const delay = options.delay ?? (Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 1000);
  const interval = options.interval ?? 100;
  const start = now();
  let drawn = false;
  let last = -Infinity;
  return {
    update(what, done, total) {
      const t = now();
      if (t - start < delay || t - last < interval) return;
      last = t;
      const count = total !== undefined && total > 0 && done !== undefined ? `${Math.min(done, total)}/${total} ` : '';
      // a terminal that does not tell its size (columns 0 or unknown) is taken as 80 wide
      const columns = io.stderr.columns !== undefined && io.stderr.columns > 0 ? io.stderr.columns : 80;
      const width = Math.max(20, columns - 1);
      const line = [...`shardwise ${command}: ${count}${what.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')}`];
      io.stderr.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1).join('')}…` : line.join('')}`);
      drawn = true;
    },
    clear() {
      if (!drawn) return;
      io.stderr.write('\r\x1b[2K');
      drawn = false;
      // the next update after a clear draws at once (the work has already lasted past the delay)
      last = -Infinity;
    },
  };
}

/** The `(done, total, what)` callback of the pipeline and the advisor, onto a progress line: step done+1 of total, or no count when total is 0. */
export function stepsOf(progress: Progress): (done: number, total: number, what: string) => void {
  return (done, total, what) => progress.update(what, total > 0 ? done + 1 : undefined, total);
}
