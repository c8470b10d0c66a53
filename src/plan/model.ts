/**
 * A migration: the ordered SQL that moves a single-node schema onto Citus
 * under a design, each step with why it is there, and its rollback. Plain
 * JSON-serialisable data.
 */

/** The phases, in the order Citus needs them. */
export const PHASES = ['preflight', 'prepare', 'constraints', 'distribute', 'restore', 'cleanup'] as const;
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
}

export interface Migration {
  /** Target Citus version. */
  readonly citus: string;
  readonly shardCount: number;
  readonly concurrently: boolean;
  readonly steps: MigrationStep[];
  readonly notes: MigrationNote[];
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
