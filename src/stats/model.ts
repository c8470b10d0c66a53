/**
 * Table and column statistics, whatever their source: a pg_stats/pg_class
 * export, the data inside a dump, a live sample, or an estimate from the
 * schema alone (then `estimated` is true and reports say so).
 */

export type StatsSource = 'pg_stats' | 'data' | 'sample' | 'live' | 'estimate';

export interface ValueFrequency {
  /** The value as text (PostgreSQL's output form). */
  readonly value: string;
  /** Fraction of all rows, 0..1. */
  readonly frequency: number;
}

export interface ColumnStats {
  /** Distinct non-null values (absolute; PostgreSQL's negative n_distinct already multiplied out). */
  readonly nDistinct: number;
  readonly nullFraction: number;
  /** Most common values, most frequent first. */
  readonly mostCommon: ValueFrequency[];
  readonly avgWidth?: number;
  /**
   * True when nDistinct / mostCommon come from bounded-memory sketches
   * (HyperLogLog, Misra-Gries) rather than an exact count.
   */
  readonly approximate?: boolean;
}

export interface TableStats {
  readonly rows: number;
  readonly bytes?: number;
  readonly columns: Record<string, ColumnStats>;
  readonly source: StatsSource;
  /** True when the figures are guesses from the schema, not measurements. */
  readonly estimated: boolean;
  /** For estimates: a short note on why the figures are what they are. */
  readonly reason?: string;
}

export interface Stats {
  /** Keyed by catalog table key (`schema.name`). */
  readonly tables: Record<string, TableStats>;
  /** Things the reader noticed that the user may want to act on (sorted, deterministic). */
  readonly warnings?: string[];
}
