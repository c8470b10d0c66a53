/** What a command may touch of the process: given to it, never taken from globals. */
export interface Writable {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  /** A terminal's width in characters. */
  readonly columns?: number;
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

/** A command's code: its `--help` text and what it does. */
export interface Command {
  readonly usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** A command as `shardwise --help` lists it; its code is loaded only when it is used. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}
