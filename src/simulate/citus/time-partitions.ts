/**
 * Citus's time-partitioning functions (sql/udfs/get_missing_time_partition_ranges,
 * create_time_partitions, drop_old_time_partitions: PL/pgSQL), followed in
 * their order: the table must be partitioned by one column of type date,
 * timestamp or timestamptz (or a type with casts to and from timestamptz),
 * a date column takes whole days only; create_time_partitions wants
 * start_from before end_at; then the ranges from the first existing partition
 * (the pivot) in steps of the interval, refusing a partition that covers part
 * of a range, and create_time_partitions creates the missing partitions.
 * Dates and times are read, computed and printed in the session's DateStyle
 * and TimeZone. Ranges of a custom-typed column, bounds the model cannot
 * read, and arguments that are not constants (now()) leave the ranges
 * unknown: then only the table's checks are made.
 */
import { nodeAs, quoteIdent, quoteLiteral, readScript, splitKey } from '../../ingest/pg/index.js';
import { createTable } from './create-table.js';
import { drop as dropRelations } from './drop-distributed-table.js';
import { CitusError } from './errors.js';
import { isGiven, type Arg } from './postgres-parse-func.js';
import {
  addInterval,
  dateTrunc,
  formatAs,
  intervalSpan,
  knownTimeZone,
  negate,
  parseInterval,
  parseTimestamptz,
  toChar,
  Zone,
  type Interval,
} from './postgres-datetime.js';
import type { ClusterState } from './state.js';
import { castsToAndFromTimestamptz } from './postgres-cast.js';

type TimeType = 'date' | 'timestamp' | 'timestamptz';
const TIME_TYPES: ReadonlySet<string> = new Set<TimeType>(['date', 'timestamp', 'timestamptz']);

/** A range get_missing_time_partition_ranges returns. */
interface MissingRange {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** An existing partition as pg_catalog.time_partitions shows it. */
interface TimePartition {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly fromText: string;
  readonly toText: string;
}

const HOUR = 3600 * 1_000_000;
const DAY = 24 * HOUR;
/** The loop stops here: the model does not follow a range list longer than this. */
const MAX_RANGES = 10_000;

/**
 * The table's checks of get_missing_time_partition_ranges (and of
 * drop_old_time_partitions, without an interval): the partition column's
 * type when it is date, timestamp or timestamptz, else undefined.
 */
function ensureTimePartitioned(s: ClusterState, key: string, interval?: string): TimeType | undefined {
  const t = s.builder.peekTable(key)!;
  const by = t.partitionBy;
  if (!by) throw new CitusError(`${quoteIdent(splitKey(key).name)} is not partitioned`);
  if (by.columns.length + by.expressions.length !== 1) throw new CitusError('partitioned tables with multiple partition columns are not supported');
  const type = t.columns.find((c) => c.name === by.columns[0])?.type.name;
  if (type === undefined) return undefined;
  if (!TIME_TYPES.has(type) && !castsToAndFromTimestamptz(s, type)) throw new CitusError(`type of the partition column of the table ${quoteIdent(t.name)} must be date, timestamp or timestamptz`);
  const parsed = interval === undefined ? undefined : parseInterval(interval);
  // date_trunc('day', partition_interval) = partition_interval
  if (type === 'date' && parsed && parsed.micros !== 0) throw new CitusError('partition interval of date partitioned table must be day or multiple days');
  return TIME_TYPES.has(type) ? (type as TimeType) : undefined;
}

/** time_partition_range(regclass) (operations/partitioning.c): the bounds of a partition of a range-partitioned table by one column. */
export function timePartitionRange(s: ClusterState, key: string): void {
  const t = s.builder.peekTable(key);
  const name = splitKey(key).name;
  if (!t?.partitionOf) throw new CitusError(`relation "${name}" is not a partition`);
  const by = s.builder.peekTable(t.partitionOf.parent)?.partitionBy;
  const detail = 'time_partition_range can only be used for partitions of range-partitioned tables with a single partition column';
  if (by && by.strategy !== 'range') throw new CitusError(`relation "${name}" is not a range partition`, detail);
  if (by && t.partitionOf.bound !== 'DEFAULT' && by.columns.length + by.expressions.length > 1) {
    throw new CitusError(`relation "${name}" is a partition with multiple partition columns`, detail);
  }
}

/** A constant argument's text; undefined when NULL or not a constant. */
function constant(a: Arg | undefined): string | undefined {
  return isGiven(a) && !a.expr ? a.text : undefined;
}

/** get_missing_time_partition_ranges(table_name, partition_interval, to_value, from_value). */
export function getMissingTimePartitionRanges(s: ClusterState, key: string, a: ReadonlyMap<string, Arg>): void {
  missingRanges(s, key, a.get('partition_interval'), a.get('to_value'), a.get('from_value'));
}

/** create_time_partitions(table_name, partition_interval, end_at, start_from): its checks, then the partitions it creates. */
export function createTimePartitions(s: ClusterState, key: string, a: ReadonlyMap<string, Arg>): void {
  const zone = sessionZone(s);
  const end = constant(a.get('end_at'));
  const start = constant(a.get('start_from'));
  if (zone && end !== undefined && start !== undefined) {
    const [from, to] = [parseTimestamptz(start, s.dates, zone), parseTimestamptz(end, s.dates, zone)];
    if (from !== undefined && to !== undefined && from >= to) {
      throw new CitusError(`start_from (${formatAs('timestamptz', from, s.dates, zone)}) must be older than end_at (${formatAs('timestamptz', to, s.dates, zone)})`);
    }
  }
  const ranges = missingRanges(s, key, a.get('partition_interval'), a.get('end_at'), a.get('start_from'));
  const { schema, name } = splitKey(key);
  for (const r of ranges ?? []) {
    runGenerated(s, `CREATE TABLE ${quoteIdent(schema)}.${quoteIdent(r.name)} PARTITION OF ${quoteIdent(schema)}.${quoteIdent(name)} FOR VALUES FROM (${quoteLiteral(r.from)}) TO (${quoteLiteral(r.to)})`);
  }
}

/** The session's time zone, when the model knows it. */
function sessionZone(s: ClusterState): Zone | undefined {
  const name = knownTimeZone(s.dates.timeZone);
  return name === undefined ? undefined : new Zone(name);
}

/** get_missing_time_partition_ranges's checks and ranges; undefined when the ranges are unknown. */
function missingRanges(s: ClusterState, key: string, intervalArg: Arg | undefined, toArg: Arg | undefined, fromArg: Arg | undefined): MissingRange[] | undefined {
  const intervalText = constant(intervalArg);
  const type = ensureTimePartitioned(s, key, intervalText);
  const interval = intervalText === undefined ? undefined : parseInterval(intervalText);
  const zone = sessionZone(s);
  const [toText, fromText] = [constant(toArg), constant(fromArg)];
  if (!type || !interval || !zone || toText === undefined || fromText === undefined || intervalSpan(interval) <= 0) return undefined;
  const [toValue, fromValue] = [parseTimestamptz(toText, s.dates, zone), parseTimestamptz(fromText, s.dates, zone)];
  const partitions = timePartitions(s, key, type, zone);
  if (toValue === undefined || fromValue === undefined || !partitions) return undefined;
  const pivot = [...partitions].sort((x, y) => x.from - y.from)[0];
  let from: number;
  if (!pivot) from = dateTrunc(initialTruncation(interval), fromValue, zone);
  else {
    from = pivot.from;
    const step = fromValue >= from ? interval : negate(interval);
    for (let n = 0; fromValue >= pivot.from ? from < fromValue : from > fromValue; n++) {
      if (n > MAX_RANGES) return undefined;
      from = addInterval(from, step, zone);
    }
  }
  let to = addInterval(from, interval, zone);
  const format = nameFormat(interval);
  const ranges: MissingRange[] = [];
  // pg_catalog.time_partitions is ordered by the bounds' text
  const byText = [...partitions].sort((x, y) => (x.fromText < y.fromText ? -1 : x.fromText > y.fromText ? 1 : 0));
  while (from < toValue) {
    if (ranges.length > MAX_RANGES) return undefined;
    if (!partitions.some((p) => p.from === from && p.to === to)) {
      const covering = byText.find((p) => (from >= p.from && from < p.to) || (to > p.from && to < p.to));
      if (covering) {
        throw new CitusError(
          `partition ${quoteIdent(covering.name)} with the range from ${covering.fromText} to ${covering.toText} does not align with the initial partition given the partition interval`,
          undefined,
          'Only use partitions of the same size, without gaps between partitions.',
        );
      }
      const suffix = toChar(from, format, zone);
      const table = splitKey(key).name;
      ranges.push({ name: `${[...table].slice(0, Math.max(0, 61 - suffix.length)).join('')}_p${suffix}`, from: formatAs(type, from, s.dates, zone), to: formatAs(type, to, s.dates, zone) });
    }
    from = to;
    to = addInterval(to, interval, zone);
  }
  return ranges;
}

/** Where the first range starts when the table has no partition yet: from_value truncated by the interval's size. */
function initialTruncation(i: Interval): Parameters<typeof dateTrunc>[0] {
  const span = intervalSpan(i);
  if (span < HOUR) return 'minute';
  if (span < DAY) return 'hour';
  if (span < 7 * DAY) return 'day';
  if (span < 30 * DAY) return 'week';
  if (span === 90 * DAY) return 'quarter';
  if (span < 360 * DAY) return 'month';
  return 'year';
}

/** The to_char pattern of the partitions' names (pg_partman's). */
function nameFormat(i: Interval): string {
  const span = intervalSpan(i);
  if (span === 90 * DAY) return 'YYYY"q"Q';
  if (span === 7 * DAY) return 'IYYY"w"IW';
  let f = 'YYYY';
  if (span < 360 * DAY) f += '_MM';
  if (span < 30 * DAY) f += '_DD';
  if (span < DAY) f += '_HH24MI';
  if (span < 60 * 1_000_000) f += 'SS';
  return f;
}

/** The table's range partitions with their bounds (DEFAULT left out); undefined when a bound cannot be read. */
function timePartitions(s: ClusterState, key: string, type: TimeType, zone: Zone): TimePartition[] | undefined {
  const out: TimePartition[] = [];
  for (const p of s.partitionsOf(key)) {
    const bound = p.partitionOf!.bound;
    if (bound === 'DEFAULT') continue;
    const m = /^FOR VALUES FROM \('((?:[^']|'')*)'(?:::[\w ]+)?\) TO \('((?:[^']|'')*)'(?:::[\w ]+)?\)$/.exec(bound);
    const from = m ? parseTimestamptz(m[1].replace(/''/g, "'"), s.dates, zone) : undefined;
    const to = m ? parseTimestamptz(m[2].replace(/''/g, "'"), s.dates, zone) : undefined;
    if (from === undefined || to === undefined) return undefined;
    out.push({ name: p.name, from, to, fromText: formatAs(type, from, s.dates, zone), toText: formatAs(type, to, s.dates, zone) });
  }
  return out;
}

/**
 * drop_old_time_partitions(table_name, older_than): its checks, then the
 * partitions whose range ends by older_than are dropped, oldest end first,
 * each with its NOTICE.
 */
export function dropOldTimePartitions(s: ClusterState, key: string, olderThan: Arg | undefined): void {
  const type = ensureTimePartitioned(s, key);
  const zone = sessionZone(s);
  const text = constant(olderThan);
  if (!type || !zone || text === undefined) return;
  const older = parseTimestamptz(text, s.dates, zone);
  const partitions = timePartitions(s, key, type, zone);
  if (older === undefined || !partitions) return;
  const schema = quoteIdent(splitKey(key).schema);
  for (const p of partitions.filter((x) => x.to <= older).sort((x, y) => x.to - y.to)) {
    s.notices.push(`dropping ${quoteIdent(p.name)} with start time ${p.fromText} and end time ${p.toText}`);
    runGenerated(s, `DROP TABLE ${schema}.${quoteIdent(p.name)}`);
  }
}

/** Run SQL a PL/pgSQL function of Citus's runs (EXECUTE), as part of the current statement. */
function runGenerated(s: ClusterState, sql: string): void {
  const outer = { script: s.script, stmt: s.stmt };
  const script = readScript(outer.script?.source.file ?? 'generated.sql', sql);
  try {
    for (const st of script.statements) {
      s.script = script;
      s.stmt = outer.stmt ? { ...st, location: outer.stmt.location } : st;
      const create = nodeAs(st.node, 'CreateStmt');
      const drop = nodeAs(st.node, 'DropStmt');
      if (create) createTable(s, create);
      else if (drop) dropRelations(s, drop);
    }
  } finally {
    s.script = outer.script;
    s.stmt = outer.stmt;
  }
}
