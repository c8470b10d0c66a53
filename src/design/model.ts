/**
 * The distribution design: which table becomes what, on which column. The
 * in-memory form of `shardwise.plan.yaml` (see schemas/design.schema.json).
 * Table keys are catalog keys (`schema.name`); the file writes them
 * unqualified for the public schema.
 */

export type TableKind = 'distributed' | 'reference' | 'local' | 'single-shard';

export interface Backfill {
  /** The table the key comes from (catalog key), the first hop of the FK path. */
  readonly from: string;
  /** Join columns on this table that reference `from` (the FK columns). */
  readonly join: string[];
  /** The whole FK path from this table to a table that has the key, hop by hop. */
  readonly path?: Array<{ readonly table: string; readonly columns: string[]; readonly refTable: string; readonly refColumns: string[] }>;
}

export interface TableDesign {
  readonly kind: TableKind;
  /** Distribution column (distributed tables). */
  readonly column?: string;
  /** Table key whose colocation group this table joins (distributed tables). */
  readonly colocateWith?: string;
  /** The distribution column must be added and filled along an FK path. */
  readonly backfill?: Backfill;
  /** Shard count for this table when it differs from the design's. */
  readonly shardCount?: number;
}

export interface Design {
  /** Target Citus version, e.g. "14.0". */
  readonly citus: string;
  readonly shardCount: number;
  readonly tables: Record<string, TableDesign>;
}

export const DEFAULT_CITUS_VERSION = '14.0';
export const DEFAULT_SHARD_COUNT = 32;
