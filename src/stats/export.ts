/**
 * Reader (a): statistics exported from the live database with psql, as two
 * CSV files (docs/stats.md gives the exact `\copy` commands):
 *
 * - pg_stats.csv: schemaname, tablename, attname, [inherited], null_frac,
 *   [avg_width], n_distinct, [most_common_vals], [most_common_freqs]
 * - pg_class.csv: nspname (or schemaname), relname (or tablename), reltuples,
 *   [total_bytes or pg_total_relation_size], [relkind]
 *
 * Which file is which is told by its header, so the files may come in any
 * order and under any names.
 */
import { qualifiedKey } from '../ingest/pg/names.js';
import { isAbsolute, resolve } from 'node:path';
import type { Catalog } from '../catalog/model.js';
import { InputError, displayPath } from '../ingest/files.js';
import { shown } from '../ingest/inert.js';
import { readCsvRecords, type CsvRecord } from './csv.js';
import { SkippedRows } from './skipped.js';
import type { ColumnStats, Stats, TableStats, ValueFrequency } from './model.js';
import { ArrayTextError, parseArrayText } from './pgarray.js';

type Kind = 'pg_stats' | 'pg_class';

const HINT = 'produce the files with the \\copy commands in docs/stats.md';

interface StatRow {
  readonly table: string;
  readonly column: string;
  readonly inherited: boolean;
  readonly nullFrac: number;
  readonly avgWidth?: number;
  readonly nDistinct: number;
  readonly mcv: string[];
  readonly mcf: number[];
}

interface ClassRow {
  readonly reltuples: number;
  readonly bytes?: number;
}

/** Header names accepted for each field, first match wins. */
const STATS_FIELDS = {
  schema: ['schemaname'],
  table: ['tablename'],
  column: ['attname'],
  inherited: ['inherited'],
  nullFrac: ['null_frac'],
  avgWidth: ['avg_width'],
  nDistinct: ['n_distinct'],
  mcv: ['most_common_vals'],
  mcf: ['most_common_freqs'],
} as const;
const CLASS_FIELDS = {
  schema: ['nspname', 'schemaname'],
  table: ['relname', 'tablename'],
  reltuples: ['reltuples'],
  bytes: ['total_bytes', 'pg_total_relation_size', 'bytes'],
  relkind: ['relkind'],
} as const;

function indexOf(header: string[], names: readonly string[]): number {
  for (const n of names) {
    const i = header.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

function detect(header: string[]): Kind | undefined {
  if (indexOf(header, STATS_FIELDS.column) >= 0 && indexOf(header, STATS_FIELDS.nDistinct) >= 0) return 'pg_stats';
  if (indexOf(header, CLASS_FIELDS.reltuples) >= 0) return 'pg_class';
  return undefined;
}

/**
 * Read pg_stats / pg_class exports (any number, any order) into `Stats`.
 * Tables without a pg_class row get their row count from their partitions'
 * (catalog) or, failing that, are reported in `warnings` and left out.
 */
export async function readStatsFiles(paths: readonly string[], cwd: string, catalog: Catalog): Promise<Stats> {
  const statRows: StatRow[] = [];
  const classRows = new Map<string, ClassRow>();
  const warnings: string[] = [];
  const skipped = new SkippedRows();
  let sawStats = false;
  let sawClass = false;
  for (const path of paths) {
    const absolute = isAbsolute(path) ? path : resolve(cwd, path);
    const file = displayPath(path, cwd);
    let header: string[] | undefined;
    let kind: Kind | undefined;
    let idx: Record<string, number> = {};
    for await (const rec of readCsvRecords(absolute, { file })) {
      if (!header) {
        header = rec.cells.map((c) => (c ?? '').trim().toLowerCase());
        kind = detect(header);
        if (!kind) {
          throw new InputError(`${file}:${rec.line}:1: not a pg_stats or pg_class export (header: ${shown(header.join(','))})`, {
            file,
            hint: `${HINT}; the first line must be the CSV header (WITH CSV HEADER)`,
          });
        }
        const fields = kind === 'pg_stats' ? STATS_FIELDS : CLASS_FIELDS;
        idx = {};
        for (const [k, names] of Object.entries(fields)) idx[k] = indexOf(header, names);
        const required = kind === 'pg_stats' ? ['schema', 'table', 'column', 'nullFrac', 'nDistinct'] : ['schema', 'table', 'reltuples'];
        const missing = required.filter((k) => idx[k] < 0);
        if (missing.length) {
          throw new InputError(
            `${file}:${rec.line}:1: ${kind} export lacks column(s) ${missing.map((k) => (fields as Record<string, readonly string[]>)[k][0]).join(', ')}`,
            { file, hint: HINT },
          );
        }
        if (kind === 'pg_stats') sawStats = true;
        else sawClass = true;
        continue;
      }
      try {
        if (rec.cells.length !== header.length) throw new RowProblem(Math.min(header.length, rec.cells.length), `expected ${header.length} fields, found ${rec.cells.length}`);
        if (kind === 'pg_stats') statRows.push(statRow(rec, idx));
        else {
          const { key, row } = classRow(rec, idx);
          classRows.set(key, row);
        }
      } catch (e) {
        if (!(e instanceof RowProblem)) throw e;
        skipped.add(file, rec.at(e.field), e.message);
      }
    }
    if (!header) throw new InputError(`${file}:1:1: empty file, expected a pg_stats or pg_class export`, { file, hint: HINT });
    warnings.push(...skipped.done(file));
  }
  if (sawStats && !sawClass) {
    warnings.push('no pg_class export given: row counts unknown, tables without one are left out (see docs/stats.md)');
  }

  // Row counts: pg_class, or the sum of the partitions' for a partitioned parent that has none.
  const rowsOf = new Map<string, { rows: number; bytes?: number }>();
  for (const [key, r] of classRows) {
    if (r.reltuples >= 0) rowsOf.set(key, { rows: Math.round(r.reltuples), bytes: r.bytes });
  }
  const children = new Map<string, string[]>();
  for (const t of Object.values(catalog.tables)) {
    if (t.partitionOf) children.set(t.partitionOf.parent, [...(children.get(t.partitionOf.parent) ?? []), t.key]);
  }
  const sumParts = (key: string, seen: Set<string>): { rows: number; bytes: number } | undefined => {
    const parts = children.get(key);
    if (!parts || seen.has(key)) return undefined;
    seen.add(key);
    let rows = 0;
    let bytes = 0;
    let counted = false;
    for (const p of parts) {
      const own = rowsOf.get(p);
      const r = own && !(own.rows === 0 && children.has(p)) ? own : sumParts(p, seen);
      if (r) {
        counted = true;
        rows += r.rows;
        bytes += r.bytes ?? 0;
      }
    }
    return counted ? { rows, bytes } : undefined;
  };
  for (const t of Object.values(catalog.tables)) {
    if (t.relkind !== 'partitioned') continue;
    const own = rowsOf.get(t.key);
    if (own && own.rows > 0) continue;
    const parts = sumParts(t.key, new Set());
    if (parts) rowsOf.set(t.key, { rows: parts.rows, bytes: own?.bytes || parts.bytes });
  }
  for (const [key, r] of classRows) {
    if (r.reltuples < 0 && !rowsOf.has(key)) warnings.push(`${key}: never analyzed (reltuples = -1); run ANALYZE before exporting`);
  }

  // One pg_stats row per column: the table's own (inherited = false), except for a
  // partitioned table, which only has the whole-hierarchy row (inherited = true).
  const chosen = new Map<string, Map<string, StatRow>>();
  for (const r of statRows) {
    const partitioned = catalog.tables[r.table]?.relkind === 'partitioned';
    const cols = chosen.get(r.table) ?? new Map<string, StatRow>();
    chosen.set(r.table, cols);
    const prev = cols.get(r.column);
    if (!prev || (prev.inherited !== partitioned && r.inherited === partitioned)) cols.set(r.column, r);
  }

  const tables: Record<string, TableStats> = {};
  const keys = new Set([...rowsOf.keys(), ...chosen.keys()]);
  for (const key of [...keys].sort()) {
    const size = rowsOf.get(key);
    if (!size) {
      if (sawClass) warnings.push(`${key}: in pg_stats but without a usable pg_class row; left out`);
      continue;
    }
    const rows = size.rows;
    const columns: Record<string, ColumnStats> = {};
    const cols = chosen.get(key);
    if (cols) {
      for (const name of [...cols.keys()].sort()) {
        const r = cols.get(name)!;
        const nDistinct = r.nDistinct < 0 ? Math.round(-r.nDistinct * rows) : Math.round(r.nDistinct);
        const mostCommon: ValueFrequency[] = r.mcv.map((value, i) => ({ value, frequency: r.mcf[i] }));
        columns[name] = {
          nDistinct,
          nullFraction: r.nullFrac,
          mostCommon,
          ...(r.avgWidth !== undefined ? { avgWidth: r.avgWidth } : {}),
        };
      }
    }
    tables[key] = {
      rows,
      ...(size.bytes !== undefined ? { bytes: size.bytes } : {}),
      columns,
      source: 'pg_stats',
      estimated: false,
    };
  }
  return warnings.length ? { tables, warnings: [...new Set(warnings)].sort() } : { tables };
}

/** A row that cannot be read: which field, and why. The row is skipped with a located warning. */
class RowProblem extends Error {
  constructor(
    readonly field: number,
    message: string,
  ) {
    super(message);
  }
}

function num(rec: CsvRecord, i: number, what: string, optional: boolean): number | undefined {
  const v = i >= 0 ? rec.cells[i] : null;
  if (v === null || v === undefined || v === '') {
    if (optional) return undefined;
    throw new RowProblem(i, `${what} is empty`);
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RowProblem(i, `${what} is not a number: ${shown(JSON.stringify(v))}`);
  return n;
}

function text(rec: CsvRecord, i: number, what: string): string {
  const v = rec.cells[i];
  if (v === null || v === '' || v === undefined) throw new RowProblem(i, `${what} is empty`);
  return v;
}

function statRow(rec: CsvRecord, idx: Record<string, number>): StatRow {
  const schema = text(rec, idx.schema, 'schemaname');
  const table = text(rec, idx.table, 'tablename');
  const column = text(rec, idx.column, 'attname');
  const nullFrac = num(rec, idx.nullFrac, 'null_frac', false)!;
  if (nullFrac < 0 || nullFrac > 1) throw new RowProblem(idx.nullFrac, `null_frac ${nullFrac} is outside 0..1`);
  const nDistinct = num(rec, idx.nDistinct, 'n_distinct', false)!;
  if (nDistinct < -1) throw new RowProblem(idx.nDistinct, `n_distinct ${nDistinct} is below -1`);
  const avgWidth = num(rec, idx.avgWidth, 'avg_width', true);
  const inh = idx.inherited >= 0 ? rec.cells[idx.inherited] : 'f';
  const inherited = inh === 't' || inh === 'true';
  const arr = (i: number, what: string): Array<string | null> => {
    const v = i >= 0 ? rec.cells[i] : null;
    if (v === null || v === '' || v === undefined) return [];
    try {
      return parseArrayText(v);
    } catch (err) {
      if (err instanceof ArrayTextError) throw new RowProblem(i, `${what} is not PostgreSQL array text (${err.message} at character ${err.offset + 1}; export it as ${what}::text)`);
      throw err;
    }
  };
  const mcv = arr(idx.mcv, 'most_common_vals');
  const mcfText = arr(idx.mcf, 'most_common_freqs');
  const mcf = mcfText.map((f) => Number(f));
  if (mcf.some((f) => !Number.isFinite(f) || f < 0 || f > 1)) throw new RowProblem(idx.mcf, 'most_common_freqs holds a value that is not a fraction');
  if (mcv.length !== mcf.length) throw new RowProblem(idx.mcv, `${mcv.length} most_common_vals but ${mcf.length} most_common_freqs`);
  if (mcv.some((v) => v === null)) throw new RowProblem(idx.mcv, 'most_common_vals holds a NULL');
  return {
    table: qualifiedKey(schema, table),
    column,
    inherited,
    nullFrac,
    avgWidth,
    nDistinct,
    mcv: mcv as string[],
    mcf,
  };
}

function classRow(rec: CsvRecord, idx: Record<string, number>): { key: string; row: ClassRow } {
  const schema = text(rec, idx.schema, 'nspname');
  const table = text(rec, idx.table, 'relname');
  const reltuples = num(rec, idx.reltuples, 'reltuples', false)!;
  const bytes = num(rec, idx.bytes, 'total_bytes', true);
  return { key: qualifiedKey(schema, table), row: { reltuples, ...(bytes !== undefined ? { bytes } : {}) } };
}
