/**
 * What the workload readers produce, whatever the source (pg_stat_statements,
 * server logs, .sql files): statements grouped into queries, with weights.
 */
import type { Diagnostic, Location } from '../../catalog/model.js';

export interface WorkloadQuery {
  /**
   * Stable id: fingerprint plus the sorted relation names (see PARSER-NOTES),
   * plus `;search_path=a,b` when the statement ran with a search path other than the default.
   */
  readonly id: string;
  readonly fingerprint: string;
  /** Normalized text: constants replaced by $n. */
  readonly sql: string;
  /** One statement as run, with real values when the source had them. */
  readonly sample: string;
  /** Relative importance: calls, number of log lines, or a declared weight. */
  readonly weight: number;
  readonly calls: number;
  readonly totalTimeMs?: number;
  readonly rows?: number;
  /** Where it was seen (the first few places). */
  readonly sources: Location[];
  /** Procedure / transaction name from a comment, when the source gives one. */
  readonly label?: string;
  /** Every distinct label seen for this query, sorted, when there is more than one. */
  readonly labels?: string[];
  /** Relation names the statement reads or writes, as written (`schema.name` when qualified), sorted. */
  readonly relations?: string[];
  /** Parse tree node type of the statement, e.g. `SelectStmt`, `InsertStmt`. */
  readonly command?: string;
  /**
   * The search_path the statement ran with (schemas in order, as stored), when
   * a `SET search_path` / `set_config('search_path', ...)` earlier in its
   * session or file set one other than the default (`"$user", public`).
   */
  readonly searchPath?: string[];
}

/** A `CREATE VIEW` statement of the workload (TPC-H Q15 makes its view this way). */
export interface WorkloadView {
  /** The statement as written. */
  readonly sql: string;
  readonly location: Location;
  /** The search_path it ran with, when not the default. */
  readonly searchPath?: string[];
}

/** A transaction seen in a log (the queries one session ran between BEGIN and COMMIT/ROLLBACK), or a procedure of a .sql workload. */
export interface WorkloadTransaction {
  /** Query ids in the order run. */
  readonly queries: string[];
  /** How many times this exact sequence was seen. */
  readonly count: number;
  readonly committed: boolean;
  /** A procedure of a .sql workload: its name. */
  readonly label?: string;
  /** A procedure's weight in the mix (then `count` is 1). */
  readonly weight?: number;
}

export interface WorkloadInput {
  readonly queries: WorkloadQuery[];
  readonly transactions: WorkloadTransaction[];
  readonly diagnostics: Diagnostic[];
  readonly files: string[];
  /** Per input file: the format it was read as and how many statements it held. */
  readonly inputs?: WorkloadFileInfo[];
  /** Views the workload itself creates, in the order first seen; their columns resolve to base columns. */
  readonly views?: WorkloadView[];
}

export type WorkloadFormat = 'pgss-csv' | 'pgss-json' | 'stderr-log' | 'csvlog' | 'jsonlog' | 'sql';

export interface WorkloadFileInfo {
  readonly file: string;
  readonly format: WorkloadFormat;
  /** Statements read (queries, transaction control, session settings and unparsable ones alike), before grouping. */
  readonly statements: number;
}
