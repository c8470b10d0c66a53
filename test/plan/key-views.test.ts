/**
 * Views that GROUP BY a primary key and use the table's other columns
 * depend on that key (PostgreSQL's functional dependency): PostgreSQL refuses
 * to drop it, and the model must say so, word for word; the migration drops
 * such views before it rewrites the keys and creates them again after, and
 * the rollback does the reverse. Checked on a real PostgreSQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Design } from '../../src/design/model.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { renderMigration, renderRollback } from '../../src/plan/index.js';
import { CitusCluster, runScript, simulateScript } from '../../src/simulate/citus/index.js';
import { createTestDatabase } from '../support/db.js';
import { pgSchema, planSchema, psqlText } from './helpers.js';

const SCHEMA = `
CREATE TABLE orgs (id bigint PRIMARY KEY, name text);
CREATE TABLE charges (id bigint PRIMARY KEY, org_id bigint NOT NULL REFERENCES orgs (id), model int, note text);
CREATE TABLE fees (id bigint PRIMARY KEY, org_id bigint NOT NULL, charge_id bigint REFERENCES charges (id), amount int);
CREATE VIEW charge_totals AS
  SELECT c.id, CASE WHEN c.model = 0 THEN c.note END AS note, sum(f.amount) AS total
  FROM charges c LEFT JOIN fees f ON f.charge_id = c.id
  GROUP BY c.id;
CREATE VIEW charged AS SELECT id, note FROM charge_totals WHERE total > 0;
CREATE VIEW fee_counts AS SELECT charge_id, count(amount) AS n FROM fees GROUP BY charge_id;
CREATE VIEW fee_rows AS SELECT fees.id, fees.amount, orgs.name FROM fees JOIN orgs ON orgs.id = fees.org_id GROUP BY fees.id, orgs.id;
COMMENT ON VIEW charge_totals IS 'per charge';
INSERT INTO orgs VALUES (1, 'a'), (2, 'b');
INSERT INTO charges VALUES (10, 1, 0, 'x'), (11, 2, 1, 'y');
INSERT INTO fees VALUES (100, 1, 10, 5), (101, 2, 11, 7), (102, 1, 10, 1);
`;

/** Every table of a tenant on org_id, the organisations on every node. */
const onOrg = (colocateWith?: string) => ({ kind: 'distributed' as const, column: 'org_id', ...(colocateWith ? { colocateWith } : {}) });
const design: Design = { citus: '13.2', shardCount: 4, tables: { 'public.orgs': { kind: 'reference' }, 'public.charges': onOrg(), 'public.fees': onOrg('public.charges') } };

let planned: Awaited<ReturnType<typeof planSchema>>;

beforeAll(async () => {
  planned = await planSchema(SCHEMA, design);
});

/** The error PostgreSQL gives for a statement, as message, detail and hint. */
async function pgError(client: import('pg').Client, sql: string): Promise<{ message: string; detail?: string; hint?: string } | undefined> {
  try {
    await client.query(sql);
    return undefined;
  } catch (e) {
    const { message, detail, hint } = e as { message: string; detail?: string; hint?: string };
    return { message, ...(detail ? { detail } : {}), ...(hint ? { hint } : {}) };
  }
}

const views = `SELECT c.relname, pg_get_viewdef(c.oid) AS def FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND n.nspname = 'public' ORDER BY 1`;

describe('views that depend on a primary key through GROUP BY', () => {
  it('the catalog knows which views depend on which primary key', () => {
    const on = (k: string) => (planned.catalog.views[k].keyGroupings ?? []).map((g) => g.table);
    expect(on('public.charge_totals')).toEqual(['public.charges']);
    expect(on('public.fee_rows')).toEqual(['public.fees', 'public.orgs']);
    expect(on('public.fee_counts')).toEqual([]);
    expect(on('public.charged')).toEqual([]);
  });

  it('the model refuses to drop the key as PostgreSQL does (foreign keys on it, views), and drops the views with CASCADE', async () => {
    const db = await createTestDatabase('keyview');
    try {
      expect(psqlText(db.url, SCHEMA).errors).toEqual([]);
      const statements = [
        'ALTER TABLE charges DROP CONSTRAINT charges_pkey',
        'ALTER TABLE orgs DROP CONSTRAINT orgs_pkey',
        'ALTER TABLE fees DROP CONSTRAINT fees_pkey CASCADE',
        'ALTER TABLE orgs DROP CONSTRAINT orgs_pkey',
      ];
      const sim = simulateScript(planned.catalog, readScript('m.sql', statements.map((s) => `${s};`).join('\n')), { data: planned.data });
      const notices: string[] = [];
      db.client.on('notice', (n) => notices.push(`${n.message}${n.detail ? `\nDETAIL:  ${n.detail}` : ''}`));
      for (const [i, sql] of statements.entries()) {
        notices.length = 0;
        const real = await pgError(db.client, sql);
        expect(sim.steps[i].error, sql).toEqual(real);
        expect(sim.steps[i].notices, sql).toEqual(notices);
      }
      expect(sim.steps[0].error?.message).toBe('cannot drop constraint charges_pkey on table charges because other objects depend on it');
      expect(sim.steps[2].notices).toEqual(['drop cascades to view fee_rows']);
      // fee_rows went with fees_pkey: only the foreign key holds orgs_pkey now
      expect(sim.steps[3].error?.detail).toBe('constraint charges_org_id_fkey on table charges depends on index orgs_pkey');
    } finally {
      await db.drop();
    }
  });

  it('the migration drops them before the keys change and creates them again after, with the distribution column in their GROUP BY', () => {
    const sql = planned.m.steps.map((s) => s.sql.replace(/\s+/g, ' '));
    const at = (re: RegExp) => sql.findIndex((s) => re.test(s));
    expect(at(/^DROP VIEW charged$/)).toBeLessThan(at(/^DROP VIEW charge_totals$/));
    expect(at(/^DROP VIEW charge_totals$/)).toBeLessThan(at(/DROP CONSTRAINT charges_pkey/));
    expect(at(/^DROP VIEW fee_rows$/)).toBeLessThan(at(/DROP CONSTRAINT fees_pkey/));
    expect(sql.find((s) => /^CREATE VIEW charge_totals/.test(s))).toMatch(/GROUP BY c\.org_id, c\.id$/);
    expect(sql.find((s) => /^CREATE VIEW fee_rows/.test(s))).toMatch(/GROUP BY fees\.org_id, fees\.id, orgs\.id$/);
    expect(at(/^CREATE VIEW charge_totals/)).toBeGreaterThan(at(/ADD CONSTRAINT charges_pkey/));
    expect(at(/^CREATE VIEW charged/)).toBeGreaterThan(at(/^CREATE VIEW charge_totals/));
    expect(sql.some((s) => /fee_counts/.test(s))).toBe(false);
    // the model agrees: every step runs, forward and back
    const cluster = new CitusCluster(planned.catalog, { citus: planned.m.citus, data: planned.data });
    expect(runScript(cluster, readScript('migration.sql', renderMigration(planned.m))).steps.filter((s) => s.error)).toEqual([]);
    expect(runScript(cluster, readScript('rollback.sql', renderRollback(planned.m))).steps.filter((s) => s.error)).toEqual([]);
  });

  it('runs on PostgreSQL: the views give the same rows after the migration, and the rollback restores them as they were', async () => {
    const db = await createTestDatabase('keyview');
    try {
      expect(psqlText(db.url, SCHEMA).errors).toEqual([]);
      const before = await pgSchema(db.client);
      const defs = (await db.client.query(views)).rows;
      const rows = async () => ({
        totals: (await db.client.query('SELECT * FROM charge_totals ORDER BY id')).rows,
        charged: (await db.client.query('SELECT * FROM charged ORDER BY id')).rows,
        fees: (await db.client.query('SELECT * FROM fee_rows ORDER BY id')).rows,
        comment: (await db.client.query(`SELECT obj_description('charge_totals'::regclass, 'pg_class') AS c`)).rows,
      });
      const seen = await rows();
      expect(psqlText(db.url, renderMigration(planned.m, { postgresOnly: true })).errors).toEqual([]);
      expect(await rows()).toEqual(seen);
      expect(psqlText(db.url, renderRollback(planned.m, { postgresOnly: true })).errors).toEqual([]);
      const after = await pgSchema(db.client);
      expect(after.constraints).toEqual(before.constraints);
      expect((await db.client.query(views)).rows).toEqual(defs);
      expect(await rows()).toEqual(seen);
    } finally {
      await db.drop();
    }
  });
});
