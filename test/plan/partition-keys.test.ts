/**
 * Keys Citus checks on every partition and exclusion constraints: a
 * partitioned table whose partitions were attached with indexes of their own
 * (as pg_dump writes them: CREATE INDEX ON ONLY the parent, the partition's
 * index, ALTER INDEX ... ATTACH PARTITION), and a table with an EXCLUDE
 * constraint that does not name the distribution column. The migration runs
 * on the Citus model, every step ok, and so does its rollback.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design } from '../../src/design/model.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { planMigration, renderMigration, renderRollback, type Migration } from '../../src/plan/index.js';
import { CitusCluster, runScript } from '../../src/simulate/citus/index.js';

const SCHEMA = `
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE runners (id bigint NOT NULL, kind smallint NOT NULL, tenant_id bigint NOT NULL, token text) PARTITION BY LIST (kind);
CREATE TABLE group_runners (id bigint NOT NULL, kind smallint NOT NULL, tenant_id bigint NOT NULL, token text);
ALTER TABLE ONLY runners ATTACH PARTITION group_runners FOR VALUES IN ('2');
ALTER TABLE ONLY runners ADD CONSTRAINT runners_pkey PRIMARY KEY (id, kind);
ALTER TABLE ONLY group_runners ADD CONSTRAINT group_runners_pkey PRIMARY KEY (id, kind);
ALTER TABLE ONLY group_runners ADD CONSTRAINT group_runners_id_unique UNIQUE (id);
CREATE UNIQUE INDEX runners_token ON ONLY runners USING btree (token, kind);
CREATE UNIQUE INDEX group_runners_token ON group_runners USING btree (token, kind);
ALTER INDEX runners_pkey ATTACH PARTITION group_runners_pkey;
ALTER INDEX runners_token ATTACH PARTITION group_runners_token;
CREATE TABLE shifts (
    id bigint PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    rotation_id bigint NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    CONSTRAINT no_overlap EXCLUDE USING gist (rotation_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (rotation_id > 0) DEFERRABLE INITIALLY DEFERRED
);
`;

const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.tenants': { kind: 'distributed', column: 'id' },
    'public.runners': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.tenants' },
    'public.shifts': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.tenants' },
  },
};

let catalog: Catalog;
let m: Migration;
beforeAll(async () => {
  catalog = (await readSchema([{ file: 'schema.sql', text: SCHEMA }])).catalog;
  m = planMigration(catalog, design);
});

describe('keys of partitions and exclusion constraints', () => {
  it('records an exclusion constraint as deferrable', () => {
    const x = catalog.tables['public.shifts'].exclusions[0];
    expect([x.name, x.deferrable, x.initiallyDeferred, x.where]).toEqual(['no_overlap', true, true, 'rotation_id > 0']);
  });

  it('drops a partitioned index with the partition index attached to it', async () => {
    const { catalog: after } = await readSchema([{ file: 'schema.sql', text: `${SCHEMA}\nDROP INDEX runners_token;` }]);
    expect(after.tables['public.group_runners'].uniques.map((u) => u.name)).toEqual(['group_runners_id_unique']);
    expect(after.tables['public.group_runners'].indexes.map((i) => i.name).sort()).toEqual(['group_runners_id_unique', 'group_runners_pkey']);
  });

  it('remakes the exclusion constraint with the distribution column compared with =', () => {
    const sql = m.steps.map((s) => s.sql);
    expect(sql).toContain('ALTER TABLE shifts DROP CONSTRAINT no_overlap');
    expect(sql).toContain(
      `ALTER TABLE shifts ADD CONSTRAINT no_overlap EXCLUDE USING gist (tenant_id WITH =, rotation_id WITH =, (tstzrange(starts_at, ends_at, '[)')) WITH &&) WHERE (rotation_id > 0) DEFERRABLE INITIALLY DEFERRED`,
    );
    expect(m.rollback.steps.map((s) => s.sql)).toContain(
      `ALTER TABLE shifts ADD CONSTRAINT no_overlap EXCLUDE USING gist (rotation_id WITH =, (tstzrange(starts_at, ends_at, '[)')) WITH &&) WHERE (rotation_id > 0) DEFERRABLE INITIALLY DEFERRED`,
    );
  });

  it('runs on the Citus model, forward and back, every step ok', () => {
    const cluster = new CitusCluster(catalog, { citus: m.citus });
    const forward = runScript(cluster, readScript('migration.sql', renderMigration(m)));
    expect(forward.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message}`)).toEqual([]);
    expect(['public.runners', 'public.shifts'].map((k) => cluster.distributionColumn(k))).toEqual(['tenant_id', 'tenant_id']);
    const back = runScript(cluster, readScript('rollback.sql', renderRollback(m)));
    expect(back.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message}`)).toEqual([]);
  });

  it('without btree_gist, leaves the exclusion constraint and says why', () => {
    const bare = SCHEMA.replace('CREATE EXTENSION IF NOT EXISTS btree_gist;', '');
    return readSchema([{ file: 'schema.sql', text: bare }]).then(({ catalog: c }) => {
      const plan = planMigration(c, design);
      expect(plan.steps.some((s) => s.sql.includes('no_overlap'))).toBe(false);
      expect(plan.notes.map((n) => n.text).join('\n')).toMatch(/no_overlap .*btree_gist/);
    });
  });
});
