/**
 * The design the search builds, table by table: what it chooses for each
 * table, and reading a design with one choice changed without copying it.
 * Shared by the search and by the routing it scores designs with.
 */
import type { Backfill, TableKind } from '../design/model.js';

export interface Choice {
  readonly kind: TableKind;
  readonly column?: string;
  /** Colocation group id: `<class id>|<type>` for class members, `own:<table>` otherwise. */
  readonly group?: string;
  readonly backfill?: Backfill;
  /** Why, in words (first reason is the decision). */
  readonly reasons: string[];
}

export type Assignment = Map<string, Choice>;

/** Reading a design table by table: an Assignment, or one with a single table changed (no copy). */
export interface DesignLookup {
  get(table: string): Choice | undefined;
}

/** `assign` with `table` set to `choice`, read through without copying it. */
export function withChoice(assign: DesignLookup, table: string, choice: Choice): DesignLookup {
  return { get: (t) => (t === table ? choice : assign.get(t)) };
}
