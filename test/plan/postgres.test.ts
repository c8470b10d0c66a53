/**
 * The PostgreSQL part of generated migrations, run on a real PostgreSQL loaded
 * with schema and data: no error, the added distribution columns filled and
 * agreeing with the FK path; then the rollback's PostgreSQL part gives back the
 * schema exactly (facts, constraint and index definitions with their names),
 * and shardwise's own catalog reader reads the same catalog as before.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import { compareCatalogs, connectLive, formatDifferences, readLiveCatalog } from '../../src/ingest/live/index.js';
import { planMigration, renderMigration, renderRollback } from '../../src/plan/index.js';
import { corpusDatasets, repoRoot } from '../support/corpus.js';
import { createTestDatabase } from '../support/db.js';
import { psqlFiles } from '../support/psql.js';
import { backfillProblems, pgSchema, psqlText } from './helpers.js';

const corpus = corpusDatasets().filter((d) => ['pagila-multitenant', 'chinook', 'northwind'].includes(d.name));
const wwi = join(repoRoot, 'examples', 'wide-world-importers', 'schema.sql');
const cases = [
  ...corpus.map((d) => ({ name: d.name, schema: d.schemaPath, files: [d.schemaPath, ...d.dataFiles] })),
  ...(existsSync(wwi) ? [{ name: 'wide-world-importers', schema: wwi, files: [wwi] }] : []),
];

describe('the PostgreSQL part of the migration on real PostgreSQL', () => {
  it('covers the datasets with data', () => {
    expect(corpus.map((d) => d.name).sort()).toEqual(['chinook', 'northwind', 'pagila-multitenant']);
    for (const d of corpus) expect(d.dataFiles.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(`${c.name}: migrates, fills the distribution columns, rolls back to the same schema`, async () => {
      const db = await createTestDatabase('plan');
      try {
        const load = psqlFiles(db.url, c.files);
        expect(load.errors).toEqual([]);
        const { catalog, advice } = await analyzeInputs({ schema: [c.schema], cwd: repoRoot });
        const m = planMigration(catalog, advice.design, { batchSize: 7 });
        const before = await pgSchema(db.client);
        const readCatalog = async () => {
          const session = await connectLive(db.url, {});
          try {
            return await readLiveCatalog(session);
          } finally {
            await session.close();
          }
        };
        const catalogBefore = await readCatalog();

        const forward = psqlText(db.url, renderMigration(m, { postgresOnly: true }));
        expect(forward.errors).toEqual([]);
        const backfilled = Object.values(advice.design.tables).filter((d) => d.backfill?.path?.length).length;
        if (c.name === 'pagila-multitenant' || c.name === 'northwind') expect(backfilled).toBeGreaterThan(0);
        expect(await backfillProblems(db.client, advice.design)).toEqual([]);
        const after = await pgSchema(db.client);
        // the reader sees the migration (so the comparison after the rollback can fail)
        expect(compareCatalogs(catalogBefore, await readCatalog()).length).toBeGreaterThan(0);
        // every distributed table's primary key now includes its distribution column
        for (const [key, d] of Object.entries(advice.design.tables)) {
          if (d.kind !== 'distributed' || catalog.tables[key]?.partitionOf || !after.facts[key]?.primaryKey) continue;
          expect(after.facts[key].primaryKey.split(','), key).toContain(d.column);
        }

        const back = psqlText(db.url, renderRollback(m, { postgresOnly: true }));
        expect(back.errors).toEqual([]);
        const restored = await pgSchema(db.client);
        expect(restored.facts).toEqual(before.facts);
        expect(restored.constraints).toEqual(before.constraints);
        expect(restored.indexes).toEqual(before.indexes);
        // the catalog reader sees the schema it saw before the migration
        expect(formatDifferences(compareCatalogs(catalogBefore, await readCatalog()), ['before', 'after rollback'])).toBe('');
      } finally {
        await db.drop();
      }
    });
  }
});
