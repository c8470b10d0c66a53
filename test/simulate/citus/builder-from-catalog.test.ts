import { beforeAll, expect, it } from 'vitest';
import { buildCatalog, CatalogBuilder } from '../../../src/catalog/index.js';
import { loadParser, readScript } from '../../../src/ingest/pg/index.js';

beforeAll(async () => {
  await loadParser();
});

const SCHEMA = `CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id bigserial, p_id int REFERENCES p (id), email text);
CREATE UNIQUE INDEX c_email ON c (email);`;

it('CatalogBuilder.fromCatalog continues from a built catalog', () => {
  const { catalog } = buildCatalog([{ file: 's.sql', text: SCHEMA }]);
  const b = CatalogBuilder.fromCatalog(catalog);
  expect(b.build()).toEqual(catalog);
  const m = readScript('m.sql', 'DROP INDEX c_email;\nALTER TABLE c ADD COLUMN n int;');
  for (const s of m.statements) b.apply(m, s);
  const after = b.build();
  expect(after.tables['public.c'].uniques).toEqual([]);
  expect(after.tables['public.c'].columns.map((c) => c.name)).toEqual(['id', 'p_id', 'email', 'n']);
  expect(catalog.tables['public.c'].columns).toHaveLength(3); // the input is not changed
});
