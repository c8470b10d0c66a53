/**
 * Unique keys of the rows held, as hash maps, so that a script of many
 * single-row INSERTs is checked in linear time: per row array (shared by a
 * table's row sets, rows.ts) and key, the first row holding each key value,
 * extended as rows are appended. A row whose key the model cannot write as
 * one canonical text (an unknown value, a value of a type whose equal values
 * may be written differently, a partial index's predicate it cannot decide)
 * is counted apart: it may hold any key.
 */
import type { Table } from '../../catalog/model.js';
import type { UniqueCheck } from './row-constraints.js';
import { inTableOrder, type RowSet } from './rows.js';
import { condition, holds, valOf, type Cell, type ColumnType } from './values.js';

export interface KeyIndex {
  /** Key text -> index of the first row holding it. */
  readonly first: Map<string, number>;
  /** Rows that may hold any key. */
  readonly unknown: number[];
  covered: number;
}

/** Per row array, per key signature. */
export type KeyIndexes = WeakMap<Cell[][], Map<string, KeyIndex>>;

/** Kinds whose canonical text is the same exactly for equal values. */
const CANONICAL = new Set(['int', 'num', 'bool', 'text', 'label']);

/** A row's key as one text; null when the row cannot collide (a NULL in it), undefined when the model cannot tell. */
export function keyOf(k: UniqueCheck, t: Table, types: readonly ColumnType[], row: readonly Cell[]): string | null | undefined {
  if (k.where) {
    const inIndex = holds(condition(k.where, (f) => (f.length === 1 ? valOfColumn(t, types, row, f[0]) : undefined)));
    if (inIndex === false) return null;
    if (inIndex === undefined) return undefined;
  }
  const parts: string[] = [];
  let nulls = false;
  for (const i of k.at) {
    const v = row[i];
    if (v === undefined || !CANONICAL.has(types[i].kind)) return undefined;
    if (v === null) nulls = true;
    parts.push(v === null ? '\u0000' : v);
  }
  return nulls && !k.nullsNotDistinct ? null : parts.join('\u0001');
}

function valOfColumn(t: Table, types: readonly ColumnType[], row: readonly Cell[], name: string) {
  const i = t.columns.findIndex((c) => c.name === name);
  return i === -1 ? undefined : valOf(row[i], types[i]);
}

/** The key index of a row set (rows in `t`'s column order), built or extended to the set's rows. */
export function keyIndex(cache: KeyIndexes, set: RowSet, k: UniqueCheck, t: Table, types: readonly ColumnType[]): KeyIndex | undefined {
  if (!inTableOrder(set, t)) return undefined;
  let perKey = cache.get(set.rows);
  if (!perKey) cache.set(set.rows, (perKey = new Map()));
  const sig = `${k.name}\u0001${k.at.join(',')}`;
  let idx = perKey.get(sig);
  if (!idx) perKey.set(sig, (idx = { first: new Map(), unknown: [], covered: 0 }));
  for (; idx.covered < set.count; idx.covered++) {
    const key = keyOf(k, t, types, set.rows[idx.covered]);
    if (key === undefined) idx.unknown.push(idx.covered);
    else if (key !== null && !idx.first.has(key)) idx.first.set(key, idx.covered);
  }
  return idx;
}

/** Is a key among the set's first `count` rows: true, false, or undefined when a row may hold it. */
export function hasKey(idx: KeyIndex, count: number, key: string): boolean | undefined {
  const at = idx.first.get(key);
  if (at !== undefined && at < count) return true;
  return idx.unknown.some((r) => r < count) ? undefined : false;
}
