/**
 * Text from the user's inputs (names, values, lines of a file) made inert
 * before it is shown in a message or written into a comment: control
 * characters, line and paragraph separators and the bidirectional controls
 * that reorder what a reader sees are written as escapes, so that nothing
 * from an input can end a comment, start a line, or hide text.
 */

/** Code points shown as escapes: C0 and C1 controls, DEL, line/paragraph separators, bidi and zero-width controls, BOM, lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0000': '\\0', '\u001b': '\\e' };

/** `s` with every unsafe code point written as `\n`, `\r`, `\t`, `\0`, `\e` or `\uXXXX`. */
export function escapeControl(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Does `s` hold anything escapeControl would escape? */
export function hasControl(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return found;
}

/** A value shown in a message: inert, and cut to `max` characters (a 1 MB value in a message helps nobody). */
export function shown(s: string, max = 120): string {
  const e = escapeControl(s);
  return e.length > max ? `${e.slice(0, max - 1)}…` : e;
}
