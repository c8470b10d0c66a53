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

const EDGE_SCHEMA = `
CREATE EXTENSION btree_gist;
CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.posint AS integer CHECK (VALUE > 0);
CREATE TYPE app.pair AS (a int, b text);
CREATE TABLE tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(40) NOT NULL UNIQUE, moods mood[], code char(3) COLLATE "C");
CREATE TABLE app.events (
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE ON UPDATE SET NULL,
  id bigserial,
  at timestamptz(3) NOT NULL DEFAULT now(),
  qty app.posint,
  price numeric(10,2) CHECK (price >= 0),
  total numeric GENERATED ALWAYS AS (price * 2) STORED,
  span interval day to second(2),
  PRIMARY KEY (tenant_id, id, at)
) PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT;
CREATE TABLE refs (tenant_id bigint, event_id bigint, at timestamptz, FOREIGN KEY (tenant_id, event_id, at) REFERENCES app.events MATCH FULL DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX refs_partial ON refs (tenant_id, (event_id + 1)) WHERE event_id IS NOT NULL;
CREATE UNIQUE INDEX refs_ordered ON refs (tenant_id DESC NULLS LAST, event_id int8_ops, (event_id + 2) DESC);
CREATE INDEX refs_brin ON refs USING brin (at);
CREATE TABLE rooms (id int PRIMARY KEY, during tsrange, EXCLUDE USING gist (id WITH =, during WITH &&));
CREATE TABLE parent_t (a int CHECK (a > 0) NO INHERIT, b text CHECK (b <> ''));
CREATE TABLE child_t (c int) INHERITS (parent_t);
CREATE TABLE deferred_keys (a int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, b int UNIQUE DEFERRABLE, c int, CONSTRAINT deferred_keys_c UNIQUE (c) DEFERRABLE INITIALLY DEFERRED);
CREATE UNLOGGED TABLE scratch (k int UNIQUE NULLS NOT DISTINCT, v text, UNIQUE (v) INCLUDE (k));
ALTER TABLE scratch REPLICA IDENTITY FULL;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION stable_one() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';
CREATE TRIGGER t_touch BEFORE INSERT OR UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER t_stmt AFTER TRUNCATE ON tenants EXECUTE FUNCTION touch();
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_tenant ON tenants USING (id = current_setting('app.tenant')::bigint);
CREATE POLICY p_sub ON tenants FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM refs WHERE refs.tenant_id = tenants.id));
CREATE SEQUENCE app.loose AS smallint;
CREATE VIEW v_tenant_events AS SELECT t.name, count(*) AS n FROM tenants t JOIN app.events e ON e.tenant_id = t.id GROUP BY t.name;
CREATE MATERIALIZED VIEW mv AS SELECT * FROM v_tenant_events;
`;

describe('live catalog on a schema of edge cases', () => {
  it('equals the dump catalog: identity, serial, partitions, domains, enums, exclusions, policies, inheritance', async () => {
    const db = await createTestDatabase('live');
    try {
      await db.client.query(EDGE_SCHEMA);
      const fromDump = (await readSchema([{ file: 'schema.sql', text: pgDumpSchema(db.url) }])).catalog;
      const session = await connectLive(db.url, {});
      try {
        const live = await readLiveCatalog(session);
        const diffs = compareCatalogs(fromDump, live);
        expect(formatDifferences(diffs)).toBe('');
        // And against PostgreSQL's own answers, independent of the dump reader:
        const tenants = live.tables['public.tenants'];
        expect(tenants.columns[0]).toMatchObject({ name: 'id', notNull: true, identity: { kind: 'always', sequence: 'public.tenants_id_seq' } });
        expect(live.tables['app.events'].columns.find((c) => c.name === 'id')).toMatchObject({ serial: true, defaultSequence: 'app.events_id_seq' });
        expect(live.tables['app.events_2024'].partitionOf?.parent).toBe('app.events');
        expect(live.tables['refs'] ?? live.tables['public.refs']).toBeDefined();
        expect(live.tables['public.refs'].foreignKeys).toHaveLength(1);
        expect(live.tables['public.refs'].foreignKeys[0]).toMatchObject({ refTable: 'app.events', match: 'full', deferrable: true, initiallyDeferred: true });
        expect(live.tables['public.tenants'].policies.map((p) => [p.name, p.hasSubquery])).toEqual([['p_sub', true], ['p_tenant', false]]);
      } finally {
        await session.close();
      }
    } finally {
      await db.drop();
    }
  });
});
