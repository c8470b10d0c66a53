/** Citus versions: parsed once, compared in one way, for the rules, the planner and the Citus model. */

export interface CitusVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As written (`"13.2"`, `"11.2.1"`). */
  readonly text: string;
}

/** `"13"`, `"13.2"`, `"13.2.2"` (anything after the numbers, such as `-devel`, is ignored); undefined otherwise. */
export function parseCitusVersion(text: string): CitusVersion | undefined {
  const raw = text.trim();
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(raw);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), text: raw };
}

/** A Citus version given as a setting or a flag: one to three numbers and nothing else. */
export function parseVersion(text: string): CitusVersion | undefined {
  return /^\d+(?:\.\d+){0,2}$/.test(text.trim()) ? parseCitusVersion(text) : undefined;
}

export function compareVersions(a: CitusVersion, b: CitusVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when `v` is `major.minor.patch` or later. */
export function versionAtLeast(v: CitusVersion, major: number, minor = 0, patch = 0): boolean {
  return v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;
}

/**
 * What Citus does with a sequence-fed column of a table it distributes
 * (citus-rules.md §2.3, §7):
 *
 * - `identity-unsupported`: before 11.2 Citus distributes no table with an identity column, whatever its type;
 * - `identity-partitioned`: before 13.0 it refuses a partitioned table with one, whatever its type;
 * - `identity-bigint-only`: 11.2.1 to 11.x accept only bigint identity columns
 *   ("cannot complete operation on ... with smallint/int identity column");
 * - `identity-worker-inserts`: from 12.0 an int/smallint identity is accepted, but
 *   inserts run on a worker cannot draw from it ("reached maximum value of sequence");
 * - `default-worker-inserts`: from 11.0 (metadata synced to the workers), inserts run on a
 *   worker cannot draw from an int/smallint serial or `DEFAULT nextval(...)`
 *   ("nextval(sequence) calls in worker nodes are not supported for column defaults of type int or smallint").
 */
export type SequenceColumnVerdict = 'identity-unsupported' | 'identity-partitioned' | BigintReason;

/** The verdicts that bigint cures. */
export type BigintReason = 'identity-bigint-only' | 'identity-worker-inserts' | 'default-worker-inserts';

/** The parts of a catalog column that decide the verdict. */
export interface SequenceFedColumn {
  /** Present for an identity column. */
  readonly identity?: unknown;
  /** serial, bigserial, smallserial. */
  readonly serial: boolean;
  /** The sequence of a `DEFAULT nextval(...)`. */
  readonly defaultSequence?: string;
  /** The type's base name: `int2`, `int4`, `int8`, ... */
  readonly type: { readonly base: string };
}

function isSmallInt(column: SequenceFedColumn): boolean {
  return column.type.base === 'int4' || column.type.base === 'int2';
}

/**
 * What Citus `v` does with this column of a table it distributes (the caller
 * decides which kinds of table count), or undefined when nothing.
 */
export function sequenceColumnVerdict(v: CitusVersion, column: SequenceFedColumn, partitioned: boolean): SequenceColumnVerdict | undefined {
  if (column.identity) {
    if (!versionAtLeast(v, 11, 2)) return 'identity-unsupported';
    if (partitioned && !versionAtLeast(v, 13)) return 'identity-partitioned';
    if (!isSmallInt(column) || !versionAtLeast(v, 11, 2, 1)) return undefined;
    return versionAtLeast(v, 12) ? 'identity-worker-inserts' : 'identity-bigint-only';
  }
  if (!column.serial && column.defaultSequence === undefined) return undefined;
  return isSmallInt(column) && versionAtLeast(v, 11) ? 'default-worker-inserts' : undefined;
}

/** Does Citus `v` need this sequence-fed int/smallint column as bigint? The reason, or undefined. */
export function needsBigint(v: CitusVersion, column: SequenceFedColumn, partitioned: boolean): BigintReason | undefined {
  const verdict = sequenceColumnVerdict(v, column, partitioned);
  return verdict === 'identity-unsupported' || verdict === 'identity-partitioned' ? undefined : verdict;
}
