/**
 * Query routing throughput: 100,000 statements (default; `N` as argument) of
 * a multi-tenant workload, each with its own constants, routed on a 32-shard,
 * 4-worker cluster: the planner's class, the shard the key hashes to, and the
 * task SQL with shard names. Facts are extracted first (parse + one walk);
 * routing is timed on its own, then the whole simulation.
 *
 *   node --import tsx bench/routing.ts [N]
 */
import { readSchema } from '../src/catalog/index.js';
import type { Design } from '../src/design/model.js';
import { loadParser } from '../src/ingest/pg/index.js';
import type { WorkloadQuery } from '../src/ingest/workload/model.js';
import { designView, runOnCluster } from '../src/simulate/cluster-run.js';
import { classifyQuery } from '../src/simulate/routing/classify.js';
import { ShardRouter } from '../src/simulate/routing/router.js';
import { buildTopology } from '../src/simulate/shards.js';
import { analyzeWorkload } from '../src/workload/extract.js';

const N = Number(process.argv[2] ?? 100_000);
await loadParser();
const { catalog } = await readSchema([
  {
    file: 'bench.sql',
    text: `CREATE TABLE companies (id bigint PRIMARY KEY, name text);
CREATE TABLE campaigns (company_id bigint, id bigint, name text, budget numeric, PRIMARY KEY (company_id, id));
CREATE TABLE ads (company_id bigint, id bigint, campaign_id bigint, title text, PRIMARY KEY (company_id, id));
CREATE TABLE clicks (company_id bigint, id bigint, ad_id bigint, at timestamptz, PRIMARY KEY (company_id, id));
CREATE TABLE countries (code text PRIMARY KEY, name text);`,
  },
]);
const design: Design = {
  citus: '14.0',
  shardCount: 32,
  tables: {
    'public.companies': { kind: 'distributed', column: 'id' },
    'public.campaigns': { kind: 'distributed', column: 'company_id', colocateWith: 'public.companies' },
    'public.ads': { kind: 'distributed', column: 'company_id', colocateWith: 'public.companies' },
    'public.clicks': { kind: 'distributed', column: 'company_id', colocateWith: 'public.companies' },
    'public.countries': { kind: 'reference' },
  },
};
const shapes = [
  (i: number) => `SELECT title FROM ads WHERE company_id = ${i} AND id = ${i * 3}`,
  (i: number) => `SELECT a.title, c.name FROM ads a JOIN campaigns c ON c.company_id = a.company_id AND c.id = a.campaign_id WHERE a.company_id = ${i}`,
  (i: number) => `UPDATE campaigns SET budget = budget * 2 WHERE company_id = ${i} AND id = ${i % 97}`,
  (i: number) => `INSERT INTO clicks (company_id, id, ad_id, at) VALUES (${i}, ${i * 7}, ${i % 13}, now())`,
  (i: number) => `SELECT count(*) FROM clicks WHERE company_id IN (${i}, ${i + 1}, ${i + 2})`,
  (i: number) => `SELECT c.name, count(*) FROM clicks k JOIN countries c ON c.code = 'c${i % 50}' GROUP BY c.name`,
];
const queries: WorkloadQuery[] = Array.from({ length: N }, (_, i) => {
  const sql = shapes[i % shapes.length](i + 1);
  return { id: `q${i}`, fingerprint: `f${i}`, sql, sample: sql, weight: 1, calls: 1, sources: [] };
});

const t0 = performance.now();
const workload = analyzeWorkload(catalog, queries);
const factsMs = performance.now() - t0;
const topology = buildTopology(design, { nodes: 4 });
const view = designView(catalog, design, topology);
const router = new ShardRouter({ catalog, topology });
const rss0 = process.memoryUsage().rss;
const t1 = performance.now();
let tasks = 0;
for (const q of workload.queries) {
  const r = classifyQuery(q.facts, view);
  tasks += router.route(q.query.sample, q.facts, r).tasks.length;
}
const routeMs = performance.now() - t1;
const t2 = performance.now();
const sim = runOnCluster(catalog, design, topology, workload, [], undefined);
const simMs = performance.now() - t2;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
console.log(`${N.toLocaleString('en-US')} statements, ${shapes.length} shapes with distinct constants, 32 shards on 4 workers`);
console.log(`facts (parse + walk): ${factsMs.toFixed(0)} ms = ${rate(N, factsMs)}`);
console.log(`routing (class + shard + task SQL): ${routeMs.toFixed(0)} ms = ${rate(N, routeMs)}, ${tasks.toLocaleString('en-US')} tasks`);
console.log(`whole simulation (routing, transactions, summary): ${simMs.toFixed(0)} ms = ${rate(N, simMs)}; router share ${sim.summary.shares.router}`);
console.log(`RSS +${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)} MB during routing`);
