/**
 * Citus's time-partitioning functions (sql/udfs/create_time_partitions,
 * get_missing_time_partition_ranges, drop_old_time_partitions, PL/pgSQL):
 * the checks they make on the table before they compute any range. The
 * table must be partitioned by one column of type date, timestamp or
 * timestamptz, and a date column takes whole days only. Whether the ranges
 * align with the partitions that exist, and the partitions made or dropped,
 * are not modelled.
 */
import type { TypeName } from '../../ingest/pg/ast.js';
import { listItems, namesOf, nodeAs, quoteIdent, splitKey } from '../../ingest/pg/index.js';
import { CitusError } from './errors.js';
import type { ClusterState } from './state.js';

const TIME_TYPES = new Set(['date', 'timestamp', 'timestamptz']);

/** The checks of get_missing_time_partition_ranges (and drop_old_time_partitions, without an interval). */
export function ensureTimePartitioned(s: ClusterState, key: string, interval?: string): void {
  const t = s.builder.peekTable(key)!;
  const by = t.partitionBy;
  if (!by) throw new CitusError(`${quoteIdent(splitKey(key).name)} is not partitioned`);
  if (by.columns.length + by.expressions.length !== 1) throw new CitusError('partitioned tables with multiple partition columns are not supported');
  const type = t.columns.find((c) => c.name === by.columns[0])?.type.name;
  if (type === undefined) return;
  if (!TIME_TYPES.has(type) && !castable(s, type)) throw new CitusError(`type of the partition column of the table ${quoteIdent(t.name)} must be date, timestamp or timestamptz`);
  if (type === 'date' && interval !== undefined && hasTimeOfDay(interval) === true) throw new CitusError('partition interval of date partitioned table must be day or multiple days');
}

/**
 * Another type passes when casts to and from timestamptz exist (pg_cast):
 * PostgreSQL has none, the script's CREATE CAST may add them. A cast made
 * by another script is unknown here: then the type may pass.
 */
function castable(s: ClusterState, type: string): boolean {
  const file = s.script?.source.file;
  if (s.builder.skippedFrom(0).some((k) => k.kind === 'CreateCastStmt' && k.location.file !== file)) return true;
  const pairs = new Set<string>();
  const pair = (from: TypeName | undefined, to: TypeName | undefined) => `${namesOf(from?.names).pop()}>${namesOf(to?.names).pop()}`;
  for (const st of s.script?.statements ?? []) {
    if (st.startByte >= (s.stmt?.startByte ?? Infinity)) break;
    const c = nodeAs(st.node, 'CreateCastStmt');
    if (c) pairs.add(pair(c.sourcetype, c.targettype));
    const d = nodeAs(st.node, 'DropStmt');
    if (d?.removeType === 'OBJECT_CAST') {
      for (const o of d.objects ?? []) {
        const [from, to] = listItems(o).map((n) => nodeAs(n, 'TypeName'));
        pairs.delete(pair(from, to));
      }
    }
  }
  return pairs.has(`${type}>timestamptz`) && pairs.has(`timestamptz>${type}`);
}

const TIME_UNITS = /^(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|s|sec|secs|second|seconds|ms|millisecond|milliseconds|us|microsecond|microseconds)$/;
const DAY_UNITS = /^(d|day|days|w|week|weeks|mon|mons|month|months|y|yr|yrs|year|years|decade|decades|century|centuries|millennium|millennia)$/;

/** Does the interval (PostgreSQL's input form: `6 hours`, `1 week 1 day`, `01:30:00`) have a time-of-day part? undefined when it cannot tell. */
function hasTimeOfDay(text: string): boolean | undefined {
  const tokens = text.trim().toLowerCase().replace(/^@\s*/, '').split(/\s+/);
  let time = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (/^[+-]?\d+(:\d+){1,2}(\.\d+)?$/.test(tok)) {
      time ||= !/^[+-]?0+(:0+){1,2}(\.0+)?$/.test(tok);
      continue;
    }
    const m = /^([+-]?\d+(?:\.\d+)?)([a-z]*)$/.exec(tok);
    if (!m) return undefined;
    const unit = m[2] || tokens[++i];
    if (!unit) return undefined;
    const n = Number(m[1]);
    if (TIME_UNITS.test(unit)) time ||= n !== 0;
    else if (DAY_UNITS.test(unit)) {
      if (!Number.isInteger(n)) return undefined; // a fraction of a day or more spills into smaller units
    } else return undefined;
  }
  return time;
}
