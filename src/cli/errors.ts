/**
 * How a run that cannot go on is told: a user's mistake (bad argument, bad
 * input, bad config) as `shardwise <command>: <where>: <what>` and a hint,
 * exit 2, never a stack trace; anything else as an internal error with the
 * trace to report, exit 3. <where> is `file:line:column` in an input, or
 * `command line:1:column` at the argument the problem is about.
 */
import { ConfigError } from '../config/model.js';
import { DesignFileError } from '../design/file.js';
import { displayPath, InputError } from '../ingest/files.js';
import { escapeControl } from '../ingest/inert.js';
import { LiveError, redact } from '../ingest/live/index.js';
import { RuleOptionsError } from '../rules/runner.js';
import { UsageError, type CliIO } from './io.js';
import { ISSUES } from '../project.js';

/** `file:line:column: ` at the start of a message. */
const LOCATED = /^[^\n]*?:\d+:\d+: /;

/** The longest line a message shows (a value echoed from a huge input is cut). */
const MAX_LINE = 400;

/**
 * 1-based column, in `shardwise <command> <args...>` as typed, of the
 * argument an error is about: the one named, else the first that names the
 * file, else the end of the line (where a missing argument would go).
 */
export function argumentColumn(command: string, argv: readonly string[], about: { argument?: string; file?: string; flag?: string; db?: boolean; message?: string }, cwd: string): number {
  const starts: number[] = [];
  let col = `shardwise ${command} `.length + 1;
  for (const a of argv) {
    starts.push(col);
    col += [...a].length + 1;
  }
  const matches = (a: string, want: string) => a === want || a.endsWith(`=${want}`);
  const find = (pred: (a: string) => boolean) => argv.findIndex(pred);
  let i = -1;
  if (about.flag !== undefined) {
    // the value of the option: `--flag value` or `--flag=value`
    const f = find((a) => a === about.flag || a.startsWith(`${about.flag}=`));
    if (f >= 0) i = argv[f] === about.flag && f + 1 < argv.length ? f + 1 : f;
  }
  if (i < 0 && about.db) i = find((a) => a === '--db' || a.startsWith('--db='));
  if (i < 0 && about.argument !== undefined) i = find((a) => matches(a, about.argument!));
  if (i < 0 && about.file !== undefined) {
    const file = about.file;
    i = find((a) => matches(a, file) || (a !== '' && !a.startsWith('-') && safeDisplay(a, cwd) === file));
  }
  // the file a message starts with (`missing.sql: no such file`), then any argument it names
  const lead = about.message !== undefined ? /^([^:\n]+):/.exec(about.message)?.[1] : undefined;
  if (i < 0 && lead !== undefined) i = find((a) => matches(a, lead) || (a !== '' && !a.startsWith('-') && safeDisplay(a, cwd) === lead));
  if (i < 0 && about.message !== undefined) i = find((a) => a.length >= 2 && about.message!.includes(a));
  return i >= 0 ? starts[i] : col - 1;
}

function safeDisplay(p: string, cwd: string): string | undefined {
  try {
    return displayPath(p, cwd);
  } catch {
    return undefined;
  }
}

/** Each line inert, without credentials, and at most MAX_LINE characters. */
function tidy(message: string): string {
  return redact(message)
    .split('\n')
    .map((l) => {
      const e = escapeControl(l);
      return e.length > MAX_LINE ? `${e.slice(0, MAX_LINE - 1)}…` : e;
    })
    .join('\n');
}

const GENERIC_HINT = (command: string) => `run 'shardwise ${command} --help' for the arguments and options`;

/** Write what went wrong to standard error; returns the exit code. */
export function reportFailure(command: string, argv: readonly string[], e: unknown, io: CliIO): number {
  if (e instanceof ConfigError || e instanceof DesignFileError) {
    for (const p of e.problems) {
      io.stderr.write(`${tidy(`${p.file}:${p.line}:${p.column}: ${p.message}`)}\n${p.hint ? `  hint: ${tidy(p.hint)}\n` : ''}`);
    }
    return 2;
  }
  if (e instanceof UsageError || e instanceof InputError || e instanceof RuleOptionsError) {
    const message = e.message;
    const about = {
      ...(e instanceof UsageError && e.argument !== undefined ? { argument: e.argument } : {}),
      ...(e instanceof InputError && e.file !== undefined ? { file: e.file } : {}),
      ...(e instanceof InputError && e.flag !== undefined ? { flag: e.flag } : {}),
      db: e instanceof LiveError,
      message,
    };
    const where = LOCATED.test(message) ? '' : `command line:1:${argumentColumn(command, argv, about, io.cwd)}: `;
    const hint = (e instanceof UsageError || e instanceof InputError ? e.hint : undefined) ?? GENERIC_HINT(command);
    io.stderr.write(`shardwise ${command}: ${tidy(`${where}${message}`)}\nhint: ${tidy(hint)}\n`);
    return 2;
  }
  const err = e as Error;
  io.stderr.write(
    `shardwise ${command}: internal error: ${escapeControl(err?.message ?? String(e))}\n` +
      `This is a bug in shardwise. Please report it at ${ISSUES} with the command you ran and this trace:\n${err?.stack ?? ''}\n`,
  );
  return 3;
}
