/**
 * Names that need quoting — embedded quotes, spaces, upper case, unicode,
 * reserved words, a schema other than public — in tables, columns,
 * constraints and indexes: the scripts parse, run on the Citus model, and
 * their PostgreSQL part runs on a real PostgreSQL and rolls back exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design } from '../../src/design/model.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { planMigration, renderMigration, renderRollback, type Migration } from '../../src/plan/index.js';
import { CitusCluster, runScript, tableDataFromSchema } from '../../src/simulate/citus/index.js';
import { createTestDatabase } from '../support/db.js';
import { backfillProblems, pgSchema, psqlText } from './helpers.js';

const SCHEMA = `
CREATE SCHEMA "Sales Dept";
CREATE TABLE "select" (
    "Tenant ID" integer PRIMARY KEY,
    "from" text NOT NULL
);
CREATE TABLE "Ünïcode" (
    "ключ" integer PRIMARY KEY,
    "Näme" text CONSTRAINT "Näme ""uq""" UNIQUE
);
CREATE TABLE "Sales Dept"."Orders" (
    "Order ID" integer PRIMARY KEY,
    "Tenant ID" integer NOT NULL CONSTRAINT "Orders→tenant" REFERENCES "select" ("Tenant ID"),
    "ключ" integer REFERENCES "Ünïcode" ("ключ") ON DELETE SET NULL,
    "Total $" numeric(12,2),
    CONSTRAINT "Order ""No"" unique" UNIQUE ("Order ID", "ключ")
);
CREATE TABLE "Sales Dept"."Order ""Lines""" (
    "Order ID" integer NOT NULL REFERENCES "Sales Dept"."Orders" ("Order ID") ON DELETE CASCADE,
    "Line ""No""" integer NOT NULL,
    "user" text,
    PRIMARY KEY ("Order ID", "Line ""No""")
);
CREATE UNIQUE INDEX "Idx ""U"" ü" ON "Sales Dept"."Order ""Lines""" (lower("user")) WHERE "user" IS NOT NULL;

INSERT INTO "select" VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO "Ünïcode" VALUES (10, 'x'), (20, 'y');
INSERT INTO "Sales Dept"."Orders" VALUES (100, 1, 10, 1.5), (101, 2, 20, 2), (102, 3, NULL, 3), (103, 1, 10, 4);
INSERT INTO "Sales Dept"."Order ""Lines""" VALUES
    (100, 1, 'Ann'), (100, 2, NULL), (101, 1, 'Bob'), (101, 2, 'bo'), (102, 1, NULL), (103, 1, 'Cy'), (103, 2, 'Di'), (103, 3, NULL);
`;

const LINES = 'Sales Dept.Order "Lines"';
const ORDERS = 'Sales Dept.Orders';

const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.select': { kind: 'distributed', column: 'Tenant ID' },
    [ORDERS]: { kind: 'distributed', column: 'Tenant ID', colocateWith: 'public.select' },
    [LINES]: {
      kind: 'distributed',
      column: 'Tenant ID',
      colocateWith: 'public.select',
      backfill: { from: ORDERS, join: ['Order ID'], path: [{ table: LINES, columns: ['Order ID'], refTable: ORDERS, refColumns: ['Order ID'] }] },
    },
    'public.Ünïcode': { kind: 'reference' },
  },
};

let catalog: Catalog;
let data: ReturnType<typeof tableDataFromSchema>;
let m: Migration;

beforeAll(async () => {
  const read = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
  catalog = read.catalog;
  data = tableDataFromSchema(read.catalog, read.scripts);
  m = planMigration(catalog, design, { batchSize: 2, concurrently: true });
});

describe('identifiers that need quoting', () => {
  it('reads the schema as PostgreSQL names it', () => {
    expect(Object.keys(catalog.tables).sort()).toEqual([LINES, ORDERS, 'public.select', 'public.Ünïcode']);
    expect(catalog.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('writes scripts that parse, with UDF arguments as quoted literals of the qualified names', () => {
    for (const text of [renderMigration(m), renderRollback(m), renderMigration(m, { postgresOnly: true }), renderRollback(m, { postgresOnly: true })]) {
      const script = readScript('x.sql', text);
      expect(script.statements.filter((s) => s.error).map((s) => s.error!.message)).toEqual([]);
    }
    const sql = m.steps.map((s) => s.sql);
    expect(sql).toContain(`SELECT create_reference_table('public."Ünïcode"')`);
    expect(sql).toContain(`SELECT create_distributed_table_concurrently('public."select"', 'Tenant ID')`);
    expect(sql).toContain(`SELECT create_distributed_table_concurrently('"Sales Dept"."Order ""Lines"""', 'Tenant ID', colocate_with => 'public."select"')`);
    expect(sql).toContain(`ALTER TABLE "Sales Dept"."Order ""Lines""" ADD COLUMN "Tenant ID" integer`);
  });

  it('runs on the Citus model with every step ok, then the rollback', () => {
    const cluster = new CitusCluster(catalog, { citus: m.citus, data: Object.fromEntries(Object.entries(data).filter(([k]) => k !== LINES)) });
    const forward = runScript(cluster, readScript('migration.sql', renderMigration(m)));
    expect(forward.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql}: ${s.error?.message}`)).toEqual([]);
    expect(cluster.areColocated('public.select', LINES)).toBe(true);
    expect(cluster.kindOf('public.Ünïcode')).toBe('reference');
    const back = runScript(cluster, readScript('rollback.sql', renderRollback(m)));
    expect(back.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql}: ${s.error?.message}`)).toEqual([]);
    expect(back.final.tables.every((t) => t.kind === 'local')).toBe(true);
  });

  it('runs its PostgreSQL part on real PostgreSQL, fills the column, and rolls back exactly', async () => {
    const db = await createTestDatabase('planid');
    try {
      expect(psqlText(db.url, SCHEMA).errors).toEqual([]);
      const before = await pgSchema(db.client);
      expect(psqlText(db.url, renderMigration(m, { postgresOnly: true })).errors).toEqual([]);
      expect(await backfillProblems(db.client, design)).toEqual([]);
      const filled = await db.client.query(`SELECT "Order ID", "Tenant ID" FROM "Sales Dept"."Order ""Lines""" ORDER BY 1, "Line ""No"""`);
      expect(filled.rows.map((r) => [r['Order ID'], r['Tenant ID']])).toEqual([
        [100, 1], [100, 1], [101, 2], [101, 2], [102, 3], [103, 1], [103, 1], [103, 1],
      ]);
      const idx = await db.client.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'Idx "U" ü'`);
      expect(idx.rows[0].indexdef).toMatch(/\("Tenant ID", lower\("user"\)\) WHERE \("user" IS NOT NULL\)$/);
      expect(psqlText(db.url, renderRollback(m, { postgresOnly: true })).errors).toEqual([]);
      const after = await pgSchema(db.client);
      expect(after).toEqual(before);
    } finally {
      await db.drop();
    }
  });
});
