/**
 * The Citus side of a simulated cluster: what kind of Citus table each table
 * is, colocation groups, settings, and the outcome of each statement of a
 * script run on the coordinator. Plain JSON-serialisable data.
 */
import type { Location } from '../../catalog/model.js';

/**
 * How Citus holds a table (`local` = plain PostgreSQL table, not in Citus
 * metadata): `distributed` is hash-distributed (pg_dist_partition partmethod
 * 'h'); `append` and `range` are the older methods ('a', 'r'), whose shards
 * cover ranges of values (min/max) and that are never colocated.
 */
export type CitusKind = 'local' | 'citus-local' | 'reference' | 'distributed' | 'single-shard' | 'append' | 'range';

/** IsCitusTableType(DISTRIBUTED_TABLE): hash, single-shard, append and range tables. */
export function isDistributedTable(kind: CitusKind): boolean {
  return kind === 'distributed' || kind === 'single-shard' || kind === 'append' || kind === 'range';
}

/** HasDistributionKey: hash, append and range tables. */
export function hasDistributionKey(kind: CitusKind): boolean {
  return kind === 'distributed' || kind === 'append' || kind === 'range';
}

export interface CitusTableInfo {
  readonly table: string;
  readonly kind: CitusKind;
  /** Citus local tables: added by Citus because of a foreign key to a reference table. */
  readonly autoConverted?: boolean;
  /** Hash, append and range tables: the distribution column, its type (internal name) and collation. */
  readonly column?: string;
  readonly columnType?: string;
  readonly collation?: string;
  /** Hash, single-shard and reference tables; 0 for citus local tables; none for append and range tables. */
  readonly colocationId?: number;
  readonly shardCount?: number;
}

export interface ColocationGroup {
  readonly id: number;
  readonly shardCount: number;
  readonly replicationFactor: number;
  /** Distribution column type (internal name); '' for reference and single-shard groups. */
  readonly columnType: string;
  /** Distribution column collation ('' when the type is not collatable). */
  readonly collation: string;
  readonly reference?: boolean;
  /** Set when the group is a distributed schema's group. */
  readonly tenantSchema?: string;
}

export interface CitusSettings {
  'citus.shard_count': number;
  'citus.shard_replication_factor': number;
  'citus.enable_repartition_joins': boolean;
  'citus.enable_non_colocated_router_query_pushdown': boolean;
  'citus.enable_unsafe_triggers': boolean;
  'citus.allow_unsafe_constraints': boolean;
  'citus.enable_schema_based_sharding': boolean;
  'citus.enable_local_reference_table_foreign_keys': boolean;
  'citus.enable_ddl_propagation': boolean;
}

export interface SimulateOptions {
  /** Target Citus version, e.g. "14.0", "13.2", "12.1", "11.3". Default "14.0". */
  readonly citus?: string;
  /** Is the coordinator in the metadata (pg_dist_node)? Default true. */
  readonly coordinatorInMetadata?: boolean;
  /** Is metadata synced to the workers (MX)? Default true. */
  readonly metadataSync?: boolean;
  /** Settings in force when the script starts. */
  readonly settings?: Partial<CitusSettings>;
  /** PostgreSQL's DateStyle and TimeZone when the script starts (as PGDATESTYLE and PGTZ give them); PostgreSQL's defaults otherwise. */
  readonly session?: { readonly dateStyle?: string; readonly timeZone?: string };
  /** What the tables hold when the script starts (from the schema's COPY blocks and INSERTs). */
  readonly data?: Readonly<Record<string, TableData>>;
  /** The model takes the catalog over instead of copying it: the caller does not use it again. */
  readonly adoptCatalog?: boolean;
}

/** What the simulator knows of a table's rows. */
export interface TableData {
  readonly rows: number;
  /** Per column: 0-based index of the first row holding NULL there. */
  readonly firstNull: Readonly<Record<string, number>>;
}

export interface StepError {
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface Step {
  /** 1-based logical step number. */
  readonly index: number;
  readonly sql: string;
  readonly location: Location;
  /** `not-modelled`: shardwise does not know the statement (`reason` says why); no prediction is made. */
  readonly outcome: 'ok' | 'error' | 'not-modelled';
  readonly error?: StepError;
  readonly reason?: string;
  /** NOTICE messages in order; a notice's DETAIL and HINT follow on their own lines as psql prints them. */
  readonly notices: string[];
  /** Queries (SELECT, INSERT, UPDATE, DELETE, MERGE): how the planner runs them, and on how many shards. */
  readonly class?: 'router' | 'multi-shard' | 'repartition' | 'recursive' | 'coordinator' | 'error';
  readonly shards?: number;
}

export interface Simulation {
  readonly citus: string;
  readonly steps: Step[];
  /** Citus state after the last step. */
  readonly final: {
    readonly tables: CitusTableInfo[];
    readonly colocationGroups: ColocationGroup[];
    readonly distributedSchemas: string[];
    readonly settings: CitusSettings;
  };
  /**
   * Set when psql would have stopped (`\set ON_ERROR_STOP on`): the step that
   * failed, and how many statements after it were never run. Reporters that
   * predate it simply show the steps that ran.
   */
  readonly stopped?: { readonly step: number; readonly notRun: number };
}
