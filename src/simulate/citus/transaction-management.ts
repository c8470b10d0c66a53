/**
 * Transaction blocks on the coordinator (Citus's
 * transaction/transaction_management.c over PostgreSQL's xact.c): BEGIN
 * remembers the state, a failed statement changes nothing and aborts the
 * block, COMMIT keeps the block's work (ROLLBACK, or COMMIT of an aborted
 * block, undoes it), and SET LOCAL values last until the end of the block.
 * SAVEPOINT remembers the state within the block; ROLLBACK TO returns to
 * it (also from an aborted block, which it revives); RELEASE forgets it.
 */
import { CatalogBuilder } from '../../catalog/builder.js';
import type { TransactionStmt } from '../../ingest/pg/ast.js';
import { newRelationAccess } from './relation-access-tracking.js';
import { CitusError, TX_ABORTED } from './errors.js';
import { forgetAll } from './rows.js';
import type { ClusterState, Savepoint, Snapshot } from './state.js';

export function transaction(s: ClusterState, body: TransactionStmt): void {
  switch (body.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      if (!s.tx) {
        s.tx = { snapshot: s.snapshot(), catalog: s.builder.build(), searchPath: s.builder.searchPath, aborted: false, local: {}, savepoints: [] };
        s.access = newRelationAccess(s.sequentialSession);
      }
      return;
    case 'TRANS_STMT_COMMIT':
      if (s.tx?.aborted) rollback(s);
      else if (s.tx) {
        Object.assign(s.settings, s.tx.local);
        if (s.tx.datesAfter) s.dates = s.tx.datesAfter;
      }
      s.tx = undefined;
      s.access = newRelationAccess(s.sequentialSession);
      return;
    case 'TRANS_STMT_ROLLBACK':
      endSession(s);
      return;
    case 'TRANS_STMT_SAVEPOINT':
      if (!s.tx) throw new CitusError('SAVEPOINT can only be used in transaction blocks');
      if (s.tx.aborted) throw TX_ABORTED();
      s.tx.savepoints.push({ name: body.savepoint_name ?? '', snapshot: s.snapshot(), catalog: s.builder.build(), searchPath: s.builder.searchPath, local: { ...s.tx.local } });
      return;
    case 'TRANS_STMT_RELEASE':
      if (!s.tx) throw new CitusError('RELEASE SAVEPOINT can only be used in transaction blocks');
      if (s.tx.aborted) throw TX_ABORTED();
      s.tx.savepoints.splice(savepointAt(s.tx.savepoints, body.savepoint_name));
      return;
    case 'TRANS_STMT_ROLLBACK_TO': {
      if (!s.tx) throw new CitusError('ROLLBACK TO SAVEPOINT can only be used in transaction blocks');
      const at = savepointAt(s.tx.savepoints, body.savepoint_name);
      const sp = s.tx.savepoints[at];
      s.tx.savepoints.splice(at + 1);
      s.restore(sp.snapshot);
      s.builder = CatalogBuilder.fromCatalog(sp.catalog);
      s.builder.searchPath = sp.searchPath;
      s.tx = { ...s.tx, aborted: false, local: { ...sp.local } };
      return;
    }
    case 'TRANS_STMT_PREPARE':
    case 'TRANS_STMT_COMMIT_PREPARED':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      // prepared transactions are not followed: the rows they keep or undo are not known
      forgetAll(s);
      return;
    default:
      return;
  }
}

/** The newest savepoint of the name; PostgreSQL's error when there is none. */
function savepointAt(savepoints: readonly Savepoint[], name: string | undefined): number {
  for (let i = savepoints.length - 1; i >= 0; i--) if (savepoints[i].name === name) return i;
  throw new CitusError(`savepoint "${name}" does not exist`);
}

/**
 * psql connects again (`\c`): the session ends, and the new one starts with
 * the default settings and search_path.
 */
export function newSession(s: ClusterState): void {
  endSession(s);
  Object.assign(s.settings, s.sessionDefaults);
  s.dates = s.initialDates;
  s.sequentialSession = false;
  s.access.sequential = false;
  s.searchPath = undefined;
  s.builder.newSession();
}

/** The session ends (psql exits): an open transaction block is rolled back. */
export function endSession(s: ClusterState): void {
  if (s.tx) rollback(s);
  s.tx = undefined;
  s.access = newRelationAccess(s.sequentialSession);
}

/**
 * A statement failed: its changes are undone (`saved` is the state it
 * started from), except the work Citus committed on its own, and an open
 * transaction block is aborted.
 */
export function abortStatement(s: ClusterState, saved: Snapshot): void {
  s.restore(saved);
  for (const keep of s.committed) keep();
  if (s.tx) s.tx.aborted = true;
}

function rollback(s: ClusterState): void {
  if (!s.tx) return;
  s.restore(s.tx.snapshot);
  s.builder = CatalogBuilder.fromCatalog(s.tx.catalog);
  s.builder.searchPath = s.tx.searchPath;
}
