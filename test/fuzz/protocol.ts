/** Messages between the fuzz pool and its child processes. */

/** A case as sent to a child: file contents in base64. */
export interface WireCase {
  readonly id: string;
  readonly argv: readonly string[];
  readonly files: Readonly<Record<string, string>>;
  readonly dirs?: readonly string[];
  readonly links?: ReadonlyArray<{ readonly path: string; readonly target: string; readonly kind: 'symlink' | 'hard' }>;
}

export interface RunResult {
  readonly id: string;
  /** Exit code main() returned; undefined when it threw. */
  readonly code?: number;
  /** What main() threw (it never should). */
  readonly thrown?: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Total bytes written, also past what is kept. */
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  /** Text written to the real process.stdout/stderr by library code (it must write nothing). */
  readonly stray: string;
  readonly ms: number;
  /** Files (relative) whose bytes or kind changed, and files that disappeared. */
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Files that exist after the run and did not before. */
  readonly created: readonly string[];
}

export type ChildMessage = { readonly type: 'ready' } | { readonly type: 'result'; readonly result: RunResult } | { readonly type: 'fatal'; readonly id?: string; readonly error: string };
