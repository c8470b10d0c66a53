/**
 * The live catalog equals the dump reader's catalog of `pg_dump --schema-only`
 * of the same database, for several corpus schemas loaded into a real
 * PostgreSQL (with their data where the corpus has it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../../src/catalog/index.js';
import { compareCatalogs, connectLive, formatDifferences, readLiveCatalog } from '../../../src/ingest/live/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { corpusData, corpusSchema, pgDumpSchema, psqlFile } from './support.js';

const DATASETS = ['pagila', 'chinook', 'northwind', 'benchbase-tpcc', 'benchbase-seats', 'citus-realtime-http', 'lago-api', 'danbooru'];

describe('live catalog equals the catalog of a pg_dump of the same database', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });
  for (const name of DATASETS) {
    it(name, async () => {
      const db = await createTestDatabase('live');
      dbs.push(db);
      psqlFile(db.url, corpusSchema(name));
      const data = corpusData(name);
      if (data) psqlFile(db.url, data);
      const dump = pgDumpSchema(db.url);
      const fromDump = (await readSchema([{ file: 'schema.sql', text: dump }])).catalog;
      const session = await connectLive(db.url, {});
      try {
        const live = await readLiveCatalog(session);
        expect(Object.keys(live.tables).length).toBeGreaterThan(0);
        expect(Object.keys(live.tables)).toEqual(Object.keys(fromDump.tables));
        const diffs = compareCatalogs(fromDump, live);
        expect(formatDifferences(diffs), `${name}: dump vs live`).toBe('');
      } finally {
        await session.close();
      }
    });
  }
});
