/**
 * Broken inputs: an unparseable, an empty, a binary and a non-SQL file each
 * get an error finding at their place; the good migration among them is
 * still linted, and the CLI still reports everything (exit 1, not 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { lintMigrations } from '../../src/lint/lint.js';
import { runCli } from './support.js';

const schema = 'CREATE TABLE accounts (tenant_id bigint NOT NULL, id bigint NOT NULL, email text, PRIMARY KEY (tenant_id, id));\n';
const plan = 'tables:\n  accounts: { kind: distributed, column: tenant_id }\n';
const files: Record<string, Buffer> = {
  '001_bad.sql': Buffer.from('ALTER TABLE accounts ADD COLUMN note text;\nALTER TABLE accounts ADD COLUMN oops tex t;\n'),
  '002_empty.sql': Buffer.from('-- nothing here yet\n\n'),
  '003_binary.sql': Buffer.from([0x53, 0x45, 0x4c, 0x00, 0x01, 0x02, 0xff]),
  '004_notes.rb': Buffer.from('class AddEmail < ActiveRecord::Migration[7.1]\n  def change\n  end\nend\n'),
  '005_good.sql': Buffer.from('ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);\n'),
};

beforeAll(async () => {
  await loadParser();
});

describe('broken migrations', () => {
  it('each gets a located error; the good one is still linted', () => {
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: schema }]);
    const result = lintMigrations({
      catalog,
      design: { citus: '14.0', shardCount: 32, tables: { 'public.accounts': { kind: 'distributed', column: 'tenant_id' } } },
      migrations: Object.entries(files).map(([file, content]) => ({ file, content })),
    });
    const got = result.findings.map((f) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.ruleId} ${f.message}`);
    expect(got.find((g) => g.startsWith('001_bad.sql:2:'))).toMatch(/^001_bad\.sql:2:\d+ syntax-error SQL does not parse: syntax error at or near "t"/);
    expect(got).toContain('002_empty.sql:1:1 syntax-error empty migration: the file holds no SQL statement');
    expect(got).toContain('003_binary.sql:1:1 syntax-error not SQL: a binary file');
    expect(got.find((g) => g.startsWith('004_notes.rb:1:'))).toMatch(/syntax-error SQL does not parse/);
    expect(got).toContain(
      '005_good.sql:1:1 MIG01 Citus rejects this statement: cannot create constraint on "accounts" DETAIL: Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).',
    );
    // The valid statement of the unparseable file still ran: nothing about it.
    expect(got.filter((g) => g.startsWith('001_bad.sql:1:'))).toEqual([]);
  });

  it('through the CLI: every file reported, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shardwise-inputs-'));
    writeFileSync(join(dir, 'schema.sql'), schema);
    writeFileSync(join(dir, 'plan.yaml'), plan);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const run = await runCli(['lint', '--schema', 'schema.sql', '--plan', 'plan.yaml', '--format', 'github', '--', ...Object.keys(files)], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    for (const name of Object.keys(files)) expect(run.stdout).toContain(`file=${name},`);
  });
});

describe('statements the model cannot judge', () => {
  const design = { citus: '14.0', shardCount: 32, tables: { 'public.accounts': { kind: 'distributed' as const, column: 'tenant_id' } } };
  const lint = (sql: string) => {
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: schema }]);
    return lintMigrations({ catalog, design, migrations: [{ file: '010_dynamic.sql', content: Buffer.from(sql) }] }).findings;
  };

  it('a DO block that runs dynamic SQL is an info finding at its place, not passed over as checked', () => {
    const findings = lint("ALTER TABLE accounts ADD COLUMN note text;\nDO $$ BEGIN EXECUTE 'ALTER TABLE accounts ADD COLUMN x int'; END $$;\n");
    expect(findings.map((f) => `${f.location.line}:${f.location.column} ${f.severity} ${f.ruleId} ${f.message}`)).toEqual([
      '2:1 info not-modelled not checked against Citus: DO is not modelled: it runs dynamic SQL (EXECUTE)',
    ]);
  });

  it('a shardwise-ignore comment silences it, as it does a rule', () => {
    const findings = lint("-- shardwise-ignore not-modelled -- applied by hand on staging\nDO $$ BEGIN EXECUTE 'ALTER TABLE accounts ADD COLUMN x int'; END $$;\n");
    expect(findings).toEqual([]);
  });
});
