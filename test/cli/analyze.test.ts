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
  it('text, the answer first: the design in a few lines, then how the workload routes', async () => {
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--workload', join(mt, 'queries.sql')], dir);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^Schema: 6 tables/);
    expect(out).toMatch(/\nDesign for Citus 14\.0, 32 shards: 5 distributed \(1 colocation group\), 1 reference, 0 local\n/);
    expect(out).toMatch(/\n {2}colocated on companies\.id \(bigint\): 5 tables, key columns company_id \(4\), id \(1\)\n/);
    expect(out).toMatch(/\n {2}reference +1 table: geo_ips\n/);
    expect(out).toMatch(/single shard 100\.0%/);
    // the evidence is one flag away, not here
    expect(out).not.toMatch(/candidates \(score|runner-up \w+ \(score/);
    expect(out.split('\n').length).toBeLessThan(40);
  });

  it('--write-plan: the answer says where the design went, and still ends with the counts', async () => {
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--write-plan', '--plan-out', 'answer.plan.yaml', '--force'], dir);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'answer.plan.yaml'), 'utf8')).toMatch(/^tables:|\ntables:/m);
    expect(run.stdout).toMatch(/\n {2}written to answer\.plan\.yaml: review it, then run shardwise migrate and shardwise simulate with --plan answer\.plan\.yaml\n/);
    expect(run.stdout.trimEnd().split('\n').pop()).toMatch(/no decision remains/i);
  });

  it('--verbose: every table with its choice, the numbers behind it and why the runner-up lost', async () => {
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--workload', join(mt, 'queries.sql'), '--verbose'], dir);
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

  it('html: one self-contained page with the design graph', async () => {
    const run = await runCli(['analyze', join(mt, 'schema.sql'), '--format', 'html'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/i);
    expect(run.stdout).toMatch(/<svg[^>]*class="design-graph"/);
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

  it('a 600 MB file that is no SQL is refused at its first bytes, located, not a crash', async () => {
    const fd = openSync(join(dir, 'huge.sql'), 'w');
    ftruncateSync(fd, 600 * 2 ** 20); // sparse: takes no disk
    closeSync(fd);
    const run = await runCli(['analyze', 'huge.sql'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/huge\.sql:1:1: binary file \(a NUL byte\), expected SQL text/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('analyze on a schema of 139 tables and 440 findings (lago-api)', () => {
  const lago = join(corpusDir(), 'lago-api');
  const args = ['analyze', join(lago, 'schema.sql'), '--workload', join(lago, 'queries.sql')];

  it('fits on a screen or two; its last lines say what migrate rewrites and which decisions remain', async () => {
    const [text, json] = await Promise.all([runCli(args, dir), runCli([...args, '--format', 'json'], dir)]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(200);
    const { triage, findings } = JSON.parse(json.stdout) as {
      triage: { migrate: number; person: number; byRule: Array<{ ruleId: string; migrate: number; person: number }> };
      findings: Array<{ ruleId: string; severity: string }>;
    };
    expect(triage.migrate).toBeGreaterThan(0);
    expect(triage.person).toBeGreaterThan(0);
    const [rewrites, remain] = lines.slice(-2);
    expect(rewrites).toMatch(new RegExp(`^shardwise migrate rewrites ${triage.migrate} of ${triage.migrate + triage.person} errors and warnings \\(`));
    for (const r of triage.byRule.filter((x) => x.migrate)) expect(rewrites).toContain(`${r.ruleId} ${r.migrate}`);
    expect(remain).toMatch(new RegExp(`^${triage.person} decisions remain: `));
    for (const r of triage.byRule.filter((x) => x.person)) expect(remain).toContain(`${r.ruleId} ${r.person}`);
    // every rule with findings is counted once, with its number
    const byRule = new Map<string, number>();
    for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    for (const [id, n] of byRule) expect(text.stdout).toMatch(new RegExp(`\\n  ${id} +${n} +(error|warning|info) `));
    // lists are cut, not spelled out: no line names more than a handful of tables
    expect(text.stdout).toMatch(/ and \d+ more\n/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(400);
  });

  it('--verbose prints everything, as the text output did before the answer came first', async () => {
    const run = await runCli([...args, '--verbose'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Schema: 139 tables/);
    expect(run.stdout.split('\n').length).toBeGreaterThan(2000);
    expect(run.stdout).toMatch(/\nWhy\n/);
    expect(run.stdout).toMatch(/\n {2}help: /);
    expect(run.stdout).toMatch(/\nOf these findings, shardwise migrate takes care of \d+/);
  });
});

describe('analyze --explain TABLE', () => {
  const args = ['analyze', join(mt, 'schema.sql'), '--workload', join(mt, 'queries.sql')];

  it('every candidate the advisor scored, with its score, the chosen one marked and the runner-up', async () => {
    const [text, json] = await Promise.all([runCli([...args, '--explain', 'clicks'], dir), runCli([...args, '--format', 'json'], dir)]);
    expect(text.code).toBe(0);
    const clicks = JSON.parse(json.stdout).tables['public.clicks'] as { column: string; candidates: Array<{ column: string; score: number; excluded?: string }>; reasons: string[] };
    expect(clicks.candidates.length).toBeGreaterThan(1);
    const out = text.stdout;
    expect(out).toMatch(new RegExp(`^clicks: distributed on ${clicks.column}`));
    expect(out).toContain(`Candidates (${clicks.candidates.length};`);
    for (const c of clicks.candidates) {
      const mark = c.column === clicks.column ? '\\*' : ' ';
      expect(out).toMatch(new RegExp(`\\n  ${mark} ${c.column} +${c.score.toFixed(4)} `));
    }
    for (const r of clicks.reasons) expect(out).toContain(`  - ${r}`);
    const runnerUp = clicks.candidates.find((c) => c.column !== clicks.column && !c.excluded)!;
    expect(out).toContain(`runner-up: ${runnerUp.column} (score ${runnerUp.score.toFixed(4)})`);
    // one table, not the whole design
    expect(out).not.toMatch(/\n {2}impressions: /);
  });

  it('a name that is no table: exit 2, pointing at the flag, with the names that come close', async () => {
    const run = await runCli([...args, '--explain', 'click'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^shardwise analyze: command line:1:\d+: --explain: no table 'click' in the schema\nhint: name one of its tables, e.g. clicks\n$/);
  });

  it('--help names --explain and --verbose, and says the text is the answer first', async () => {
    const run = await runCli(['analyze', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\n {2}--explain TABLE +\(text\) why TABLE got its kind and key/);
    expect(run.stdout).toMatch(/\n {2}--verbose +\(text\) everything instead of the answer/);
    expect(run.stdout).toMatch(/The text output is the answer first/);
  });

  it('text only: with --format json it stops before the work, saying why', async () => {
    const run = await runCli([...args, '--explain', 'clicks', '--format', 'json'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--explain prints text, not --format json\nhint: /);
  });
});
