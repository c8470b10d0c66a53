/**
 * Citus's EXPLAIN read as shardwise's routing classes, on plans the real
 * cluster makes: every shape the mapping in docs/verify.md names, and the
 * parameter values verify binds, for every kind of type, planned for real.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLive, readLiveCatalog, type LiveSession } from '../../src/ingest/live/index.js';
import { loadParser } from '../../src/ingest/pg/index.js';
import { classifyExplain, compareRouting } from '../../src/simulate/explain.js';
import { ExplainRunner } from '../../src/verify/explain-run.js';
import { listPositions } from '../../src/verify/params.js';
import type { CitusDatabase } from '../support/citus.js';
import { createTestCitusDatabase, describeCitus } from '../support/citus-db.js';

describeCitus('classifyExplain on the real cluster', () => {
  let db: CitusDatabase;
  let coordinator: string;

  const explain = async (sql: string, setting?: string): Promise<string[]> => {
    if (setting) await db.client.query(`SET ${setting}`);
    try {
      const r = await db.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`);
      return r.rows.map((x) => x['QUERY PLAN']);
    } finally {
      if (setting) await db.client.query(`RESET ${setting.split('=')[0].trim()}`);
    }
  };

  beforeAll(async () => {
    db = await createTestCitusDatabase({ prefix: 'explain' });
    await db.client.query(`
      CREATE TABLE a (id bigint PRIMARY KEY, k int, v text);
      CREATE TABLE b (id bigint, a_id bigint, x int, PRIMARY KEY (a_id, id));
      CREATE TABLE r (code int PRIMARY KEY, n text);
      CREATE TABLE l (id int PRIMARY KEY, code int);
      CREATE TABLE c (id int PRIMARY KEY, code int);
      SELECT create_distributed_table('a', 'id', shard_count := 4);
      SELECT create_distributed_table('b', 'a_id', colocate_with := 'a');
      SELECT create_reference_table('r');
      SELECT citus_add_local_table_to_metadata('c');
    `);
    const n = await db.client.query<{ h: string; p: number }>('SELECT nodename AS h, nodeport AS p FROM pg_dist_node WHERE groupid = 0');
    coordinator = `${n.rows[0].h}:${n.rows[0].p}`;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const cases: Array<[string, string, { class: string; tasks?: number; subplans?: number; method?: string }, string?]> = [
    ['a filter on the distribution column', 'SELECT * FROM a WHERE id = 5', { class: 'router', tasks: 1 }],
    ['no filter', 'SELECT * FROM a', { class: 'multi-shard', tasks: 4 }],
    ['an aggregate above the Citus scan', 'SELECT count(*) FROM a', { class: 'multi-shard', tasks: 4 }],
    ['an IN list that prunes', 'SELECT * FROM a WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)', { class: 'multi-shard', tasks: 4 }],
    ['colocated tables joined on the key', 'SELECT * FROM a JOIN b ON b.a_id = a.id', { class: 'multi-shard', tasks: 4 }],
    ['a reference table', 'SELECT * FROM r', { class: 'router', tasks: 1 }],
    ['a plain local table', 'SELECT * FROM l', { class: 'coordinator', tasks: 0 }],
    ['no table', 'SELECT 1', { class: 'coordinator', tasks: 0 }],
    ['a local table joined with a distributed table', 'SELECT * FROM a JOIN l ON l.id = a.k', { class: 'recursive', subplans: 1, tasks: 4 }],
    ['a subquery on a column that is not the key', 'SELECT * FROM a WHERE k IN (SELECT x FROM b)', { class: 'recursive', subplans: 1, tasks: 4 }],
    ['a top-level UNION', 'SELECT id FROM a UNION SELECT id FROM b', { class: 'recursive', subplans: 2, tasks: 1 }],
    ['a join that is not on the key, repartitioned', 'SELECT * FROM a JOIN b ON b.x = a.k', { class: 'repartition' }, 'citus.enable_repartition_joins = on'],
    ['INSERT ... SELECT pushed down', 'INSERT INTO a SELECT * FROM a', { class: 'multi-shard', tasks: 4 }],
    ['INSERT ... SELECT repartitioned', 'INSERT INTO b (id, a_id, x) SELECT id, k, 1 FROM a', { class: 'repartition', method: 'repartition', tasks: 4 }],
    ['INSERT ... SELECT pulled to the coordinator', 'INSERT INTO a SELECT * FROM a LIMIT 5', { class: 'coordinator', method: 'pull to coordinator', tasks: 4 }],
    ['a single-row INSERT', "INSERT INTO a VALUES (1, 1, 'x')", { class: 'router', tasks: 1 }],
    ['a multi-row INSERT', "INSERT INTO a VALUES (1, 1, 'x'), (2, 2, 'y'), (3, 3, 'z')", { class: 'multi-shard', tasks: 3 }],
    ['an UPDATE without a key filter', "UPDATE a SET v = 'x' WHERE k = 3", { class: 'multi-shard', tasks: 4 }],
    ['MERGE between colocated tables', "MERGE INTO a USING b ON (a.id = b.a_id) WHEN MATCHED THEN UPDATE SET v = 'x'", { class: 'multi-shard', tasks: 4 }],
  ];

  for (const [title, sql, want, setting] of cases) {
    it(`${title}: ${want.class}`, async () => {
      const got = classifyExplain(await explain(sql, setting));
      expect(got.class).toBe(want.class);
      if (want.tasks !== undefined) expect(got.tasks).toBe(want.tasks);
      if (want.subplans !== undefined) expect(got.subplans).toBe(want.subplans);
      if (want.method !== undefined) expect(got.method).toBe(want.method);
    });
  }

  it('reads the figures of a repartition job', async () => {
    const got = classifyExplain(await explain('SELECT * FROM a JOIN b ON b.x = a.k', 'citus.enable_repartition_joins = on'));
    expect(got.mapTasks).toBe(8);
    expect(got.mergeTasks).toBeGreaterThan(0);
  });

  it("takes one task on the coordinator for the coordinator's own work, and nothing else", async () => {
    for (const sql of ['SELECT * FROM l JOIN r USING (code)', 'SELECT * FROM c']) {
      const real = classifyExplain(await explain(sql));
      expect(real.class).toBe('router');
      expect(compareRouting({ class: 'coordinator', shards: 0 }, real, { coordinator })).toEqual({ agree: true });
    }
    const onWorker = classifyExplain(await explain('SELECT * FROM a WHERE id = 5'));
    expect(compareRouting({ class: 'coordinator', shards: 0 }, onWorker, { coordinator }).agree).toBe(false);
  });

  it('compares task counts when the prediction knows every key, and error texts', () => {
    const real = classifyExplain(['Custom Scan (Citus Adaptive)', '  Task Count: 3', '  Tasks Shown: One of 3']);
    expect(compareRouting({ class: 'multi-shard', shards: 3 }, real, { exactShards: true }).agree).toBe(true);
    expect(compareRouting({ class: 'multi-shard', shards: 32 }, real, { exactShards: true })).toEqual({ agree: false, why: 'predicted 32 shards, Citus runs 3 tasks' });
    expect(compareRouting({ class: 'multi-shard', shards: 1 }, classifyExplain(['Custom Scan (Citus Adaptive)', '  Task Count: 1']), { exactShards: true }).agree).toBe(true);
    const err = { message: 'the query contains a join that requires repartitioning' };
    const failed = { class: 'error' as const, tasks: 0, subplans: 0, nodes: [], reason: err.message, error: err };
    expect(compareRouting({ class: 'error', shards: 0, error: err }, failed).agree).toBe(true);
    expect(compareRouting({ class: 'error', shards: 0, error: { message: 'something else' } }, failed).agree).toBe(false);
    expect(compareRouting({ class: 'router', shards: 1 }, failed).why).toBe('Citus refuses it: the query contains a join that requires repartitioning');
  });
});

describeCitus('parameters bound for EXPLAIN EXECUTE', () => {
  let db: CitusDatabase;
  let session: LiveSession;
  const types = [
    'smallint', 'integer', 'bigint', 'numeric(10,2)', 'real', 'double precision', 'money', 'text', 'varchar(3)', 'char(1)', 'boolean',
    'date', 'timestamp', 'timestamptz', 'time', 'interval', 'uuid', 'json', 'jsonb', 'bytea', 'inet', 'bit(1)', 'int[]', 'text[]', 'mood', 'positive', 'oid',
  ];

  beforeAll(async () => {
    await loadParser();
    db = await createTestCitusDatabase({ prefix: 'params' });
    await db.client.query(`CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE DOMAIN positive AS int CHECK (VALUE > 0);`);
    await db.client.query(`CREATE TABLE t (id bigint NOT NULL, ${types.map((t, i) => `c${i} ${t}`).join(', ')})`);
    await db.client.query(`SELECT create_distributed_table('t', 'id', shard_count := 4)`);
    session = await connectLive(db.url, {});
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });

  it('gives every type a value the server takes, and plans the statement with it', async () => {
    const runner = new ExplainRunner(session);
    for (let i = 0; i < types.length; i++) {
      const column = `c${i}`;
      const op = types[i] === 'json' ? `${column}::text = $2::text` : `${column} = $2`;
      const plan = await runner.plan(`SELECT id FROM t WHERE id = $1 AND ${op}`);
      expect('routing' in plan ? plan.routing.error : plan, types[i]).toBeUndefined();
      expect('routing' in plan && plan.routing.class, types[i]).toBe('router');
    }
  });

  it('gives the members of an IN list distinct values, so that they reach the shards their keys hash to', async () => {
    const runner = new ExplainRunner(session);
    const plan = await runner.plan('SELECT * FROM t WHERE id IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)');
    expect('routing' in plan && plan.parameters).toMatchObject({ $1: "'1'::bigint", $10: "'10'::bigint" });
    expect('routing' in plan && plan.routing.class).toBe('multi-shard');
    expect(listPositions('SELECT 1 FROM t WHERE id = $1 AND c1 IN ($2, $3) AND c2 = ANY (ARRAY[$4, $5])')).toEqual(new Map([[2, 1], [3, 2], [4, 1], [5, 2]]));
  });

  it('plans an INSERT whose key comes from a sequence with a value in its place, and draws nothing from the sequence', async () => {
    await db.client.query(`
      CREATE TABLE s (id bigserial PRIMARY KEY, v text);
      SELECT create_distributed_table('s', 'id', shard_count := 4);
      CREATE TABLE g (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
      SELECT create_distributed_table('g', 'id', shard_count := 4);`);
    // A session of its own: the suite's started its snapshot before these tables existed.
    const fresh = await connectLive(db.url, {});
    try {
      const catalog = await readLiveCatalog(fresh);
      const runner = new ExplainRunner(fresh, { catalog });
      const sequences = async () => (await db.client.query('SELECT last_value, is_called FROM s_id_seq UNION ALL SELECT last_value, is_called FROM g_id_seq')).rows;
      const before = await sequences();
      for (const [sql, defaults] of [
        ['INSERT INTO s (v) VALUES ($1) RETURNING id', ['id']],
        ['INSERT INTO s VALUES (DEFAULT, $1), (DEFAULT, $2)', ['id']],
        ["INSERT INTO g (v) VALUES ('x')", ['id']],
      ] as const) {
        const plan = await runner.plan(sql);
        expect('routing' in plan && plan.routing.error, sql).toBeFalsy();
        expect('routing' in plan && plan.defaults, sql).toEqual(defaults);
        expect('routing' in plan && plan.routing.class, sql).toBe('router');
      }
      expect(await sequences()).toEqual(before);
      const without = await new ExplainRunner(fresh).plan('INSERT INTO s (v) VALUES ($1)');
      expect(without).toEqual({ skipped: expect.stringMatching(/cannot execute nextval\(\) in a read-only transaction/) });
    } finally {
      await fresh.close();
    }
  });

  it('plans a statement that reads a view the workload creates itself through the query of that view', async () => {
    const view = { sql: 'CREATE VIEW recent (key, what) AS SELECT id, c7 FROM t WHERE c11 IS NOT NULL', location: { file: 'q.sql', line: 1, column: 1 } };
    const runner = new ExplainRunner(session, { views: [view] });
    const routed = await runner.plan('SELECT what FROM recent r WHERE r.key = $1');
    expect('routing' in routed && [routed.routing.class, routed.views], JSON.stringify(routed)).toEqual(['router', ['recent']]);
    const scattered = await runner.plan('SELECT count(*) FROM recent JOIN t ON t.id = recent.key');
    expect('routing' in scattered && [scattered.routing.class, scattered.routing.tasks]).toEqual(['multi-shard', 4]);
    const unknown = await new ExplainRunner(session).plan('SELECT what FROM recent WHERE key = 1');
    expect('routing' in unknown && unknown.routing.error).toEqual({ message: 'relation "recent" does not exist' });
  });

  it('explains writes without running them, and leaves no prepared statement behind', async () => {
    const runner = new ExplainRunner(session);
    const plan = await runner.plan('INSERT INTO t (id, c1) VALUES ($1, $2)');
    expect('routing' in plan && plan.routing.class).toBe('router');
    const count = await db.client.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    expect(count.rows[0].n).toBe(0);
    const left = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_catalog.pg_prepared_statements WHERE name LIKE 'shardwise_verify_%'`);
    expect(left[0].n).toBe(0);
  });
});
