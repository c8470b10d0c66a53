/**
 * What counts as a failure of a fuzz case: a crash (exit 3, "internal
 * error", an exception out of main, a stack trace in the output), a hang, a
 * memory blow-up, output printed behind the CLI's back, a password shown, a
 * file written that was not the command's to write, and an error (exit 2)
 * without a place (file:line:column) or without a hint.
 */
import type { FuzzCase } from './cases.js';
import type { Outcome } from './pool.js';

export type FailureKind = 'crash' | 'stack' | 'hang' | 'memory' | 'stray-output' | 'leak' | 'clobber' | 'unlocated' | 'no-hint' | 'bad-exit';

export interface Verdict {
  readonly failure?: { readonly kind: FailureKind; readonly detail: string };
  /** The case ended in an error (exit 2). */
  readonly error: boolean;
  readonly located: boolean;
  readonly hinted: boolean;
}

/** `file:line:column` at the start of a line or after a space (`command line:1:12` for an argument). */
const LOCATED = /(?:^|[\s(])(?:command line|[^\s:()]+):\d+:\d+(?::|\b)/m;
const HINTED = /(?:^|\s)hint: \S/m;
const STACK = /^\s+at (?:async )?\S.*(?::\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

export function judge(c: FuzzCase, o: Outcome): Verdict {
  const none = { error: false, located: true, hinted: true };
  if (o.kind === 'hang') return { ...none, failure: { kind: 'hang', detail: `no answer after ${Math.round(o.ms)} ms${o.cpuMs !== undefined ? ` (${Math.round(o.cpuMs)} ms of CPU)` : ''}` } };
  if (o.kind === 'memory') return { ...none, failure: { kind: 'memory', detail: o.detail } };
  if (o.kind === 'died') return { ...none, failure: { kind: 'crash', detail: o.detail } };
  const r = o.result;
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.thrown !== undefined) return { ...none, failure: { kind: 'crash', detail: `main threw: ${r.thrown}` } };
  if (r.code === 3 || /internal error/i.test(r.stderr)) return { ...none, failure: { kind: 'crash', detail: firstLines(r.stderr) } };
  if (r.code === undefined || ![0, 1, 2].includes(r.code)) return { ...none, failure: { kind: 'bad-exit', detail: `exit ${r.code}` } };
  if (STACK.test(text)) return { ...none, failure: { kind: 'stack', detail: firstLines(text.slice(Math.max(0, text.search(STACK) - 400))) } };
  if (r.stray) return { ...none, failure: { kind: 'stray-output', detail: firstLines(r.stray) } };
  if (c.secret && (text.includes(c.secret) || r.stray.includes(c.secret))) return { ...none, failure: { kind: 'leak', detail: `the password ${c.secret} is in the output: ${firstLines(text)}` } };
  const allowed = new Set(c.outputs ?? []);
  const mayWrite = (p: string) => [...allowed].some((a) => p === a || p.startsWith(`${a}/`));
  const touched = [...r.changed, ...r.removed].filter((p) => !mayWrite(p));
  if (touched.length) return { ...none, failure: { kind: 'clobber', detail: `changed or removed: ${touched.join(', ')} (exit ${r.code})` } };
  if (r.code !== 2) return none;
  // the error that ended the run: inputs skipped before it are located lines of their own and must not count for it
  const starts = [...r.stderr.matchAll(/^shardwise [a-z]+: /gm)];
  const last = starts.length ? r.stderr.slice(starts[starts.length - 1].index) : r.stderr;
  const located = LOCATED.test(last);
  const hinted = HINTED.test(last);
  if (!located) return { error: true, located, hinted, failure: { kind: 'unlocated', detail: firstLines(r.stderr) } };
  if (!hinted) return { error: true, located, hinted, failure: { kind: 'no-hint', detail: firstLines(r.stderr) } };
  return { error: true, located, hinted };
}

function firstLines(s: string, n = 6): string {
  return s.split('\n').slice(0, n).map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join('\n');
}
