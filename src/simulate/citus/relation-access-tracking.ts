/**
 * Which tables a transaction has reached, and how
 * (transaction/relation_access_tracking.c): SELECT, DML or DDL, each either
 * over one connection per node or in parallel (a task list of two or more
 * shards, unless citus.multi_shard_modify_mode is 'sequential'). Citus keeps
 * this so that a reference table (or citus local table) and the hash
 * distributed tables with a foreign key to it, directly or through other
 * tables, are never reached over different connections in one transaction:
 * a conflicting access fails, and one that can still run sequentially
 * switches the transaction to sequential mode. Recorded inside a transaction
 * block, and within one statement outside it (a coordinated transaction).
 */
import { CitusError, rel } from './errors.js';
import { incoming, outgoing, withReferencingIndex } from './foreign-key-relationship.js';
import type { ClusterState } from './state.js';

export type AccessType = 'SELECT' | 'DML' | 'DDL';

const BIT: Readonly<Record<AccessType, number>> = { SELECT: 0, DML: 1, DDL: 2 };
const PARALLEL_OFFSET = 3;
const PARALLEL_MASK = (1 << (0 + PARALLEL_OFFSET)) | (1 << (1 + PARALLEL_OFFSET)) | (1 << (2 + PARALLEL_OFFSET));

/** The accesses of the current transaction, and whether it runs multi-shard commands sequentially. */
export interface RelationAccess {
  readonly modes: Map<string, number>;
  sequential: boolean;
}

const SEQUENTIAL_HINT = `Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`;

/** A new transaction's record (BEGIN, or a statement outside a block). */
export function newRelationAccess(sequential: boolean): RelationAccess {
  return { modes: new Map(), sequential };
}

type Mode = 'none' | 'reference' | 'parallel';

function modeOf(s: ClusterState, key: string, type: AccessType): Mode {
  const bits = s.access.modes.get(key) ?? 0;
  if (!(bits & (1 << BIT[type]))) return 'none';
  return bits & (1 << (BIT[type] + PARALLEL_OFFSET)) ? 'parallel' : 'reference';
}

/** ParallelQueryExecutedInTransaction. */
export function parallelQueryExecuted(s: ClusterState): boolean {
  for (const bits of s.access.modes.values()) if (bits & PARALLEL_MASK) return true;
  return false;
}

/** Tables reaching `key` through foreign keys (`referencing`), or reached from it, transitively (GetForeignConstraintRelationshipHelper). */
function fkClosure(s: ClusterState, key: string, referencing: boolean): string[] {
  return withReferencingIndex(s, () => walkFkClosure(s, key, referencing));
}

function walkFkClosure(s: ClusterState, key: string, referencing: boolean): string[] {
  const out: string[] = [];
  const seen = new Set([key]);
  const queue = [key];
  while (queue.length) {
    const k = queue.shift()!;
    const next = referencing ? incoming(s, k).map((fk) => fk.table) : outgoing(s, k).map((fk) => fk.refTable);
    for (const n of next) {
      if (seen.has(n)) continue;
      seen.add(n);
      out.push(n);
      queue.push(n);
    }
  }
  return out;
}

const isDistributed = (s: ClusterState, key: string) => s.kind(key) === 'distributed' || s.kind(key) === 'single-shard';

/** CheckConflictingRelationAccesses: an access to a reference or citus local table with hash distributed tables referencing it. */
function checkConflicting(s: ClusterState, key: string, type: AccessType, dropped: ReadonlySet<string> | undefined): void {
  if (!s.isCitus(key) || isDistributed(s, key)) return;
  const referencing = fkClosure(s, key, true).filter((k) => !dropped?.has(k));
  if (!referencing.length) return;
  for (const other of referencing) {
    if (s.kind(other) !== 'distributed') continue;
    let conflict: AccessType | undefined;
    const parallel = (t: AccessType) => modeOf(s, other, t) === 'parallel';
    if (type === 'SELECT') {
      if (parallel('DDL')) conflict = 'DDL';
    } else if (type === 'DML') {
      if (parallel('DML')) conflict = 'DML';
      if (parallel('DDL')) conflict = 'DDL';
    } else {
      if (parallel('SELECT')) conflict = 'SELECT';
      if (parallel('DML')) conflict = 'DML';
      if (parallel('DDL')) conflict = 'DDL';
    }
    if (conflict) {
      const on = dropped?.has(key) ? 'on table' : `on table "${rel(key)}"`;
      throw new CitusError(`cannot execute ${type} ${on} because there was a parallel ${conflict} access to distributed table "${rel(other)}" in the same transaction`, undefined, SEQUENTIAL_HINT);
    }
  }
  if (type === 'SELECT') return;
  if (parallelQueryExecuted(s)) {
    throw new CitusError(
      `cannot modify table "${rel(key)}" because there was a parallel operation on a distributed table`,
      'When there is a foreign key to a reference table or to a local table, Citus needs to perform all operations over a single connection per node to ensure consistency.',
      SEQUENTIAL_HINT,
    );
  }
  s.access.sequential = true;
}

/** CheckConflictingParallelRelationAccesses: a parallel access to a hash distributed table with foreign keys to reference or citus local tables. */
function checkConflictingParallel(s: ClusterState, key: string, type: AccessType): void {
  if (s.kind(key) !== 'distributed' || s.access.sequential) return;
  for (const ref of fkClosure(s, key, false)) {
    if (isDistributed(s, ref) || !s.isCitus(ref)) continue;
    let conflict: AccessType | undefined;
    if (type === 'DDL' && modeOf(s, ref, 'SELECT') !== 'none') conflict = 'SELECT';
    else if (modeOf(s, ref, 'DML') !== 'none') conflict = 'DML';
    else if (modeOf(s, ref, 'DDL') !== 'none') conflict = 'DDL';
    if (!conflict) continue;
    if (parallelQueryExecuted(s)) {
      throw new CitusError(
        `cannot execute parallel ${type} on table "${rel(key)}" after ${conflict} command on reference table "${rel(ref)}" because there is a foreign key between them and "${rel(ref)}" has been accessed in this transaction`,
        'When there is a foreign key to a reference table, Citus needs to perform all operations over a single connection per node to ensure consistency.',
        SEQUENTIAL_HINT,
      );
    }
    s.access.sequential = true;
    return;
  }
}

function setBits(s: ClusterState, key: string, type: AccessType, parallel: boolean): void {
  const bits = (s.access.modes.get(key) ?? 0) | (1 << BIT[type]) | (parallel ? 1 << (BIT[type] + PARALLEL_OFFSET) : 0);
  s.access.modes.set(key, bits);
}

/**
 * RecordRelationAccessIfNonDistTable: an access over one connection per node
 * to a reference or citus local table; `dropped`: the tables a DROP removes
 * (the table's name is gone, and so are they).
 */
export function recordAccess(s: ClusterState, key: string, type: AccessType, dropped?: ReadonlySet<string>): void {
  if (!s.isCitus(key) || isDistributed(s, key)) return;
  checkConflicting(s, key, type, dropped);
  setBits(s, key, type, false);
}

/** RecordParallelRelationAccess: with a partitioned table its partitions, with a partition its parent. */
export function recordParallel(s: ClusterState, key: string, type: AccessType): void {
  if (!s.isCitus(key)) return;
  checkConflictingParallel(s, key, type);
  if (s.access.sequential) return;
  const t = s.builder.peekTable(key);
  if (t?.relkind === 'partitioned') for (const p of s.partitionsOf(key)) recordParallel(s, p.key, type);
  else if (t?.partitionOf) setBits(s, t.partitionOf.parent, type, true);
  setBits(s, key, type, true);
}

/** The shards a command on a Citus table runs a task on. */
export function taskCount(s: ClusterState, key: string): number {
  const kind = s.kind(key);
  if (kind !== 'distributed') return kind === 'local' ? 0 : 1;
  return s.colocationGroupOf(key)?.shardCount ?? s.citus.get(key)?.shardCount ?? 1;
}

/** Where each relation is first named in a statement (RangeVar locations), by catalog key. */
function firstNamed(s: ClusterState, root: unknown): Map<string, number> {
  const at = new Map<string, number>();
  const visit = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(visit);
    const o = v as Record<string, unknown>;
    if (typeof o.relname === 'string' && typeof o.location === 'number') {
      const key = s.relationKey({ relname: o.relname, ...(typeof o.schemaname === 'string' ? { schemaname: o.schemaname } : {}) });
      at.set(key, Math.min(at.get(key) ?? Infinity, o.location));
    }
    for (const x of Object.values(o)) visit(x);
  };
  visit(root);
  return at;
}

/**
 * A query's accesses, table by table in the order the statement names them
 * (a modifying CTE runs before the query around it): with two or more tasks
 * in parallel mode, a parallel access to each distributed table (a written
 * one DML and SELECT, the rest SELECT); the reference and citus local tables
 * over their placement connections (written ones DML, the rest SELECT).
 */
export function recordQuery(s: ClusterState, root: unknown, read: readonly string[], written: readonly string[], tasks: number): void {
  const at = firstNamed(s, root);
  const tables = [...new Set([...written, ...read])].sort((a, b) => (at.get(a) ?? Infinity) - (at.get(b) ?? Infinity));
  for (const k of tables) {
    const parallel = tasks >= 2 && !s.access.sequential;
    const write = written.includes(k);
    // a modification of a reference or citus local table is one task
    if (parallel && write && s.kind(k) === 'distributed') recordParallel(s, k, 'DML');
    if (parallel && (!write || s.kind(k) === 'distributed')) recordParallel(s, k, 'SELECT');
    recordAccess(s, k, write ? 'DML' : 'SELECT');
  }
}

/** A DDL command's access to a table (ALTER TABLE, CREATE INDEX, TRUNCATE): parallel on a distributed table of two or more shards. */
export function recordDdl(s: ClusterState, key: string): void {
  if (s.kind(key) === 'distributed' && taskCount(s, key) >= 2) {
    if (!s.access.sequential) recordParallel(s, key, 'DDL');
  } else recordAccess(s, key, 'DDL');
}

/** DROP: the shards go over one placement connection at a time, after PostgreSQL dropped the tables. */
export function recordDrop(s: ClusterState, keys: readonly string[]): void {
  const gone = new Set(keys);
  for (const k of keys) recordAccess(s, k, 'DDL', gone);
}

/**
 * SetupExecutionModeForAlterTable's end: a command that must run over one
 * connection per node (`sequential`) on a table with a distribution key
 * cannot, once a parallel query ran in the transaction.
 */
export function ensureSequentialAlterTable(s: ClusterState, key: string): void {
  if (s.kind(key) === 'distributed' && parallelQueryExecuted(s)) {
    throw new CitusError(
      `cannot modify table "${rel(key)}" because there was a parallel operation on a distributed table in the transaction`,
      'When there is a foreign key to a reference table, Citus needs to perform all operations over a single connection per node to ensure consistency.',
      SEQUENTIAL_HINT,
    );
  }
  s.access.sequential = true;
}

/** EnsureSequentialModeForAlterTableOperation: an unnamed foreign key to a reference table. */
export function ensureSequentialForeignKey(s: ClusterState): void {
  if (parallelQueryExecuted(s)) {
    const what = 'ALTER TABLE ... ADD FOREIGN KEY';
    throw new CitusError(
      `cannot run ${what} command because there was a parallel operation on a distributed table in the transaction`,
      `When running command on/for a distributed ${what}, Citus needs to perform all operations over a single connection per node to ensure consistency.`,
      SEQUENTIAL_HINT,
    );
  }
  s.access.sequential = true;
}

/**
 * CanUseExclusiveConnections, for a hash distributed table just created in a
 * transaction block: its shards are made in parallel unless the transaction
 * is sequential or the table has a foreign key to a reference table, which
 * a parallel query earlier in the transaction rules out.
 */
export function distributeInTransaction(s: ClusterState, key: string, shardCount: number): void {
  const fkToReference = outgoing(s, key).some((fk) => s.kind(fk.refTable) === 'reference');
  if (fkToReference || s.access.sequential) {
    if (!parallelQueryExecuted(s)) return;
    if (fkToReference) {
      throw new CitusError(
        `cannot distribute relation "${rel(key)}" in this transaction because it has a foreign key to a reference table`,
        'If a hash distributed table has a foreign key to a reference table, it has to be created in sequential mode before any parallel commands have been executed in the same transaction',
        SEQUENTIAL_HINT,
      );
    }
    throw new CitusError(
      `cannot distribute "${rel(key)}" in sequential mode because a parallel query was executed in this transaction`,
      undefined,
      "If you have manually set citus.multi_shard_modify_mode to 'sequential', try with 'parallel' option. ",
    );
  }
  if (s.tx && shardCount >= 2) recordParallel(s, key, 'DDL');
}
