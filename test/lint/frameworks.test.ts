/**
 * What the migration frameworks hand to lint, through the CLI, each against a
 * reviewed golden under fixtures/lint/expected/:
 *
 * - Rails: db/structure.sql after a pull request (fixtures/lint/rails/db)
 *   against the base branch's (fixtures/lint/rails/base). Only what changed is
 *   checked, at its lines in the new file: the re-created tables, and the
 *   problems the schema already had, are not reported again.
 * - Django: `sqlmigrate` output (BEGIN/COMMIT, quoted names, DEFERRABLE
 *   inline foreign keys, SET CONSTRAINTS, text_pattern_ops indexes).
 * - Alembic: `upgrade --sql` offline output (one transaction, alembic_version).
 *
 * A changed output fails with a diff; regenerate after reviewing it with:
 *   UPDATE_GOLDENS=1 npx vitest run test/lint
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.js';
import { readDesignFile } from '../../src/design/file.js';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { lintMigrations } from '../../src/lint/lint.js';
import { packageRoot } from '../../src/rules/docs.js';
import { runCli } from './support.js';

const root = join(packageRoot(), 'fixtures', 'lint');
const update = process.env.UPDATE_GOLDENS === '1';

beforeAll(async () => {
  await loadParser();
});

interface JsonFinding {
  ruleId: string;
  message: string;
  location: { file: string; line: number; column: number };
}

async function findings(args: string[], cwd: string): Promise<string[]> {
  const run = await runCli(['lint', '--format', 'json', ...args], cwd);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout);
  return report.files.flatMap((f: { findings: JsonFinding[] }) => f.findings).map((f: JsonFinding) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.ruleId} ${f.message}`);
}

async function golden(name: string, args: string[], cwd: string, code: number): Promise<void> {
  const run = await runCli(['lint', ...args], cwd);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(code);
  expect(run.stdout).not.toContain(cwd); // relative paths only
  expect(run.stdout).not.toMatch(/\x1b\[/);
  const file = join(root, 'expected', name);
  if (update) writeFileSync(file, run.stdout);
  expect(existsSync(file), `fixtures/lint/expected/${name} is missing; create it with: UPDATE_GOLDENS=1 npx vitest run test/lint`).toBe(true);
  expect(run.stdout, `fixtures/lint/expected/${name} differs; review, then run: UPDATE_GOLDENS=1 npx vitest run test/lint`).toBe(readFileSync(file, 'utf8'));
}

/** 1-based line of the first line of a fixture that contains `text`. */
function lineOf(file: string, text: string): number {
  const i = readFileSync(join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  expect(i, `${file} has no line with ${text}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('Rails db/structure.sql, before and after a pull request', () => {
  const dir = join(root, 'rails');
  // The plan already names clicks and users, which only the new structure.sql has.
  const args = ['--schema', 'base/structure.sql', '--plan', 'shardwise.plan.yaml', '--', 'db/structure.sql'];

  it('reports each change once, at the statement in the new file that made it', async () => {
    const got = await findings(args, dir);
    const at = (text: string) => lineOf('rails/db/structure.sql', text);
    expect(got.map((g) => g.replace(/^(\S+):(\d+):\d+ (\S+) .*$/, '$1:$2 $3'))).toEqual([
      // A new table the plan says nothing about.
      `db/structure.sql:${at('CREATE TABLE public.click_daily_rollups')} MIG02`,
      // A new table the plan distributes on company_id, with Rails' default primary key (id)
      // and a unique e-mail: each at its own statement, not also as a failing
      // create_distributed_table at CREATE TABLE users.
      `db/structure.sql:${at('ADD CONSTRAINT users_pkey PRIMARY KEY (id)')} UQ01`,
      // A new unique index on a table that is distributed already: Citus refuses the statement.
      `db/structure.sql:${at('CREATE UNIQUE INDEX index_ads_on_name')} MIG01`,
      `db/structure.sql:${at('CREATE UNIQUE INDEX index_users_on_email')} UQ01`,
    ]);
    expect(got.find((g) => g.includes(' MIG01 '))).toContain('creating unique indexes on non-partition columns is currently unsupported');
    // Nothing at the unchanged CREATE TABLE ads, nor on impressions, which gained a column and
    // had no primary key before (TB01 was there already), nor on the new column of campaigns.
    for (const text of ['CREATE TABLE public.ads', 'CREATE TABLE public.impressions', 'CREATE TABLE public.campaigns', 'budget_cents', 'referrer']) {
      expect(got.filter((g) => g.startsWith(`db/structure.sql:${at(text)}:`))).toEqual([]);
    }
  });

  it('text output matches fixtures/lint/expected/rails.txt', async () => {
    await golden('rails.txt', args, dir, 1);
  });

  it('the same structure.sql as schema and as migration changes nothing', async () => {
    const run = await runCli(['lint', '--schema', 'db/structure.sql', '--plan', 'shardwise.plan.yaml', '--', 'db/structure.sql'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('no problems');
    expect(run.code).toBe(0);
  });
});

describe('Django sqlmigrate output', () => {
  const args = ['--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/django'];

  it('new model without a decision, and its foreign key to a distributed table', async () => {
    const got = await findings(args, root);
    const file = 'migrations/django/0002_impression_country.sql';
    expect(got.map((g) => g.replace(/^(\S+):(\d+):\d+ (\S+) .*$/, '$1:$2 $3'))).toEqual([
      `${file}:${lineOf(file, 'CREATE TABLE "impressions"')} MIG02`,
      `${file}:${lineOf(file, 'ADD CONSTRAINT "impressions_company_id')} FK05`,
    ]);
    // The inline DEFERRABLE reference from the distributed companies to the reference table countries is fine.
    expect(got.filter((g) => g.includes('countries'))).toEqual([]);
  });

  it('text output matches fixtures/lint/expected/django.txt', async () => {
    await golden('django.txt', args, root, 1);
  });
});

describe('Alembic upgrade --sql output', () => {
  const args = ['--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/alembic/upgrade.sql'];

  it('the refused statement is reported; the transaction it aborts is not checked further', async () => {
    const got = await findings(args, root);
    const file = 'migrations/alembic/upgrade.sql';
    expect(got).toEqual([
      `${file}:${lineOf(file, 'CREATE UNIQUE INDEX ix_ads_tracking_code')}:1 MIG01 Citus rejects this statement: creating unique indexes on non-partition columns is currently unsupported`,
    ]);
  });

  it('text output matches fixtures/lint/expected/alembic.txt', async () => {
    await golden('alembic.txt', args, root, 1);
  });

  it('alembic_version, the tool’s own table, needs no distribution decision', () => {
    const text = readFileSync(join(root, 'migrations/alembic/upgrade.sql'), 'utf8').replace(/^CREATE UNIQUE INDEX ix_ads_tracking_code.*$/m, '');
    const { catalog } = buildCatalog([{ file: 'schema.sql', text: readFileSync(join(root, 'schema.sql'), 'utf8') }]);
    const result = lintMigrations({
      catalog,
      design: readDesignFile(join(root, 'shardwise.plan.yaml'), 'shardwise.plan.yaml', catalog),
      migrations: [{ file: 'upgrade.sql', content: Buffer.from(text) }],
    });
    expect(result.findings).toEqual([]);
  });
});
