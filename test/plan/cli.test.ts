/**
 * `shardwise migrate` as a user runs it: the files it writes, the design file
 * it reads, a design Citus refuses (exit 1, the step and Citus's error, nothing
 * written), and inputs it never overwrites.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import { runCli } from './helpers.js';

let dir: string;
const exampleSchema = join(repoRoot, 'examples', 'wide-world-importers', 'schema.sql');
const examplePlan = join(repoRoot, 'test', 'fixtures', 'plan', 'wwi', 'shardwise.plan.yaml');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shardwise-migrate-'));
  copyFileSync(exampleSchema, join(dir, 'schema.sql'));
  copyFileSync(examplePlan, join(dir, 'shardwise.plan.yaml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('shardwise migrate', () => {
  it('writes the migration and the rollback from a design file', async () => {
    const r = await runCli(['migrate', 'schema.sql', '--plan', 'shardwise.plan.yaml', '-o', 'migration.sql', '--rollback', 'rollback.sql'], dir);
    expect(r.stderr).toMatch(/wrote migration\.sql .* and rollback\.sql .*every step ok on the Citus model/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'migration.sql'), 'utf8')).toBe(readFileSync(join(repoRoot, 'examples', 'wide-world-importers', 'migration.sql'), 'utf8'));
    expect(readFileSync(join(dir, 'rollback.sql'), 'utf8')).toMatch(/undistribute_table\('public\.devices'\)/);
  });

  it('uses the recommendation without --plan, and prints to standard output', async () => {
    const r = await runCli(['migrate', 'schema.sql'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-- shardwise migration:/);
    expect(r.stdout).toMatch(/SELECT create_distributed_table/);
  });

  it('gives JSON steps with phase, SQL, why and whether they can run in a transaction block', async () => {
    const r = await runCli(['migrate', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--concurrently', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    const concurrent = m.steps.filter((s: any) => /^SELECT create_distributed_table_concurrently\(/.test(s.sql));
    expect(concurrent.map((s: any) => s.table)).toEqual(['public.devices', 'public.events']);
    expect(concurrent.every((s: any) => s.transactional === false && s.phase === 'distribute')).toBe(true);
    expect(m.rollback.cannotUndo.length).toBe(1);
    expect(m.foreignKeys).toEqual({ rewritten: [], dropped: [] });
    // --concurrently needs the coordinator in the metadata: checked before anything changes
    const coordinator = m.steps.filter((s: any) => s.phase === 'preflight' && /pg_dist_node WHERE groupid = 0/.test(s.sql));
    expect(coordinator).toHaveLength(1);
    expect(coordinator[0].sql).toMatch(/RAISE EXCEPTION 'shardwise: the coordinator is not in the Citus metadata .*create_distributed_table_concurrently needs it/);
    expect(coordinator[0].sql).toMatch(/USING HINT = 'Add the coordinator first: SELECT citus_set_coordinator_host\(''coordinator-host'', 5432\);'/);
    // devices becomes a citus local table first, which Citus refuses while it has an FK to another
    // table: devices -> device_types is out of the way before the reference table, and comes back
    expect(m.steps.filter((s: any) => /devices_device_type_id_fkey/.test(s.sql)).map((s: any) => s.phase)).toEqual(['reference', 'restore']);
    expect(m.steps.some((s: any) => /enable_local_reference_table_foreign_keys/.test(s.sql))).toBe(false);
    const blocking = JSON.parse((await runCli(['migrate', 'schema.sql', '--plan', 'shardwise.plan.yaml', '--format', 'json'], dir)).stdout);
    expect(blocking.steps.some((s: any) => /pg_dist_node/.test(s.sql))).toBe(false);
  });

  it('refuses a design Citus would refuse: names the step and the error, writes nothing, exit 1', async () => {
    // events distributed by its integer device_id cannot join the colocation group devices has on its text name
    // (an integer key next to a bigint one the migration widens; integer next to text it cannot)
    writeFileSync(
      join(dir, 'bad.plan.yaml'),
      'citus: "14.0"\nshard_count: 32\ntables:\n  device_types: { kind: reference }\n  devices: { kind: distributed, column: name }\n  events: { kind: distributed, column: device_id, colocate_with: devices }\n',
    );
    const r = await runCli(['migrate', 'schema.sql', '--plan', 'bad.plan.yaml', '-o', 'migration.sql'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/migration step \d+ \(distribute, public\.events\): SELECT create_distributed_table\('public\.events', 'device_id'/);
    expect(r.stderr).toMatch(/ERROR: {2}cannot colocate tables devices and events\nDETAIL: {2}Distribution column types don't match for devices and events\./);
    expect(existsSync(join(dir, 'migration.sql'))).toBe(false);
  });

  it('never overwrites an input', async () => {
    const before = readFileSync(join(dir, 'schema.sql'), 'utf8');
    for (const args of [
      ['-o', 'schema.sql'],
      ['--rollback', './schema.sql'],
      ['--plan', 'shardwise.plan.yaml', '-o', 'shardwise.plan.yaml'],
    ]) {
      const r = await runCli(['migrate', 'schema.sql', ...args], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/is one of this run.s inputs or its configuration .*; it will not be overwritten/);
    }
    expect(readFileSync(join(dir, 'schema.sql'), 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'shardwise.plan.yaml'), 'utf8')).toBe(readFileSync(examplePlan, 'utf8'));
  });

  it('says what is wrong with its arguments (exit 2)', async () => {
    expect((await runCli(['migrate'], dir)).code).toBe(2);
    expect((await runCli(['migrate', 'schema.sql', '--format', 'yaml'], dir)).stderr).toMatch(/--format must be one of sql, json/);
    expect((await runCli(['migrate', 'schema.sql', '--plan', 'missing.yaml'], dir)).stderr).toMatch(/missing\.yaml: no such file/);
    expect((await runCli(['migrate', 'schema.sql', '-o', 'a.sql', '--rollback', 'a.sql'], dir)).stderr).toMatch(/same file/);
  });
});
