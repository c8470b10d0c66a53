/**
 * INSERT, COPY, UPDATE and DELETE on the rows the model holds (rows.ts),
 * with the data errors PostgreSQL's executor raises on them
 * (row-constraints.ts), run once Citus has planned the statement. A WHERE
 * the model cannot decide for a row leaves that row as one that may or may
 * not exist (unknown cells); ON DELETE CASCADE and SET NULL follow the
 * referencing rows; a change it cannot follow forgets the table's rows.
 */
import type { Table } from '../../catalog/model.js';
import type { DeleteStmt, InsertStmt, Node, RangeVar, UpdateStmt } from '../../ingest/pg/ast.js';
import { nodeAs } from '../../ingest/pg/index.js';
import { isRestrictOrNoAction } from './foreign-constraint.js';
import {
  checkReferences,
  checkRow,
  checkStillReferenced,
  duplicateKey,
  incomingKeys,
  keysFound,
  referencing,
  rowEnv,
  rowValue,
  sameKey,
  uniqueChecks,
  type UniqueCheck,
} from './row-constraints.js';
import { addUnknownRows, appended, columnTypes, copiedRows, defaultCell, followed, forget, forgetAll, heldRows, insertedRows, replaced, runsHiddenCode, setHeld, tableRows } from './rows.js';
import { hasKey, keyIndex, keyOf } from './row-index.js';
import type { ClusterState } from './state.js';
import { assign, condition, holds, type Cell, type ColumnType } from './values.js';

type OnConflict = 'none' | 'nothing' | 'update';

/** Deletes cascade this deep at most; deeper, the tables' rows are forgotten. */
const MAX_CASCADE = 16;

/** A write the model cannot follow: the table's rows, and those that cascade from it, are forgotten; hidden code forgets them all. */
function cannotFollow(s: ClusterState, t: Table, seen = new Set<string>()): void {
  if (runsHiddenCode(t)) return forgetAll(s);
  seen.add(t.key);
  forget(s, t.key);
  for (const { fk, table } of incomingKeys(s, t.key)) {
    if (!seen.has(table.key) && !(isRestrictOrNoAction(fk.onDelete) && isRestrictOrNoAction(fk.onUpdate))) cannotFollow(s, table, seen);
  }
}

/** The rows of INSERT ... VALUES go in once the statement is planned. */
export function insertRows(s: ClusterState, t: Table, body: InsertStmt, given: readonly string[]): void {
  const action = body.onConflictClause?.action;
  const mode: OnConflict = !action ? 'none' : action === 'ONCONFLICT_NOTHING' ? 'nothing' : 'update';
  s.afterPlan.push(() => {
    if (!followed(s, t)) return cannotFollow(s, t);
    const rows = insertedRows(s, t, body, given);
    if (!rows) return mode === 'update' ? forget(s, t.key) : addUnknownRows(s, t.key);
    addRows(s, t, rows, mode);
  });
}

/** COPY FROM STDIN: `rows` in COPY's text form (undefined when the model does not hold them or cannot read their format). */
export function copyRows(s: ClusterState, t: Table, given: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>> | undefined): void {
  s.afterPlan.push(() => {
    if (!followed(s, t)) return cannotFollow(s, t);
    if (!rows) return addUnknownRows(s, t.key);
    addRows(s, t, copiedRows(s, t, given, rows), 'none');
  });
}

/** New rows, each checked as PostgreSQL checks it, then their foreign keys at the end of the statement. */
function addRows(s: ClusterState, t: Table, rows: readonly Cell[][], mode: OnConflict): void {
  const types = columnTypes(t);
  const set = heldRows(s, t.key);
  let existing: Cell[][] | undefined;
  const keys = uniqueChecks(s, t).map((k) => ({ k, idx: keyIndex(s.keyIndexes, set, k, t, types) }));
  const added: Cell[][] = [];
  for (const row of rows) {
    checkRow(s, t, types, row);
    if (mode === 'update') continue;
    let dup: UniqueCheck | undefined;
    let maybe = set.partial && keys.length > 0;
    for (const { k, idx } of keys) {
      const key = keyOf(k, t, types, row);
      if (key === null) continue;
      let found: boolean | undefined;
      if (typeof key === 'string' && idx) found = hasKey(idx, set.count, key);
      else if (k.at.every((i) => types[i].kind !== 'exact')) found = undefined;
      else found = someSame(k, t, types, row, (existing ??= tableRows(set, t)));
      const inStatement = someSame(k, t, types, row, added);
      if (found === true || inStatement === true) dup = k;
      if (found === undefined || inStatement === undefined) maybe = true;
      if (dup) break;
    }
    // a deferrable key is checked at COMMIT: in a transaction block the row may or may not stay
    if (dup?.deferrable && s.tx) {
      added.push(row.map(() => undefined));
      continue;
    }
    if (dup && mode === 'none') throw duplicateKey(t, types, dup, row);
    if (dup) continue;
    added.push(mode === 'nothing' && maybe ? row.map(() => undefined) : row);
  }
  if (mode === 'update') return forget(s, t.key);
  const refRows = (k: string) => (k === t.key ? { rows: (existing ??= tableRows(set, t)).concat(added), complete: !set.partial } : undefined);
  checkReferences(s, t, added, refRows);
  if (s.tx) {
    // rows whose deferred foreign key is not proven may be refused at COMMIT
    for (const fk of t.foreignKeys.filter((x) => x.deferrable)) {
      keysFound(s, t, fk, added, refRows).forEach((found, r) => {
        if (found !== true) added[r] = added[r].map(() => undefined);
      });
    }
  }
  setHeld(s, t.key, appended(set, t, added));
}

/** Does a row share its key with one of `rows`: true, false, or undefined when the model cannot tell. */
function someSame(k: UniqueCheck, t: Table, types: ReturnType<typeof columnTypes>, row: readonly Cell[], rows: readonly Cell[][]): boolean | undefined {
  let out: boolean | undefined = false;
  for (const other of rows) {
    const same = sameKey(k, t, types, row, other);
    if (same === true) return true;
    if (same === undefined) out = undefined;
  }
  return out;
}

/** Once the statement is planned: `run` on the table it writes, when its rows are followed; else they are forgotten. */
function onTarget(s: ClusterState, rv: RangeVar | undefined, run: (t: Table, types: ColumnType[], alias: string) => void): void {
  const t = s.builder.peekTable(s.relationKey(rv));
  if (!t) return;
  s.afterPlan.push(() => (followed(s, t) ? run(t, columnTypes(t), rv?.alias?.aliasname ?? t.name) : cannotFollow(s, t)));
}

/** UPDATE: the rows its WHERE selects get their new values, then the checks of new rows and of the keys they change. */
export function updateHeld(s: ClusterState, body: UpdateStmt): void {
  onTarget(s, body.relation, (t, types, alias) => {
    const set = heldRows(s, t.key);
    const rows = tableRows(set, t);
    const targets = (body.targetList ?? []).map((n) => nodeAs(n, 'ResTarget'));
    const at = targets.map((rt) => (rt && !rt.indirection ? t.columns.findIndex((c) => c.name === rt.name) : -1));
    const updated: number[] = [];
    const maybe: number[] = [];
    const next = rows.map((row, r) => {
      const m = where(body.whereClause, t, types, row, alias);
      if (m === false) return row;
      const out = [...row];
      for (const [n, rt] of targets.entries()) {
        const i = at[n];
        if (i === -1) {
          if (m) return row.map(() => undefined);
          continue;
        }
        if (!m) out[i] = undefined;
        else out[i] = nodeAs(rt?.val, 'SetToDefault') ? defaultCell(s, t, i) : assign(rowValue(t, types, row, rt?.val, alias), types[i]);
      }
      // a stored generated column follows the columns it is computed from: not followed
      for (const [i, c] of t.columns.entries()) if (c.generated) out[i] = undefined;
      (m ? updated : maybe).push(r);
      return out;
    });
    for (const r of updated) checkRow(s, t, types, next[r]);
    for (const k of uniqueChecks(s, t).filter((x) => !(x.deferrable && s.tx))) {
      for (const r of updated) {
        if (next.some((o, j) => j !== r && sameKey(k, t, types, next[r], o) === true)) throw duplicateKey(t, types, k, next[r]);
      }
    }
    const changed = (r: number, cols: readonly string[]) => cols.some((c) => {
      const i = t.columns.findIndex((x) => x.name === c);
      return i !== -1 && rows[r][i] !== next[r][i];
    });
    const refRows = (k: string) => (k === t.key ? { rows: next, complete: !set.partial } : undefined);
    for (const fk of t.foreignKeys) checkReferences(s, t, updated.filter((r) => changed(r, fk.columns)).map((r) => next[r]), refRows, (x) => x === fk);
    const incoming = incomingKeys(s, t.key);
    const keyGone = updated.filter((r) => incoming.some(({ fk }) => changed(r, fk.refColumns)));
    // another row may take a key this statement frees: only rows all known tell
    if (!set.partial && !maybe.length) checkStillReferenced(s, t, keyGone.map((r) => rows[r]), next, (k) => (k === t.key ? next : present(s, k)), 'update');
    setHeld(s, t.key, replaced(set, t, next));
    for (const { fk, table } of incoming) {
      if (!isRestrictOrNoAction(fk.onUpdate) && [...keyGone, ...maybe].some((r) => changed(r, fk.refColumns))) cannotFollow(s, table);
    }
  });
}

/** DELETE: the rows its WHERE selects go, their referencing rows cascade, then NO ACTION keys are checked. */
export function deleteHeld(s: ClusterState, body: DeleteStmt): void {
  onTarget(s, body.relation, (t, types, alias) => {
    const rows = tableRows(heldRows(s, t.key), t);
    const decided = rows.map((row) => where(body.whereClause, t, types, row, alias));
    const checks: Array<() => void> = [];
    removeRows(s, t, decided, checks, 0);
    for (const check of checks) check();
  });
}

/**
 * Rows of `t` go (`decided[r]` true) or may go (undefined): their
 * referencing rows cascade or are set NULL; the NO ACTION / RESTRICT checks
 * are gathered in `checks`, run once every cascade is done.
 */
function removeRows(s: ClusterState, t: Table, decided: ReadonlyArray<boolean | undefined>, checks: Array<() => void>, depth: number): void {
  const set = heldRows(s, t.key);
  const rows = tableRows(set, t);
  const gone = rows.filter((_, r) => decided[r] === true);
  const mayGo = rows.filter((_, r) => decided[r] === undefined);
  const next = rows.flatMap((row, r) => (decided[r] === true ? [] : decided[r] === undefined ? [row.map(() => undefined)] : [row]));
  setHeld(s, t.key, replaced(set, t, next));
  const partial = set.partial;
  if (!gone.length && !mayGo.length && !partial) return;
  for (const { fk, table } of incomingKeys(s, t.key)) {
    if (isRestrictOrNoAction(fk.onDelete)) continue;
    if (!followed(s, table) || partial || depth >= MAX_CASCADE || fk.onDelete === 'set default' || s.foreignKeysOff) {
      cannotFollow(s, table);
      continue;
    }
    const theirs = tableRows(heldRows(s, table.key), table);
    const surely = referencing(fk, table, t, theirs, gone);
    const perhaps = referencing(fk, table, t, theirs, mayGo);
    const hit = surely.map((h, r) => (h === false && perhaps[r] !== false ? undefined : h));
    if (fk.onDelete === 'cascade') removeRows(s, table, hit, checks, depth + 1);
    else {
      const cols = fk.columns.map((c) => table.columns.findIndex((x) => x.name === c));
      const nulled = theirs.map((row, r) => (hit[r] === false ? row : row.map((v, i) => (cols.includes(i) ? (hit[r] ? null : undefined) : v))));
      setHeld(s, table.key, replaced(heldRows(s, table.key), table, nulled));
    }
  }
  // the referenced key is unique: no other row can hold a key a DELETE takes away
  checks.push(() => checkStillReferenced(s, t, gone, [], (k) => present(s, k), 'delete'));
}

/** The rows known to be in a table (it may hold others). */
function present(s: ClusterState, key: string): Cell[][] | undefined {
  const t = s.builder.peekTable(key);
  return t && tableRows(heldRows(s, key), t);
}

/** A WHERE for one row: true, false (false or NULL), undefined when the model cannot tell; no WHERE keeps every row. */
function where(clause: Node | undefined, t: Table, types: ReturnType<typeof columnTypes>, row: readonly Cell[], alias: string): boolean | undefined {
  return clause ? holds(condition(clause, rowEnv(t, types, row, alias))) : true;
}
