/**
 * Rows a reader could not use: each becomes a located warning saying it was
 * skipped, up to a bound per file, then one count of the others, so that a
 * damaged file of millions of rows stays readable.
 */
import type { Position } from './csv.js';

/** Warnings kept per file before the rest are counted. */
export const MAX_SKIPPED_SHOWN = 100;

export class SkippedRows {
  private readonly shown = new Map<string, string[]>();
  private readonly more = new Map<string, number>();

  add(file: string, at: Position, why: string): void {
    const list = this.shown.get(file) ?? [];
    if (list.length >= MAX_SKIPPED_SHOWN) {
      this.more.set(file, (this.more.get(file) ?? 0) + 1);
      return;
    }
    list.push(`${file}:${at.line}:${at.column}: ${why}; the row was skipped`);
    this.shown.set(file, list);
  }

  /** The warnings of a file, in file order, and the count past the bound. */
  done(file: string): string[] {
    const out = [...(this.shown.get(file) ?? [])];
    const more = this.more.get(file);
    if (more) out.push(`${file}: ${more} more row${more === 1 ? '' : 's'} skipped`);
    this.shown.delete(file);
    this.more.delete(file);
    return out;
  }
}
