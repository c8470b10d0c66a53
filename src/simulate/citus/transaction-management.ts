/**
 * Transaction blocks on the coordinator (Citus's
 * transaction/transaction_management.c over PostgreSQL's xact.c): BEGIN
 * remembers the state, a failed statement changes nothing and aborts the
 * block, COMMIT keeps the block's work (ROLLBACK, or COMMIT of an aborted
 * block, undoes it), and SET LOCAL values last until the end of the block.
 */
import { CatalogBuilder } from '../../catalog/builder.js';
import type { TransactionStmt } from '../../ingest/pg/ast.js';
import { newRelationAccess } from './relation-access-tracking.js';
import { forgetAll } from './rows.js';
import type { ClusterState, Snapshot } from './state.js';

export function transaction(s: ClusterState, body: TransactionStmt): void {
  switch (body.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      if (!s.tx) {
        s.tx = { snapshot: s.snapshot(), catalog: s.builder.build(), searchPath: s.builder.searchPath, aborted: false, local: {} };
        s.access = newRelationAccess(s.sequentialSession);
      }
      return;
    case 'TRANS_STMT_COMMIT':
      if (s.tx?.aborted) rollback(s);
      else if (s.tx) Object.assign(s.settings, s.tx.local);
      s.tx = undefined;
      s.access = newRelationAccess(s.sequentialSession);
      return;
    case 'TRANS_STMT_ROLLBACK':
      endSession(s);
      return;
    case 'TRANS_STMT_ROLLBACK_TO':
    case 'TRANS_STMT_PREPARE':
    case 'TRANS_STMT_COMMIT_PREPARED':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      // savepoints and prepared transactions are not followed: the rows they keep or undo are not known
      forgetAll(s);
      return;
    default:
      return;
  }
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
