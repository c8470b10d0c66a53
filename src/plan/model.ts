/**
 * A migration: the ordered SQL that moves a single-node schema onto Citus
 * under a design, each step with why it is there, and its rollback. Plain
 * JSON-serialisable data.
 */

/**
 * The phases, in the order Citus needs them. Reference tables come before the
 * keys change: foreign keys from other tables to them can then stay in place
 * while those tables are distributed (citus-rules.md §6).
 */
export const PHASES = ['preflight', 'prepare', 'reference', 'constraints', 'distribute', 'restore', 'cleanup'] as const;
export type Phase = (typeof PHASES)[number];

export interface MigrationStep {
  readonly phase: Phase;
  /** One SQL statement, without the final semicolon. */
  readonly sql: string;
  /** Why the step is there, one or two sentences. */
  readonly why: string;
  /** False for statements that cannot run inside a transaction block (CALL with COMMIT, *_concurrently). */
  readonly transactional: boolean;
  /** The table the step works on (catalog key). */
  readonly table?: string;
  /** The statement needs Citus (a Citus UDF, a citus.* setting, a check of Citus metadata). */
  readonly citus: boolean;
  /**
   * Rollback only: why this step cannot run on the Citus cluster (the table it
   * needs back as a plain table stays distributed). Rendered commented out.
   */
  readonly blocked?: string;
}

/** A comment that belongs to a phase: what the plan leaves out, and why. */
export interface MigrationNote {
  readonly phase: Phase;
  readonly table?: string;
  readonly text: string;
}

export interface Rollback {
  readonly steps: MigrationStep[];
  readonly notes: MigrationNote[];
  /** What the rollback cannot undo, one sentence each. */
  readonly cannotUndo: string[];
  /** Tables (catalog keys, sorted) the rollback leaves Citus tables, with their constraints and added columns as the migration made them. */
  readonly staysCitus: string[];
}

/** A foreign key the migration drops and does not put back: Citus cannot enforce it under the design. */
export interface DroppedForeignKey {
  /** The table the foreign key is on (catalog key). */
  readonly table: string;
  readonly name: string;
  readonly columns: string[];
  readonly refTable: string;
  /** Why Citus refuses it (Citus's own words where it has them). */
  readonly reason: string;
}

/** A foreign key the migration puts back in another form Citus accepts. */
export interface RewrittenForeignKey {
  /** The table the original foreign key is on (catalog key). */
  readonly table: string;
  readonly name: string;
  readonly refTable: string;
  /** The table and name it is re-added as (a partition's key moves to its partitioned parent). */
  readonly as: { readonly table: string; readonly name: string };
  /** What changed, one sentence each. */
  readonly changes: string[];
}

export interface Migration {
  /** Target Citus version. */
  readonly citus: string;
  readonly shardCount: number;
  readonly concurrently: boolean;
  readonly steps: MigrationStep[];
  readonly notes: MigrationNote[];
  /** The foreign keys that do not come back as they were: rewritten, or dropped for good. */
  readonly foreignKeys: { readonly rewritten: RewrittenForeignKey[]; readonly dropped: DroppedForeignKey[] };
  readonly rollback: Rollback;
}

export interface PlanOptions {
  /** Use create_distributed_table_concurrently where Citus allows it. */
  readonly concurrently?: boolean;
  /** Target Citus version; default: the design's. */
  readonly citus?: string;
  /** Rows per transaction when filling added distribution columns (default 10000). */
  readonly batchSize?: number;
}

/** The design cannot be turned into a migration (a table or column it names does not exist, ...). */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
