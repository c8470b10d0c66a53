/** Helpers for checking measured statistics against what PostgreSQL itself says. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { TableStats } from '../../src/stats/model.js';
import { corpusDir } from '../support/corpus.js';
import { psqlFiles } from '../support/psql.js';

export interface Dataset {
  readonly schema: string;
  readonly data: string;
}

export function dataset(name: string): Dataset {
  const dir = join(corpusDir(), name);
  return { schema: join(dir, 'schema.sql'), data: join(dir, 'data', `${name}-data.sql`) };
}

/** Load schema + data with psql; pagila's two PostgreSQL 17-only statements fail and are ignored. */
export function loadDataset(url: string, ds: Dataset): string[] {
  return psqlFiles(url, [ds.schema, ds.data]).errors;
}

export async function catalogOf(files: string[]): Promise<Catalog> {
  const { catalog } = await readSchema(files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') })));
  return catalog;
}

export function qi(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
export function qt(key: string): string {
  const dot = key.indexOf('.');
  return `${qi(key.slice(0, dot))}.${qi(key.slice(dot + 1))}`;
}

/** Values come back in their type's output form (what COPY writes), not parsed by the driver. */
const raw = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

async function tryBoth<T>(client: pg.Client, native: string, asText: string): Promise<T[]> {
  try {
    return (await client.query({ text: native, types: raw })).rows as T[];
  } catch {
    return (await client.query({ text: asText, types: raw })).rows as T[];
  }
}

export interface ColumnTruth {
  readonly rows: number;
  readonly nulls: number;
  readonly distinct: number;
  /** Every value occurring at least twice -> its count, most frequent first. */
  readonly repeated: Array<{ v: string; n: number }>;
}

/** What PostgreSQL counts for one column (type equality; text equality for types without one). */
export async function columnTruth(client: pg.Client, table: string, column: string): Promise<ColumnTruth> {
  const t = qt(table);
  const c = qi(column);
  const [agg] = await tryBoth<{ rows: number; nulls: number; distinct: number }>(
    client,
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE ${c} IS NULL)::int AS nulls, count(DISTINCT ${c})::int AS distinct FROM ${t}`,
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE ${c} IS NULL)::int AS nulls, count(DISTINCT ${c}::text)::int AS distinct FROM ${t}`,
  ).then((r) => r.map((x) => ({ rows: Number(x.rows), nulls: Number(x.nulls), distinct: Number(x.distinct) })));
  const repeated = await tryBoth<{ v: string; n: number }>(
    client,
    `SELECT ${c} AS v, count(*)::int AS n FROM ${t} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) >= 2 ORDER BY 2 DESC`,
    `SELECT ${c}::text AS v, count(*)::int AS n FROM ${t} WHERE ${c} IS NOT NULL GROUP BY 1 HAVING count(*) >= 2 ORDER BY 2 DESC`,
  ).then((r) => r.map((x) => ({ v: x.v, n: Number(x.n) })));
  return { ...agg, repeated };
}

/** Differences between measured column stats and PostgreSQL's counts, as readable strings (empty = equal). */
export async function diffTable(client: pg.Client, key: string, stats: TableStats, topN = 10): Promise<string[]> {
  const out: string[] = [];
  const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM ${qt(key)}`)).rows;
  if (stats.rows !== n) out.push(`${key}: rows ${stats.rows} != ${n}`);
  for (const [name, col] of Object.entries(stats.columns)) {
    const truth = await columnTruth(client, key, name);
    const where = `${key}.${name}`;
    if (col.nDistinct !== truth.distinct) out.push(`${where}: nDistinct ${col.nDistinct} != ${truth.distinct}`);
    const nf = truth.rows ? truth.nulls / truth.rows : 0;
    if (Math.abs(col.nullFraction - nf) > 1e-12) out.push(`${where}: nullFraction ${col.nullFraction} != ${nf}`);
    const expectedCounts = truth.repeated.slice(0, topN).map((r) => r.n);
    const gotCounts = col.mostCommon.map((m) => Math.round(m.frequency * truth.rows));
    if (JSON.stringify(gotCounts) !== JSON.stringify(expectedCounts)) {
      out.push(`${where}: top counts ${JSON.stringify(gotCounts)} != ${JSON.stringify(expectedCounts)}`);
    }
    const byValue = new Map(truth.repeated.map((r) => [r.v, r.n]));
    for (const m of col.mostCommon) {
      const real = byValue.get(m.value);
      const got = Math.round(m.frequency * truth.rows);
      if (real !== got) out.push(`${where}: value ${JSON.stringify(m.value)} counted ${got}, PostgreSQL has ${real}`);
    }
  }
  return out;
}
