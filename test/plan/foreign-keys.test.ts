/**
 * Foreign keys through a migration (citus-rules.md §6): an FK to a reference
 * table made first stays in place; ON UPDATE CASCADE becomes NO ACTION where
 * no referenced column can change anyway; a partition's own FKs come back once,
 * on the partitioned parent; what Citus cannot take is dropped for good, and
 * the CLI says so on standard error. The scripts run on the Citus model, and
 * their PostgreSQL part on a real PostgreSQL, rolled back exactly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Catalog } from '../../src/catalog/model.js';
import type { Design } from '../../src/design/model.js';
import { readScript } from '../../src/ingest/pg/index.js';
import { planMigration, renderMigration, renderRollback, type Migration } from '../../src/plan/index.js';
import { CitusCluster, runScript, tableDataFromSchema } from '../../src/simulate/citus/index.js';
import { createTestDatabase } from '../support/db.js';
import { corpusDir } from '../support/corpus.js';
import { pgSchema, psqlText, runCli } from './helpers.js';

const SCHEMA = `
CREATE TABLE countries (
    code text PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE stores (
    tenant_id bigint NOT NULL,
    store_id bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE,
    country text NOT NULL REFERENCES countries (code)
);
CREATE TABLE customers (
    tenant_id bigint NOT NULL,
    customer_id bigserial PRIMARY KEY,
    store_id bigint NOT NULL REFERENCES stores (store_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    store_code text REFERENCES stores (code) ON UPDATE CASCADE,
    home_store bigint REFERENCES stores (store_id) ON DELETE SET NULL
);
CREATE TABLE payments (
    tenant_id bigint NOT NULL,
    payment_id bigserial,
    customer_id bigint NOT NULL,
    paid_on date NOT NULL,
    PRIMARY KEY (payment_id, paid_on)
) PARTITION BY RANGE (paid_on);
CREATE TABLE payments_2024 PARTITION OF payments FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE payments_2026 PARTITION OF payments FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE payments_2024 ADD CONSTRAINT payments_2024_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (customer_id);
ALTER TABLE payments_2025 ADD CONSTRAINT payments_2025_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (customer_id);
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    country text REFERENCES countries (code),
    note text
);

INSERT INTO countries VALUES ('FR', 'France'), ('JP', 'Japan');
INSERT INTO stores (tenant_id, code, country) VALUES (1, 'PAR', 'FR'), (2, 'TYO', 'JP');
INSERT INTO customers (tenant_id, store_id, store_code, home_store) VALUES (1, 1, 'PAR', 1), (2, 2, 'TYO', NULL);
INSERT INTO payments (tenant_id, customer_id, paid_on) VALUES (1, 1, '2024-03-01'), (2, 2, '2025-06-01'), (1, 1, '2026-01-02');
INSERT INTO audit_log (country, note) VALUES ('FR', 'opened');
`;

const DESIGN_YAML = `citus: "14.0"
shard_count: 32
tables:
  countries: { kind: reference }
  stores: { kind: distributed, column: tenant_id }
  customers: { kind: distributed, column: tenant_id, colocate_with: stores }
  payments: { kind: distributed, column: tenant_id, colocate_with: stores }
`;

const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.countries': { kind: 'reference' },
    'public.stores': { kind: 'distributed', column: 'tenant_id' },
    'public.customers': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.stores' },
    'public.payments': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.stores' },
  },
};

let catalog: Catalog;
let data: ReturnType<typeof tableDataFromSchema>;
let m: Migration;

beforeAll(async () => {
  const read = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
  catalog = read.catalog;
  data = tableDataFromSchema(read.catalog, read.scripts);
  m = planMigration(catalog, design);
});

const sqlOf = (phase: string) => m.steps.filter((s) => s.phase === phase).map((s) => s.sql.replace(/\s+/g, ' '));

describe('foreign keys through the migration', () => {
  it('keeps the FK to the reference table made first; a plain table keeping its own is re-added later', () => {
    expect(sqlOf('reference')).toEqual([
      'ALTER TABLE audit_log DROP CONSTRAINT audit_log_country_fkey',
      'SET citus.enable_local_reference_table_foreign_keys = off',
      "SELECT create_reference_table('public.countries')",
      'RESET citus.enable_local_reference_table_foreign_keys',
    ]);
    expect(m.steps.some((s) => s.sql.includes('stores_country_fkey'))).toBe(false);
    expect(sqlOf('restore')).toContain('ALTER TABLE audit_log ADD CONSTRAINT audit_log_country_fkey FOREIGN KEY (country) REFERENCES countries (code)');
  });

  it('rewrites ON UPDATE CASCADE to NO ACTION when the referenced key cannot change, and says so', () => {
    expect(sqlOf('restore')).toContain(
      'ALTER TABLE customers ADD CONSTRAINT customers_store_id_fkey FOREIGN KEY (tenant_id, store_id) REFERENCES stores (tenant_id, store_id) ON DELETE RESTRICT',
    );
    const r = m.foreignKeys.rewritten.find((x) => x.name === 'customers_store_id_fkey')!;
    expect(r.as).toEqual({ table: 'public.customers', name: 'customers_store_id_fkey' });
    expect(r.changes.join('\n')).toMatch(/ON UPDATE CASCADE became NO ACTION/);
    expect(r.changes.join('\n')).toMatch(/tenant_id is the distribution column of stores, which Citus never lets change, and store_id is a key drawn from a sequence/);
    const step = m.steps.find((s) => s.phase === 'restore' && s.sql.includes('customers_store_id_fkey'))!;
    expect(step.why).toMatch(/Re-added in the form Citus accepts: .*ON UPDATE CASCADE became NO ACTION/);
  });

  it("moves a partition's own FKs to the partitioned parent, naming the partitions that did not have them", () => {
    expect(sqlOf('restore')).toContain('ALTER TABLE payments ADD CONSTRAINT payments_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, customer_id)');
    const moved = m.foreignKeys.rewritten.filter((x) => x.as.name === 'payments_customer_id_fkey');
    expect(moved.map((x) => `${x.table}.${x.name}`)).toEqual(['public.payments_2024.payments_2024_customer_fkey', 'public.payments_2025.payments_2025_customer_fkey']);
    expect(moved[0].changes[0]).toMatch(/defined once on payments as payments_customer_id_fkey instead of on each partition .* now also on payments_2026, which did not have it/);
    // added once, dropped once by the rollback
    expect(m.steps.filter((s) => /ADD CONSTRAINT payments_customer_id_fkey/.test(s.sql))).toHaveLength(1);
    expect(m.rollback.steps.filter((s) => /DROP CONSTRAINT payments_customer_id_fkey/.test(s.sql))).toHaveLength(1);
  });

  it('drops for good what Citus cannot take, with the reason, in the script and in the migration', () => {
    expect(m.foreignKeys.dropped.map((d) => `${d.table}.${d.name}`)).toEqual(['public.customers.customers_home_store_fkey', 'public.customers.customers_store_code_fkey']);
    const [home, code] = m.foreignKeys.dropped;
    expect(home.reason).toMatch(/SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included/);
    expect(code.reason).toMatch(/It cannot become ON UPDATE NO ACTION without changing what an update does: stores\.code is neither a distribution column nor drawn from a sequence/);
    const notes = m.notes.filter((n) => n.phase === 'restore').map((n) => n.text);
    expect(notes).toHaveLength(2);
    expect(notes.every((n) => n.startsWith('dropped for good: '))).toBe(true);
  });

  it('runs on the Citus model with every step ok, then the rollback', () => {
    const cluster = new CitusCluster(catalog, { citus: m.citus, data });
    const forward = runScript(cluster, readScript('migration.sql', renderMigration(m)));
    expect(forward.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message}`)).toEqual([]);
    expect(cluster.kindOf('public.countries')).toBe('reference');
    expect(cluster.kindOf('public.audit_log')).toBe('citus-local');
    expect(cluster.areColocated('public.stores', 'public.payments')).toBe(true);
    const back = runScript(cluster, readScript('rollback.sql', renderRollback(m)));
    expect(back.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message}`)).toEqual([]);
    expect(back.final.tables.every((t) => t.kind === 'local')).toBe(true);
  });

  it('runs its PostgreSQL part on real PostgreSQL (the moved FK checks every partition), and rolls back exactly', async () => {
    const db = await createTestDatabase('planfk');
    try {
      expect(psqlText(db.url, SCHEMA).errors).toEqual([]);
      const before = await pgSchema(db.client);
      expect(psqlText(db.url, renderMigration(m, { postgresOnly: true })).errors).toEqual([]);
      const after = await pgSchema(db.client);
      expect(after.constraints).toContain('payments payments_customer_id_fkey: FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, customer_id)');
      expect(after.constraints).toContain('payments_2026 payments_customer_id_fkey: FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, customer_id)');
      expect(after.constraints.filter((c) => /customers_store_code_fkey|customers_home_store_fkey/.test(c))).toEqual([]);
      expect(psqlText(db.url, renderRollback(m, { postgresOnly: true })).errors).toEqual([]);
      const restored = await pgSchema(db.client);
      expect(restored).toEqual(before);
    } finally {
      await db.drop();
    }
  });

  it('lists on standard error the FKs dropped for good and those re-added in another form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shardwise-fk-'));
    try {
      writeFileSync(join(dir, 'schema.sql'), SCHEMA);
      writeFileSync(join(dir, 'shardwise.plan.yaml'), DESIGN_YAML);
      for (const out of [['-o', 'migration.sql'], []]) {
        const r = await runCli(['migrate', 'schema.sql', '--plan', 'shardwise.plan.yaml', ...out], dir);
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(/^dropped for good: 2 foreign keys \(customers\.customers_home_store_fkey, customers\.customers_store_code_fkey\)$/m);
        expect(r.stderr).toMatch(/^ {2}customers\.customers_home_store_fkey \(home_store\) -> stores: with tenant_id added to it, cannot create foreign key constraint: SET NULL or SET DEFAULT/m);
        expect(r.stderr).toMatch(/^re-added in another form: 3 foreign keys \(customers\.customers_store_id_fkey, payments_2024\.payments_2024_customer_fkey, payments_2025\.payments_2025_customer_fkey\)/m);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on a schema with hundreds of them, the summary names a few and counts the rest', async () => {
    const lago = join(corpusDir(), 'lago-api', 'schema.sql');
    const dir = mkdtempSync(join(tmpdir(), 'shardwise-fk-'));
    try {
      const r = await runCli(['migrate', lago, '--format', 'json'], dir);
      expect(r.code).toBe(0);
      const { rewritten, dropped } = (JSON.parse(r.stdout) as Migration).foreignKeys;
      expect(rewritten.length).toBeGreaterThan(100);
      const line = r.stderr.split('\n').find((l) => l.startsWith('re-added in another form: '))!;
      expect(line).toMatch(new RegExp(`^re-added in another form: ${rewritten.length} foreign keys \\((\\S+, ){4}\\S+ and ${rewritten.length - 5} more\\); `));
      expect(line.length).toBeLessThan(400);
      expect(r.stderr).toMatch(new RegExp(`^dropped for good: ${dropped.length} foreign keys? \\(`, 'm'));
      expect(r.stderr.split('\n').length).toBeLessThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('local tables with an identity column that a foreign key ties to a reference table', () => {
  const schema = `
CREATE TABLE countries (code text PRIMARY KEY, name text);
CREATE TABLE shops (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, country text REFERENCES countries (code), name text);
CREATE TABLE visits (shop_id bigint REFERENCES shops (id), at timestamptz);
INSERT INTO countries VALUES ('FR', 'France');
INSERT INTO shops (country, name) VALUES ('FR', 'Paris');
`;
  const only: Design = { citus: '14.0', shardCount: 32, tables: { 'public.countries': { kind: 'reference' } } };

  it('become citus local tables; the rollback leaves them and the reference table as the migration made them, says why, and no step fails', async () => {
    const read = await readSchema([{ file: 'schema.sql', text: schema }]);
    const plan = planMigration(read.catalog, only);
    const cluster = new CitusCluster(read.catalog, { citus: plan.citus, data: tableDataFromSchema(read.catalog, read.scripts) });
    const failed = (r: ReturnType<typeof runScript>) => r.steps.filter((s) => s.outcome === 'error').map((s) => `${s.sql.split('\n')[0]}: ${s.error?.message}`);
    expect(failed(runScript(cluster, readScript('migration.sql', renderMigration(plan))))).toEqual([]);
    expect(['public.countries', 'public.shops', 'public.visits'].map((t) => cluster.kindOf(t))).toEqual(['reference', 'citus-local', 'citus-local']);
    // Dropping the foreign key would make Citus turn shops back at once, which undistribute_table refuses
    // ("cannot complete operation on a table with identity column"); so would undistributing countries, by cascade.
    expect(failed(runScript(cluster, readScript('rollback.sql', renderRollback(plan))))).toEqual([]);
    expect(['public.countries', 'public.shops', 'public.visits'].map((t) => cluster.kindOf(t))).toEqual(['reference', 'citus-local', 'citus-local']);
    expect(plan.rollback.cannotUndo.filter((n) => /identity column/.test(n)).map((n) => n.split(' ')[0])).toEqual(['countries', 'shops', 'visits']);
  });
});
