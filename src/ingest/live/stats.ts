/**
 * Statistics and workload from a live database: sizes (pg_class, pg_total_relation_size),
 * per-column pg_stats, pg_stat_statements, and an optional bounded row sample.
 */
import type { Catalog, Location } from '../../catalog/model.js';
import type { ColumnStats, Stats, TableStats } from '../../stats/model.js';
import { WorkloadBuilder } from '../workload/builder.js';
import type { WorkloadInput } from '../workload/model.js';
import { addPgssRow } from '../workload/pgss.js';
import { loadParser, qualifiedKey, quoteIdent } from '../pg/index.js';
import type { Queryable } from './catalog-queries.js';
import { QUERY_TAG, type LiveSession } from './connect.js';
import { LiveError } from './errors.js';

const USER_NAMESPACE = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** Sizes and pg_stats for every user table (partitioned parents: sums of their partitions, inherited pg_stats). */
export async function readLiveStats(db: Queryable): Promise<Stats> {
  const rels = await db.query<{ schema: string; name: string; relkind: string; rows: string; bytes: string }>(
    `SELECT n.nspname AS schema, c.relname::text AS name, c.relkind::text AS relkind,
            CASE WHEN c.relkind = 'p'
                 THEN (SELECT coalesce(sum(greatest(pc.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.isleaf)
                 ELSE greatest(c.reltuples, 0) END::int8::text AS rows,
            CASE WHEN c.relkind = 'p'
                 THEN (SELECT coalesce(sum(pg_total_relation_size(pt.relid)), 0) FROM pg_partition_tree(c.oid) pt WHERE pt.isleaf)
                 ELSE pg_total_relation_size(c.oid) END::int8::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${USER_NAMESPACE}
        AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
      ORDER BY 1, 2`,
  );
  const cols = await db.query<{
    schema: string;
    name: string;
    attname: string;
    inherited: boolean;
    null_frac: number;
    n_distinct: number;
    avg_width: number;
    mcv: string[] | null;
    mcf: number[] | null;
  }>(
    `SELECT s.schemaname::text AS schema, s.tablename::text AS name, s.attname::text AS attname, s.inherited, s.null_frac::float8 AS null_frac,
            s.n_distinct::float8 AS n_distinct, s.avg_width, s.most_common_vals::text::text[] AS mcv, s.most_common_freqs::float8[] AS mcf
       FROM pg_stats s
      WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema') AND s.schemaname NOT LIKE 'pg\\_toast%'
      ORDER BY 1, 2, 3, 4`,
  );
  const tables: Record<string, TableStats> = {};
  const partitioned = new Set<string>();
  for (const r of rels) {
    const key = qualifiedKey(r.schema, r.name);
    if (r.relkind === 'p') partitioned.add(key);
    tables[key] = { rows: Number(r.rows), bytes: Number(r.bytes), columns: {}, source: 'live', estimated: false };
  }
  for (const c of cols) {
    const key = qualifiedKey(c.schema, c.name);
    const t = tables[key];
    if (!t) continue;
    // A partitioned parent only has inherited rows; a plain table's own rows win over its inheritance tree's.
    if (c.inherited !== partitioned.has(key)) continue;
    const rows = t.rows;
    const nDistinct = c.n_distinct < 0 ? Math.round(-c.n_distinct * rows * (1 - c.null_frac)) : c.n_distinct;
    const mostCommon = (c.mcv ?? []).map((value, i) => ({ value, frequency: c.mcf?.[i] ?? 0 }));
    const stats: ColumnStats = { nDistinct, nullFraction: c.null_frac, mostCommon, avgWidth: c.avg_width };
    (t.columns as Record<string, ColumnStats>)[c.attname] = stats;
  }
  return { tables };
}

// ---------------------------------------------------------------- pg_stat_statements

export interface PgssRow {
  readonly queryid: string;
  readonly query: string;
  readonly calls: number;
  readonly total_exec_time: number;
  readonly rows: number;
}

export const PGSS_HINT =
  "add pg_stat_statements to shared_preload_libraries in postgresql.conf, restart the server, then run CREATE EXTENSION pg_stat_statements; in this database (or collect with --no-workload)";

/**
 * The rows of pg_stat_statements for the current database, sorted by calls
 * (then query), without shardwise's own statements. PostgreSQL 13+ names the
 * time column total_exec_time, older versions total_time; both come out as
 * `total_exec_time`.
 */
export async function readPgStatStatements(session: Pick<LiveSession, 'query' | 'tryQuery'>): Promise<PgssRow[]> {
  const ext = await session.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  if (!ext.length) {
    throw new LiveError('extension', 'pg_stat_statements is not installed in this database', PGSS_HINT);
  }
  const view = `${quoteIdent(ext[0].schema)}.pg_stat_statements`;
  const colRows = await session.query<{ attname: string }>(
    `SELECT a.attname::text AS attname FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [`${quoteIdent(ext[0].schema)}.pg_stat_statements`],
  );
  const have = new Set(colRows.map((r) => r.attname));
  const time = have.has('total_exec_time') ? 'total_exec_time' : 'total_time';
  const r = await session.tryQuery<{ queryid: string | null; query: string | null; calls: string; t: number; rows: string }>(
    `SELECT s.queryid::text AS queryid, s.query, s.calls::text AS calls, s.${time}::float8 AS t, s.rows::text AS rows
       FROM ${view} s
      WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY s.calls DESC, s.query`,
  );
  if ('error' in r) {
    if (/must be loaded via .?shared_preload_libraries/i.test(r.error.message)) {
      throw new LiveError('extension', 'pg_stat_statements is installed but not loaded by the server', PGSS_HINT);
    }
    throw r.error;
  }
  // Rows of one query for several users add up (as the file readers do).
  const merged = new Map<string, { queryid: string; query: string; calls: number; total_exec_time: number; rows: number }>();
  let hidden = 0;
  for (const row of r.rows) {
    if (row.query === null || row.query === '<insufficient privilege>') {
      hidden++;
      continue;
    }
    if (row.query.startsWith(QUERY_TAG.trim())) continue;
    const k = `${row.queryid}\u0000${row.query}`;
    const m = merged.get(k);
    if (m) {
      m.calls += Number(row.calls);
      m.total_exec_time += row.t;
      m.rows += Number(row.rows);
    } else merged.set(k, { queryid: row.queryid ?? '', query: row.query, calls: Number(row.calls), total_exec_time: row.t, rows: Number(row.rows) });
  }
  if (hidden && !merged.size) {
    throw new LiveError(
      'privilege',
      `pg_stat_statements hides the text of all ${hidden} queries from this user (<insufficient privilege>)`,
      'GRANT pg_read_all_stats TO <user>; or collect as a superuser',
    );
  }
  return [...merged.values()].sort((a, b) => b.calls - a.calls || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0) || (a.queryid < b.queryid ? -1 : 1));
}

/**
 * pg_stat_statements rows as workload input, through the workload builder the
 * file readers use: one query per (fingerprint, relations), weight = calls;
 * session statements (SET, SHOW, ...), transaction control and other utility
 * statements (ALTER, CREATE, COPY, VACUUM, ANALYZE, GRANT, ...) are not queries.
 * The live session and a collected workload.csv give the same queries.
 */
export async function pgssToWorkload(rows: readonly PgssRow[], source: (index: number) => Location, files: string[] = []): Promise<WorkloadInput> {
  await loadParser();
  const builder = new WorkloadBuilder();
  for (const f of files) builder.addFile(f);
  rows.forEach((row, i) => addPgssRow(builder, source(i), row));
  return builder.build();
}

// ---------------------------------------------------------------- sample

/** Sampled rows per table key, each row by column name; values in PostgreSQL's text form. */
export type SampleData = Record<string, Array<Record<string, string | null>>>;


export interface SampleProgress {
  (event: { table: string; index: number; total: number; rows: number }): void;
}

/**
 * Up to `rowsPerTable` rows of each table, read with `TABLESAMPLE SYSTEM(p)
 * REPEATABLE (0)` where p is chosen from reltuples so that about twice the
 * wanted rows come back, in a shuffled order, and a LIMIT bound. Values are
 * text (PostgreSQL's output form).
 */
export async function sampleRows(
  db: Queryable,
  tables: ReadonlyArray<{ key: string; schema: string; name: string; rows: number; columns: readonly string[] }>,
  rowsPerTable: number,
  progress?: SampleProgress,
): Promise<SampleData> {
  const out: SampleData = {};
  const list = [...tables].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (let i = 0; i < list.length; i++) {
    const t = list[i];
    const rel = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
    const select = t.columns.length ? t.columns.map((c, j) => `s.${quoteIdent(c)}::text AS c${j}`).join(', ') : 'NULL AS c';
    const limit = Math.max(0, Math.floor(rowsPerTable));
    // SYSTEM samples whole pages: aim at twice the rows wanted, and widen (x8, at most three times) when too few came back.
    let pct = t.rows > 0 ? Math.min(100, Math.max(0.0001, ((limit * 2) / t.rows) * 100)) : 100;
    // The pages come back in physical order: LIMIT alone would keep the first rows of the first pages, clustered
    // by insertion order, which misleads a placement. With a row count known, the pages read hold about twice the
    // rows wanted, so they are shuffled first (md5 of the ctid: the same order every run), a bounded sort.
    // REPEATABLE picks the same pages every run while the table is unchanged.
    const shuffle = t.rows > 0 ? ' ORDER BY md5(s.ctid::text)' : '';
    let rows: Array<Record<string, string | null>> = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      rows = await db.query<Record<string, string | null>>(`SELECT ${select} FROM ${rel} AS s TABLESAMPLE SYSTEM (${pct.toFixed(4)}) REPEATABLE (0)${shuffle} LIMIT ${limit}`);
      if (rows.length >= limit || pct >= 100) break;
      pct = Math.min(100, pct * 8);
    }
    out[t.key] = rows.map((r) => Object.fromEntries(t.columns.map((c, j) => [c, r[`c${j}`] ?? null])));
    progress?.({ table: t.key, index: i + 1, total: list.length, rows: rows.length });
  }
  return out;
}

/** Up to `rowsPerTable` rows of every plain table (and partition) of the catalog; see `sampleRows`. */
export function sampleCatalog(db: Queryable, catalog: Catalog, stats: Stats, rowsPerTable: number, progress?: SampleProgress): Promise<SampleData> {
  const list = Object.values(catalog.tables)
    .filter((t) => t.relkind === 'table')
    .map((t) => ({ key: t.key, schema: t.schema, name: t.name, rows: stats.tables[t.key]?.rows ?? 0, columns: t.columns.map((c) => c.name) }));
  return sampleRows(db, list, rowsPerTable, progress);
}

/** The live workload: pg_stat_statements of the current database as WorkloadInput. */
export async function readLiveWorkload(session: Pick<LiveSession, 'query' | 'tryQuery'>): Promise<WorkloadInput> {
  const rows = await readPgStatStatements(session);
  return pgssToWorkload(rows, () => ({ file: 'db:pg_stat_statements', line: 0, column: 0 }));
}
