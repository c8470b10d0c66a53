/** Small shared pieces for rule checks: names for messages and SQL, kind tests. */
import { displayName, quoteIdent, quoteLiteral, sqlName } from '../ingest/pg/names.js';
import type { CitusKind } from './model.js';

export { displayName, quoteIdent, quoteLiteral, sqlName };

/** Hash-distributed or single-shard: a table Citus calls distributed. */
export function isDistributedKind(kind: CitusKind): boolean {
  return kind === 'distributed' || kind === 'single-shard';
}

/** Distributed, single-shard or reference: what create_distributed_table / create_reference_table make. */
export function isShardedKind(kind: CitusKind): boolean {
  return kind === 'distributed' || kind === 'single-shard' || kind === 'reference';
}

/** Any table in Citus metadata. */
export function isCitusKind(kind: CitusKind): boolean {
  return kind !== 'local';
}

/** Human words for a kind, as messages use them. */
export function kindWords(kind: CitusKind): string {
  switch (kind) {
    case 'distributed':
      return 'distributed table';
    case 'single-shard':
      return 'single-shard distributed table';
    case 'reference':
      return 'reference table';
    case 'citus-local':
      return 'citus local table';
    default:
      return 'local table';
  }
}

export function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(', ');
}

import type { FkAction, ForeignKey } from '../catalog/model.js';

/** `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...` for an FK, with optional changes. */
export function addForeignKeySql(
  table: string,
  fk: ForeignKey,
  change: { columns?: readonly string[]; refColumns?: readonly string[]; onDelete?: FkAction; onUpdate?: FkAction } = {},
): string {
  const onDelete = change.onDelete ?? fk.onDelete;
  const onUpdate = change.onUpdate ?? fk.onUpdate;
  return (
    `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${columnList(change.columns ?? fk.columns)})` +
    ` REFERENCES ${sqlName(fk.refTable)} (${columnList(change.refColumns ?? fk.refColumns)})` +
    (onDelete !== 'no action' ? ` ON DELETE ${onDelete.toUpperCase()}` : '') +
    (onUpdate !== 'no action' ? ` ON UPDATE ${onUpdate.toUpperCase()}` : '') +
    ';'
  );
}

export function dropConstraintSql(table: string, name: string): string {
  return `ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${quoteIdent(name)};`;
}

/** `SELECT create_distributed_table('t', 'col'[, colocate_with => 'other']);` */
export function createDistributedTableSql(table: string, column: string, colocateWith?: string): string {
  return (
    `SELECT create_distributed_table(${quoteLiteral(sqlName(table))}, ${quoteLiteral(quoteIdent(column))}` +
    (colocateWith ? `, colocate_with => ${quoteLiteral(sqlName(colocateWith))}` : '') +
    ');'
  );
}

export function createReferenceTableSql(table: string): string {
  return `SELECT create_reference_table(${quoteLiteral(sqlName(table))});`;
}
