/**
 * What undistribute_table drops or the migration changes, the rollback puts
 * back, on the real cluster: comments on indexes (also on an index the
 * migration made again with the distribution column), a unique index's
 * element order, a DEFERRABLE INITIALLY DEFERRED unique constraint, NOT
 * VALID CHECK constraints (undistribute_table would validate them, and the
 * migration validates one that stages NOT NULL on the distribution column),
 * partition indexes attached to the partitioned table's index they belong to
 * where two of its indexes differ only in order.
 * pg_dump --schema-only before the migration and after the rollback agree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { loadParser } from '../../src/ingest/pg/index.js';
import { createTestCitusDatabase, describeCitus } from '../support/citus-db.js';
import type { CorpusDataset } from '../support/corpus.js';
import { planDataset, runMigration } from './corpus-migration-run.js';

const SCHEMA = `
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  n integer,
  code text,
  CONSTRAINT orders_position UNIQUE (tenant_id, n) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX orders_n ON orders (n);
COMMENT ON INDEX orders_n IS 'orders by n';
CREATE UNIQUE INDEX orders_code ON orders (code DESC NULLS LAST);
COMMENT ON INDEX public.orders_code IS 'one order per code';
COMMENT ON TABLE orders IS 'the orders';
ALTER TABLE orders ADD CONSTRAINT orders_n_positive CHECK (n > 0) NOT VALID;
CREATE TABLE items (id bigint PRIMARY KEY, tenant_id bigint REFERENCES tenants (id), order_id bigint NOT NULL REFERENCES orders (id));
ALTER TABLE items ADD CONSTRAINT items_tenant_present CHECK (tenant_id IS NOT NULL) NOT VALID;
CREATE TABLE events (id bigint NOT NULL, tenant_id bigint NOT NULL REFERENCES tenants (id), kind smallint NOT NULL, body text) PARTITION BY LIST (kind);
CREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1);
CREATE TABLE events_2 PARTITION OF events FOR VALUES IN (2);
ALTER TABLE events ADD CONSTRAINT events_body_short CHECK (char_length(body) <= 100) NOT VALID;
CREATE TABLE runs (id bigint NOT NULL, tenant_id bigint NOT NULL REFERENCES tenants (id), kind smallint NOT NULL, created_at timestamptz) PARTITION BY LIST (kind);
CREATE TABLE group_runs PARTITION OF runs FOR VALUES IN (1);
CREATE TABLE project_runs PARTITION OF runs FOR VALUES IN (2);
CREATE INDEX runs_on_created_at_and_id_desc ON ONLY runs (created_at, id DESC);
CREATE INDEX runs_on_created_at_desc_and_id_desc ON ONLY runs (created_at DESC, id DESC);
CREATE INDEX group_runs_on_created_at_desc_and_id_desc ON group_runs (created_at DESC, id DESC);
CREATE INDEX group_runs_on_created_at_and_id_desc ON group_runs (created_at, id DESC);
CREATE INDEX project_runs_on_created_at_desc_and_id_desc ON project_runs (created_at DESC, id DESC);
CREATE INDEX project_runs_on_created_at_and_id_desc ON project_runs (created_at, id DESC);
ALTER INDEX runs_on_created_at_and_id_desc ATTACH PARTITION group_runs_on_created_at_and_id_desc;
ALTER INDEX runs_on_created_at_and_id_desc ATTACH PARTITION project_runs_on_created_at_and_id_desc;
ALTER INDEX runs_on_created_at_desc_and_id_desc ATTACH PARTITION group_runs_on_created_at_desc_and_id_desc;
ALTER INDEX runs_on_created_at_desc_and_id_desc ATTACH PARTITION project_runs_on_created_at_desc_and_id_desc;
`;

describeCitus('the rollback restores what undistribute_table and the migration change', () => {
  let ds: CorpusDataset;
  beforeAll(async () => {
    await loadParser();
    const dir = mkdtempSync(join(tmpdir(), 'shardwise-rollback-'));
    writeFileSync(join(dir, 'schema.sql'), SCHEMA);
    ds = { name: 'rollback-restores', dir, schemaPath: join(dir, 'schema.sql'), dataFiles: [] };
  });

  it('migrates as predicted and rolls back to the same pg_dump', { timeout: 120_000 }, async () => {
    const planned = await planDataset(ds, '13.2');
    expect(planned.design.tables['public.orders']).toMatchObject({ kind: 'distributed', column: 'tenant_id' });
    expect(planned.design.tables['public.items']).toMatchObject({ kind: 'distributed', column: 'tenant_id' });
    expect(planned.design.tables['public.events']).toMatchObject({ kind: 'distributed', column: 'tenant_id' });
    expect(planned.design.tables['public.runs']).toMatchObject({ kind: 'distributed', column: 'tenant_id' });
    const db = await createTestCitusDatabase({ prefix: 'rb', citus: true });
    try {
      const run = await runMigration(ds, planned, db, 'citus-first', 4);
      expect(run.mismatches).toEqual([]);
      expect(run.migrationErrors).toEqual([]);
      expect(run.designMisses).toEqual([]);
      expect(run.rollbackErrors).toEqual([]);
      expect(run.lost, 'pg_dump shows what was there before the migration').toEqual([]);
      expect(run.gained, 'pg_dump shows nothing the migration left behind').toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
