/**
 * Every corpus dataset's migration, as `shardwise migrate` writes it for the
 * recommended design, on the real cluster, in both orders users have (Citus
 * first; the schema first and `CREATE EXTENSION citus` after), with the
 * dataset's data where it has some (shard_count 4, to keep the suite quick):
 *
 * - every statement's outcome is the one the Citus model predicted (the
 *   model `migrate` checks the migration on, with the schema's own data);
 * - the cluster reaches the design (pg_dist_partition);
 * - no table gains or loses a row, through the migration or the rollback;
 * - the rollback runs clean and pg_dump --schema-only after it equals the
 *   dump before the migration, up to order, except what the rollback's
 *   header says it cannot undo.
 *
 * A dataset whose schema does not load whole (its own data breaks one of its
 * constraints) may fail on the objects that did not load, and only on those.
 * A schema of more than MAX_TABLES tables (gitlab) is checked on the model
 * only (test/plan/corpus.test.ts): on the real cluster its two load orders
 * take more than half of CI's time budget. SHARDWISE_MIGRATIONS_MAX_TABLES=2000
 * runs it too.
 *
 * Two test files share the datasets by size (corpus-migrations.test.ts and
 * corpus-migrations-large.test.ts), so that they run side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser, splitKey } from '../../src/ingest/pg/index.js';
import { createTestCitusDatabase, describeCitus } from '../support/citus-db.js';
import { carriesRows, corpusDatasets, readCorpusFile, type CorpusDataset } from '../support/corpus.js';
import { planDataset, runMigration, type LoadOrder, type PlannedDataset } from './corpus-migration-run.js';

const SHARD_COUNT = 4;
const CITUS = '13.2';
const ORDERS: LoadOrder[] = ['citus-first', 'schema-first'];
/** Past this many tables a dataset is checked on the model only (SHARDWISE_MIGRATIONS_MAX_TABLES raises it: gitlab takes about 8 minutes per load order). */
const MAX_TABLES = Number(process.env.SHARDWISE_MIGRATIONS_MAX_TABLES ?? 500);

/**
 * Runs known to fail, with why: each must keep failing until the product
 * handles it (then the entry goes).
 */
const KNOWN_FAILURES: Record<string, string> = {};

/** Names an ERROR of the load quotes: objects that may be missing afterwards. */
function namesIn(errors: readonly string[]): string[] {
  // as quoted (`public.v`) and unqualified (`v`): a later statement may name the object either way;
  // a quoted word of the SQL (`syntax error at or near "AS"`) names no object
  const names = errors.flatMap((e) => [...e.matchAll(/"([^"]+)"/g)].flatMap((m) => [m[1], m[1].split('.').pop()!]));
  return [...new Set(names.filter((n) => n.length >= 3 && /[a-z_]/.test(n)))];
}

/**
 * The objects an ERROR of the load describes ("view public.v", as Citus
 * writes it): they may stand otherwise than the schema defines them (a view
 * left as pg_dump's placeholder), so the rollback, which restores the
 * schema's definition, may leave them changed.
 */
function objectsIn(errors: readonly string[]): string[] {
  return namesIn(errors).flatMap((q) => /^(?:materialized view|view|table|sequence|function|type) (\S+)$/.exec(q)?.[1] ?? []);
}

/** The table a pg_dump entry defines or changes (`schema.name`, unquoted), if it is one of a table's. */
function tableOf(entry: string): string | undefined {
  const m = /^(?:ALTER TABLE (?:ONLY )?|CREATE (?:UNIQUE )?INDEX \S+ ON (?:ONLY )?|CREATE TABLE )((?:"[^"]+"|[^\s."]+)\.(?:"[^"]+"|[^\s."(]+))/.exec(entry);
  return m?.[1].replace(/"/g, '');
}

/** CREATE TABLE statements in a dataset's schema. */
function tableCount(ds: CorpusDataset): number {
  return (readCorpusFile(ds.schemaPath).match(/^\s*CREATE\s+(UNLOGGED\s+)?TABLE\b/gim) ?? []).length;
}

/** The suite for the datasets whose table count `sizes` accepts (all of them at most MAX_TABLES). */
export function describeCorpusMigrations(what: string, sizes: (tables: number) => boolean): void {
  const figures: string[] = [];
  const totals = { datasets: new Set<string>(), runs: 0, statements: 0, started: 0 };
  const datasets = corpusDatasets().filter((ds) => {
    const n = tableCount(ds);
    return n <= MAX_TABLES && sizes(n);
  });

  describeCitus(`corpus migrations on the real cluster: ${what}`, () => {
    beforeAll(async () => {
      await loadParser();
      totals.started = Date.now();
    });

    afterAll(() => {
      const seconds = Math.round((Date.now() - totals.started) / 1000);
      const total = `  ${totals.datasets.size} datasets (a sample database's with and without it), ${totals.runs} runs, ${totals.statements} statements, ${seconds} s (${what}, both load orders)`;
      if (figures.length) console.log(`corpus migrations on real Citus (shard_count ${SHARD_COUNT}):\n${figures.join('\n')}\n${total}`);
    });

    // a dataset with a sample database (data files loaded after the schema) runs with it and without it;
    // rows the schema file itself carries (seed rows of its migrations) always come with the schema
    const variants = datasets.flatMap((ds) => {
      const withRows = { name: carriesRows(ds) ? `${ds.name}, with its data` : ds.name, load: () => planDataset(ds, CITUS).then((planned) => ({ ds, planned })) };
      if (!ds.dataFiles.length) return [withRows];
      const bare = { ...ds, dataFiles: [] };
      return [withRows, { name: `${ds.name}, schema only`, load: () => planDataset(bare, CITUS).then((planned) => ({ ds: bare, planned })) }];
    });

    for (const variant of variants) {
      describe(variant.name, () => {
        let ds: CorpusDataset;
        let planned: PlannedDataset;
        beforeAll(async () => {
          ({ ds, planned } = await variant.load());
        }, 600_000);

        for (const order of ORDERS) {
          const known = KNOWN_FAILURES[`${variant.name} ${order}`];
          const test = known ? it.fails : it;
          test(`${order}: every step as predicted, the design reached, rows kept, the schema restored${known ? ` (known to fail: ${known})` : ''}`, { timeout: 900_000 }, async () => {
            const started = Date.now();
            const db = await createTestCitusDatabase({ prefix: 'mig', citus: order === 'citus-first' });
            try {
              const run = await runMigration(ds, planned, db, order, SHARD_COUNT);
              const unloaded = namesIn(run.loadErrors);
              const aboutUnloaded = (e: string) => unloaded.some((n) => e.includes(n));
              totals.datasets.add(variant.name);
              totals.runs++;
              totals.statements += run.statements;
              figures.push(`  ${variant.name} ${order}: ${run.statements} statements, ${run.migrationErrors.length} errors, ${run.mismatches.length} not as predicted; rollback ${run.rollbackErrors.length} errors; schema ${run.lost.length} statements lost, ${run.gained.length} gained; ${Math.round((Date.now() - started) / 1000)} s`);

              expect(run.mismatches.filter((e) => !aboutUnloaded(e)), 'every step as the model predicted').toEqual([]);
              expect(run.migrationErrors.filter((e) => !aboutUnloaded(e)), 'the migration runs clean').toEqual([]);
              expect(run.designMisses, 'the cluster reaches the design').toEqual([]);
              expect(run.rowChanges, 'no row gained or lost').toEqual([]);
              expect(run.rollbackErrors.filter((e) => !aboutUnloaded(e)), 'the rollback runs clean').toEqual([]);

              // what the rollback cannot undo, it says: a sequence whose type Citus changed
              const declared = new Set(planned.migration.rollback.cannotUndo.flatMap((c) => [.../\bsequence (\S+) |^(\S+) stays bigint/.exec(c)?.slice(1) ?? []].filter(Boolean)));
              const sequenceOf = (stmt: string) => /^CREATE SEQUENCE (?:public\.)?(\S+)/.exec(stmt)?.[1];
              // and a view the load could not define as the schema does comes back as the schema defines it
              const misloaded = objectsIn(run.loadErrors).map((n) => new RegExp(`^CREATE (OR REPLACE )?(MATERIALIZED )?VIEW ${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} AS`));
              // and a table it declares it leaves a Citus table keeps the constraints, indexes and columns the migration gave it
              const staysCitus = new Set(planned.migration.rollback.staysCitus.map((k) => {
                const { schema, name } = splitKey(k);
                return `${schema}.${name}`;
              }));
              const unexplained = (list: string[]) =>
                list.filter((s) => !declared.has(sequenceOf(s) ?? '\u0000') && !misloaded.some((re) => re.test(s)) && !staysCitus.has(tableOf(s) ?? '\u0000'));
              expect(unexplained(run.lost), 'pg_dump shows what was there before the migration').toEqual([]);
              expect(unexplained(run.gained), 'pg_dump shows nothing the migration left behind').toEqual([]);
            } finally {
              await db.drop();
            }
          });
        }
      });
    }
  });
}
