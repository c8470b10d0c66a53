/**
 * What a table must be to become a Citus table, as Citus checks it before
 * changing the metadata: the relation itself (create_distributed_table.c
 * EnsureCitusTableCanBeCreated, and EnsureRelationCanBeDistributed's
 * partition and identity checks, by version), its unique constraints
 * (table.c ErrorIfUnsupportedConstraint), its policies (policy.c
 * ErrorIfUnsupportedPolicy), and, for undistribute_table and
 * alter_distributed_table, its identity columns (table.c
 * ErrorIfTableHasIdentityColumn; citus-rules.md §2.3, §7).
 */
import type { Table } from '../../catalog/model.js';
import { isEqualityOperator } from './distribution-column.js';
import { CitusError, qual, rel, UNIQUE_CONSTRAINT } from './errors.js';
import type { ClusterState } from './state.js';

/** EnsureCitusTableCanBeCreated: a regular, partitioned (or, for citus local tables, foreign) table, not temporary, not in an inheritance tree. */
export function ensureCanBeCreated(s: ClusterState, key: string, allowForeign = false): Table {
  const t = s.builder.peekTable(key);
  if (!t) throw new CitusError(`${rel(key)} is not a regular, foreign or partitioned table`);
  if (t.persistence === 'temporary') throw new CitusError('cannot distribute a temporary table');
  if (t.relkind === 'foreign' && !allowForeign) {
    throw new CitusError('foreign tables cannot be distributed', undefined, `Can add foreign table "${rel(key)}" to metadata by running: SELECT citus_add_local_table_to_metadata($$${qual(key)}$$);`);
  }
  const isParent = s.builder.peekTables().some((o) => o.inherits.includes(key));
  if (t.inherits.length || isParent) throw new CitusError(`${rel(key)} is not a regular, foreign or partitioned table`);
  return t;
}

/** A partition is distributed with its parent, never on its own. */
export function ensurePartitionParentIsCitus(s: ClusterState, t: Table): void {
  if (!t.partitionOf || s.isCitus(t.partitionOf.parent)) return;
  const p = rel(t.partitionOf.parent);
  throw new CitusError(`cannot distribute relation "${rel(t.key)}" which is partition of "${p}"`, 'Citus does not support distributing partitions if their parent is not distributed table.', `Distribute the partitioned table "${p}" instead.`);
}

/** 11.2.1 to 11.x (EnsureRelationCanBeDistributed, first check): identity columns must be bigint. */
export function ensureIdentityBeforeTriggers(s: ClusterState, key: string): void {
  if (!s.atLeast(11, 2, 1) || s.atLeast(12)) return;
  if (s.builder.peekTable(key)!.columns.some((c) => c.identity && c.type.name !== 'int8')) {
    throw new CitusError(`cannot complete operation on ${qual(key)} with smallint/int identity column`, undefined, 'Use bigint identity column instead.');
  }
}

/** Before 11.2 (EnsureRelationCanBeDistributed, after the trigger check): no identity columns at all. */
export function ensureIdentityAfterTriggers(s: ClusterState, key: string): void {
  if (s.atLeast(11, 2)) return;
  if (s.builder.peekTable(key)!.columns.some((c) => c.identity)) {
    throw new CitusError(`cannot distribute relation: ${rel(key)}`, 'Distributed relations must not use GENERATED ... AS IDENTITY.');
  }
}

/** undistribute_table / alter_distributed_table on a table with identity columns, by version. */
export function ensureNoIdentityForConversion(s: ClusterState, t: Table): void {
  if (!t.columns.some((c) => c.identity)) return;
  if (s.atLeast(11, 2, 1)) throw new CitusError('cannot complete operation on a table with identity column');
  if (!s.atLeast(11, 2)) {
    throw new CitusError(`cannot complete command because relation ${qual(t.key)} has identity column`, undefined, 'Drop the identity columns and re-try the command');
  }
}

/** ErrorIfUnsupportedConstraint: PRIMARY KEY, UNIQUE and EXCLUDE must include the distribution column (EXCLUDE with `=`). */
export function ensureUniqueConstraintsIncludeColumn(s: ClusterState, t: Table, column: string): void {
  if (s.settings['citus.allow_unsafe_constraints']) return;
  const has = (cols: ReadonlyArray<string | null>) => cols.includes(column);
  const bad =
    (t.primaryKey && !has(t.primaryKey.columns)) ||
    t.uniques.some((u) => !has(u.columns)) ||
    t.exclusions.some((x) => !x.elements.some((e) => e.column === column && isEqualityOperator(e.operator)));
  if (bad) throw UNIQUE_CONSTRAINT(t.key);
}

/** ErrorIfUnsupportedPolicy. */
export function ensurePoliciesSupported(t: Table): void {
  if (t.policies.some((p) => p.hasSubquery)) throw new CitusError('cannot create policy', 'Subqueries are not supported in policies on distributed tables');
}
