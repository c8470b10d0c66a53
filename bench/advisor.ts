/**
 * Advisor time: on lago-api (schema + its workload) and on a generated
 * 1,000-table multi-tenant schema with a 100,000-query workload (target: the
 * advisor itself under 2 s). Query facts are extracted once beforehand; the
 * figure is the design search and its evidence.
 *
 *   node --import tsx bench/advisor.ts
 *   TABLES=200 node --import tsx bench/advisor.ts   (a smaller generated schema)
 */
import { join } from 'node:path';
import { recommend } from '../src/advisor/index.js';
import { readSchema } from '../src/catalog/index.js';
import { analyzeInputs } from '../src/cli/pipeline.js';
import type { WorkloadQuery } from '../src/ingest/workload/model.js';
import { estimateStats } from '../src/stats/index.js';
import { FactExtractor } from '../src/workload/extract.js';
import type { Workload } from '../src/workload/model.js';
import { corpusDir } from '../test/support/corpus.js';

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

// lago-api
const lago = await analyzeInputs({ schema: [join(corpusDir(), 'lago-api/schema.sql')], workload: [join(corpusDir(), 'lago-api/queries.sql')], cwd: process.cwd() });
const [, lagoMs] = time(() => recommend(lago.catalog, lago.workload, lago.stats));
console.log(`lago-api: ${Object.keys(lago.catalog.tables).length} tables, ${lago.workload?.queries.length} queries: advisor ${lagoMs.toFixed(0)} ms`);

// generated: tenant groups of 25 tables (1,000 tables unless TABLES says), 100,000 queries
const TABLES = Number(process.env.TABLES ?? 1000);
const lines: string[] = ['CREATE TABLE tenants (id bigint PRIMARY KEY, name text);'];
for (let i = 0; i < TABLES - 1; i++) {
  const parent = i % 25 === 0 ? 'tenants(id)' : `t${i - 1}(id)`;
  lines.push(
    `CREATE TABLE t${i} (id bigint PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES tenants(id), parent_id bigint REFERENCES ${parent}, status text, created_at timestamptz, amount numeric);`,
  );
}
const { catalog } = await readSchema([{ file: 'generated.sql', text: lines.join('\n') }]);
const extractor = new FactExtractor(catalog, {});
const shapes = [
  (a: number) => `SELECT * FROM t${a} WHERE tenant_id = $1 AND id = $2`,
  (a: number) => `SELECT t${a}.id, t${a + 1}.amount FROM t${a} JOIN t${a + 1} ON t${a + 1}.parent_id = t${a}.id WHERE t${a}.tenant_id = $1`,
  (a: number) => `UPDATE t${a} SET status = $2 WHERE tenant_id = $1 AND id = $3`,
  (a: number) => `INSERT INTO t${a} (id, tenant_id, status) VALUES ($1, $2, $3)`,
  (a: number) => `SELECT status, count(*) FROM t${a} GROUP BY status`,
];
const distinct = new Map<string, ReturnType<FactExtractor['extract']>>();
const queries: Workload['queries'] = [];
const [, factsMs] = time(() => {
  for (let q = 0; q < 100_000; q++) {
    const a = q % (TABLES - 2);
    const sql = shapes[q % shapes.length](a);
    let facts = distinct.get(sql);
    if (!facts) distinct.set(sql, (facts = extractor.extract(sql)));
    const query: WorkloadQuery = { id: `q${q}`, fingerprint: `f${q}`, sql, sample: sql, weight: 1 + (q % 7), calls: 1, sources: [] };
    queries.push({ query, facts });
  }
});
console.log(`generated: ${Object.keys(catalog.tables).length} tables, ${queries.length} queries (${distinct.size} distinct shapes), facts ${factsMs.toFixed(0)} ms`);
const stats = estimateStats(catalog);
const rss0 = process.memoryUsage().rss;
const [advice, ms] = time(() => recommend(catalog, { queries, diagnostics: [] }, stats));
console.log(
  `generated: advisor ${ms.toFixed(0)} ms (target < 2000 ms), key ${advice.keyClass?.id}, router share ${advice.summary.shares.router}, RSS +${((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0)} MB`,
);
