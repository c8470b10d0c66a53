/**
 * The fixture repository fixtures/lint: a schema, its plan, Flyway and
 * golang-migrate migrations (names that sort wrong as plain text), linted
 * through the CLI into every reporter. The findings are asserted first
 * against citus-rules.md (what Citus says for each statement), then each
 * reporter's whole output against its golden under fixtures/lint/expected/.
 * A changed output fails with a diff; regenerate after reviewing it with:
 *   UPDATE_GOLDENS=1 npx vitest run test/lint
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../src/ingest/pg/parser.js';
import { packageRoot } from '../../src/rules/docs.js';
import { runCli, type CliRun } from './support.js';

const dir = join(packageRoot(), 'fixtures', 'lint');
const args = ['--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/flyway', 'migrations/golang'];
const update = process.env.UPDATE_GOLDENS === '1';

const formats = { text: 'txt', json: 'json', sarif: 'sarif', github: 'github.txt', markdown: 'md', html: 'html' } as const;

beforeAll(async () => {
  await loadParser();
});

interface JsonFinding {
  ruleId: string;
  message: string;
  location: { file: string; line: number; column: number };
}

describe('fixtures/lint', () => {
  let json: CliRun;
  beforeAll(async () => {
    json = await runCli(['lint', '--format', 'json', ...args], dir);
  });

  it('finds what Citus would say, file by file, in framework order', () => {
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    // Files in lint order are reported sorted; the down migration is left out.
    const files: string[] = report.files.map((f: { file: string }) => f.file);
    expect(files).not.toContain('migrations/golang/000001_tags.down.sql');
    expect(files).toHaveLength(7);
    const all: JsonFinding[] = report.files.flatMap((f: { findings: JsonFinding[] }) => f.findings);
    const got = all.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId} ${f.message}`);
    const has = (file: string, line: number, rule: string, text: string) =>
      expect(got.filter((g) => g.startsWith(`migrations/${file}:${line} ${rule} `) && g.includes(text)), `${file}:${line} ${rule} ${text}`).toHaveLength(1);
    // §5: a UNIQUE constraint / unique index without the distribution column.
    has('flyway/V2__unique_names.sql', 1, 'MIG01', 'cannot create constraint on "ads" DETAIL: Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition column (with an equality operator if EXCLUDE).');
    has('flyway/V2__unique_names.sql', 3, 'MIG01', 'creating unique indexes on non-partition columns is currently unsupported');
    // §7: ADD COLUMN serial / identity with metadata synced (the default).
    has('flyway/V2_1__ad_columns.sql', 1, 'MIG01', 'cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers');
    has('golang/000010_budgets.up.sql', 9, 'MIG01', 'cannot execute ADD COLUMN commands involving identity columns when metadata is synchronized to workers');
    // §9: the distribution column's type cannot change.
    has('flyway/V2_1__ad_columns.sql', 3, 'MIG01', 'cannot execute ALTER TABLE command involving partition column');
    // §11: an UPDATE without a key filter runs on all shards; changing the key is refused.
    has('flyway/V10__backfill_status.sql', 1, 'MIG03', 'all 32 shards of ads');
    has('flyway/V10__backfill_status.sql', 5, 'MIG01', 'modifying the partition value of rows is not allowed');
    // §6 E1: distributing a table whose FK points at a plain local table.
    has('golang/000001_tags.up.sql', 13, 'MIG01', 'referenced table "tags" must be a distributed table or a reference table DETAIL: To enforce foreign keys, the referencing and referenced rows need to be stored on the same node.');
    // §2.1: colocate_with across int4 and int8 keys.
    has('golang/000010_budgets.up.sql', 7, 'MIG01', "cannot colocate tables companies and budgets DETAIL: Distribution column types don't match for companies and budgets.");
    // §6 note: plain local -> distributed FK is accepted but only half enforced.
    has('golang/000002_click_fk.up.sql', 1, 'FK05', 'clicks_ad_fkey');
    // New tables: the suggestion from the same design.
    has('flyway/V1__create_clicks.sql', 2, 'MIG02', 'distribute it on company_id, colocated with companies');
    has('golang/000001_tags.up.sql', 1, 'MIG02', 'make it a reference table');
    // The index that includes the key, the filtered UPDATE and the suppressed DELETE give nothing.
    expect(got.filter((g) => g.startsWith('migrations/flyway/V2__unique_names.sql:6 '))).toEqual([]);
    expect(got.filter((g) => g.startsWith('migrations/flyway/V10__backfill_status.sql:3 '))).toEqual([]);
    expect(got.filter((g) => g.startsWith('migrations/flyway/V10__backfill_status.sql:8 '))).toEqual([]);
    // An ignore comment that silences nothing is reported.
    has('flyway/V10__backfill_status.sql', 10, 'unused-ignore', 'FK01');
  });

  for (const [format, ext] of Object.entries(formats)) {
    it(`${format} output matches fixtures/lint/expected/lint.${ext}`, async () => {
      const run = await runCli(['lint', '--format', format, ...args], dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toMatch(/\/work\/|\x1b\[/);
      const golden = join(dir, 'expected', `lint.${ext}`);
      if (update || !existsSync(golden)) writeFileSync(golden, run.stdout);
      expect(run.stdout, `fixtures/lint/expected/lint.${ext} differs; review, then run: UPDATE_GOLDENS=1 npx vitest run test/lint`).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('--fail-on none exits 0, --fail-on warning still 1; usage errors exit 2', async () => {
    expect((await runCli(['lint', '--fail-on', 'none', ...args], dir)).code).toBe(0);
    expect((await runCli(['lint', '--fail-on', 'warning', ...args], dir)).code).toBe(1);
    const bad = await runCli(['lint', '--format', 'yaml', ...args], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of');
    const missing = await runCli(['lint', '--schema', 'schema.sql', '--', 'no-such-dir'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-dir: no such file or directory');
  });

  it('a clean migration exits 0', async () => {
    const run = await runCli(['lint', '--schema', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--', 'migrations/flyway/V1__create_clicks.sql'], dir, {});
    // V1 alone only has a warning: below the default fail-on (error).
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('MIG02');
  });
});
