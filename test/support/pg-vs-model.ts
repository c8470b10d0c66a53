/**
 * The same statements on a real PostgreSQL and on the model, one by one: per
 * statement its error (message, DETAIL, HINT) or undefined, so that a test
 * compares the model with what PostgreSQL answers.
 */
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser, readScript } from '../../src/ingest/pg/index.js';
import { simulateScript, type StepError } from '../../src/simulate/citus/index.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/** A database of the test file's own (named from `prefix`), with the parser loaded, dropped after the file: its client. */
export function usePostgres(prefix: string): () => pg.Client {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    await loadParser();
    db = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => db!.client;
}

export async function postgresErrors(client: pg.Client, statements: readonly string[]): Promise<Array<StepError | undefined>> {
  const out: Array<StepError | undefined> = [];
  for (const sql of statements) {
    try {
      await client.query(sql);
      out.push(undefined);
    } catch (e) {
      const err = e as { message: string; detail?: string; hint?: string };
      out.push({ message: err.message, ...(err.detail ? { detail: err.detail } : {}), ...(err.hint ? { hint: err.hint } : {}) });
    }
  }
  return out;
}

export function modelErrors(statements: readonly string[]): Array<StepError | undefined> {
  const { catalog } = buildCatalog([]);
  return simulateScript(catalog, readScript('m.sql', statements.join('\n')), { citus: '13.2.2' }).steps.map((s) => s.error);
}
