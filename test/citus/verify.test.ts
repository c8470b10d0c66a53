/**
 * `shardwise verify` on the real cluster, as a user runs it: a corpus schema
 * loaded first and Citus added after, the migration `shardwise migrate`
 * writes run for real, then verify with the dataset's workload: no drift.
 * A table distributed on another column by hand is drift (exit 1), and
 * verify writes nothing, whatever the workload does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLive } from '../../src/ingest/live/index.js';
import { runCli } from '../plan/helpers.js';
import type { CitusDatabase } from '../support/citus.js';
import { createTestCitusDatabase, describeCitus } from '../support/citus-db.js';
import { corpusDir, repoRoot } from '../support/corpus.js';
import { psqlFiles } from '../support/psql.js';

const dataset = join(corpusDir(), 'benchbase-tpcc');
const schema = join(dataset, 'schema.sql');
const queries = join(dataset, 'queries.sql');
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'verify.schema.json'), 'utf8')));

describeCitus('shardwise verify on a migrated corpus design', () => {
  let db: CitusDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-verify-'));
  const verify = (...extra: string[]) => runCli(['verify', '--db', db.url, '--plan', 'shardwise.plan.yaml', '--workload', queries, ...extra], dir);

  beforeAll(async () => {
    db = await createTestCitusDatabase({ prefix: 'verify', citus: false });
    expect(psqlFiles(db.url, [schema]).errors).toEqual([]);
    await db.enableCitus();
    const analyze = await runCli(['analyze', schema, '--workload', queries, '--citus', '13.2', '--write-plan'], dir);
    expect(analyze.code, analyze.stderr).toBe(0);
    const migrate = await runCli(['migrate', schema, '--plan', 'shardwise.plan.yaml', '-o', 'migrate.sql', '--rollback', 'rollback.sql'], dir);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(psqlFiles(db.url, [join(dir, 'migrate.sql')], ['-v', 'ON_ERROR_STOP=1']).errors).toEqual([]);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('finds no drift: every table as designed, every statement routed as predicted', async () => {
    const run = await verify();
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Tables \(9 of 9 as designed\)$/m);
    expect(run.stdout).toMatch(/^Routing \(31 of 31 statements as predicted; heaviest first\)$/m);
    expect(run.stdout).toMatch(/No drift: every table is as designed and every statement checked routes as predicted\.\n$/);
    expect(run.code).toBe(0);
    const text = (await verify('--format', 'json')).stdout;
    expect((await verify('--format', 'json')).stdout, 'the same report twice').toBe(text);
    const json = JSON.parse(text);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.drift).toBe(false);
    expect(json.summary).toEqual({ tables: 9, tableDrift: 0, statements: 31, agree: 31, disagree: 0, skipped: 0 });
    const classes = new Set(json.statements.map((s: { real: { class: string } }) => s.real.class));
    expect([...classes].sort()).toEqual(['router']);
  });

  it('writes nothing: the rows the workload would change are as they were, and its session refuses a write', async () => {
    // Rows that the workload's UPDATE statements hit with the values verify binds ($n = 1).
    await db.client.query(`INSERT INTO warehouse (w_id, w_ytd, w_tax, w_name, w_street_1, w_street_2, w_city, w_state, w_zip) VALUES (1, 10, 0.1, 'w', 's', 's', 'c', 'st', 'z')`);
    await db.client.query(`INSERT INTO district VALUES (1, 1, 10, 0.1, 7, 'd', 's', 's', 'c', 'st', 'z')`);
    const snapshot = async () => {
      const w = await db.client.query('SELECT w_id, w_ytd::text FROM warehouse ORDER BY 1');
      const d = await db.client.query('SELECT d_w_id, d_id, d_ytd::text, d_next_o_id FROM district ORDER BY 1, 2');
      const counts = await db.client.query('SELECT (SELECT count(*) FROM history)::int AS h, (SELECT count(*) FROM new_order)::int AS n, (SELECT count(*) FROM order_line)::int AS l');
      return { w: w.rows, d: d.rows, counts: counts.rows };
    };
    const before = await snapshot();
    expect((await verify()).code).toBe(0);
    expect(await snapshot()).toEqual(before);
    const session = await connectLive(db.url, {});
    try {
      await expect(session.query('DELETE FROM public.new_order')).rejects.toMatchObject({ kind: 'read-only' });
    } finally {
      await session.close();
    }
  });

  it('reports a table distributed on another column by hand, and the statements that now route otherwise (exit 1)', async () => {
    await db.client.query(`SELECT alter_distributed_table('stock', distribution_column := 's_i_id', cascade_to_colocated := false)`);
    const run = await verify();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}DRIFT {2}stock: distributed on s_i_id, colocation group \d+, 32 shards\n {9}stock is distributed on s_i_id; the design distributes it on s_w_id$/m);
    expect(run.stdout).toMatch(/^Tables \(8 of 9 as designed\)$/m);
    expect(run.stdout).toMatch(/^ {2}DIFF {3}StockLevel edff600b6ed245b5:order_line,stock {2}weight \d+$/m);
    expect(run.stdout).toMatch(/Citus refuses it: the query contains a join that requires repartitioning/);
    expect(run.stdout).toMatch(/Drift: 1 table differs from the design; 1 statement routes otherwise than predicted\.\n$/);
    const json = JSON.parse((await verify('--format', 'json')).stdout);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.tables.find((t: { table: string }) => t.table === 'public.stock').drift).toEqual([{ kind: 'column', message: 'stock is distributed on s_i_id; the design distributes it on s_w_id' }]);
  });

  it('reports a table taken out of its colocation group, one of another kind or shard count, one the design does not name, and one that is gone', async () => {
    await db.client.query(`SELECT update_distributed_table_colocation('history', colocate_with := 'none')`);
    await db.client.query(`CREATE TABLE audit (id bigint PRIMARY KEY)`);
    await db.client.query(`SELECT create_reference_table('audit')`);
    writeFileSync(
      join(dir, 'extra.plan.yaml'),
      'citus: "13.2"\nshard_count: 32\ntables:\n  item: { kind: distributed, column: i_id }\n  warehouse: { kind: distributed, column: w_id, shard_count: 16 }\n  gone: { kind: reference }\n',
    );
    const run = await runCli(['verify', '--db', db.url, '--plan', 'extra.plan.yaml', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    const drift = (t: string) => json.tables.find((x: { table: string }) => x.table === t)?.drift;
    expect(drift('public.gone')).toEqual([{ kind: 'missing', message: 'gone does not exist on the cluster' }]);
    expect(drift('public.item')).toEqual([{ kind: 'kind', message: 'the design makes item distributed on i_id; the cluster has it reference' }]);
    expect(drift('public.warehouse')).toEqual([{ kind: 'shard-count', message: 'warehouse has 32 shards; the design gives it 16' }]);
    expect(drift('public.audit')).toEqual([{ kind: 'not-in-design', message: 'audit is a reference table on the cluster; the design does not name it (it would stay local)' }]);
    const full = JSON.parse((await verify('--format', 'json')).stdout);
    const history = full.tables.find((x: { table: string }) => x.table === 'public.history');
    expect(history.drift.map((d: { kind: string }) => d.kind)).toEqual(['colocation']);
    expect(history.drift[0].message).toMatch(/^the design colocates customer, district, history, new_order, oorder, order_line, warehouse; the cluster has them in colocation groups \d+, \d+ \(history in \d+\)$/);
  });

  it('predicts with citus.enable_repartition_joins as the cluster sets it: a join Citus refuses, then repartitions, as predicted', async () => {
    await db.client.query(`SELECT alter_distributed_table('stock', colocate_with := 'none', cascade_to_colocated := false)`);
    await db.client.query(`SELECT update_distributed_table_colocation('history', colocate_with := 'warehouse')`);
    await db.client.query('DROP TABLE audit');
    const plan = readFileSync(join(dir, 'shardwise.plan.yaml'), 'utf8').replace(/^ {2}stock: .*$/m, '  stock: { kind: distributed, column: s_i_id }');
    writeFileSync(join(dir, 'moved.plan.yaml'), plan);
    const stockLevel = async () => {
      const run = await runCli(['verify', '--db', db.url, '--plan', 'moved.plan.yaml', '--workload', queries, '--format', 'json'], dir);
      const json = JSON.parse(run.stdout);
      expect(json.summary.tableDrift, JSON.stringify(json.tables.filter((t: { drift: unknown[] }) => t.drift.length))).toBe(0);
      expect(run.code, JSON.stringify(json.statements.filter((s: { outcome: string }) => s.outcome !== 'agree'))).toBe(0);
      return json.statements.find((s: { label?: string; id: string }) => s.label === 'StockLevel' && s.id.includes('stock'));
    };
    const refused = await stockLevel();
    expect([refused.predicted.class, refused.real.class]).toEqual(['error', 'error']);
    expect(refused.real.error.message).toBe('the query contains a join that requires repartitioning');
    await db.client.query(`ALTER DATABASE ${db.name} SET citus.enable_repartition_joins = on`);
    const repartitioned = await stockLevel();
    expect([repartitioned.predicted.class, repartitioned.real.class]).toEqual(['repartition', 'repartition']);
  });

  it('bad input is one located line with a hint (exit 2), and a password never shows', async () => {
    const refused = await runCli(['verify', '--db', 'postgres://someone:s3cret@127.0.0.1:1/x', '--plan', 'shardwise.plan.yaml'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^shardwise verify: command line:1:\d+: could not connect to 127\.0\.0\.1:1: connection refused\nhint: /);
    expect(refused.stderr + refused.stdout).not.toContain('s3cret');
    writeFileSync(join(dir, 'bad.plan.yaml'), 'tables:\n  item: { kind: sharded }\n');
    const bad = await runCli(['verify', '--db', db.url, '--plan', 'bad.plan.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.plan\.yaml:2:17: tables\.item\.kind: "sharded" is not allowed\n {2}hint: use one of/);
    const plain = await runCli(['verify', '--db', db.url.replace(/\/[^/]+$/, '/postgres'), '--plan', 'shardwise.plan.yaml'], dir);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^shardwise verify: command line:1:\d+: the citus extension is not installed in database postgres\nhint: /);
  });
});
