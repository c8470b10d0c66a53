/**
 * A foreign key that names no referenced columns references the primary key
 * as PostgreSQL resolves it, when the key is created: the catalog's
 * `refColumns` holds those columns, during the build already (the Citus
 * model reads the live state) and in the built catalog, so that no reader
 * needs to fall back to the referenced table's primary key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogBuilder, readSchema, type Catalog } from '../../src/catalog/index.js';
import { loadParser, readScript } from '../../src/ingest/pg/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { diffFacts, factsFromCatalog, factsFromPostgres } from '../support/pg-facts.js';

const SQL = `
CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE child (parent_id int REFERENCES parent, code text REFERENCES parent (code));
CREATE TABLE tree (up int REFERENCES tree, id int PRIMARY KEY);
-- as pg_dump writes it: tables, then their keys, then the foreign keys
CREATE TABLE late (id int NOT NULL, at date NOT NULL);
CREATE TABLE late_child (late_id int, late_at date);
ALTER TABLE ONLY late ADD CONSTRAINT late_pkey PRIMARY KEY (id, at);
ALTER TABLE ONLY late_child ADD CONSTRAINT late_child_late_fkey FOREIGN KEY (late_id, late_at) REFERENCES late;
-- a partitioned table's key, and a key on one of its partitions
CREATE TABLE runs (id int, kind int, PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE runs_one PARTITION OF runs FOR VALUES IN (1);
CREATE TABLE run_notes (run_id int, kind int, FOREIGN KEY (run_id, kind) REFERENCES runs);
CREATE TABLE one_notes (run_id int, kind int, FOREIGN KEY (run_id, kind) REFERENCES runs_one);
-- the resolved columns are the key's: a rename follows, a dropped key column takes the FK along
ALTER TABLE parent RENAME COLUMN id TO parent_key;
CREATE TABLE gone (id int PRIMARY KEY, v int);
CREATE TABLE gone_ref (gone_id int REFERENCES gone);
ALTER TABLE gone DROP COLUMN id CASCADE;
`;

beforeAll(async () => {
  await loadParser();
});

describe('foreign keys without referenced columns', () => {
  let db: TestDatabase;
  let catalog: Catalog;
  beforeAll(async () => {
    db = await createTestDatabase('fk_ref');
    await db.client.query(SQL);
    ({ catalog } = await readSchema([{ file: 'fk.sql', text: SQL }]));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reference the primary key as PostgreSQL resolved it', async () => {
    const expected = await factsFromPostgres(db.client);
    const diff = diffFacts(expected, factsFromCatalog(catalog));
    expect(diff, diff.join('\n')).toEqual([]);
    // what the oracle saw, so that the comparison above is not vacuous
    expect(expected['public.child'].foreignKeys).toEqual([
      'code -> public.parent(code) on update no action on delete no action',
      'parent_id -> public.parent(parent_key) on update no action on delete no action',
    ]);
    expect(expected['public.tree'].foreignKeys).toEqual(['up -> public.tree(id) on update no action on delete no action']);
    expect(expected['public.late_child'].foreignKeys).toEqual(['late_id,late_at -> public.late(id,at) on update no action on delete no action']);
    expect(expected['public.one_notes'].foreignKeys).toEqual(['run_id,kind -> public.runs_one(id,kind) on update no action on delete no action']);
    expect(expected['public.gone_ref'].foreignKeys).toEqual([]);
    expect(catalog.diagnostics).toEqual([]);
  });
});

it('fills the referenced columns while the schema is read, also when the key comes after the foreign key', () => {
  const builder = new CatalogBuilder();
  const step = (sql: string) => {
    const script = readScript('steps.sql', sql);
    for (const s of script.statements) builder.apply(script, s);
  };
  const refColumns = (table: string) => builder.peekTable(table)?.foreignKeys.map((f) => f.refColumns);
  step('CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a);');
  expect(refColumns('public.b')).toEqual([['id']]);
  // read leniently, out of the order PostgreSQL needs: the key arrives after the FK that needs it
  step('CREATE TABLE c (d_id int); CREATE TABLE d (id int NOT NULL); ALTER TABLE c ADD FOREIGN KEY (d_id) REFERENCES d;');
  expect(refColumns('public.c')).toEqual([[]]);
  step('ALTER TABLE d ADD PRIMARY KEY (id);');
  expect(refColumns('public.c')).toEqual([['id']]);
  expect(builder.build().tables['public.c'].foreignKeys[0].refColumns).toEqual(['id']);
});
