/**
 * `simulate` on a design: shard tasks checked against PostgreSQL's own hash
 * and range arithmetic, task SQL that parses for every corpus workload, the
 * TPC-C transaction mix on the warehouse design, design comparison, and the
 * JSON report against its schema.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchema } from '../../src/catalog/index.js';
import { parseDesign } from '../../src/design/file.js';
import { loadParser, parseSql, quoteIdent, splitKey } from '../../src/ingest/pg/index.js';
import { readWorkload } from '../../src/ingest/workload/index.js';
import { designView, runOnCluster } from '../../src/simulate/cluster-run.js';
import { classifyQuery } from '../../src/simulate/routing/classify.js';
import { ShardRouter } from '../../src/simulate/routing/router.js';
import { buildTopology } from '../../src/simulate/shards.js';
import { analyzeWorkload } from '../../src/workload/extract.js';
import { runCli } from '../plan/helpers.js';
import { corpusDatasets, corpusDir, repoRoot } from '../support/corpus.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  await loadParser();
  db = await createTestDatabase('route');
});
afterAll(async () => {
  await db?.drop();
});

const SCHEMA = `
CREATE TABLE companies (id bigint PRIMARY KEY, name text);
CREATE TABLE ads (company_id bigint NOT NULL, id bigint NOT NULL, title text, PRIMARY KEY (company_id, id));
CREATE TABLE tags (slug text PRIMARY KEY, label text);
CREATE TABLE countries (code char(2) PRIMARY KEY, name text);
`;
const DESIGN = `
shard_count: 32
tables:
  companies: { kind: distributed, column: id }
  ads: { kind: distributed, column: company_id, colocate_with: companies }
  tags: { kind: distributed, column: slug }
  countries: { kind: reference }
`;

async function setup(nodes = 4) {
  const { catalog } = await readSchema([{ file: 'schema.sql', text: SCHEMA }]);
  const design = parseDesign(DESIGN, 'plan.yaml', catalog);
  const topology = buildTopology(design, { nodes });
  const router = new ShardRouter({ catalog, topology });
  const view = designView(catalog, design, topology);
  const route = (sql: string) => {
    const [q] = analyzeWorkload(catalog, [{ id: 'q', fingerprint: 'q', sql, sample: sql, weight: 1, calls: 1, sources: [] }]).queries;
    const r = classifyQuery(q.facts, view);
    return { class: r.class, ...router.route(sql, q.facts, r) };
  };
  return { catalog, design, topology, route };
}

/** The shard index PostgreSQL computes for each value: its hash, then the range (citus-rules.md §4) that holds it. */
async function pgShardIndexes(values: string[], hashFn: string, type: string, shards: number): Promise<Map<string, number>> {
  const res = await db.client.query({
    text: `SELECT v, floor((${hashFn}(v::${type})::int8 + 2147483648) / (4294967296 / $2::int8))::int AS i FROM unnest($1::text[]) v`,
    values: [values, shards],
  });
  return new Map(res.rows.map((r: { v: string; i: number }) => [r.v, Math.min(r.i, shards - 1)]));
}

describe('shard tasks', () => {
  it('a router query goes to the shard PostgreSQL hashes its bigint key to, on the worker that holds it', async () => {
    const { route, topology } = await setup();
    const values = Array.from({ length: 300 }, (_, i) => String(i * 7919 - 1_000_000));
    const expected = await pgShardIndexes(values, 'hashint8', 'int8', 32);
    const ads = topology.tables.find((t) => t.key === 'public.ads')!;
    for (const v of values) {
      const r = route(`SELECT title FROM ads WHERE company_id = ${v} AND id = 1`);
      expect(r.class).toBe('router');
      expect(r.pin?.index).toBe(expected.get(v));
      const shard = ads.shards[expected.get(v)!];
      expect(r.tasks).toEqual([{ step: 1, node: shard.placements[0], shard: shard.name, sql: `SELECT title FROM public.${shard.name} AS ads WHERE company_id = ${v} AND id = 1` }]);
    }
  });

  it('text keys hash with hashtext, and a colocated join names both shards of one group', async () => {
    const { route, topology } = await setup();
    const values = Array.from({ length: 200 }, (_, i) => `tag-${i}-é`);
    const expected = await pgShardIndexes(values, 'hashtext', 'text', 32);
    const tags = topology.tables.find((t) => t.key === 'public.tags')!;
    for (const v of values) {
      const r = route(`SELECT label FROM tags WHERE slug = '${v}'`);
      expect(r.tasks[0].shard).toBe(tags.shards[expected.get(v)!].name);
    }
    const j = route('SELECT a.title FROM companies c JOIN ads a ON a.company_id = c.id WHERE c.id = 42');
    const i = (await pgShardIndexes(['42'], 'hashint8', 'int8', 32)).get('42')!;
    const companies = topology.tables.find((t) => t.key === 'public.companies')!;
    const ads = topology.tables.find((t) => t.key === 'public.ads')!;
    expect(j.tasks).toHaveLength(1);
    expect(j.tasks[0].shard).toBe(`${ads.shards[i].name},${companies.shards[i].name}`);
    expect(j.tasks[0].sql).toBe(`SELECT a.title FROM public.${companies.shards[i].name} AS c JOIN public.${ads.shards[i].name} AS a ON a.company_id = c.id WHERE c.id = 42`);
  });

  it('IN lists and multi-row INSERTs reach only the shards their values hash to; a scan reaches all', async () => {
    const { route } = await setup();
    const values = ['1', '2', '3', '1000', '99999'];
    const expected = await pgShardIndexes(values, 'hashint8', 'int8', 32);
    const want = [...new Set(values.map((v) => expected.get(v)!))].sort((a, b) => a - b);
    const inList = route(`SELECT * FROM ads WHERE company_id IN (${values.join(', ')})`);
    expect(inList.class).toBe('multi-shard');
    expect(inList.shardCount).toBe(want.length);
    const insert = route(`INSERT INTO ads (company_id, id, title) VALUES ${values.map((v) => `(${v}, 1, 'x')`).join(', ')}`);
    expect(insert.shardCount).toBe(want.length);
    const scan = route('SELECT count(*) FROM ads');
    expect(scan.class).toBe('multi-shard');
    expect(scan.tasks).toHaveLength(32);
    // sorted by step, worker, shard; every worker gets 8 of the 32 shards
    const byNode = new Map<string, number>();
    for (const t of scan.tasks) byNode.set(t.node, (byNode.get(t.node) ?? 0) + 1);
    expect([...byNode.values()]).toEqual([8, 8, 8, 8]);
    expect(scan.tasks.map((t) => t.node)).toEqual([...scan.tasks.map((t) => t.node)].sort());
  });

  it('a parameter leaves the shard to run time; reference writes go to every worker; reads to one replica', async () => {
    const { route } = await setup(3);
    const p = route('SELECT * FROM ads WHERE company_id = $1');
    expect(p.class).toBe('router');
    expect(p.pin).toMatchObject({ by: 'ads.company_id' });
    expect(p.pin?.index).toBeUndefined();
    expect(p.tasks[0].sql).toBe('SELECT * FROM public.ads_? AS ads WHERE company_id = $1');
    const w = route("UPDATE countries SET name = 'x' WHERE code = 'de'");
    expect(w.tasks.map((t) => t.node)).toEqual(['worker-1:5432', 'worker-2:5432', 'worker-3:5432']);
    const r = route("SELECT name FROM countries WHERE code = 'de'");
    expect(r.class).toBe('router');
    expect(r.tasks).toHaveLength(1);
  });

  it('every task of every corpus workload is SQL that parses, naming shards, not the tables', async () => {
    let checked = 0;
    for (const d of corpusDatasets().filter((x) => x.queriesPath)) {
      const { catalog } = await readSchema([{ file: 'schema.sql', text: readFileSync(d.schemaPath, 'utf8') }]);
      const input = await readWorkload([d.queriesPath!], dirname(d.dir));
      const workload = analyzeWorkload(catalog, input.queries);
      // every table distributed on its first column: every query gets shard tasks
      const tables = Object.fromEntries(Object.values(catalog.tables).filter((t) => !t.partitionOf).map((t) => [t.key, { kind: 'distributed' as const, column: t.columns[0]?.name }]));
      const design = { citus: '14.0', shardCount: 4, tables };
      const topology = buildTopology(design, { nodes: 2 });
      const sim = runOnCluster(catalog, design, topology, workload, [], undefined, { enableRepartitionJoins: true });
      const factsOf = new Map(workload.queries.map((x) => [x.query.id, x.facts]));
      for (const q of sim.queries) {
        const facts = factsOf.get(q.id)!;
        for (const t of q.tasks) {
          if (t.sql.startsWith('--') || t.node === 'coordinator') continue;
          // a shard left to run time is written <table>_?: stand a shard id in for the parse
          const parsed = parseSql(t.sql.replace(/_\?/g, '_102008'));
          expect(parsed.ok, `${d.name} ${q.id}: ${t.sql}`).toBe(true);
          // every table is named by one of its shards (known, or _? when a $n decides it), never by itself
          const shardRef = t.node === '?' ? /\b\w+_\?/ : /\b\w+_1\d{5}\b/;
          expect(t.sql, `${d.name} ${q.id} names a shard`).toMatch(shardRef);
          for (const rel of new Set([...facts.tablesRead, ...facts.tablesWritten])) {
            const { schema, name } = splitKey(rel);
            expect(t.sql, `${d.name} ${q.id} still names ${rel}`).not.toContain(`${quoteIdent(schema)}.${quoteIdent(name)} `);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});

describe('simulate CLI on a design', () => {
  const tpcc = join(corpusDir(), 'benchbase-tpcc');
  const dir = mkdtempSync(join(tmpdir(), 'shardwise-sim-'));
  const warehousePlan = join(dir, 'warehouse.plan.yaml');
  const itemPlan = join(dir, 'by-item.plan.yaml');
  writeFileSync(
    warehousePlan,
    `shard_count: 32
tables:
  warehouse: { kind: distributed, column: w_id }
  district: { kind: distributed, column: d_w_id, colocate_with: warehouse }
  customer: { kind: distributed, column: c_w_id, colocate_with: warehouse }
  history: { kind: distributed, column: h_c_w_id, colocate_with: warehouse }
  new_order: { kind: distributed, column: no_w_id, colocate_with: warehouse }
  oorder: { kind: distributed, column: o_w_id, colocate_with: warehouse }
  order_line: { kind: distributed, column: ol_w_id, colocate_with: warehouse }
  stock: { kind: distributed, column: s_w_id, colocate_with: warehouse }
  item: { kind: reference }
`,
  );
  writeFileSync(
    itemPlan,
    `shard_count: 32
tables:
  stock: { kind: distributed, column: s_i_id }
  order_line: { kind: distributed, column: ol_i_id, colocate_with: stock }
  item: { kind: distributed, column: i_id, colocate_with: stock }
  warehouse: { kind: reference }
  district: { kind: reference }
`,
  );

  it('TPC-C on the warehouse design: the single-shard share of the transaction mix, and the statements that cross warehouses', async () => {
    const run = await runCli(['simulate', join(tpcc, 'schema.sql'), '--plan', warehousePlan, '--workload', join(tpcc, 'queries.sql'), '--format', 'json'], dir);
    expect(run.stderr).toBe('');
    const sim = JSON.parse(run.stdout);
    const tx = new Map<string, { weight: number; singleShard: boolean; crossing: Array<{ id: string }> }>(sim.transactions.map((t: { label: string }) => [t.label, t]));
    expect([...tx.keys()].sort()).toEqual(['Delivery', 'NewOrder', 'OrderStatus', 'Payment', 'StockLevel']);
    expect([...tx.values()].map((t) => t.weight).sort((a, b) => a - b)).toEqual([4, 4, 4, 43, 45]);
    // NewOrder and Payment touch one warehouse (item is a reference table) as long as their
    // warehouse parameters agree; the supply warehouse of stock and the customer's warehouse are
    // the keys that take TPC-C's remote transactions across warehouses
    expect(tx.get('NewOrder')!.singleShard).toBe(true);
    expect(tx.get('Payment')!.singleShard).toBe(true);
    expect((tx.get('NewOrder') as unknown as { keyParameters: string[] }).keyParameters).toContain('stock.s_w_id');
    expect((tx.get('Payment') as unknown as { keyParameters: string[] }).keyParameters).toContain('customer.c_w_id');
    // the migration to this design, and its rollback, run on the Citus model
    expect(sim.migration.failures).toEqual([]);
    expect(sim.migration.steps).toBeGreaterThan(9);
    // every statement of the mix filters its warehouse key (StockLevel's order_line x stock join
    // each on its own $n): all five stay on one warehouse when their parameters agree
    for (const t of tx.values()) expect(t).toMatchObject({ singleShard: true, assumesOneKey: true, crossing: [] });
    expect((tx.get('StockLevel') as unknown as { keyParameters: string[] }).keyParameters).toEqual(['district.d_w_id', 'order_line.ol_w_id', 'stock.s_w_id']);
    expect(sim.summary.transactionSingleShardShare).toBe(1);
    const text = await runCli(['simulate', join(tpcc, 'schema.sql'), '--plan', warehousePlan, '--workload', join(tpcc, 'queries.sql')], dir);
    expect(text.stdout).toMatch(new RegExp(`transactions on one shard: ${(sim.summary.transactionSingleShardShare * 100).toFixed(1)}% of the weighted mix \\(5 transactions\\)`));
    expect(text.stdout).toMatch(/^ {2}NewOrder \(weight 45, \d+ statements\): one shard if its key parameters carry one value\n {4}keys bound by parameters: .*stock\.s_w_id/m);
  });

  it('--compare shows what changes between two designs', async () => {
    const run = await runCli(['simulate', join(tpcc, 'schema.sql'), '--plan', warehousePlan, '--compare', itemPlan, '--workload', join(tpcc, 'queries.sql'), '--format', 'json'], dir);
    const out = JSON.parse(run.stdout);
    const row = (m: string) => out.comparison.find((r: { metric: string }) => r.metric === m);
    expect(row('single-shard share').a).toBe(out.a.summary.singleShardShare);
    expect(row('single-shard share').b).toBe(out.b.summary.singleShardShare);
    expect(out.a.summary.singleShardShare).toBeGreaterThan(out.b.summary.singleShardShare);
    expect(row('repartition joins').delta).toBe(out.b.summary.repartitionJoins - out.a.summary.repartitionJoins);
    const text = await runCli(['simulate', join(tpcc, 'schema.sql'), '--plan', warehousePlan, '--compare', itemPlan, '--workload', join(tpcc, 'queries.sql')], dir);
    expect(text.stdout).toContain('single-shard share');
    expect(text.stdout).toContain('(A better)');
    expect(text.stdout).toContain('Queries that route differently');
  });

  it('places the data of a dump and reports it; the JSON validates against its schema; output is stable', async () => {
    const pagila = corpusDatasets().find((d) => d.name === 'pagila')!;
    const args = ['simulate', pagila.schemaPath, '--data', join(pagila.dir, 'data', 'pagila-data.sql'), '--nodes', '3', '--format', 'json'];
    const run = await runCli(args, dir);
    const sim = JSON.parse(run.stdout);
    expect(sim.placement.tables.length).toBeGreaterThan(0);
    const placed = sim.placement.tables.filter((t: { status: string }) => t.status === 'placed');
    expect(placed.length).toBeGreaterThan(0);
    for (const t of placed) expect(t.shards.reduce((s: number, x: { rows: number }) => s + x.rows, 0) + t.nullRows + t.invalidRows).toBe(t.rows);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'cluster-simulation.schema.json'), 'utf8')));
    expect(validate(sim), JSON.stringify(validate.errors)).toBe(true);
    expect((await runCli(args, dir)).stdout).toBe(run.stdout);
  });

  it('bad input: an unknown --format, a missing plan file', async () => {
    const a = await runCli(['simulate', join(tpcc, 'schema.sql'), '--format', 'xml'], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--format must be one of text, json, html/);
    const b = await runCli(['simulate', join(tpcc, 'schema.sql'), '--plan', 'nope.yaml'], dir);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/nope\.yaml: no such file/);
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});
