/** What `verify` reports: plain, JSON-serialisable, sorted. */
import type { CitusError, RouteClass } from '../simulate/routing/classify.js';
import type { TableCheck } from './design-check.js';

export interface StatementCheck {
  /** The workload query id. */
  readonly id: string;
  readonly label?: string;
  readonly weight: number;
  /** The statement as the workload has it. */
  readonly sql: string;
  /** `$n` -> the literal it was bound to for EXPLAIN EXECUTE and for the prediction. */
  readonly parameters?: Record<string, string>;
  /** The statement with those literals written in. */
  readonly bound?: string;
  /** shardwise's router on the design. */
  readonly predicted?: { readonly class: RouteClass; readonly shards: number; readonly reason: string; readonly error?: CitusError };
  /** The plan of the real cluster (EXPLAIN). */
  readonly real?: {
    readonly class: RouteClass;
    readonly tasks: number;
    readonly subplans: number;
    readonly reason: string;
    readonly method?: string;
    /** Columns whose sequence default Citus evaluates while planning: EXPLAIN was given a value for them. */
    readonly defaults?: string[];
    /** Views the workload creates itself: planned through their queries. */
    readonly views?: string[];
    readonly error?: CitusError;
  };
  /** `skipped`: not planned, or not read by shardwise; `why` says which. */
  readonly outcome: 'agree' | 'disagree' | 'skipped';
  readonly why?: string;
}

export interface VerifyReport {
  /** `database X on host:port`: no user, no password. */
  readonly source: string;
  /** The citus extension's version. */
  readonly citus: string;
  readonly coordinator?: string;
  readonly workers: string[];
  /** `citus.enable_repartition_joins` as the cluster sets it; the prediction takes it into account. */
  readonly repartitionJoins: boolean;
  /** The design file, as the user named it. */
  readonly design: string;
  readonly tables: TableCheck[];
  readonly statements: StatementCheck[];
  /** One-line notices (e.g. no workload to check). */
  readonly notices: string[];
  readonly summary: {
    readonly tables: number;
    readonly tableDrift: number;
    readonly statements: number;
    readonly agree: number;
    readonly disagree: number;
    readonly skipped: number;
  };
  /** A table differs from the design, or a statement routes otherwise than predicted. */
  readonly drift: boolean;
}
