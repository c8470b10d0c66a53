/**
 * One corpus dataset's migration on the real cluster: load (Citus first, or
 * the schema first and `CREATE EXTENSION citus` after, as users have it),
 * count rows, run every migration statement and hold its outcome against the
 * model's prediction, read pg_dist_partition, run the rollback, and compare
 * pg_dump --schema-only before and after, statement by statement.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Catalog } from '../../src/catalog/index.js';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import type { Design } from '../../src/design/model.js';
import { readScript, splitKey, type Script } from '../../src/ingest/pg/index.js';
import { planMigration, renderMigration, renderRollback, type Migration } from '../../src/plan/index.js';
import { migrationModel, runScript } from '../../src/simulate/citus/index.js';
import type { CitusDatabase } from '../support/citus.js';
import { findPgBinDir } from '../support/cluster.js';
import { repoRoot, type CorpusDataset } from '../support/corpus.js';
import { psqlFiles } from '../support/psql.js';

export type LoadOrder = 'citus-first' | 'schema-first';

export interface PlannedDataset {
  readonly catalog: Catalog;
  readonly scripts: Script[];
  readonly design: Design;
  readonly migration: Migration;
  readonly partitions: ReadonlySet<string>;
}

export async function planDataset(ds: CorpusDataset, citus: string): Promise<PlannedDataset> {
  const { catalog, scripts, advice } = await analyzeInputs({ schema: [ds.schemaPath], data: ds.dataFiles, cwd: repoRoot });
  const migration = planMigration(catalog, advice.design, { citus });
  const partitions = new Set(Object.values(catalog.tables).filter((t) => t.partitionOf).map((t) => t.key));
  return { catalog, scripts, design: advice.design, migration, partitions };
}

export interface MigrationRun {
  readonly loadErrors: string[];
  /** Statements whose real outcome differs from the prediction: `sql: predicted -> real`. */
  readonly mismatches: string[];
  readonly migrationErrors: string[];
  /** Tables whose kind or distribution column on the cluster is not the design's. */
  readonly designMisses: string[];
  /** Tables whose row count changed through the migration or the rollback. */
  readonly rowChanges: string[];
  readonly rollbackErrors: string[];
  /** Schema statements pg_dump shows before the migration and not after the rollback, and the other way. */
  readonly lost: string[];
  readonly gained: string[];
  readonly statements: number;
}

export async function runMigration(ds: CorpusDataset, planned: PlannedDataset, db: CitusDatabase, order: LoadOrder, shardCount: number): Promise<MigrationRun> {
  const { migration: m, design } = planned;
  const script = readScript('migration.sql', renderMigration(m));
  const rollback = readScript('rollback.sql', renderRollback(m));
  // predicted as `migrate` checks it: on the schema, with what its data tells
  const predicted = runScript(migrationModel(planned.catalog, planned.scripts, design, m), script);

  const load = psqlFiles(db.url, [ds.schemaPath, ...ds.dataFiles]);
  if (order === 'schema-first') await db.enableCitus();
  await db.client.query(`SET citus.shard_count = ${shardCount}`);
  const before = dumpStatements(db.url);
  const tables = Object.keys(design.tables).filter((k) => !planned.partitions.has(k));
  const rowsBefore = await rowCounts(db, tables);

  const mismatches: string[] = [];
  const migrationErrors: string[] = [];
  for (const [i, s] of script.statements.entries()) {
    const real = await outcome(db, s.sql);
    const step = predicted.steps[i];
    const expected = step?.outcome === 'error' ? step.error?.message : undefined;
    if (real) migrationErrors.push(`${firstLine(s.sql)}: ${real}`);
    if ((real ?? 'ok') !== (expected ?? 'ok')) mismatches.push(`${firstLine(s.sql)}: predicted ${expected ?? 'ok'}, Citus ${real ?? 'ok'}`);
  }

  const designMisses = await designDiff(db, design, planned.partitions);
  const rowsAfter = await rowCounts(db, tables);
  const rowChanges = tables.filter((t) => rowsBefore.get(t) !== rowsAfter.get(t)).map((t) => `${t}: ${rowsBefore.get(t)} -> ${rowsAfter.get(t)} after the migration`);

  const rollbackErrors: string[] = [];
  for (const s of rollback.statements) {
    const real = await outcome(db, s.sql);
    if (real) rollbackErrors.push(`${firstLine(s.sql)}: ${real}`);
  }
  const rowsBack = await rowCounts(db, tables);
  rowChanges.push(...tables.filter((t) => rowsBefore.get(t) !== rowsBack.get(t)).map((t) => `${t}: ${rowsBefore.get(t)} -> ${rowsBack.get(t)} after the rollback`));
  const after = dumpStatements(db.url);
  return {
    loadErrors: load.errors,
    mismatches,
    migrationErrors,
    designMisses,
    rowChanges,
    rollbackErrors,
    lost: multisetMinus(before, after),
    gained: multisetMinus(after, before),
    statements: script.statements.length,
  };
}

async function outcome(db: CitusDatabase, sql: string): Promise<string | undefined> {
  try {
    await db.client.query(sql);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const firstLine = (sql: string) => sql.trim().split('\n')[0].slice(0, 160);

async function rowCounts(db: CitusDatabase, tables: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of tables) {
    const { schema, name } = splitKey(t);
    const r = await db.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(schema)}.${quote(name)}`).catch(() => undefined);
    out.set(t, r ? Number(r.rows[0].n) : -1);
  }
  return out;
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function designDiff(db: CitusDatabase, design: Design, partitions: ReadonlySet<string>): Promise<string[]> {
  const r = await db.client.query<{ schema: string; name: string; method: string; col: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS name, p.partmethod AS method, column_to_column_name(p.logicalrelid, p.partkey) AS col
       FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid JOIN pg_namespace n ON n.oid = c.relnamespace`,
  );
  const real = new Map(r.rows.map((x) => [`${x.schema}\u0000${x.name}`, x]));
  const out: string[] = [];
  for (const [key, td] of Object.entries(design.tables)) {
    if (partitions.has(key)) continue;
    const { schema, name } = splitKey(key);
    const row = real.get(`${schema}\u0000${name}`);
    if (td.kind === 'distributed' && (row?.method !== 'h' || row.col !== td.column)) out.push(`${key}: design distributed on ${td.column}, cluster ${row ? `${row.method} ${row.col ?? ''}` : 'not a Citus table'}`);
    if (td.kind === 'reference' && row?.method !== 'n') out.push(`${key}: design reference, cluster ${row ? row.method : 'not a Citus table'}`);
    if (td.kind === 'local' && row && row.method !== 'n') out.push(`${key}: design local, cluster ${row.method}`);
  }
  return out;
}

/**
 * pg_dump --schema-only as a list of its entries (each object's text, split
 * at pg_dump's `-- Name:` headers; settings and the \restrict lines left out).
 */
export function dumpStatements(url: string): string[] {
  const r = spawnSync(join(findPgBinDir(), 'pg_dump'), ['--schema-only', '--no-owner', '--no-privileges', '-d', url], { encoding: 'utf8', maxBuffer: 512 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
  const out: string[] = [];
  let cur: string[] = [];
  const flush = () => {
    const text = cur.join('\n').trim();
    if (text) out.push(text);
    cur = [];
  };
  for (const line of r.stdout.split('\n')) {
    if (/^-- (Data for )?Name: /.test(line)) flush();
    if (/^--( |$)/.test(line) || /^\\(un)?restrict /.test(line) || /^SET |^SELECT pg_catalog\.set_config/.test(line)) continue;
    cur.push(line.trimEnd());
  }
  flush();
  return out;
}

function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out.sort();
}
