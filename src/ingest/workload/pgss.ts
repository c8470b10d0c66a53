/**
 * pg_stat_statements exports: CSV with a header line, a JSON array of rows, or
 * JSON lines. Columns used: `query`, `calls`, `total_exec_time` (PostgreSQL
 * 13+) or `total_time` (older), `rows`; `userid`, `dbid` and others are
 * allowed (rows of one query for several users add up; rows of several
 * databases are counted too, with a warning that says how to export one).
 *
 * pg_stat_statements also counts utility statements (SET, SHOW, BEGIN/COMMIT,
 * ALTER, CREATE, COPY, VACUUM, ANALYZE, GRANT, ...): only SELECT, INSERT,
 * UPDATE, DELETE and MERGE become queries (a CREATE VIEW's definition is kept).
 * The live reader (`src/ingest/live/stats.ts`) adds its rows through `addPgssRow` too.
 */
import type { Location } from '../../catalog/model.js';
import type { WorkloadBuilder } from './builder.js';
import { forEachCsvRecord } from './csv.js';
import { forEachJsonValue } from './json-values.js';

export interface PgssRecord {
  readonly query?: unknown;
  readonly calls?: unknown;
  readonly total_exec_time?: unknown;
  readonly total_time?: unknown;
  readonly rows?: unknown;
  readonly dbid?: unknown;
}

function addRow(builder: WorkloadBuilder, file: string, line: number, row: PgssRecord, dbids: Set<string>): void {
  if (row.dbid !== undefined && row.dbid !== null && row.dbid !== '') dbids.add(String(row.dbid));
  addPgssRow(builder, { file, line, column: 1 }, row);
}

/** pg_stat_statements is cluster-wide: an export of every database mixes other applications' queries in. */
function reportDatabases(builder: WorkloadBuilder, file: string, dbids: Set<string>): void {
  if (dbids.size <= 1) return;
  const ids = [...dbids].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1));
  builder.report({
    code: 'input-error',
    severity: 'warning',
    message: `the export holds the queries of ${ids.length} databases (dbid ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}); all of them are counted`,
    location: { file, line: 1, column: 1 },
    hint: "export one database: add WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) to the \\copy query",
  });
}

/** One pg_stat_statements row into the builder: a query weighted by its calls, unless it is a utility statement. */
export function addPgssRow(builder: WorkloadBuilder, location: Location, row: PgssRecord): void {
  const query = row.query;
  if (typeof query !== 'string' || !query.trim()) {
    builder.report({ code: 'input-error', severity: 'warning', message: 'pg_stat_statements row has no query text', location });
    return;
  }
  if (query === '<insufficient privilege>') {
    builder.report({
      code: 'input-error',
      severity: 'warning',
      message: 'pg_stat_statements hid this query text: <insufficient privilege>',
      location,
      hint: 'export as a superuser or as a member of pg_read_all_stats to see every query',
    });
    return;
  }
  const calls = num(row.calls);
  if (calls === undefined || calls < 0) {
    builder.report({ code: 'input-error', severity: 'warning', message: `pg_stat_statements row has no valid "calls" (got ${JSON.stringify(row.calls ?? null)})`, location });
    return;
  }
  const time = num(row.total_exec_time) ?? num(row.total_time);
  const rows = num(row.rows);
  builder.add({
    sql: query,
    location,
    weight: calls,
    calls,
    ...(time !== undefined ? { timeMs: time } : {}),
    ...(rows !== undefined ? { rows } : {}),
    queriesOnly: true,
  });
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export async function readPgssCsvInto(builder: WorkloadBuilder, file: string, absolute: string): Promise<void> {
  let header: string[] | undefined;
  const dbids = new Set<string>();
  await forEachCsvRecord(builder, file, absolute, (r, line) => {
    if (!header) {
      header = r.map((h) => h.trim().toLowerCase());
      return;
    }
    if (r.length !== header.length) {
      builder.report({
        code: 'input-error',
        severity: 'warning',
        message: `CSV record has ${r.length} fields, the header has ${header.length}`,
        location: { file, line, column: 1 },
      });
      return;
    }
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]] = r[i];
    addRow(builder, file, line, row, dbids);
  });
  reportDatabases(builder, file, dbids);
}

export async function readPgssJsonInto(builder: WorkloadBuilder, file: string, absolute: string, isArray: boolean): Promise<void> {
  const dbids = new Set<string>();
  await forEachJsonValue(builder, file, absolute, isArray, (v, line) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      builder.report({ code: 'input-error', severity: 'warning', message: 'expected a JSON object per pg_stat_statements row', location: { file, line, column: 1 } });
      return;
    }
    addRow(builder, file, line, v as PgssRecord, dbids);
  });
  reportDatabases(builder, file, dbids);
}
