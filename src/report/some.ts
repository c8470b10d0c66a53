/**
 * Lists cut for a terminal, as short-status tools print them: the first few
 * items, then how many more there are.
 */

/** "a, b, c and 4 more" (all of them when there are at most `max`). */
export function listSome(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The first `max` lines, then an "and N more" line with `indent` (all of them when there are at most `max`). */
export function linesSome(lines: readonly string[], max: number, indent: string, what = ''): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `${indent}and ${lines.length - max} more${what ? ` ${what}` : ''}`];
}

/** One line of at most `max` characters: whitespace folded, an ellipsis where it was cut. */
export function oneLine(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
