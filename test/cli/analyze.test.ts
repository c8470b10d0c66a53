/**
 * `shardwise analyze` as a user runs it: the explained design in text, the
 * catalog and design in JSON (checked against the schema it came from), the
 * HTML page, and located errors for bad input.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../plan/helpers.js';
import { corpusDir } from '../support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'shardwise-analyze-'));
const mt = join(corpusDir(), 'citus-mt-ad-analytics');

describe('analyze', () => {
  it('text: every table with its choice, the numbers behind it and why the runner-up lost', async () => {
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--workload', join(mt, 'queries.sql')], dir);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/Recommended design for Citus 14\.0, 32 shards/);
    for (const t of ['ads', 'campaigns', 'clicks', 'impressions']) {
      const block = new RegExp(`\\n  ${t}: distributed on company_id\\n([\\s\\S]*?)\\n\\n`).exec(out);
      expect(block, t).not.toBeNull();
      expect(block![1]).toMatch(/distributed on company_id \(score [\d.]+\): .*\d+(\.\d)?%/);
      expect(block![1]).toMatch(/runner-up \w+ \(score [\d.]+\)/);
    }
    expect(out).toMatch(/\n {2}geo_ips: reference\n/);
    expect(out).toMatch(/single shard \(router\)\s+100\.0%/);
  });

  it('json: the catalog as read (tables, keys, foreign keys), the design and the findings; the same twice', async () => {
    const args = ['analyze', join(mt, 'schema.sql'), '--workload', join(mt, 'queries.sql'), '--format', 'json'];
    const run = await runCli(args, dir);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    const schema = readFileSync(join(mt, 'schema.sql'), 'utf8');
    const created = [...schema.matchAll(/CREATE TABLE (\w+)/gi)].map((m) => `public.${m[1].toLowerCase()}`).sort();
    expect(doc.catalog.tables.map((t: { key: string }) => t.key)).toEqual(created);
    const ads = doc.catalog.tables.find((t: { key: string }) => t.key === 'public.ads');
    expect(ads.primaryKey.columns).toEqual(['company_id', 'id']);
    expect(ads.foreignKeys.map((f: { refTable: string }) => f.refTable).sort()).toEqual(['public.campaigns']);
    expect(ads.size.estimated).toBe(true);
    expect(doc.design.tables.ads).toEqual({ kind: 'distributed', column: 'company_id', colocate_with: 'companies' });
    expect(Array.isArray(doc.findings)).toBe(true);
    expect((await runCli(args, dir)).stdout).toBe(run.stdout);
  });

  it('html: one self-contained page with the design diagram', async () => {
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--format', 'html'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/i);
    expect(run.stdout).toMatch(/<svg[^>]*class="diagram"/);
    expect(run.stdout).not.toMatch(/<script|<link|src="http/);
  });

  it('a schema with only syntax errors: exit 2 with each error at file:line:column', async () => {
    writeFileSync(join(dir, 'broken.sql'), 'CREATE TABLE ok_not (id int;\n\nCREAT TABLE x (id int);\n');
    const run = await runCli(['analyze', 'broken.sql'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no table was read \(2 syntax error\(s\)\)/);
    expect(run.stderr).toMatch(/broken\.sql:1:\d+: .*syntax error/);
    expect(run.stderr).toMatch(/broken\.sql:3:1: .*syntax error/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a truncated pg_stat_statements export is a located finding; the rest is analysed', async () => {
    const fixture = join(__dirname, '..', 'fixtures', 'workload', 'truncated-pgss.csv');
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--workload', fixture, '--format', 'json'], dir);
    expect(run.code).toBe(0); // a warning: the rest is analysed and the run succeeds
    const doc = JSON.parse(run.stdout);
    const input = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'input-error');
    expect(input.length).toBeGreaterThan(0);
    expect(input[0].location.file).toMatch(/truncated-pgss\.csv$/);
    expect(input[0].location.line).toBeGreaterThan(1);
    expect(doc.design.tables.ads.kind).toBe('distributed');
  });

  it('a SQL file too large to hold as text: exit 2 with a way out, not a crash', async () => {
    const fd = openSync(join(dir, 'huge.sql'), 'w');
    ftruncateSync(fd, 600 * 2 ** 20); // sparse: takes no disk
    closeSync(fd);
    const run = await runCli(['analyze', 'huge.sql'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/huge\.sql: 600 MB is more SQL text than one run can hold/);
    expect(run.stderr).toMatch(/--data/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
