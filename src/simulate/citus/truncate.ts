/**
 * TRUNCATE (commands/truncate.c with PostgreSQL's ExecuteTruncate): a table
 * goes with its partitions and children (not with ONLY); tables
 * referenced by a foreign key must be truncated together, or with CASCADE,
 * which reaches the referencing tables; and truncate_local_data_after_distributing_table
 * (EnsureLocalTableCanBeTruncated).
 */
import type { TruncateStmt } from '../../ingest/pg/ast.js';
import { nodeAs } from '../../ingest/pg/index.js';
import { CitusError, rel } from './errors.js';
import { incoming } from './foreign-key-relationship.js';
import { recordDdl } from './relation-access-tracking.js';
import { emptyRows } from './rows.js';
import type { ClusterState } from './state.js';

export function truncate(s: ClusterState, body: TruncateStmt): void {
  const keys: string[] = [];
  for (const r of body.relations ?? []) {
    const rv = nodeAs(r, 'RangeVar');
    // truncate_check_rel: a view (or any other relation that is not a table)
    if (s.builder.peekView(s.relationKey(rv))) throw new CitusError(`"${rv?.relname}" is not a table`);
    const key = s.mustTable(rv).key;
    keys.push(key);
    // without ONLY, a table's partitions and inheritance children are truncated with it
    if (!rv?.inh) continue;
    for (let i = keys.length - 1; i < keys.length; i++) {
      for (const c of s.builder.peekTables()) if ((c.partitionOf?.parent === keys[i] || c.inherits.includes(keys[i])) && !keys.includes(c.key)) keys.push(c.key);
    }
  }
  const all = new Set(keys);
  if (body.behavior === 'DROP_CASCADE') {
    const queue = [...keys];
    while (queue.length) {
      const k = queue.shift()!;
      for (const fk of incoming(s, k)) {
        if (all.has(fk.table)) continue;
        all.add(fk.table);
        queue.push(fk.table);
        s.notices.push(`truncate cascades to table "${rel(fk.table)}"`);
      }
    }
  } else {
    for (const k of keys) {
      for (const fk of incoming(s, k)) {
        if (!all.has(fk.table)) {
          throw new CitusError(
            'cannot truncate a table referenced in a foreign key constraint',
            `Table "${rel(fk.table)}" references "${rel(k)}".`,
            `Truncate table "${rel(fk.table)}" at the same time, or use TRUNCATE ... CASCADE.`,
          );
        }
      }
    }
  }
  // ExecuteTruncateStmtSequentialIfNecessary: a referenced reference or citus local table among those named
  if (keys.some((k) => (s.kind(k) === 'reference' || s.kind(k) === 'citus-local') && incoming(s, k).length)) s.access.sequential = true;
  for (const k of all) recordDdl(s, k);
  for (const k of all) {
    const t = s.builder.peekTable(k);
    s.data.set(k, { rows: 0, firstNull: {}, ...(t ? { held: emptyRows(t) } : {}) });
  }
}

/** truncate_local_data_after_distributing_table: any Citus table (a citus local one too), and no FK to it from a plain table. */
export function truncateLocalDataAfterDistributingTable(s: ClusterState, key: string): void {
  if (!s.isCitus(key)) throw new CitusError('supplied parameter is not a distributed relation', 'This UDF only truncates local records of distributed tables.');
  for (const fk of incoming(s, key)) {
    if (s.kind(fk.table) === 'local') {
      throw new CitusError('cannot truncate a table referenced in a foreign key constraint by a local table', `Table "${rel(fk.table)}" references "${rel(key)}"`);
    }
  }
}
