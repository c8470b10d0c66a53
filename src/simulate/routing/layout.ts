/**
 * What the planner model asks of a design about one table: its kind in
 * Citus's terms, its distribution column, its colocation group and, when
 * the design knows its shards, the shard a value hashes to.
 */
import type { Column, TypeRef } from '../../catalog/model.js';
import type { DistributionView, TableRole } from './types.js';

/** A column type as a Var's vartype tells it: the type's own name (a domain is not its base), `[]` per array dimension, no modifiers. */
export function typeKey(t: TypeRef | undefined): string | undefined {
  return t && t.name !== 'unknown' ? `${t.name}${'[]'.repeat(t.arrayDims)}` : undefined;
}

/** What a view tells of a table's columns, from the columns as the schema has them. */
export function columnFacts(columns: (table: string) => readonly Column[] | undefined): Pick<DistributionView, 'columnType' | 'hasDefault'> {
  const find = (t: string, c: string) => columns(t)?.find((x) => x.name === c);
  return {
    columnType: (t, c) => typeKey(find(t, c)?.type),
    hasDefault: (t, c) => {
      const col = find(t, c);
      return !!col && (col.default !== undefined || col.identity !== undefined || col.serial);
    },
  };
}

export class Layout {
  constructor(readonly view: DistributionView) {}

  role(table: string | undefined): TableRole {
    return table === undefined ? 'local' : this.view.role(table);
  }

  /** A hash-distributed table (it has a distribution key). */
  hash(table: string | undefined): boolean {
    return this.role(table) === 'distributed';
  }

  /** Citus's DISTRIBUTED_TABLE: hash-distributed or single-shard (a colocated table without a key). */
  sharded(table: string | undefined): boolean {
    const r = this.role(table);
    return r === 'distributed' || r === 'single-shard';
  }

  /** A Citus table of any kind. */
  citus(table: string | undefined): boolean {
    return this.role(table) !== 'local';
  }

  /** A plain PostgreSQL table (not in Citus's metadata). */
  local(table: string | undefined): boolean {
    return this.role(table) === 'local';
  }

  /** Reference tables and citus local tables: one shard, replicated or on the coordinator. */
  recurring(table: string | undefined): boolean {
    const r = this.role(table);
    return r === 'reference' || r === 'citus-local';
  }

  column(table: string | undefined): string | undefined {
    return table === undefined || !this.hash(table) ? undefined : this.view.column(table);
  }

  group(table: string | undefined): string | undefined {
    return table === undefined ? undefined : this.view.group(table);
  }

  /** The shard index a value of the distribution column hashes to, when the design can tell. */
  shardIndex(table: string, value: string): number | undefined {
    return this.view.shardIndex?.(table, value);
  }

  /** A column's type, when the design knows it. */
  columnType(table: string | undefined, column: string): string | undefined {
    return table === undefined ? undefined : this.view.columnType?.(table, column);
  }

  /** Placements per shard of a distributed or single-shard table (1 when the design does not say). */
  replicationFactor(table: string): number {
    return this.view.replicationFactor?.(table) ?? 1;
  }

  shardCount(table: string): number | undefined {
    return this.view.shardCount?.(table);
  }

  /** A column that is a table's distribution column. */
  isKey(table: string | undefined, column: string): boolean {
    return this.hash(table) && this.column(table) === column;
  }
}
