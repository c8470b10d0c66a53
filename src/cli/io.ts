/** What a command may touch of the process: given to it, never taken from globals. */
export interface Writable {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A mistake the user must fix: printed as one message with a hint, exit 2, no stack trace. */
export class UsageError extends Error {
  readonly hint?: string;
  /** The command-line argument the problem is about (the error points at it). */
  readonly argument?: string;
  constructor(message: string, hint?: string, argument?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
    this.argument = argument;
  }
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}
