/** The real cluster itself: Citus 13.2 from the source tarball, its workers registered, shards placed on them. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CitusDatabase } from '../support/citus.js';
import { createTestCitusDatabase, describeCitus } from '../support/citus-db.js';

describeCitus('the real Citus cluster', () => {
  let db: CitusDatabase;
  beforeAll(async () => {
    db = await createTestCitusDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('runs Citus 13.2 with two active workers', async () => {
    const v = await db.client.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`);
    expect(v.rows[0].v).toMatch(/^13\.2/);
    const nodes = await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND shouldhaveshards AND groupid <> 0`);
    expect(nodes.rows[0].n).toBe(2);
  });

  it('places the shards of a distributed table on the workers and routes a filtered query to one shard', async () => {
    await db.client.query('CREATE TABLE t (id bigint PRIMARY KEY, v text)');
    await db.client.query(`SELECT create_distributed_table('t', 'id', shard_count := 4)`);
    const placed = await db.client.query<{ n: number }>(`SELECT count(DISTINCT nodeport)::int AS n FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 't'::regclass`);
    expect(placed.rows[0].n).toBe(2);
    const plan = await db.client.query<{ 'QUERY PLAN': string }>('EXPLAIN (COSTS OFF) SELECT * FROM t WHERE id = 5');
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Task Count: 1/);
  });

  it('gives the error text citus-rules.md records for a unique constraint without the distribution column', async () => {
    await db.client.query('CREATE TABLE u (id bigint, email text UNIQUE)');
    await expect(db.client.query(`SELECT create_distributed_table('u', 'id')`)).rejects.toThrow(
      'cannot create constraint on "u"',
    );
  });
});
