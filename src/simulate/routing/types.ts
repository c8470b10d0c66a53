/**
 * The vocabulary of the routing model: the planner's classes, Citus's
 * errors, a route, and what the router needs to know of a design.
 */
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
  /** The shard indexes the main step runs on, when the model knows them (values hashed through the design). */
  readonly shardIndexes?: number[];
  /** How many shards the main step runs on, when known without the indexes. */
  readonly shardCount?: number;
  /** Intermediate results planned before the main step (Citus's distributed subplans). */
  readonly subplans?: number;
  /** Repartition joins need citus.enable_repartition_joins. */
  readonly needsRepartitionGuc?: boolean;
  /**
   * What the model could not read in the statement (a view whose query is
   * unknown, a relation that is no table, ...): the class is a guess then.
   */
  readonly unsure?: string[];
}

export type TableRole = 'distributed' | 'single-shard' | 'reference' | 'citus-local' | 'local';

/** What the router needs to know of a design. */
export interface DistributionView {
  role(table: string): TableRole;
  /** Distribution column of a distributed table. */
  column(table: string): string | undefined;
  /** Colocation group id (distributed and single-shard tables). */
  group(table: string): string | undefined;
  /** The shard index a value of a distributed table's distribution column hashes to, when the shard map is known. */
  shardIndex?(table: string, value: string): number | undefined;
  /** Shards of a distributed table, when known. */
  shardCount?(table: string): number | undefined;
  /** A column's type as PostgreSQL's Var carries it (internal name, `[]` per array dimension), when known. */
  columnType?(table: string, column: string): string | undefined;
  /** Placements of each shard of a distributed or single-shard table (citus.shard_replication_factor when it was made), when known; 1 otherwise. */
  replicationFactor?(table: string): number | undefined;
  /** The column has a DEFAULT (a sequence, an identity, an expression): an INSERT that leaves it out still gives it a value. */
  hasDefault?(table: string, column: string): boolean;
}

export interface RoutingOptions {
  readonly enableRepartitionJoins: boolean;
  /** citus.enable_non_colocated_router_query_pushdown: the router planner also takes tables of different colocation groups, each pruned to one shard. */
  readonly nonColocatedRouter?: boolean;
  /**
   * PostgreSQL's checks that the relations and columns a statement names
   * exist (default on). Off where the catalog may lack what the statement
   * names for reasons of its own (a script model built from part of a
   * session): an unknown name is then no error, and plans as nothing.
   */
  readonly existenceChecks?: boolean;
  /**
   * Citus before the #8214 fix (before 12.1.10, 13.0.5, 13.1.1, 13.2.1, 14.0):
   * `SET key = x.col` counts as a no-op whenever col has the key's attribute
   * number, whatever table x is, and WHERE is never consulted for a column.
   * `attno` gives a column's position in its table.
   */
  readonly keyUpdateBefore8214?: { attno(table: string, column: string): number };
}

/** A planning error: Citus's ereport(ERROR), carried up the planner model as Citus unwinds. */
export class PlanningError extends Error {
  constructor(readonly error: CitusError) {
    super(error.message);
  }
}
