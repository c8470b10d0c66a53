/**
 * A unique key the migration makes again with the distribution column keeps
 * what it said: each key element of a unique index (order, NULLS
 * FIRST/LAST, collation, operator class, expressions), a constraint's
 * DEFERRABLE INITIALLY DEFERRED; and the rollback makes the original again.
 * PostgreSQL's own pg_get_indexdef and pg_get_constraintdef are the judges,
 * before and after, for the migration's statement and the rollback's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import type { Design } from '../../src/design/model.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { planMigration, type Migration } from '../../src/plan/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const INDEXES: Record<string, string> = {
  by_version: 'CREATE UNIQUE INDEX by_version ON versions (item_id, version DESC)',
  by_name: 'CREATE UNIQUE INDEX by_name ON versions (name COLLATE "C" text_pattern_ops, version NULLS FIRST)',
  by_lower: 'CREATE UNIQUE INDEX by_lower ON versions (lower(name) DESC NULLS LAST, item_id int8_ops) WHERE (version > 0)',
};

const CONSTRAINTS: Record<string, string> = {
  versions_position: 'ALTER TABLE versions ADD CONSTRAINT versions_position UNIQUE (item_id, version) DEFERRABLE INITIALLY DEFERRED',
  versions_name: 'ALTER TABLE versions ADD CONSTRAINT versions_name UNIQUE (name) DEFERRABLE',
  slots_pkey: 'ALTER TABLE slots ADD CONSTRAINT slots_pkey PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED',
};

const SCHEMA = `
CREATE TABLE tenants (id bigint PRIMARY KEY);
CREATE TABLE versions (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants (id), item_id bigint NOT NULL, version integer NOT NULL, name text);
CREATE TABLE slots (id bigint NOT NULL, tenant_id bigint NOT NULL REFERENCES tenants (id));
${[...Object.values(INDEXES), ...Object.values(CONSTRAINTS)].join(';\n')};
CREATE TABLE runners (id bigint NOT NULL, kind smallint NOT NULL, tenant_id bigint NOT NULL, token text) PARTITION BY LIST (kind);
CREATE TABLE group_runners PARTITION OF runners FOR VALUES IN (1);
CREATE TABLE project_runners PARTITION OF runners FOR VALUES IN (2);
CREATE UNIQUE INDEX runners_token ON ONLY runners (token DESC, kind);
CREATE UNIQUE INDEX group_runners_on_token ON group_runners (token DESC, kind);
CREATE UNIQUE INDEX project_runners_on_token ON project_runners (token DESC, kind);
ALTER INDEX runners_token ATTACH PARTITION group_runners_on_token;
ALTER INDEX runners_token ATTACH PARTITION project_runners_on_token;
`;

const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.tenants': { kind: 'distributed', column: 'id' },
    'public.versions': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.tenants' },
    'public.slots': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.tenants' },
    'public.runners': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.tenants' },
  },
};

let db: TestDatabase;
let m: Migration;
beforeAll(async () => {
  await loadParser();
  m = planMigration((await readSchema([{ file: 'schema.sql', text: SCHEMA }])).catalog, design);
  db = await createTestDatabase('uidx');
  await db.client.query(SCHEMA);
});
afterAll(async () => {
  await db?.drop();
});

async function indexdef(name: string): Promise<string> {
  const r = await db.client.query<{ def: string }>(`SELECT pg_get_indexdef(to_regclass($1)) AS def`, [name]);
  return r.rows[0].def;
}

/** The one CREATE UNIQUE INDEX statement of `steps` that makes `name`. */
function creating(steps: Migration['steps'], name: string): string {
  const found = steps.filter((s) => s.sql.startsWith(`CREATE UNIQUE INDEX ${name} `));
  expect(found, name).toHaveLength(1);
  return found[0].sql;
}

describe('unique indexes made again with the distribution column', () => {
  for (const name of Object.keys(INDEXES)) {
    it(`${name}: the migration's index is the original with tenant_id first, the rollback's is the original`, async () => {
      const original = await indexdef(name);
      await db.client.query(`DROP INDEX ${name}`);
      await db.client.query(creating(m.steps, name));
      const rewritten = await indexdef(name);
      expect(rewritten).toBe(original.replace(/ \((.*)\)( WHERE .*)?$/, (_, elements: string, where = '') => ` (tenant_id, ${elements})${where}`));
      await db.client.query(`DROP INDEX ${name}`);
      await db.client.query(creating(m.rollback.steps, name));
      expect(await indexdef(name)).toBe(original);
    });
  }
});

async function constraintdef(name: string): Promise<{ table: string; def: string }> {
  const r = await db.client.query<{ table: string; def: string }>(`SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [name]);
  return r.rows[0];
}

/** The one ADD CONSTRAINT statement of `steps` that makes `name`. */
function adding(steps: Migration['steps'], name: string): string {
  const found = steps.filter((s) => s.sql.includes(` ADD CONSTRAINT ${name} `));
  expect(found, name).toHaveLength(1);
  return found[0].sql;
}

describe('unique and primary key constraints made again with the distribution column', () => {
  for (const name of Object.keys(CONSTRAINTS)) {
    it(`${name}: the migration's constraint is the original with tenant_id first, the rollback's is the original`, async () => {
      const original = await constraintdef(name);
      await db.client.query(`ALTER TABLE ${original.table} DROP CONSTRAINT ${name}`);
      await db.client.query(adding(m.steps, name));
      expect((await constraintdef(name)).def).toBe(original.def.replace(/^(UNIQUE|PRIMARY KEY) \(/, '$1 (tenant_id, '));
      await db.client.query(`ALTER TABLE ${original.table} DROP CONSTRAINT ${name}`);
      await db.client.query(adding(m.rollback.steps, name));
      expect((await constraintdef(name)).def).toBe(original.def);
    });
  }
});

describe('a unique index of a partitioned table, its partitions with their own', () => {
  const indexes = async () =>
    (
      await db.client.query<{ name: string; def: string; parent: string | null }>(
        `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def, (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid) AS parent
           FROM pg_class c WHERE c.relkind IN ('i', 'I') AND c.relname LIKE '%runners%token%' ORDER BY 1`,
      )
    ).rows;
  /** The statements of `steps` about runners_token and its partitions' indexes, in order. */
  const about = (steps: Migration['steps']) => steps.filter((s) => /\b(runners_token|\w+_runners_on_token)\b/.test(s.sql)).map((s) => s.sql);

  it('comes back from the rollback with each partition index under its own name, attached', async () => {
    const original = await indexes();
    expect(original.map((i) => i.name)).toEqual(['group_runners_on_token', 'project_runners_on_token', 'runners_token']);
    for (const sql of about(m.steps)) await db.client.query(sql);
    expect((await indexes()).find((i) => i.name === 'runners_token')?.def).toContain('(tenant_id, token DESC, kind)');
    for (const sql of about(m.rollback.steps)) await db.client.query(sql);
    expect(await indexes()).toEqual(original);
  });
});
