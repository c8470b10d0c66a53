/** What the plan tests share: the schema as PostgreSQL holds it, and the backfill check along the FK path. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { main } from '../../src/cli/main.js';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design } from '../../src/design/model.js';
import { planMigration, type Migration } from '../../src/plan/index.js';
import { tableDataFromSchema, type TableData } from '../../src/simulate/citus/index.js';
import { quoteIdent, sqlName } from '../../src/ingest/pg/index.js';
import { factsFromPostgres, type SchemaFacts } from '../support/pg-facts.js';
import { psqlFiles, type PsqlResult } from '../support/psql.js';

export interface PgSchema {
  readonly facts: SchemaFacts;
  /** "table name: definition" of every constraint, as pg_get_constraintdef prints it. */
  readonly constraints: string[];
  /** Every index definition, as pg_indexes has it. */
  readonly indexes: string[];
}

/** The schema facts plus the exact constraint and index definitions (names, columns, actions). */
export async function pgSchema(client: pg.Client): Promise<PgSchema> {
  const facts = await factsFromPostgres(client);
  const cons = await client.query(`
    SELECT c.conrelid::regclass::text AS t, c.conname, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`);
  const idx = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
  return {
    facts,
    constraints: cons.rows.map((r) => `${r.t} ${r.conname}: ${r.def}`).sort(),
    indexes: idx.rows.map((r) => r.indexdef as string).sort(),
  };
}

/** Run a SQL text with psql (ON_ERROR_STOP off); returns psql's ERROR lines. */
export function psqlText(url: string, sql: string): PsqlResult {
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-plan-'));
  try {
    const file = join(dir, 'script.sql');
    writeFileSync(file, sql);
    return psqlFiles(url, [file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * For each backfilled table: rows whose distribution column is NULL, and rows
 * whose value differs from the one found by walking the design's whole FK path
 * to the table that holds the column.
 */
export async function backfillProblems(client: pg.Client, design: Design): Promise<string[]> {
  const out: string[] = [];
  for (const [key, d] of Object.entries(design.tables)) {
    if (!d.backfill?.path?.length || !d.column) continue;
    const col = quoteIdent(d.column);
    const nulls = await client.query(`SELECT count(*)::int AS n FROM ${sqlName(key)} WHERE ${col} IS NULL`);
    if (nulls.rows[0].n) out.push(`${key}: ${nulls.rows[0].n} rows with ${d.column} NULL`);
    const path = d.backfill.path;
    const from = path.map((h, i) => `JOIN ${sqlName(h.refTable)} AS h${i + 1} ON ${h.columns.map((c, j) => `${i === 0 ? 't' : `h${i}`}.${quoteIdent(c)} = h${i + 1}.${quoteIdent(h.refColumns[j])}`).join(' AND ')}`);
    const sql = `SELECT count(*)::int AS n FROM ${sqlName(key)} AS t ${from.join(' ')} WHERE t.${col} IS DISTINCT FROM h${path.length}.${col}`;
    const wrong = await client.query(sql);
    if (wrong.rows[0].n) out.push(`${key}: ${wrong.rows[0].n} rows whose ${d.column} disagrees with the FK path`);
    const total = await client.query(`SELECT count(*)::int AS n FROM ${sqlName(key)}`);
    const joined = await client.query(`SELECT count(*)::int AS n FROM ${sqlName(key)} AS t ${from.join(' ')}`);
    if (total.rows[0].n !== joined.rows[0].n) out.push(`${key}: ${total.rows[0].n - joined.rows[0].n} rows have no path to a value`);
  }
  return out;
}

/** Run the CLI in-process, as a user would, capturing what it prints. */
export async function runCli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { NO_COLOR: '1' },
    cwd,
  });
  return { code, stdout, stderr };
}

/** A schema read, its data as the model holds it, and the migration to a design. */
export async function planSchema(schema: string, design: Design): Promise<{ catalog: Catalog; data: Record<string, TableData>; m: Migration }> {
  const read = await readSchema([{ file: 'schema.sql', text: schema }]);
  return { catalog: read.catalog, data: tableDataFromSchema(read.catalog, read.scripts), m: planMigration(read.catalog, design) };
}
