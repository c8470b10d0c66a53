/**
 * Reader (b): statistics measured on the data itself — the COPY blocks and
 * INSERT statements of a dump (`catalog.data`), and CSV files with one table
 * each (file name = table name, header row = column names).
 *
 * Row counts and null fractions are exact. Distinct counts and most common
 * values are exact up to `exactDistinctLimit` distinct values per column
 * (and `exactDistinctTotal` values, 64 MB of them, for all columns together), then come from HyperLogLog / Misra-Gries sketches (`approximate: true`).
 * A run that reads more than 64 MB of data favours memory over speed (`favourMemoryFor`).
 * Byte sizes are an approximation of the heap size (tuple headers + values).
 *
 * Rows of a partition also count for its partitioned parent(s), so a parent
 * gets the statistics of the whole hierarchy, as pg_stats gives them.
 */
import { statSync } from 'node:fs';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import type { Catalog, Table } from '../catalog/model.js';
import { InsertError, readSourceRows, type Row } from '../ingest/copy.js';
import { shown } from '../ingest/inert.js';
import { InputError, displayPath } from '../ingest/files.js';
import { favourMemoryFor } from '../ingest/memory.js';
import { loadParser } from '../ingest/pg/index.js';
import { readCsvRecords } from './csv.js';
import { SkippedRows } from './skipped.js';
import type { ColumnStats, Stats, TableStats } from './model.js';
import { ColumnCounter, ExactBudget } from './sketch.js';
import { fixedWidth, normalizerFor } from './values.js';

export interface DataStatsOptions {
  /** Base for relative `DataSource.file` names and CSV paths (default: the process's working directory). */
  readonly cwd?: string;
  /** CSV files, one table each: `<table>.csv` or `<schema>.<table>.csv`, header row first. */
  readonly csvFiles?: readonly string[];
  /** Distinct values per column counted exactly before switching to sketches (default 100000). */
  readonly exactDistinctLimit?: number;
  /** How many most common values to keep per column (default 10). */
  readonly topN?: number;
  /** Distinct values counted exactly by all columns together (default 200000): beyond, the column holding most switches to sketches. */
  readonly exactDistinctTotal?: number;
}

const TUPLE_OVERHEAD = 24 + 4; // heap tuple header + line pointer
/**
 * Misra-Gries counters per column past the exact limit: frequencies come out
 * at most rows / 201 low, and a thousand columns of sketches stay near 100 MB.
 */
const HEAVY_HITTERS = 200;

class TableAccumulator {
  rows = 0;
  bytes = 0;
  readonly counters: ColumnCounter[];
  /** Stored width of each column's values when fixed, else 0. */
  readonly fixed: number[];
  constructor(
    readonly table: Table,
    exactLimit: number,
    catalog: Catalog,
    budget: ExactBudget,
  ) {
    this.counters = table.columns.map(() => new ColumnCounter({ exactLimit, heavyHitters: HEAVY_HITTERS, budget }));
    this.fixed = table.columns.map((c) => fixedWidth(c, catalog));
  }
}

/** Where each field of a source row goes: accumulator column index per target table. */
interface Target {
  readonly acc: TableAccumulator;
  /** For each source field: the target column index, or -1. */
  readonly map: number[];
}

export async function statsFromData(catalog: Catalog, opts: DataStatsOptions = {}): Promise<Stats> {
  const cwd = opts.cwd ?? '';
  const exactLimit = opts.exactDistinctLimit ?? 100_000;
  const topN = opts.topN ?? 10;
  const accs = new Map<string, TableAccumulator>();
  const budget = new ExactBudget(opts.exactDistinctTotal ?? 200_000);
  const warnings: string[] = [];
  const skipped = new SkippedRows();
  const accFor = (t: Table) => {
    let a = accs.get(t.key);
    if (!a) {
      a = new TableAccumulator(t, exactLimit, catalog, budget);
      accs.set(t.key, a);
    }
    return a;
  };
  const targetsFor = (table: Table, columns: readonly string[]): Target[] => {
    const out: Target[] = [];
    const seen = new Set<string>();
    for (let t: Table | undefined = table; t && !seen.has(t.key); t = t.partitionOf ? catalog.tables[t.partitionOf.parent] : undefined) {
      seen.add(t.key);
      const names = t.columns.map((c) => c.name);
      out.push({ acc: accFor(t), map: columns.map((c) => names.indexOf(c)) });
    }
    return out;
  };

  if (catalog.data.some((d) => d.kind === 'insert')) await loadParser();
  const csvBytes = (opts.csvFiles ?? []).reduce((n, p) => n + fileSize(isAbsolute(p) ? p : resolve(cwd, p)), 0);
  favourMemoryFor(catalog.data.reduce((n, d) => n + Math.max(0, d.endByte - d.startByte), csvBytes));
  for (const source of catalog.data) {
    const table = catalog.tables[source.table];
    if (!table) {
      warnings.push(`${source.location.file}:${source.location.line}: data for unknown table ${source.table}; skipped`);
      continue;
    }
    const targets = targetsFor(table, source.columns);
    const file = isAbsolute(source.file) ? source.file : resolve(cwd, source.file);
    const normalize = source.kind === 'insert' ? source.columns.map((c) => normalizerFor(table.columns.find((x) => x.name === c), catalog)) : undefined;
    let rowNo = 0;
    try {
      for await (const row of readSourceRows({ ...source, file })) {
        rowNo++;
        if (row.length !== source.columns.length) {
          // a COPY row is one line; the rows of an INSERT are placed at the statement
          const at = source.kind === 'copy' ? { line: source.location.line + rowNo - 1, column: 1 } : source.location;
          skipped.add(source.location.file, at, `row ${rowNo} of the data for ${shown(source.table)} has ${row.length} fields, expected ${source.columns.length}`);
          continue;
        }
        if (normalize) for (let i = 0; i < row.length; i++) if (row[i] !== null) row[i] = normalize[i](row[i]!);
        for (const t of targets) addRow(t, row);
      }
    } catch (err) {
      if (err instanceof InsertError) {
        skipped.add(source.location.file, source.location, `the INSERT data for ${shown(source.table)} cannot be read (${err.message}); its rows`);
        continue;
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new InputError(`${source.file}: no such file (data for ${source.table})`, { file: source.file, hint: 'check the path' });
      }
      throw err;
    }
  }
  for (const f of new Set(catalog.data.map((d) => d.location.file))) warnings.push(...skipped.done(f));

  for (const path of opts.csvFiles ?? []) {
    const absolute = isAbsolute(path) ? path : resolve(cwd, path);
    const file = cwd ? displayPath(path, cwd) : path;
    const table = tableForFile(catalog, file);
    let targets: Target[] | undefined;
    let width = 0;
    for await (const rec of readCsvRecords(absolute, { file })) {
      if (!targets) {
        const names = table.columns.map((c) => c.name);
        const header = rec.cells.map((h) => {
          const raw = (h ?? '').trim();
          return names.includes(raw) ? raw : names.find((n) => n.toLowerCase() === raw.toLowerCase()) ?? raw;
        });
        const unknown = header.filter((h) => !names.includes(h));
        if (unknown.length === header.length) {
          throw new InputError(`${file}:${rec.line}:1: header names no column of ${shown(table.key)} (${shown(header.join(', '))})`, {
            file,
            hint: `the first line must name the columns: ${shown(names.join(','), 300)}`,
          });
        }
        if (unknown.length) warnings.push(`${file}:${rec.line}:${rec.at(header.indexOf(unknown[0])).column}: column(s) ${shown(unknown.join(', '))} not in ${shown(table.key)}; ignored`);
        width = header.length;
        targets = targetsFor(table, header);
        continue;
      }
      if (rec.cells.length !== width) {
        skipped.add(file, rec.at(Math.min(width, rec.cells.length)), `expected ${width} fields, found ${rec.cells.length}`);
        continue;
      }
      for (const t of targets) addRow(t, rec.cells);
    }
    if (!targets) throw new InputError(`${file}:1:1: empty file, expected a header row`, { file, hint: 'write the data with psql: \\copy table TO table.csv WITH CSV HEADER' });
    warnings.push(...skipped.done(file));
  }

  const tables: Record<string, TableStats> = {};
  for (const key of [...accs.keys()].sort()) {
    const a = accs.get(key)!;
    const columns: Record<string, ColumnStats> = {};
    a.table.columns.forEach((col, i) => {
      const r = a.counters[i].result(topN);
      const total = r.nonNull + r.nulls;
      // a column the data never mentions (not in the COPY column list) is all NULL / default: unknown, leave out
      if (total === 0 && a.rows > 0) return;
      columns[col.name] = {
        nDistinct: r.nDistinct,
        nullFraction: total ? r.nulls / total : 0,
        mostCommon: r.top.map((t) => ({ value: t.value, frequency: t.count / total })),
        ...(r.nonNull ? { avgWidth: Math.round(r.widthSum / r.nonNull) } : {}),
        ...(r.approximate ? { approximate: true } : {}),
      };
    });
    tables[key] = { rows: a.rows, bytes: Math.round(a.bytes), columns, source: 'data', estimated: false };
  }
  return warnings.length ? { tables, warnings: [...new Set(warnings)].sort() } : { tables };
}

/** A file's size, 0 when it cannot be read (reading it later says why). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function addRow(t: Target, row: Row): void {
  const { acc, map } = t;
  acc.rows++;
  let bytes = TUPLE_OVERHEAD;
  for (let i = 0; i < map.length; i++) {
    const c = map[i];
    if (c < 0) continue;
    const v = row[i];
    const counter = acc.counters[c];
    if (v === null) counter.addNull();
    else {
      // variable-length: text length plus a 1- or 4-byte length header
      const w = acc.fixed[c] || v.length + (v.length < 127 ? 1 : 4);
      bytes += w;
      counter.add(v, w);
    }
  }
  acc.bytes += bytes;
}

/** `orders.csv`, `public.orders.csv` (any extension) -> the catalog table. */
export function tableForFile(catalog: Catalog, file: string): Table {
  const stem = basename(file, extname(file));
  const tables = Object.values(catalog.tables);
  const byKey = catalog.tables[stem] ?? tables.find((t) => t.key.toLowerCase() === stem.toLowerCase());
  if (byKey) return byKey;
  const byName = tables.filter((t) => t.name === stem);
  const candidates = byName.length ? byName : tables.filter((t) => t.name.toLowerCase() === stem.toLowerCase());
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) {
    throw new InputError(`${file}: table name ${stem} is ambiguous (${candidates.map((t) => t.key).join(', ')})`, {
      file,
      hint: 'name the file <schema>.<table>.csv',
    });
  }
  throw new InputError(`${file}: no table named ${stem} in the schema`, { file, hint: 'name each CSV file after its table: <table>.csv or <schema>.<table>.csv' });
}

