/**
 * Declarative partitioning: a partitioned table's key (PARTITION BY), a
 * partition's bound, and what a partition takes from its parent when it is
 * created (PARTITION OF) or attached (ATTACH PARTITION): NOT NULL, the
 * primary key, unique keys, foreign keys and row-level triggers, as
 * PostgreSQL clones them.
 */
import type { PartitionBoundSpec, PartitionCmd, PartitionSpec } from '../ingest/pg/ast.js';
import { deparseNode, nodeAs } from '../ingest/pg/index.js';
import { addConstraintIndex, constraintNameTaken, setPrimaryKey } from './constraints.js';
import type { BuildContext } from './context.js';
import type { Index, Table } from './model.js';
import { chooseName, columnsPart } from './naming.js';
import type { MTable } from './state.js';

/** A partition bound as PostgreSQL prints it: `FOR VALUES IN (...)`, `FROM (...) TO (...)`, `WITH (...)` or `DEFAULT`. */
export function boundText(pb: PartitionBoundSpec | undefined): string {
  if (!pb) return '';
  if (pb.is_default) return 'DEFAULT';
  const vals = (list: PartitionBoundSpec['listdatums']) => (list ?? []).map((v) => deparseNode(v)).join(', ');
  switch (pb.strategy) {
    case 'l':
      return `FOR VALUES IN (${vals(pb.listdatums)})`;
    case 'r':
      return `FOR VALUES FROM (${vals(pb.lowerdatums)}) TO (${vals(pb.upperdatums)})`;
    case 'h':
      return `FOR VALUES WITH (modulus ${pb.modulus}, remainder ${pb.remainder})`;
    default:
      return '';
  }
}

/** PARTITION BY: the strategy, the key columns and the key expressions. */
export function partitionKey(ps: PartitionSpec): NonNullable<Table['partitionBy']> {
  const strategy = ps.strategy === 'PARTITION_STRATEGY_LIST' ? 'list' : ps.strategy === 'PARTITION_STRATEGY_HASH' ? 'hash' : 'range';
  const columns: string[] = [];
  const expressions: string[] = [];
  for (const pe of ps.partParams ?? []) {
    const el = nodeAs(pe, 'PartitionElem');
    if (el?.name) columns.push(el.name);
    else if (el?.expr) expressions.push(deparseNode(el.expr));
  }
  return { strategy, columns, expressions };
}

/** What a partition takes from its parent: NOT NULL, the keys (under names of its own), foreign keys and row triggers. */
export function inheritFromPartitionParent(ctx: BuildContext, child: MTable, parent: MTable): void {
  for (const c of child.columns) {
    const pc = parent.columns.find((x) => x.name === c.name);
    if (pc?.notNull) c.notNull = true;
  }
  if (parent.primaryKey && !child.primaryKey) {
    const name = chooseName(child.name, undefined, 'pkey', (n) => constraintNameTaken(ctx, child, n));
    setPrimaryKey(ctx, child, { ...parent.primaryKey, name }, child.location);
  }
  for (const u of parent.uniques) {
    if (child.uniques.some((x) => sameColumns(x.columns, u.columns))) continue;
    const name = chooseName(child.name, columnsPart(u.columns), u.source === 'constraint' ? 'key' : 'idx', (n) => constraintNameTaken(ctx, child, n));
    child.uniques.push({ ...u, name });
  }
  for (const fk of parent.foreignKeys) {
    if (!child.foreignKeys.some((x) => x.name === fk.name)) child.foreignKeys.push({ ...fk });
  }
  for (const trg of parent.triggers) {
    if (trg.level === 'row' && !child.triggers.some((x) => x.name === trg.name)) child.triggers.push({ ...trg });
  }
}

/** ALTER TABLE parent ATTACH PARTITION child FOR VALUES ... */
export function attachPartition(ctx: BuildContext, parent: MTable, cmd: PartitionCmd): void {
  const child = ctx.lookupTable(cmd.name);
  if (!child) return;
  child.partitionOf = { parent: parent.key, bound: boundText(cmd.bound) };
  child.inherits = [];
  inheritFromPartitionParent(ctx, child, parent);
}

/** ALTER TABLE parent DETACH PARTITION child */
export function detachPartition(ctx: BuildContext, cmd: PartitionCmd): void {
  const child = ctx.lookupTable(cmd.name);
  if (child) delete child.partitionOf;
}

export function sameColumns(a: Array<string | null>, b: Array<string | null>): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A partition's index attached to the partitioned table's `parent` index: one of the same definition, backing no constraint. */
export function attachedIndex(parent: Index, i: Index): boolean {
  return !i.constraint && i.unique === parent.unique && i.method === parent.method && i.where === parent.where && sameColumns(i.columns, parent.columns) && i.expressions.join('\u0000') === parent.expressions.join('\u0000');
}
