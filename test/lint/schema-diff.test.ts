/**
 * A whole schema file among the migrations is linted for what it changes
 * against the schema given, each change at its own line in the file, and
 * each problem once (src/lint/schema-diff.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import type { Design } from '../../src/design/model.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { readScript } from '../../src/ingest/pg/script.js';
import { lintMigrations } from '../../src/lint/lint.js';
import { isSchemaFile } from '../../src/lint/schema-diff.js';

const schema = [
  'CREATE TABLE plans (id int PRIMARY KEY, name text);',
  'CREATE TABLE accounts (tenant_id bigint NOT NULL, id bigint NOT NULL, email text, plan_id int REFERENCES plans (id), PRIMARY KEY (tenant_id, id));',
  'CREATE TABLE notes (tenant_id bigint NOT NULL, id bigint NOT NULL, body text, PRIMARY KEY (tenant_id, id));',
  'CREATE INDEX notes_body_idx ON notes (body);',
  '',
].join('\n');

const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.plans': { kind: 'reference' },
    'public.accounts': { kind: 'distributed', column: 'tenant_id' },
    'public.notes': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.accounts' },
  },
};

beforeAll(async () => {
  await loadParser();
});

/** Lint `text` as the file `file` against the schema above: `line:column rule message` per finding. */
function lint(text: string, file = 'db/schema.v2.sql', d: Design = design): string[] {
  const { catalog } = buildCatalog([{ file: 'schema.sql', text: schema }]);
  const result = lintMigrations({ catalog, design: d, migrations: [{ file, content: Buffer.from(text) }] });
  for (const f of result.findings) expect(f.location.file).toBe(file);
  return result.findings.map((f) => `${f.location.line}:${f.location.column} ${f.ruleId} ${f.message}`);
}

const PARTITION_COLUMN = 'MIG01 Citus rejects this statement: cannot execute ALTER TABLE command involving partition column';
const UNIQUE = 'MIG01 Citus rejects this statement: cannot create constraint on "notes" DETAIL: Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).';

describe('which files are whole schemas', () => {
  const current = buildCatalog([{ file: 'schema.sql', text: schema }]).catalog;
  const is = (file: string, text: string) => isSchemaFile(readScript(file, text), current);

  it('db/structure.sql, a pg_dump, or most tables of the schema created again', () => {
    expect(is('db/structure.sql', 'SELECT 1;')).toBe(true);
    expect(is('dump.sql', '--\n-- PostgreSQL database dump\n--\nSET lock_timeout = 0;\n')).toBe(true);
    expect(is('db/schema.v2.sql', schema)).toBe(true);
  });

  it('a migration that creates one existing table again is a migration (Citus says it exists)', () => {
    expect(is('db/002.sql', 'CREATE TABLE plans (id int PRIMARY KEY, name text);')).toBe(false);
    expect(lint('CREATE TABLE plans (id int PRIMARY KEY, name text);\n', 'db/002.sql')).toEqual(['1:1 MIG01 Citus rejects this statement: relation "plans" already exists']);
    // Dropped first and created again: a migration too.
    expect(is('db/003.sql', 'DROP TABLE accounts; DROP TABLE notes; DROP TABLE plans;\n' + schema)).toBe(false);
  });
});

describe('what a schema file changes', () => {
  it('nothing changed: nothing to report, also when it is the schema file itself', () => {
    expect(lint(schema)).toEqual([]);
    expect(lint(schema, 'schema.sql')).toEqual([]);
  });

  it('a new unique index on an unchanged table: once, at the index (not also at its CREATE TABLE)', () => {
    expect(lint(schema + 'CREATE UNIQUE INDEX notes_body_key ON notes (body);\n')).toEqual([
      '5:1 MIG01 Citus rejects this statement: creating unique indexes on non-partition columns is currently unsupported',
    ]);
  });

  it('an index made unique under the same name', () => {
    expect(lint(schema.replace('CREATE INDEX notes_body_idx', 'CREATE UNIQUE INDEX notes_body_idx'))).toEqual([
      '4:1 MIG01 Citus rejects this statement: creating unique indexes on non-partition columns is currently unsupported',
    ]);
  });

  it('an index replaced by one that includes the distribution column: fine', () => {
    expect(lint(schema.replace('CREATE INDEX notes_body_idx ON notes (body)', 'CREATE UNIQUE INDEX notes_tenant_body_idx ON notes (tenant_id, body)'))).toEqual([]);
  });

  it('a new column: an ADD COLUMN at its line', () => {
    const text = schema.replace('body text,', 'body text, seq bigserial, note text,');
    const col = (name: string) => text.split('\n')[2].indexOf(name) + 1;
    expect(lint(text)).toEqual([`3:${col('seq')} MIG01 Citus rejects this statement: cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers`]);
  });

  it('the distribution column changed or dropped', () => {
    const retyped = schema.replace('CREATE TABLE notes (tenant_id bigint', 'CREATE TABLE notes (tenant_id integer');
    expect(lint(retyped)).toEqual([`3:${retyped.split('\n')[2].indexOf('tenant_id') + 1} ${PARTITION_COLUMN}`]);
    const dropped = schema.replace('CREATE TABLE notes (tenant_id bigint NOT NULL, id bigint NOT NULL, body text, PRIMARY KEY (tenant_id, id))', 'CREATE TABLE notes (id bigint NOT NULL, body text, PRIMARY KEY (id))');
    const line = dropped.split('\n')[2];
    // The drop at the table's name; the primary key that lost the column at the key.
    expect(lint(dropped)).toEqual([`3:${line.indexOf('notes') + 1} ${PARTITION_COLUMN}`, `3:${line.indexOf('PRIMARY KEY') + 1} ${UNIQUE}`]);
  });

  it('a renamed column is a rename, which Citus allows', () => {
    expect(lint(schema.replace('body text', 'content text').replace('notes (body)', 'notes (content)'))).toEqual([]);
  });

  it('constraints added inside CREATE TABLE of an existing table', () => {
    const inline = schema.replace('email text,', 'email text UNIQUE,');
    expect(lint(inline)).toEqual([
      `2:${inline.split('\n')[1].indexOf('UNIQUE') + 1} MIG01 Citus rejects this statement: cannot create constraint on "accounts" DETAIL: Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).`,
    ]);
    const table = schema.replace('body text, PRIMARY KEY', 'body text, CONSTRAINT notes_body_key UNIQUE (body), PRIMARY KEY');
    expect(lint(table)).toEqual([`3:${table.split('\n')[2].indexOf('CONSTRAINT') + 1} ${UNIQUE}`]);
  });

  it('a new table: the rules run on it, a failing distribution call only when no rule explains it', () => {
    const text = schema + 'CREATE TABLE audit (tenant_id bigint, account_id bigint, FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id));\n';
    expect(lint(text).map((f) => f.replace(/^(\S+ \S+).*$/, '$1'))).toEqual(['5:14 MIG02', '5:58 FK05']);
    const events = schema + 'CREATE TABLE events (tenant_id integer NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant_id, id));\n';
    const withEvents: Design = { ...design, tables: { ...design.tables, 'public.events': { kind: 'distributed', column: 'tenant_id', colocateWith: 'public.accounts' } } };
    expect(lint(events, 'db/schema.v2.sql', withEvents)).toEqual([
      "5:14 MIG01 Distributing events as the design says fails on Citus (SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'accounts');): cannot colocate tables accounts and events DETAIL: Distribution column types don't match for accounts and events.",
    ]);
    const keyless = schema + 'CREATE TABLE events (tenant_id bigint NOT NULL, id bigint PRIMARY KEY);\n';
    const got = lint(keyless, 'db/schema.v2.sql', withEvents);
    expect(got.map((f) => f.replace(/^(\S+ \S+).*$/, '$1'))).toEqual([`5:${keyless.split('\n')[4].indexOf('PRIMARY') + 1} UQ01`]);
  });

  it('statements that change nothing are left out: data, comments, grants', () => {
    const text = schema + "INSERT INTO plans VALUES (1, 'free');\nCOMMENT ON TABLE notes IS 'notes';\nGRANT SELECT ON notes TO PUBLIC;\nUPDATE notes SET body = '';\n";
    expect(lint(text)).toEqual([]);
  });
});
