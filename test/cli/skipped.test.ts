/**
 * What a command goes past is said: a schema statement that does not parse,
 * a workload statement too large to read. Each is one located line on
 * standard error with its hint; the run goes on with the rest.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_STATEMENT_TOKENS } from '../../src/ingest/pg/index.js';
import { runCli } from '../plan/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'shardwise-skipped-'));
writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);\nCREATE TABLEX broken (a int);\nCREATE TABLE notes (id bigint, account_id bigint REFERENCES accounts (id), body text, PRIMARY KEY (account_id, id));\n');
const wide = `SELECT ${Array(MAX_STATEMENT_TOKENS).fill('id').join(', ')} FROM accounts`;
writeFileSync(join(dir, 'queries.sql'), `SELECT body FROM notes WHERE account_id = 1;\n${wide};\n`);
const brokenSchema = 'shardwise %s: schema.sql:2:8: syntax error at or near "TABLEX"\n  hint: ';

describe('input a command skips is reported where it is', () => {
  it('migrate names the schema statement it could not read, and writes the migration', async () => {
    const run = await runCli(['migrate', 'schema.sql', '-o', 'migrate.sql'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(brokenSchema.replace('%s', 'migrate'));
    expect(run.stderr).toMatch(/wrote migrate\.sql/);
  });

  it('simulate names the schema statement and the workload statement it left out, and routes the rest', async () => {
    const run = await runCli(['simulate', 'schema.sql', '--workload', 'queries.sql'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(brokenSchema.replace('%s', 'simulate'));
    expect(run.stderr).toContain(`shardwise simulate: queries.sql:2:1: statement of ${(2 * MAX_STATEMENT_TOKENS + 2).toLocaleString('en-US')} tokens is more than the ${MAX_STATEMENT_TOKENS.toLocaleString('en-US')} shardwise reads in one statement; it was skipped\n  hint: `);
    expect(run.stdout).toMatch(/1 query, total weight 1/);
  });

  it('simulate --migration names the schema statement it could not read', async () => {
    writeFileSync(join(dir, 'step.sql'), "SELECT create_distributed_table('accounts', 'id');\n");
    const run = await runCli(['simulate', 'schema.sql', '--migration', 'step.sql'], dir);
    expect(run.stderr).toContain(brokenSchema.replace('%s', 'simulate'));
  });
});
