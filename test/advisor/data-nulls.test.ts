/**
 * A column the schema's own rows hold NULL in is no distribution column:
 * Citus refuses to distribute a table with such rows ("the partition column
 * of table ... cannot be NULL"). For every corpus dataset that carries rows
 * (INSERTs and COPY blocks in its schema, or data files), PostgreSQL loads it
 * and says, for each table the recommended design distributes on a column it
 * already has, how many rows hold NULL there: none may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeInputs } from '../../src/cli/pipeline.js';
import { loadParser, quoteIdent, splitKey } from '../../src/ingest/pg/index.js';
import { carriesRows, corpusDatasets, repoRoot } from '../support/corpus.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { psqlFiles } from '../support/psql.js';

beforeAll(async () => {
  await loadParser();
});

const withRows = corpusDatasets().filter(carriesRows);

describe.each(withRows.map((ds) => [ds.name, ds] as const))('%s', (_name, ds) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('nulls');
    psqlFiles(db.url, [ds.schemaPath, ...ds.dataFiles]);
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('no table is distributed on a column its rows hold NULL in', { timeout: 300_000 }, async () => {
    const { advice } = await analyzeInputs({ schema: [ds.schemaPath], data: ds.dataFiles, cwd: repoRoot });
    const withNulls: string[] = [];
    let checked = 0;
    for (const [key, td] of Object.entries(advice.design.tables)) {
      const column = td.kind === 'distributed' && !td.backfill ? td.column : undefined;
      if (!column) continue;
      const { schema, name } = splitKey(key);
      const r = await db.client
        .query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(name)} WHERE ${quoteIdent(column)} IS NULL`)
        .catch(() => undefined);
      if (!r) continue;
      checked++;
      if (Number(r.rows[0].n) > 0) withNulls.push(`${key}.${column}: ${r.rows[0].n} rows hold NULL`);
    }
    expect(checked, 'PostgreSQL answered for the distributed tables').toBeGreaterThan(0);
    expect(withNulls).toEqual([]);
  });
});
