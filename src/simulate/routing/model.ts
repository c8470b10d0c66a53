/** What the router decides (a query's route) and what it decides it from (a design's view, the settings). */
import type { ColumnFilter } from '../../workload/model.js';

export type RouteClass = 'router' | 'multi-shard' | 'repartition' | 'recursive' | 'coordinator' | 'error';

export interface CitusError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface Route {
  readonly class: RouteClass;
  /** Why, in words. */
  readonly reason: string;
  readonly error?: CitusError;
  /** The distribution-column filters that decide the shards (router / IN lists). */
  readonly keyFilters?: ColumnFilter[];
  /** Repartition joins need citus.enable_repartition_joins. */
  readonly needsRepartitionGuc?: boolean;
}

export type TableRole = 'distributed' | 'single-shard' | 'reference' | 'citus-local' | 'local';

/** What the router needs to know of a design. */
export interface DistributionView {
  role(table: string): TableRole;
  /** Distribution column of a distributed table. */
  column(table: string): string | undefined;
  /** Colocation group id (distributed and single-shard tables). */
  group(table: string): string | undefined;
  /**
   * Does the column get a value when an INSERT leaves it out: a default
   * (serial's nextval), an identity? Without it, no column has one.
   */
  hasDefault?(table: string, column: string): boolean;
}

export interface RoutingOptions {
  readonly enableRepartitionJoins: boolean;
  /**
   * Citus before the #8214 fix (before 12.1.10, 13.0.5, 13.1.1, 13.2.1, 14.0):
   * `SET key = x.col` counts as a no-op whenever col has the key's attribute
   * number, whatever table x is, and WHERE is never consulted for a column.
   * `attno` gives a column's position in its table.
   */
  readonly keyUpdateBefore8214?: { attno(table: string, column: string): number };
}
